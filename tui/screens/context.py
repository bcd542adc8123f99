"""Step 2, context: related tickets, the account, internal threads, tracker items, known issues."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import StepPane


class ContextPane(StepPane):
    STEP = "context"
    HELP = (
        "Context: everything the receiving team should open — related tickets, the account record, internal "
        "threads, tracker items, known issues and docs. Add one row per item: its kind, a title, a ticket id or "
        "URL, and the line that matters. Searching connected tools from here comes in a later release."
    )

    def compose_panels(self) -> ComposeResult:
        yield Static(
            "Search your connected tools\n\nNo sources are connected yet. When they are, this panel finds related "
            "tickets, account facts, threads and known issues for this case and adds them with one key.",
            id="context-sources",
        )
