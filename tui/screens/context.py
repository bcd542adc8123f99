"""Step 2, context: related tickets, the account, internal threads, tracker items, known issues."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import StepPane
from tui.screens.patterns import watch_of
from tui.widgets.similar import SimilarPanel


class ContextPane(StepPane):
    STEP = "context"
    HELP = (
        "Context: everything the receiving team should open — related tickets, the account record, internal "
        "threads, tracker items, known issues and docs. Add one row per item: its kind, a title, a ticket id or "
        "URL, and the line that matters. Searching connected tools from here comes in a later release. "
        "Similar escalations lists the open ones, and those closed in the last 180 days, that look like this case; "
        "when enough customers share the issue, ctrl+l links them as one pattern, and when a closed one matches, "
        "alt+r marks this case as back after a supposed fix."
    )

    def compose_panels(self) -> ComposeResult:
        yield Static(
            "Search your connected tools\n\nNo sources are connected yet. When they are, this panel finds related "
            "tickets, account facts, threads and known issues for this case and adds them with one key.",
            id="context-sources",
        )
        yield SimilarPanel(id="similar-escalations")

    def refresh_panels(self) -> None:
        watch = watch_of(self)
        self.query_one(SimilarPanel).show(watch.view() if watch is not None else None)
