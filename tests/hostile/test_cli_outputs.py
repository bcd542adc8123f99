"""Injection payloads in the text fields of a brief: every command's output stays safe and keeps the
brief's own structure.

For a payload P in field F, each command is run in-process on a complete brief holding P in F, and
its output is checked: the exit status; no traceback; no control character (but a line break, and a
tab where F kept one) or bidi override on stdout or stderr; valid JSON where JSON is asked for, with
F holding P as the brief stores it; and the document's structure equal to the one the same brief
prints with harmless words of the same shape in F — for Markdown, every block, heading and piece of
inline markup as markdown-it-py reads it; for plain text, the lines that read as a heading or title.

The quick run tries every payload once (in a field and with one of the other commands that rotate,
always with both renderers) and every field once with the nastiest payload and every command;
`pytest -m slow` tries every payload in every field, the commands in turn.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hostile.checks import (
    NOW_ISO,
    Failure,
    common_failures,
    markdown_outline,
    outline_difference,
    plain_outline,
    report,
    run_cli,
)
from hostile.generators import (
    NASTIEST,
    Base,
    Payload,
    TextField,
    bases,
    brief_with,
    harmless_twin,
    injection_payloads,
    stored_form,
    text_fields,
)

COMMANDS: dict[str, tuple[str, ...]] = {
    "render-markdown": ("render", "--format", "markdown"),
    "render-plain": ("render", "--format", "plain"),
    "render-json": ("render", "--format", "json"),
    "check": ("check",),
    "check-json": ("check", "--json"),
    "triage": ("triage",),
    "triage-json": ("triage", "--json"),
}
PAYLOADS = injection_payloads()
FIELDS = text_fields()
REFERENCE_FIELDS = {("context", 0, "reference")}  # a URL there becomes a link on purpose
QUICK_ALWAYS = ("render-markdown", "render-plain")


@pytest.fixture(autouse=True)
def parser_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the argument parser is half the cost of a run and never depends on the input; the
    suite runs the CLI tens of thousands of times, so it builds the parser once."""
    import tui.cli

    monkeypatch.setattr(tui.cli, "build_parser", _parser())


@functools.cache
def _parser() -> Any:
    import tui.cli

    parser = tui.cli.build_parser()
    return lambda: parser


def _args(command: str, path: Path) -> list[str]:
    first, *rest = COMMANDS[command]
    return [first, str(path), *rest, "--now", NOW_ISO]


_TWIN_OUTLINES: dict[tuple[str, tuple[Any, ...], str, str], list[str]] = {}


@functools.cache
def _twin_refused(base_name: str, field: TextField, twin: str) -> bool:
    """Whether the brief with harmless words in `field` is refused (an override's reason left empty)."""
    from tui.store.brief_file import BriefFileError, loads_brief

    base = next(base for base in bases() if base.name == base_name)
    try:
        loads_brief(brief_with(field, twin, base))
    except BriefFileError:
        return True
    return False


def _twin_outline(base: Base, field: TextField, twin: str, command: str, folder: Path, capsys: Any) -> list[str]:
    """The outline of what `command` prints for the brief with harmless words in `field` (the same for
    many payloads, so it is kept)."""
    key = (base.name, field.loc, twin, command)
    if key not in _TWIN_OUTLINES:
        path = folder / "twin.toml"
        path.write_text(brief_with(field, twin, base), encoding="utf-8")
        run = run_cli(_args(command, path), capsys)
        assert not run.crash, f"{command} fails on a harmless brief: {run.crash}"
        assert run.code == 0, f"{command} fails on a harmless brief: {run.err}"
        _TWIN_OUTLINES[key] = _outline(command, field, run.out)
    return _TWIN_OUTLINES[key]


def _outline(command: str, field: TextField, text: str) -> list[str]:
    if command == "render-plain":
        return plain_outline(text)
    if command == "render-markdown":
        return markdown_outline(text, ignore_autolinks=field.loc in REFERENCE_FIELDS)
    return []


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part] if data is not None else None
    return data


def examine(field: TextField, payload: Payload, base: Base, folder: Path, capsys: Any,
            commands: tuple[str, ...] = tuple(COMMANDS)) -> list[Failure]:
    """Every check of each command, for `payload` in `field` of `base`."""
    path = folder / "brief.toml"
    path.write_text(brief_with(field, payload.text, base), encoding="utf-8")
    stored = stored_form(payload.text)
    twin = harmless_twin(field, payload.text)
    case = f"{payload.name} in {field.name} ({base.name})"
    failures: list[Failure] = []
    # A value with nothing left to show is refused where its twin (empty too) is: an override's reason.
    refused = _twin_refused(base.name, field, twin)
    for command in commands:
        run = run_cli(_args(command, path), capsys)
        codes = (2,) if refused else (0, 1) if command.startswith("check") else (0,)
        failures += common_failures(run, case, command, codes, allow_tab="\t" in stored)
        if run.crash or run.code not in codes or run.code == 2:
            continue
        if command.endswith("json"):
            failures += _json_failures(run.out, command, field, stored, case)
        elif command == "render-markdown" and field.kind != "free":  # the hand-edited brief is printed as written
            expected = _twin_outline(base, field, twin, command, folder, capsys)
            seen = outline_difference(expected, _outline(command, field, run.out))
            if seen:
                failures.append(Failure("Markdown structure changed", case, command, seen))
        elif command == "render-plain":
            expected, got = _twin_outline(base, field, twin, command, folder, capsys), _outline(command, field, run.out)
            if got != expected:
                failures.append(Failure("plain-text headings changed", case, command, f"{got} instead of {expected}"))
    return failures


def _json_failures(out: str, command: str, field: TextField, stored: str, case: str) -> list[Failure]:
    try:
        data = json.loads(out)
    except ValueError as error:
        return [Failure("not valid JSON", case, command, str(error))]
    if command == "render-json":
        kept = _value_at(data["escalation"], field.loc)
        if kept != stored:
            return [Failure("value not kept as typed (controls dropped)", case, command,
                            f"the field holds {kept!r}, not {stored!r}")]
    return []


def _rotating(index: int) -> tuple[TextField, Base, tuple[str, ...]]:
    """The field, the base and the commands the quick run tries payload `index` with: both renderers
    whose structure can be broken, and one of the others in turn."""
    every_base, others = bases(), [command for command in COMMANDS if command not in QUICK_ALWAYS]
    field, base = FIELDS[index % len(FIELDS)], every_base[(index // len(FIELDS)) % len(every_base)]
    return field, base, (*QUICK_ALWAYS, others[index % len(others)])


def test_the_suite_tries_hundreds_of_payloads_in_every_text_field() -> None:
    assert len(PAYLOADS) >= 400
    assert {field.name for field in FIELDS} >= {
        "summary", "customer.name", "problem.description", "tried.0.action", "reproduction.steps.0",
        "context.0.reference", "severity_override.reason", "target_override.reason", "edited_brief",
    }
    assert len(FIELDS) >= 40


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[payload.name for payload in PAYLOADS])
def test_each_payload_in_one_field(index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    field, base, commands = _rotating(index)
    failures = examine(field, PAYLOADS[index], base, tmp_path, capsys, commands)
    assert not failures, report(failures, len(commands), "commands")


HEADING_LIKE = [payload for payload in PAYLOADS if payload.name.startswith("plain-") and "/" not in payload.name]
DESCRIPTION = next(field for field in FIELDS if field.kind == "block")


@pytest.mark.parametrize("base", bases(), ids=[base.name for base in bases()])
@pytest.mark.parametrize("payload", HEADING_LIKE, ids=[payload.name for payload in HEADING_LIKE])
def test_a_line_of_the_description_never_reads_as_a_heading_or_the_title(
    payload: Payload, base: Base, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The description keeps its lines, so it is where a line can pose as a section heading or the
    title: in capitals, in other scripts' look-alike letters, or a heading of the other kind of brief."""
    failures = examine(DESCRIPTION, payload, base, tmp_path, capsys, QUICK_ALWAYS)
    assert not failures, report(failures, len(QUICK_ALWAYS), "commands")


@pytest.mark.parametrize("base", bases(), ids=[base.name for base in bases()])
@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_each_field_holds_the_nastiest_payload(field: TextField, base: Base, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    failures = examine(field, NASTIEST, base, tmp_path, capsys)
    assert not failures, report(failures, len(COMMANDS), "commands")


@pytest.mark.slow
@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_every_payload_in_every_field(field: TextField, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every other payload in this field (the other half in the next field) with one command, the
    commands taken in turn (offset by the field), so that across the fields every payload goes into
    about twenty fields and meets every command about three times. (Every command for every pair is
    fourteen times as long: more than CI's whole budget.)"""
    every_base, commands = bases(), list(COMMANDS)
    offset = FIELDS.index(field)
    failures: list[Failure] = []
    chosen = [(index, payload) for index, payload in enumerate(PAYLOADS) if (index + offset) % 2 == 0]
    for index, payload in chosen:
        command = commands[(index // 2 + offset) % len(commands)]
        failures += examine(field, payload, every_base[index % len(every_base)], tmp_path, capsys, (command,))
    assert not failures, report(failures, len(chosen), f"runs of {field.name}")


# --- the escalation commands: what the store gives back --------------------------------------------

# Run on an escalated case whose brief holds the payload in a field and whose log holds it as an update.
ESCALATION_COMMANDS: dict[str, tuple[str, ...]] = {
    "timeline": ("timeline", "1"),
    "timeline-markdown": ("timeline", "1", "--format", "markdown"),
    "timeline-json": ("timeline", "1", "--json"),
    "due": ("due",),
    "due-json": ("due", "--json"),
    "customer-update": ("customer-update", "1"),
    "kb-article": ("kb-article", "1"),
}
# The fields the queue and the timeline show: the summary and customer in rows and headers, the
# reporter as who logged each event.
ESCALATION_FIELDS = tuple(field for field in FIELDS if field.name in ("summary", "customer.name", "reporter.name"))
UPDATE = next(field for field in FIELDS if field.kind == "block")  # an update keeps its lines, as the description


def _timeline_outline(text: str) -> list[str]:
    """The Markdown outline with the title's words left out (the title holds the summary)."""
    return [line.split(":", 1)[0] if line.startswith("h1 text:") else line for line in markdown_outline(text)]


def _escalation_runs(field: TextField, value: str, update: str, folder: Path, capsys: Any) -> dict[str, Any]:
    """Escalate a brief holding `value` in `field` in a fresh data folder, log `update` on it, then run
    each escalation command; every run by name."""
    folder.mkdir(parents=True, exist_ok=True)
    path, data = folder / "brief.toml", folder / "data"
    path.write_text(brief_with(field, value), encoding="utf-8")
    common = ("--data-dir", str(data), "--now", NOW_ISO)
    runs = {"escalate": run_cli(["escalate", str(path), *common], capsys),
            "update": run_cli(["update", "1", update, *common], capsys)}
    for name, arguments in ESCALATION_COMMANDS.items():
        runs[name] = run_cli([*arguments, *common], capsys)
    return runs


def examine_escalation(field: TextField, payload: Payload, folder: Path, capsys: Any) -> list[Failure]:
    case = f"{payload.name} in {field.name} and in an update"
    runs = _escalation_runs(field, payload.text, payload.text, folder / "payload", capsys)
    twin = _escalation_runs(field, harmless_twin(field, payload.text), harmless_twin(UPDATE, payload.text),
                            folder / "twin", capsys)
    failures = common_failures(runs["escalate"], case, "escalate", (0,))
    failures += common_failures(runs["update"], case, "update", (0, 2))
    for command in ESCALATION_COMMANDS:
        run = runs[command]
        failures += common_failures(run, case, command, (0,))
        if run.crash or run.code != 0:
            continue
        if command.endswith("json"):
            try:
                json.loads(run.out)
            except ValueError as error:
                failures.append(Failure("not valid JSON", case, command, str(error)))
        elif command == "timeline-markdown" and twin["update"].code == runs["update"].code:
            seen = outline_difference(_timeline_outline(twin[command].out), _timeline_outline(run.out))
            if seen:
                failures.append(Failure("Markdown structure changed", case, command, seen))
    return failures


@pytest.mark.parametrize("index", range(0, len(PAYLOADS), 7), ids=[payload.name for payload in PAYLOADS[::7]])
def test_escalation_commands_with_a_payload(index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every seventh payload (all of them under `-m slow`), the fields taken in turn."""
    field = ESCALATION_FIELDS[index % len(ESCALATION_FIELDS)]
    failures = examine_escalation(field, PAYLOADS[index], tmp_path, capsys)
    assert not failures, report(failures, len(ESCALATION_COMMANDS) + 2, "commands")


@pytest.mark.parametrize("field", ESCALATION_FIELDS, ids=[field.name for field in ESCALATION_FIELDS])
def test_escalation_commands_with_the_nastiest_payload(field: TextField, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    failures = examine_escalation(field, NASTIEST, tmp_path, capsys)
    assert not failures, report(failures, len(ESCALATION_COMMANDS) + 2, "commands")


@pytest.mark.slow
@pytest.mark.parametrize("field", ESCALATION_FIELDS, ids=[field.name for field in ESCALATION_FIELDS])
def test_escalation_commands_with_every_payload(field: TextField, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Every payload in one of the three fields, taken in turn, through every escalation command (and in
    an update): each payload meets each command, and each field a third of the payloads. (Every payload
    in every field is three times as long, a third of CI's budget; the nastiest payload goes in every
    field in the quick run.)"""
    offset = ESCALATION_FIELDS.index(field)
    chosen = [(index, payload) for index, payload in enumerate(PAYLOADS)
              if index % len(ESCALATION_FIELDS) == offset]
    failures: list[Failure] = []
    for index, payload in chosen:
        failures += examine_escalation(field, payload, tmp_path / str(index), capsys)
    assert not failures, report(failures, len(chosen), f"payloads in {field.name}")
