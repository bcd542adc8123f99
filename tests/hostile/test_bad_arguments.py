"""Hostile command-line arguments: clocks at the ends of time, summaries that are not UTF-8, file
names and option values full of escapes. Each command either does its work or refuses with exit
status 2 and one safe line; it never crashes or echoes a control character.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.checks import Failure, common_failures, report, run_app_start, run_cli
from support import example_path

ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x9b2J\u202e"
NOW_VALUES = (
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:00:00-12:00",
    "9999-12-31T23:59:59",
    "2026-11-19T10:00:00+23:59",
    "not a date",
    ESCAPES,
    "9" * 5000,
)
COMMANDS = (
    ("render",), ("render", "--format", "plain"), ("render", "--format", "json"), ("check",), ("check", "--json"),
    ("triage",), ("triage", "--json"),
)


@pytest.mark.parametrize("now", NOW_VALUES, ids=[f"now-{index}" for index in range(len(NOW_VALUES))])
def test_any_clock_gives_a_result_or_one_safe_line(now: str, capsys: pytest.CaptureFixture[str]) -> None:
    failures = []
    brief = str(example_path("api-500-acme"))
    for first, *rest in COMMANDS:
        run = run_cli([first, brief, *rest, "--now", now], capsys)
        command = " ".join((first, *rest))
        failures += common_failures(run, f"--now {now[:40]!r}", command, (0, 1, 2))
        if run.code == 2 and run.err.count("\n") != 1:
            failures.append(Failure("refusal is not one line", f"--now {now[:40]!r}", command, run.err[:300]))
    assert not failures, report(failures, len(COMMANDS), "commands")


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["new", "Export fails for caf\udce9 customers", "-o", "new.toml"], id="summary-not-utf8"),
        pytest.param(["new", f"API down for [bold]Acme[/bold] {ESCAPES}", "-o", "new.toml"], id="summary-escapes"),
        pytest.param(["new", "API down", "--customer", ESCAPES, "-o", "new.toml"], id="customer-escapes"),
        pytest.param(["new", "API down", "-o", f"{ESCAPES}.toml"], id="output-name-escapes"),
        pytest.param(["new", "API down", "-o", "b" * 300 + ".toml"], id="output-name-300-chars"),
        pytest.param(["new", "API down", "-o", f"missing-{ESCAPES}/new.toml"], id="output-folder-missing"),
        pytest.param(["render", "EXAMPLE", "-o", f"missing-{ESCAPES}/out.md"], id="render-output-folder-missing"),
        pytest.param(["render", "EXAMPLE", "--format", ESCAPES], id="format-escapes"),
        pytest.param(["check", "EXAMPLE", f"--{ESCAPES}"], id="option-escapes"),
        pytest.param([ESCAPES], id="subcommand-escapes"),
        pytest.param(["render", f"{ESCAPES}.toml"], id="file-name-escapes"),
        pytest.param(["render", "x" * 300 + ".toml"], id="file-name-300-chars"),
        pytest.param(["escalate", f"{ESCAPES}.toml"], id="escalate-file-name-escapes"),
        pytest.param(["escalate", "EXAMPLE", "--as", ESCAPES], id="escalate-as-escapes"),
        pytest.param(["timeline", ESCAPES], id="timeline-id-escapes"),
        pytest.param(["timeline", "9" * 5000], id="timeline-id-huge"),
        pytest.param(["due", "--data-dir", f"{ESCAPES}/data"], id="due-data-dir-escapes"),
        pytest.param(["update", "1", ESCAPES], id="update-text-escapes"),
        pytest.param(["severity", "1", ESCAPES, "--reason", ESCAPES], id="severity-level-escapes"),
        pytest.param(["target", "1", "product", "--reason", ESCAPES], id="target-reason-escapes"),
        pytest.param(["snooze", "1", "--until", ESCAPES, "--reason", "x"], id="snooze-until-escapes"),
        pytest.param(["snooze", "1", "--until", "9" * 5000 + "d", "--reason", "x"], id="snooze-until-huge"),
        pytest.param(["de-escalate", "1", "--reason", ESCAPES], id="de-escalate-reason-escapes"),
        pytest.param(["resolve", "1", "--done", ESCAPES, "--skip", f"{ESCAPES}={ESCAPES}"], id="resolve-steps-escapes"),
    ],
)
def test_hostile_arguments_give_a_result_or_one_safe_line(
    arguments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    arguments = [str(example_path("api-500-acme")) if part == "EXAMPLE" else part for part in arguments]
    if arguments == [ESCAPES]:  # a bare argument opens the app: only the reading of it is tried here
        run, _ = run_app_start(arguments, capsys, monkeypatch)
    else:
        run = run_cli(arguments, capsys)
    failures = common_failures(run, repr(arguments)[:80], arguments[0][:20], (0, 1, 2))
    assert not failures, report(failures, 1, "commands")
