"""The one table of fields: which part of the Escalation each input edits, how, and on which step.

Screens compose their forms from it, the command palette lists it, `step_for` finds the step that
holds a field, and the brief's flag wording reads it. Nothing else declares fields; a test checks
that every part of the model a person fills in appears here exactly once. The few texts typed
outside the forms (the brief's own text, an override's reason) are named in `OUTSIDE_FORMS`, so that
a quality check can point at them too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class FieldKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"
    FLAG = "flag"
    LIST = "list"


class Column(NamedTuple):
    """One column of a list of records: the record's field and what to type there. A column whose
    field is an enum is a choice of its values."""

    name: str
    hint: str


class FieldSpec(NamedTuple):
    path: str  # dotted path into the Escalation ("customer.arr")
    label: str
    kind: FieldKind
    step: str  # "intake", "context", "impact" or "repro"
    section: str
    hint: str = ""  # shown in an empty input: an example of what to type
    columns: tuple[Column, ...] = ()  # a list of records; empty for a list of text lines


STEP_IDS = ("intake", "context", "impact", "repro")

_T, _L, _N, _M = FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.NUMBER, FieldKind.MONEY
_D, _DT, _C, _F, _LS = FieldKind.DATE, FieldKind.DATETIME, FieldKind.CHOICE, FieldKind.FLAG, FieldKind.LIST


def _on(step: str, section: str, *rows: tuple[str, str, FieldKind] | tuple[str, str, FieldKind, str]
        ) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(row[0], row[1], row[2], step, section, *row[3:]) for row in rows)


FORM: tuple[FieldSpec, ...] = (
    *_on("intake", "The problem",
         ("summary", "Summary (one line)", _T, "e.g. Data export is missing rows for 3 customers"),
         ("problem.nature", "What kind of problem is it?", _C),
         ("problem.bug_confirmed", "Bug confirmed (reproduced, or clearly not account-specific)", _F),
         ("problem.description", "What is broken or needed (3–5 sentences)", _L),
         ("problem.why_now", "Why escalate now?", _T, "what makes this urgent beyond normal support")),
    *_on("intake", "Customer",
         ("customer.name", "Customer", _T, "company name"),
         ("customer.segment", "Segment", _T, "e.g. Enterprise"),
         ("customer.plan", "Plan", _T, "e.g. Business Annual"),
         ("customer.arr", "ARR", _M, "e.g. 120000 or 120k"),
         ("customer.key_account", "Key account", _F),
         ("customer.notes", "Account context (contacts, history, renewal)", _T,
          "e.g. renews 15 Dec; second escalation this year")),
    *_on("intake", "Who is affected",
         ("breadth.customer_count", "Customers affected (count)", _N, "e.g. 3"),
         ("breadth.user_count", "Users affected (count)", _N, "e.g. 40"),
         ("breadth.segment", "Affected segment", _T, "e.g. Enterprise"),
         ("breadth.whole_segment", "Every customer in that segment is affected", _F),
         ("breadth.growing", "The number affected is growing", _F),
         ("breadth.named_customers", "Other customers affected", _LS, "customer name")),
    *_on("intake", "Since when, and what was tried",
         ("timeline.issue_started", "Issue started", _D, "YYYY-MM-DD"),
         ("tried", "What has been tried (action → result)", _LS),
         ("problem.workaround", "Workaround or answer for the customer", _T,
          "e.g. export one week at a time until the fix ships")),
    *_on("context", "Supporting context",
         ("context", "Supporting context", _LS)),
    *_on("impact", "Depth",
         ("depth.level", "How hard are they hit?", _C),
         ("depth.workflow_impact", "What can't they do?", _T, "the task customers cannot get done")),
    *_on("impact", "Duration",
         ("timeline.customer_waiting_since", "Customer waiting since", _DT, "YYYY-MM-DD HH:MM"),
         ("timeline.sla_due", "SLA due", _DT, "YYYY-MM-DD HH:MM")),
    *_on("impact", "Revenue",
         ("revenue.arr_at_risk", "ARR at risk", _M, "e.g. 120000 or 120k"),
         ("revenue.pending_deals", "Pending deals affected", _T)),
    *_on("impact", "Reputation",
         ("reputation.public_risk", "Could become public", _F),
         ("reputation.reference_customer", "Reference customer", _F),
         ("reputation.note", "Reputation note", _T)),
    *_on("impact", "Contract",
         ("contract.sla_status", "SLA status", _C),
         ("contract.obligations", "Obligations", _T, "what the contract promises"),
         ("contract.customer_update_hours", "Customer updates every (hours, per contract)", _N, "e.g. 4")),
    *_on("impact", "Security",
         ("security.observed", "What was observed", _T, "e.g. invoices of another workspace in an export"),
         ("security.affected", "Who or what may be affected", _T, "accounts, data or systems"),
         ("security.containment", "Containment steps already taken", _T),
         ("security.urgency", "How urgent, and why", _T, "e.g. still exposed; auditor visit on Friday")),
    *_on("impact", "Product request",
         ("product.use_case", "What the customer is trying to get done", _T),
         ("product.request_count", "Customers who asked for it (count)", _N, "e.g. 14"),
         ("product.competitive_pressure", "Competitive pressure", _T, "e.g. a competitor in the renewal offers it")),
    *_on("impact", "Facts that decide escalation",
         ("flags.production_down", "Production is down", _F),
         ("flags.data_integrity_at_risk", "Data integrity is at risk", _F),
         ("flags.security_breach", "Data exposed or unauthorized access happened", _F),
         ("flags.churn_threat", "Customer is threatening to leave", _F),
         ("flags.executive_involvement_requested", "Customer asked for executive involvement", _F),
         ("flags.policy_exception", "Needs an exception to policy", _F),
         ("flags.pr_legal_risk", "PR or legal risk", _F),
         ("flags.cross_functional_decision", "Needs a cross-functional decision", _F),
         ("flags.recurring_after_fix", "Came back after a supposed fix", _F),
         ("flags.worsening", "Getting worse over time", _F),
         ("flags.beyond_support_diagnosis", "Beyond what support can diagnose", _F),
         ("flags.needs_access_support_lacks", "Needs access support does not have", _F),
         ("flags.custom_implementation", "Involves a custom implementation", _F),
         ("flags.needs_code_change", "Needs a code change", _F),
         ("flags.support_channels_stalled", "Normal support channels are not progressing", _F),
         ("flags.documented_workaround", "A documented workaround or solution exists", _F),
         ("flags.resolved_in_support_before", "Similar tickets were resolved in support", _F)),
    *_on("repro", "Reproduction",
         ("reproduction.starting_state", "Starting state (account, configuration, permissions)", _T),
         ("reproduction.steps", "Steps", _LS, "one concrete action"),
         ("reproduction.expected", "Expected", _T),
         ("reproduction.actual", "Actual", _T),
         ("reproduction.environment", "Environment (browser, OS, plan, flags)", _T),
         ("reproduction.frequency", "How often", _C),
         ("reproduction.frequency_detail", "Frequency detail", _T),
         ("reproduction.evidence", "Evidence (exact errors, logs, screenshots)", _LS, "one piece of evidence"),
         ("reproduction.ruled_out", "Ruled out", _LS, "one cause excluded")),
    *_on("repro", "Customer communication",
         ("communication.last_update", "Last update to the customer", _DT, "YYYY-MM-DD HH:MM"),
         ("communication.last_update_summary", "What was said", _T),
         ("communication.customer_expectation", "Customer expectation", _T),
         ("communication.escalation_risk", "Escalation risk", _T)),
    *_on("repro", "What's needed",
         ("ask.kind", "Ask", _C),
         ("ask.text", "The specific ask", _T, "e.g. find the root cause of the dropped rows"),
         ("ask.deadline", "Deadline", _DT, "YYYY-MM-DD HH:MM")),
    *_on("repro", "Reported by",
         ("reporter.name", "Your name", _T),
         ("reporter.team", "Your team", _T)),
)

# The columns of the lists of records (a list of text lines has none).
_COLUMNS = {
    "tried": (Column("action", "what was done"), Column("result", "what happened")),
    "context": (Column("title", "title"), Column("reference", "ticket id or URL"),
                Column("excerpt", "the line that matters"), Column("kind", "")),
}
FORM = tuple(spec._replace(columns=_COLUMNS.get(spec.path, ())) for spec in FORM)

_BY_PATH = {spec.path: spec for spec in FORM}

# Text of the case edited outside the forms (no form field, so no FieldSpec): the label a person knows
# it by, and the step that edits it (the Brief's text editor; the override dialog of the Impact step).
OUTSIDE_FORMS: dict[str, tuple[str, str]] = {
    "edited_brief": ("Brief text (edited by hand)", "brief"),
    "severity_override": ("Reason for the override", "impact"),
    "target_override": ("Reason for the override", "impact"),
}


def spec_for(path: str) -> FieldSpec | None:
    """The field that edits `path`, or holds it (a list holds "tried.0.action")."""
    while path:
        spec = _BY_PATH.get(path)
        if spec is not None:
            return spec
        path = path.rpartition(".")[0]
    return None


def step_for(path: str) -> str:
    """The step that edits `path`: the one whose form holds it, or for the brief's own text and an
    override's reason the step that edits them (see `OUTSIDE_FORMS`); the first step for a path
    nothing edits."""
    spec = spec_for(path)
    if spec is not None:
        return spec.step
    outside = OUTSIDE_FORMS.get(path.partition(".")[0])
    return outside[1] if outside is not None else STEP_IDS[0]


def fields_on(step: str) -> tuple[FieldSpec, ...]:
    return tuple(spec for spec in FORM if spec.step == step)


def label_of(path: str) -> str:
    """The label a person sees for `path` (the path itself when nothing edits it)."""
    spec = spec_for(path)
    if spec is not None:
        return spec.label
    outside = OUTSIDE_FORMS.get(path.partition(".")[0])
    return outside[0] if outside is not None else path
