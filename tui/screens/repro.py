"""Step 4, repro & ask: reproduction for bugs, the customer conversation, and the specific ask."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label

from tui.domain.models import AskKind, Frequency
from tui.screens.base import StepScreen
from tui.widgets.bound import choice_field, text_field
from tui.widgets.checklist import QualityChecklist
from tui.widgets.list_editor import list_field


class ReproScreen(StepScreen):
    STEP = "repro"
    HELP = (
        "Repro & ask: for bugs, steps someone else can follow from a clean start, with exact values, the "
        "environment, how often it happens, evidence and what you ruled out. Then the last word to the "
        "customer, and exactly what you need (investigate, fix, decide or approve) by when."
    )

    def compose_form(self) -> ComposeResult:
        yield Label("Reproduction", classes="section")
        yield text_field("Starting state (account, configuration, permissions)", "reproduction.starting_state")
        yield list_field("Steps", "reproduction.steps")
        yield text_field("Expected", "reproduction.expected")
        yield text_field("Actual", "reproduction.actual")
        yield text_field("Environment (browser, OS, plan, flags)", "reproduction.environment")
        yield choice_field("How often", "reproduction.frequency", Frequency)
        yield text_field("Frequency detail", "reproduction.frequency_detail")
        yield list_field("Evidence (exact errors, logs, screenshots)", "reproduction.evidence")
        yield list_field("Ruled out", "reproduction.ruled_out")
        yield Label("Customer communication", classes="section")
        yield text_field("Last update to the customer (YYYY-MM-DD HH:MM)", "communication.last_update")
        yield text_field("What was said", "communication.last_update_summary")
        yield text_field("Customer expectation", "communication.customer_expectation")
        yield text_field("Escalation risk", "communication.escalation_risk")
        yield Label("What's needed", classes="section")
        yield choice_field("Ask", "ask.kind", AskKind)
        yield text_field("The specific ask", "ask.text", "e.g. find the root cause of the dropped rows")
        yield text_field("Deadline (YYYY-MM-DD HH:MM)", "ask.deadline")
        yield Label("Reported by", classes="section")
        yield text_field("Your name", "reporter.name")
        yield text_field("Your team", "reporter.team")

    def compose_panels(self) -> ComposeResult:
        yield QualityChecklist(id="checklist")

    def refresh_panels(self) -> None:
        self.query_one(QualityChecklist).show(self.editor.quality)
