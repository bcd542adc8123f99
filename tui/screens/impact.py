"""Step 3, impact: the six dimensions and the seed's flags; live severity, target and cc."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from tui.domain.models import Depth, SlaStatus
from tui.screens.base import StepScreen
from tui.widgets.bound import choice_field, flag_field, text_field
from tui.widgets.panels import AssessmentPanel

FLAG_LABELS = (
    ("production_down", "Production is down"),
    ("data_integrity_at_risk", "Data integrity is at risk"),
    ("security_breach", "Data exposed or unauthorized access happened"),
    ("churn_threat", "Customer is threatening to leave"),
    ("executive_involvement_requested", "Customer asked for executive involvement"),
    ("policy_exception", "Needs an exception to policy"),
    ("pr_legal_risk", "PR or legal risk"),
    ("cross_functional_decision", "Needs a cross-functional decision"),
    ("recurring_after_fix", "Came back after a supposed fix"),
    ("worsening", "Getting worse over time"),
    ("beyond_support_diagnosis", "Beyond what support can diagnose"),
    ("needs_access_support_lacks", "Needs access support does not have"),
    ("custom_implementation", "Involves a custom implementation"),
    ("needs_code_change", "Needs a code change"),
    ("support_channels_stalled", "Normal support channels are not progressing"),
    ("documented_workaround", "A documented workaround or solution exists"),
    ("resolved_in_support_before", "Similar tickets were resolved in support"),
)


class ImpactScreen(StepScreen):
    STEP = "impact"
    HELP = (
        "Impact: how deep, how long, how much revenue, reputation and contract exposure. The panel proposes "
        "severity and target team with the reasons; ctrl+o overrides either, and an override always needs a "
        "reason, which the brief keeps."
    )
    BINDINGS = [Binding("ctrl+o", "override", "Override severity/target", id="impact.override")]

    def compose_form(self) -> ComposeResult:
        yield Label("Depth", classes="section")
        yield choice_field("How hard are they hit?", "depth.level", Depth)
        yield text_field("What can't they do?", "depth.workflow_impact")
        yield Label("Duration", classes="section")
        yield text_field("Customer waiting since (YYYY-MM-DD HH:MM)", "timeline.customer_waiting_since")
        yield text_field("SLA due (YYYY-MM-DD HH:MM)", "timeline.sla_due")
        yield Label("Revenue", classes="section")
        yield text_field("ARR at risk", "revenue.arr_at_risk")
        yield text_field("Pending deals affected", "revenue.pending_deals")
        yield Label("Reputation", classes="section")
        yield flag_field("Could become public", "reputation.public_risk")
        yield flag_field("Reference customer", "reputation.reference_customer")
        yield text_field("Reputation note", "reputation.note")
        yield Label("Contract", classes="section")
        yield choice_field("SLA status", "contract.sla_status", SlaStatus)
        yield text_field("Obligations", "contract.obligations")
        yield text_field("Customer updates every (hours, per contract)", "contract.customer_update_hours")
        yield Label("Security", classes="section")
        yield text_field("Containment steps already taken", "security.containment")
        yield Label("Facts that decide escalation", classes="section")
        for name, label in FLAG_LABELS:
            yield flag_field(label, f"flags.{name}")

    def compose_panels(self) -> ComposeResult:
        yield AssessmentPanel(self.editor.assessment, id="assessment")

    def refresh_panels(self) -> None:
        self.query_one(AssessmentPanel).show(self.editor.assessment)

    def action_override(self) -> None:
        from tui.screens.override import OverrideScreen

        self.app.push_screen(OverrideScreen())
