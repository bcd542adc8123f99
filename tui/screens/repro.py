"""Step 4, repro & ask: reproduction for bugs, the customer conversation, and the specific ask."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.screens.base import StepPane
from tui.widgets.checklist import QualityChecklist


class ReproPane(StepPane):
    STEP = "repro"
    HELP = (
        "Repro & ask: for bugs, steps someone else can follow from a clean start, with exact values, the "
        "environment, how often it happens, evidence and what you ruled out. Then the last word to the "
        "customer, and exactly what you need (investigate, fix, decide or approve) by when."
    )

    def compose_panels(self) -> ComposeResult:
        yield QualityChecklist(id="repro-checklist")

    def refresh_panels(self) -> None:
        self.query_one(QualityChecklist).show(self.case.quality)
