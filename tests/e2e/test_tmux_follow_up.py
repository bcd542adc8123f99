"""End to end, in a real terminal: a case is escalated, followed up, left until its clocks run out, seen
overdue by `due` (exit 1), de-escalated from the queue, and its timeline read — all on fixed clocks."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from support import example_path
from test_tmux import EXE, Terminal, pytestmark  # noqa: F401  (the same marks: slow, tmux and the installed app)

T0 = "2026-11-19T10:00:00+00:00"  # a Thursday
ONE_HOUR_LATER = "2026-11-19T11:00:00+00:00"
NINE_HOURS_LATER = "2026-11-19T19:00:00+00:00"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, check=False, timeout=60)


def test_escalate_follow_up_overdue_de_escalate_and_read_the_timeline(tmp_path: Path) -> None:
    data = tmp_path / "store"
    brief = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), brief)

    term = Terminal(tmp_path)
    try:
        term.launch(str(brief), "--data-dir", str(data), "--now", T0)
        term.wait_for("Summary")
        term.keys("F6")
        term.wait_for("Quality")
        time.sleep(1.0)  # the drafts database opens in the background once the first screen is up
        term.keys("C-e")
        term.wait_for("Mark this case escalated")
        term.keys("Enter")
        term.wait_for("handed to Engineering", timeout=20)
        term.wait_for("ESCALATED #1")
        term.keys("C-q")
    finally:
        term.close()

    term = Terminal(tmp_path)
    try:
        term.launch("--data-dir", str(data), "--now", ONE_HOUR_LATER)  # no case named: open escalations first
        term.wait_for("1 open", timeout=20)
        term.keys("u")
        term.wait_for("e.g. Engineering reproduced it")
        term.type("Engineering reproduced it on staging")
        term.keys("Enter")
        term.wait_for("Logged on #1")
        term.keys("C-q")
    finally:
        term.close()

    on_time = run("due", "--data-dir", str(data), "--now", ONE_HOUR_LATER)
    assert on_time.returncode == 0, on_time.stderr
    assert "OVERDUE" not in on_time.stdout
    late = run("due", "--data-dir", str(data), "--now", NINE_HOURS_LATER)
    assert late.returncode == 1, late.stderr
    assert "OVERDUE" in late.stdout

    term = Terminal(tmp_path)
    try:
        term.launch("--data-dir", str(data), "--now", NINE_HOURS_LATER)
        term.wait_for("OVERDUE", timeout=20)
        term.keys("d")
        term.wait_for("checklist", timeout=10)
        for keys in (["Down"], ["Space"], ["Tab"], ["retry setting unblocks them", "Enter"],
                     ["Space"], ["Space"], ["Space"], ["Space"], ["C-s"]):
            term.keys(*keys)  # a key that moves the focus lands before the next one is typed, as by hand
            time.sleep(0.15)
        term.wait_for("Logged on #1: De-escalated")
        term.keys("C-q")
    finally:
        term.close()

    after = run("due", "--data-dir", str(data), "--now", NINE_HOURS_LATER)
    assert after.returncode == 0
    timeline = run("timeline", "1", "--data-dir", str(data), "--now", NINE_HOURS_LATER)
    assert timeline.returncode == 0, timeline.stderr
    lines = timeline.stdout.split("Timeline:", 1)[1]
    for expected in ("Escalated to Engineering as High", "Update logged: Engineering reproduced it on staging",
                     "De-escalated: A workaround unblocks the customer — retry setting unblocks them"):
        assert expected in lines, lines
    assert lines.index("Escalated to") < lines.index("Update logged") < lines.index("De-escalated")
