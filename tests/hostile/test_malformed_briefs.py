"""Malformed brief files: every command refuses them the same way — exit status 2 and a short message
that names the file and the line to fix — and never crashes, floods the terminal or prints a control
character. The app's own start (`escalate-tui FILE`) refuses them before any screen is built.

A few odd but valid files (a BOM, CRLF line ends, an empty file) must be read as briefs. The quick
run tries each file with one command (they rotate), the wrong types only once per field and once
per kind of value; `pytest -m slow` tries every file with all six commands, and the heavy ones
(megabytes, tens of thousands of problems) with their one command.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hostile.checks import (
    NOW_ISO,
    Failure,
    Run,
    common_failures,
    report,
    run_app_start,
    run_cli,
    unsafe_characters,
)
from hostile.generators import BadConfig, Malformed, malformed_briefs, malformed_configs

from tui.domain.text_safety import visible

CASES = malformed_briefs()


def _quick(cases: tuple[Malformed, ...]) -> set[int]:
    """The cases the quick run tries: all but the wrong types, of which one per field and one per kind
    of wrong value (the slow run tries them all)."""
    chosen, fields, kinds = set(), set(), set()
    for index, case in enumerate(cases):
        kind, *rest = case.label.split("/")
        if kind != "type":
            chosen.add(index)
        elif rest[0] not in fields or rest[1] not in kinds:
            chosen.add(index)
            fields.add(rest[0])
            kinds.add(rest[1])
    return chosen


QUICK = _quick(CASES)
COMMANDS: dict[str, tuple[str, ...]] = {
    "render-markdown": ("render", "--format", "markdown"),
    "render-json": ("render", "--format", "json"),
    "check": ("check",),
    "triage": ("triage",),
    "triage-json": ("triage", "--json"),
    "app": (),  # `escalate-tui FILE`: the file read, the app not started
}
MAX_LINES = 55
MAX_BYTES = 16_000


def materialise(case: Malformed, folder: Path) -> Path:
    """The case on disk: a file, a folder where the file should be, or nothing at all."""
    path = folder / case.name
    if case.kind == "file":
        assert case.data is not None
        path.parent.mkdir(parents=True, exist_ok=True)  # "[bold]x[/bold].toml" is in a folder "[bold]x["
        path.write_bytes(case.data)
    elif case.kind == "dir":
        path.mkdir()
    return path


def run_command(command: str, path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Run, bool]:
    """The command's run; and, for the app, whether the app would have been built."""
    if command == "app":
        return run_app_start([str(path)], capsys, monkeypatch)
    first, *rest = COMMANDS[command]
    return run_cli([first, str(path), *rest, "--now", NOW_ISO], capsys), False


_WHERE = re.compile(r":(\d+)(?=[:\s]|$)")  # FILE:LINE: …


def judge(case: Malformed, command: str, path: Path, run: Run, app_built: bool) -> list[Failure]:
    codes = {"error": (2,), "valid": (0, 1), "either": (0, 1, 2)}[case.expect]
    if command != "check" and case.expect == "valid":
        codes = (0,)
    failures = common_failures(run, case.label, command, codes)
    if command == "app" and app_built != (run.code == 0):
        failures.append(Failure("the app was started for a file it refused" if app_built
                                else "the app was not started for a good file", case.label, command, run.err[:300]))
    if run.crash or run.code != 2:
        return failures
    err = run.err
    size, lines = len(err.encode("utf-8", "surrogateescape")), err.count("\n")
    if lines > MAX_LINES or size > MAX_BYTES:
        failures.append(Failure(f"error output unbounded (> {MAX_LINES} lines or {MAX_BYTES:,} bytes)", case.label,
                                command, f"{lines:,} lines, {size:,} bytes: {err[:200]!r}…"))
    if run.out.strip():
        failures.append(Failure("output on stdout for a refused file", case.label, command, run.out[:200]))
    if "\n" in path.name and path.name in err:
        return [*failures, Failure("file name printed with its raw line break", case.label, command, err[:300])]
    # A hostile or very long name may be shown escaped or shortened: it is enough that its start shows.
    named = [line for line in err.splitlines() if str(path)[:30] in line]
    if not named:
        failures.append(Failure("error does not name the file", case.label, command, err[:300]))
        return failures
    shown = visible(str(path))  # a line break in the name is written out, as every control character is
    if not unsafe_characters(path.name) and len(path.name) < 60 and not any(f"{shown}:" in line for line in named):
        failures.append(Failure("error does not name the file as FILE:LINE", case.label, command, named[0][:300]))
    numbers = [int(match[1]) for match in map(_WHERE.search, named) if match]
    if not numbers:
        failures.append(Failure("error names no line", case.label, command, named[0][:300]))
    elif case.line is not None and numbers[0] != case.line:
        failures.append(Failure("error names the wrong line", case.label, command,
                                f"line {numbers[0]}, expected {case.line}: {named[0][:200]}"))
    return failures


def _examine(case: Malformed, commands: list[str], folder: Path, capsys: Any,
             monkeypatch: pytest.MonkeyPatch) -> list[Failure]:
    path = materialise(case, folder)
    failures: list[Failure] = []
    for command in commands:
        if command == "app" and case.reads_as_summary:
            continue  # `escalate-tui SUMMARY` opens the app on that summary, by design
        run, built = run_command(command, path, capsys, monkeypatch)
        failures += judge(case, command, path, run, built)
    return failures


def test_the_suite_tries_hundreds_of_malformed_files() -> None:
    assert len(CASES) >= 400
    kinds = {case.label.split("/")[0] for case in CASES}
    assert kinds >= {"syntax", "type", "unknown", "utf8", "bom", "nul", "nesting", "flood", "duplicate", "empty",
                     "not-a-file", "number"}


@pytest.mark.parametrize("index", [pytest.param(index, id=case.label, marks=[pytest.mark.slow] if case.heavy else [])
                                   for index, case in enumerate(CASES) if index in QUICK or case.heavy])
def test_a_malformed_brief_is_refused_briefly_naming_file_and_line(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command = list(COMMANDS)[index % len(COMMANDS)]
    failures = _examine(CASES[index], [command], tmp_path, capsys, monkeypatch)
    assert not failures, report(failures, 1, "commands")


@pytest.mark.slow
@pytest.mark.parametrize("index", [pytest.param(index, id=case.label) for index, case in enumerate(CASES)
                                   if not case.heavy])
def test_a_malformed_brief_is_refused_by_every_command(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = _examine(CASES[index], list(COMMANDS), tmp_path, capsys, monkeypatch)
    assert not failures, report(failures, len(COMMANDS), "commands")


# --- configs ----------------------------------------------------------------------------------

CONFIGS = malformed_configs()


@pytest.mark.parametrize("case", [pytest.param(case, id=case.label, marks=[pytest.mark.slow] if case.heavy else [])
                                  for case in CONFIGS])
def test_a_malformed_config_gives_short_safe_warnings_naming_its_line(
    case: BadConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from support import example_path

    config = tmp_path / "config.toml"
    config.write_bytes(case.data)
    run = run_cli(["check", str(example_path("api-500-acme")), "--config", str(config), "--now", NOW_ISO], capsys)
    failures = common_failures(run, case.label, "check --config", (0, 1))
    err = run.err
    if err.count("\n") > MAX_LINES or len(err.encode("utf-8", "surrogateescape")) > MAX_BYTES:
        failures.append(Failure("warnings unbounded", case.label, "check --config",
                                f"{err.count(chr(10)):,} lines, {len(err):,} characters"))
    warned = [line for line in err.splitlines() if str(config) in line]
    if not warned and case.warns:
        failures.append(Failure("no warning names the config file", case.label, "check --config", err[:300]))
    elif warned and case.line is not None and f"{config}:{case.line}" not in warned[0]:
        failures.append(Failure("warning names the wrong line", case.label, "check --config",
                                f"expected line {case.line}: {warned[0][:200]}"))
    assert not failures, report(failures, 1, "commands")
