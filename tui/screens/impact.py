"""Step 3, impact: the six dimensions and the deciding facts; live severity, target and cc."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from tui.screens.base import StepPane
from tui.widgets.panels import AssessmentPanel


class ImpactPane(StepPane):
    STEP = "impact"
    HELP = (
        "Impact: how deep, how long, how much revenue, reputation and contract exposure. The panel proposes "
        "severity and target team with the reasons; ctrl+o overrides either, and an override always needs a "
        "reason, which the brief keeps."
    )
    BINDINGS = [Binding("ctrl+o", "override", "Override severity/target", id="impact.override")]

    def compose_panels(self) -> ComposeResult:
        yield AssessmentPanel(self.case.assessment, id="assessment")

    def refresh_panels(self) -> None:
        self.query_one(AssessmentPanel).show(self.case.assessment)

    def action_override(self) -> None:
        from tui.screens.override import OverrideScreen

        self.app.push_screen(OverrideScreen())
