"""Step 1, intake: what is broken, for whom, since when, what was tried, and why escalate now."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.screens.base import StepPane
from tui.widgets.panels import VerdictPanel


class IntakePane(StepPane):
    STEP = "intake"
    HELP = (
        "Intake: say what is wrong in one line, then fill in who is affected, since when and what you "
        "have already tried. The panel on the right says whether this should be escalated or kept in "
        "support, and which criteria decided it. Tab moves between fields; in a list, ↑/↓ move between "
        "rows and ctrl+n adds one."
    )

    def compose_panels(self) -> ComposeResult:
        yield VerdictPanel(self.case.assessment, id="verdict")

    def refresh_panels(self) -> None:
        self.query_one(VerdictPanel).show(self.case.assessment)
