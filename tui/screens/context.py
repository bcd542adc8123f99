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
        "URL, and the line that matters — or press ctrl+f to search the team's tools and local files: one query to "
        "every source at once, each answering as it can, and enter on a result attaches it. An account fills the "
        "customer's plan, segment and ARR; a known issue with a workaround says the case may belong in support. "
        "Similar escalations lists the open ones, and those closed in the last 180 days, that look like this case; "
        "when enough customers share the issue, ctrl+l links them as one pattern, and when a closed one matches, "
        "alt+r marks this case as back after a supposed fix."
    )

    def compose_panels(self) -> ComposeResult:
        yield Static(
            "Search your tools: ctrl+f\n\nOne query goes to every source in the config ([[sources]]; the local "
            "files of the data folder's workspace when none is set): related tickets, the account, threads, "
            "tracker items and known issues. Enter on a result attaches it here.",
            id="context-sources",
        )
        yield SimilarPanel(id="similar-escalations")

    def refresh_panels(self) -> None:
        watch = watch_of(self)
        self.query_one(SimilarPanel).show(watch.view() if watch is not None else None)
