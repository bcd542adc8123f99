"""End to end, in a real terminal: a new user opens `escalate-tui --demo`, searches the sample workspace
for the export problem, attaches tickets from three customers and the account, records the pattern, and
sees the pattern trigger and the ARR at risk in the verdict and the brief."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tmux import Terminal, pytestmark  # noqa: F401  (the same marks: slow, tmux and the installed app)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_the_demo_search_attaches_three_customers_and_the_account(terminal: Terminal) -> None:
    terminal.launch("--demo", "Data export is missing rows")
    terminal.wait_for("Data export is missing rows", beside="Summary (one line)")
    terminal.keys("F3")
    terminal.wait_for("Search your tools: ctrl+f")
    terminal.keys("C-f")
    terminal.wait_for("found in", timeout=30, beside="demo: ")  # the first search imports the workspace
    terminal.keys("Enter")  # the query as it is: the results take the cursor
    terminal.wait_for("Title", beside="Customer")
    for step in ("Enter", "Down", "Enter", "Down", "Enter"):
        terminal.keys(step)
    terminal.wait_for("come from 3 customers")
    terminal.keys("C-l")
    terminal.wait_for("Recorded as a pattern: 3 customers affected.")
    terminal.keys("/")
    terminal.type("Copperleaf")
    terminal.keys("Enter")
    terminal.wait_for("Account", beside="Copperleaf Energy")
    terminal.keys("Enter")
    terminal.wait_for("✓", beside="Account")
    terminal.keys("Escape")
    terminal.keys("F2")
    terminal.wait_for("Pattern: 3 customers")
    terminal.keys("F6")
    shown = terminal.wait_for("Revenue at risk:")
    assert "298,000" in next(line for line in shown.splitlines() if "Revenue at risk:" in line)
    assert "Customers affected: 3 customers" in shown
    terminal.keys("C-q")
