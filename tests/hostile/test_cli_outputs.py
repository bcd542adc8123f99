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
    """Each payload in this field with one command, the commands taken in turn (offset by the field),
    so that across the fields every payload meets every command several times. (Every command for
    every pair is seven times as long: more than CI's whole budget.)"""
    every_base, commands = bases(), list(COMMANDS)
    offset = FIELDS.index(field)
    failures: list[Failure] = []
    for index, payload in enumerate(PAYLOADS):
        command = commands[(index + offset) % len(commands)]
        failures += examine(field, payload, every_base[index % len(every_base)], tmp_path, capsys, (command,))
    assert not failures, report(failures, len(PAYLOADS), f"runs of {field.name}")
