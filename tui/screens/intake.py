"""Step 1, intake: what is broken, for whom, since when, what was tried, and why escalate now."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.domain.models import Nature
from tui.screens.base import StepScreen
from tui.widgets.bound import choice_field, flag_field, long_text_field, text_field
from tui.widgets.list_editor import list_field
from tui.widgets.panels import VerdictPanel


class IntakeScreen(StepScreen):
    STEP = "intake"
    HELP = (
        "Intake: say what is wrong in one line, then fill in who is affected, since when and what you "
        "have already tried. The panel on the right says whether this should be escalated or kept in "
        "support, and which criteria decided it. Tab moves between fields; ctrl+n adds a row to a list."
    )

    def compose_form(self) -> ComposeResult:
        yield text_field("Summary (one line)", "summary", "e.g. Data export is missing rows for 3 customers")
        yield text_field("Customer", "customer.name", "company name")
        yield text_field("Segment", "customer.segment", "e.g. Enterprise")
        yield text_field("Plan", "customer.plan")
        yield text_field("ARR", "customer.arr", "e.g. 120000")
        yield flag_field("Key account", "customer.key_account")
        yield choice_field("What kind of problem is it?", "problem.nature", Nature)
        yield flag_field("Bug confirmed (reproduced, or clearly not account-specific)", "problem.bug_confirmed")
        yield long_text_field("What is broken or needed (3–5 sentences)", "problem.description")
        yield text_field("Customers affected (count)", "breadth.customer_count")
        yield text_field("Users affected (count)", "breadth.user_count")
        yield text_field("Affected segment", "breadth.segment")
        yield flag_field("Every customer in that segment is affected", "breadth.whole_segment")
        yield list_field("Other customers affected", "breadth.named_customers")
        yield text_field("Issue started (YYYY-MM-DD)", "timeline.issue_started")
        yield list_field(
            "What has been tried (action → result)", "tried",
            columns=(("action", "what was done"), ("result", "what happened")),
        )
        yield text_field("Why escalate now?", "problem.why_now")

    def compose_panels(self) -> ComposeResult:
        yield VerdictPanel(self.editor.assessment, id="verdict")

    def refresh_panels(self) -> None:
        self.query_one(VerdictPanel).show(self.editor.assessment)
