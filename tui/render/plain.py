"""The escalation brief as plain text, in the plain-text variant's order and with its labels.

Sections are upper-case lines separated by a blank line. Beyond the variant, the header also
carries ``Reported by:`` and ``Date:`` and the impact list ``Reputation:`` and ``Time in queue:``,
and the lines the Markdown brief adds once filled (``Demand:``, the description's notes,
``Urgency:``, the account's context) appear in the same places, so both hold the same facts.
Single-line values are collapsed to one line; in the description, a line that reads as a section
heading or as the title is indented by two spaces.

A case that stays in support gets the support note instead, with the Markdown note's sections.
"""

from __future__ import annotations

from datetime import date

from tui.domain.models import Escalation, Target
from tui.domain.triage import Assessment, VerdictKind
from tui.render import fields, support
from tui.render.audience import Audience, ordered_context, reader
from tui.render.escape import collapse, plain_block

PLACEHOLDER = "(not provided)"
EMPTY_LIST = "- (nothing recorded yet)"
TITLE_PREFIX = "ESCALATION: "

SECTIONS: tuple[str, ...] = (
    "IMPACT",
    "ISSUE DESCRIPTION",
    "REPRODUCTION STEPS",
    "WHAT'S BEEN TRIED",
    "CUSTOMER COMMUNICATION",
    "WHAT'S NEEDED",
    "SUPPORTING CONTEXT",
)
"""The section headings, in order; REPRODUCTION STEPS only when it applies."""

# Description lines that would read as one of these are indented.
_RESERVED = frozenset((*SECTIONS, "REPRODUCTION STEPS (FOR BUGS)"))

NOTE_TITLE_PREFIX = "SUPPORT NOTE: "
NOTE_SECTIONS: tuple[str, ...] = (
    "WHY IT STAYS IN SUPPORT",
    "ISSUE DESCRIPTION",
    "WORKAROUND OR ANSWER",
    "WHAT'S BEEN TRIED",
    "REPLY TO THE CUSTOMER",
)
"""The support note's section headings, in order."""
MISSING_ANSWER = "(add the workaround or the answer here before sending)"
# A line of text that reads as a heading or title of either kind of brief is indented in both: a
# brief is read beside the other kind, and a case can move from one kind to the other.
_RESERVED = _RESERVED | frozenset(NOTE_SECTIONS)
_TITLES = (TITLE_PREFIX.strip(), NOTE_TITLE_PREFIX.strip())


def _or(value: str) -> str:
    return value or PLACEHOLDER


def _when_filled(label: str, value: str) -> list[str]:
    """A labelled list item, or nothing while its value is empty."""
    return [f"- {label}: {value}"] if value else []


def _numbered(out: list[str], items: list[str]) -> None:
    out += fields.numbered(items, EMPTY_LIST)


def _reproduction(out: list[str], esc: Escalation, audience: Audience) -> None:
    out += fields.reproduction_section(esc.reproduction, "REPRODUCTION STEPS", collapse, PLACEHOLDER, EMPTY_LIST,
                                       audience=audience)


def _block(value: str) -> str:
    return plain_block(value, _RESERVED, _TITLES)


def render_support_note(esc: Escalation, assessment: Assessment, today: date) -> str:
    """The support note as plain text, ending with a newline."""
    text = collapse
    out = [
        f"{NOTE_TITLE_PREFIX}{_or(text(esc.summary))}",
        f"Customer: {_or(support.customer_line(esc.customer, text))}",
        f"Reported by: {_or(fields.reporter_phrase(esc.reporter, text))}",
        f"Date: {fields.brief_date(esc, today).isoformat()}",
        "",
        "WHY IT STAYS IN SUPPORT",
        *(f"- {collapse(reason)}" for reason in assessment.verdict.reasons),  # a reason may quote the case
        "",
        "ISSUE DESCRIPTION",
        _or(_block(esc.problem.description)),
        "",
        "WORKAROUND OR ANSWER",
        *([f"- {answer}" for answer in support.answers(esc, text, text)] or [EMPTY_LIST]),
        "",
        "WHAT'S BEEN TRIED",
    ]
    _numbered(out, fields.tried_steps(esc.tried, text, PLACEHOLDER))
    out += ["", "REPLY TO THE CUSTOMER"]
    for paragraph in support.reply(esc, text, text, MISSING_ANSWER):
        out += [_block(paragraph), ""]
    return "\n".join(out[:-1]) + "\n"


def render_plain(esc: Escalation, assessment: Assessment, today: date,
                 audience: Target | None = None) -> str:
    """The whole brief as plain text, ending with a newline: the escalation brief written for
    `audience` (see `tui.render.audience`; None: the brief as the export has always made it), or
    the support note when the case stays in support."""
    if assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        return render_support_note(esc, assessment, today)
    for_whom = reader(audience, assessment.target.effective)
    text = collapse
    comm = esc.communication
    out = [
        f"{TITLE_PREFIX}{_or(text(esc.summary))}",
        f"Severity: {fields.severity_phrase(assessment.severity, text)}",
        f"Target: {fields.target_phrase(assessment.target, text)}",
        f"Reported by: {_or(fields.reporter_phrase(esc.reporter, text))}",
        f"Date: {fields.brief_date(esc, today).isoformat()}",
        "",
        "IMPACT",
        f"- Customers affected: {_or(fields.customers_affected(esc, text))}",
        f"- Workflow impact: {_or(fields.workflow_impact(esc.depth, text))}",
        f"- Revenue at risk: {_or(fields.revenue_at_risk(esc.revenue, text))}",
        f"- SLA status: {_or(fields.sla_status(esc.contract, esc.timeline, text))}",
        f"- Reputation: {_or(fields.reputation(esc, text))}",
        f"- Time in queue: {_or(fields.time_in_queue(esc.timeline, today))}",
        *_when_filled("Demand", fields.demand_line(esc.product, text, for_whom, PLACEHOLDER)),
        "",
        "ISSUE DESCRIPTION",
        _or(_block(esc.problem.description)),
        *fields.description_notes(esc, text, for_whom, PLACEHOLDER),
    ]
    if fields.shows_reproduction(esc, for_whom.target):
        _reproduction(out, esc, for_whom)
    out += ["", "WHAT'S BEEN TRIED"]
    _numbered(out, fields.tried_steps(esc.tried, text, PLACEHOLDER))
    out += [
        "",
        "CUSTOMER COMMUNICATION",
        f"- Last update: {_or(fields.last_update(comm, text))}",
        f"- Customer expectation: {_or(text(comm.customer_expectation))}",
        f"- Escalation risk: {_or(text(comm.escalation_risk))}",
        "",
        "WHAT'S NEEDED",
        f"- {_or(fields.ask_phrase(esc.ask, text))}",
        f"- Deadline: {_or(fields.deadline(esc.ask))}",
        *(line for label, value in fields.needed_notes(esc, text, for_whom, PLACEHOLDER)
          for line in _when_filled(label, value)),
        "",
        "SUPPORTING CONTEXT",
    ]
    context = [fields.account_context(esc, text, for_whom, PLACEHOLDER),
               *fields.context_items(ordered_context(esc.context, for_whom), text, text)]
    out.extend([f"- {item}" for item in context if item] or [EMPTY_LIST])
    return "\n".join(out) + "\n"
