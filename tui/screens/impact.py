"""Step 3, impact: the six dimensions and the deciding facts; live severity, target and cc."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget

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

    def editor_for(self, path: str) -> Widget | None:
        """An override's reason ("severity_override.reason", where a check may point) opens the override
        dialog at its reason; nothing on the step itself takes the cursor."""
        if path.startswith(("severity_override", "target_override")):
            self.action_override(at_reason=True)
            return None
        return super().editor_for(path)

    def action_override(self, at_reason: bool = False) -> None:
        from tui.screens.override import OverrideScreen

        self.app.push_screen(OverrideScreen(at_reason=at_reason))
