"""The escalation brief as Markdown, in the seed template's order and with its labels.

Lines added to the seed's Markdown template, inside its sections and never reordering them:
``**SLA status:**`` (from the plain-text variant) and ``**Reputation:**`` (an impact dimension the
template has no line for) after ``**Revenue at risk:**``, always shown; and, only once filled, what
the receiving team asks for: ``**Demand:**`` at the end of Impact (Product), notes under the
description (use case, what was observed, who may be affected, containment, workaround),
``**Urgency:**`` under What's Needed (Security) and the account's context first under Supporting
Context (L2, Leadership). The Reproduction Steps section appears for bug-like problems, for
Engineering, or once any reproduction detail is filled in. Every piece of user text goes through
``tui.render.escape`` so it can never add a heading, list, rule, code block, HTML or emphasis.

A case that stays in support gets a support note instead of an escalation: no target, severity or
cadence, but why it stays, the workaround or article, what was tried and a reply to the customer.
"""

from __future__ import annotations

from datetime import date

from tui.domain.models import Escalation, Target
from tui.domain.triage import Assessment, VerdictKind
from tui.render import fields, support
from tui.render.audience import Audience, ordered_context, reader
from tui.render.escape import guard_line_start, md_block, md_inline, md_line, md_reference

PLACEHOLDER = "_Not provided_"
EMPTY_LIST = "- _Nothing recorded yet_"
TITLE_PREFIX = "ESCALATION: "

SECTIONS: tuple[str, ...] = (
    "Impact",
    "Issue Description",
    "What's Been Tried",
    "Reproduction Steps",
    "Customer Communication",
    "What's Needed",
    "Supporting Context",
)
"""The level-3 headings, in order; Reproduction Steps only when it applies."""

LABELS: tuple[str, ...] = (
    "Severity:",
    "Target team:",
    "Reported by:",
    "Date:",
    "Customers affected:",
    "Workflow impact:",
    "Revenue at risk:",
    "SLA status:",
    "Reputation:",
    "Time in queue:",
    "Demand:",
    "Last update to customer:",
    "Customer expectation:",
    "Escalation risk:",
    "Deadline:",
    "Urgency:",
)
"""Every bold label the brief can contain."""

NOTE_TITLE_PREFIX = "SUPPORT NOTE: "
NOTE_SECTIONS: tuple[str, ...] = (
    "Why It Stays in Support",
    "Issue Description",
    "Workaround or Answer",
    "What's Been Tried",
    "Reply to the Customer",
)
"""The support note's level-3 headings, in order."""
NOTE_LABELS: tuple[str, ...] = ("Customer:", "Reported by:", "Date:")
"""Every bold label the support note contains."""
MISSING_ANSWER = "_Add the workaround or the answer here before sending._"


def _or(value: str) -> str:
    return value or PLACEHOLDER


def _when_filled(label: str, value: str) -> list[str]:
    """A labelled list item, or nothing while its value is empty."""
    return [f"- **{label}:** {value}"] if value else []


def _numbered(out: list[str], items: list[str]) -> None:
    out += fields.numbered(items, EMPTY_LIST, guard_line_start)


def _reproduction(out: list[str], esc: Escalation, audience: Audience) -> None:
    out += fields.reproduction_section(esc.reproduction, "### Reproduction Steps", md_inline, PLACEHOLDER,
                                       EMPTY_LIST, guard_line_start, gap=True, audience=audience)


def render_support_note(esc: Escalation, assessment: Assessment, today: date) -> str:
    """The support note as CommonMark text, ending with a newline."""
    text = md_inline
    out = [
        f"## {NOTE_TITLE_PREFIX}{_or(text(esc.summary))}",
        f"**Customer:** {_or(support.customer_line(esc.customer, text))}",
        f"**Reported by:** {_or(fields.reporter_phrase(esc.reporter, text))}",
        f"**Date:** {fields.brief_date(esc, today).isoformat()}",
        "",
        "### Why It Stays in Support",
        *(f"- {md_line(reason)}" for reason in assessment.verdict.reasons),  # a reason may quote the case
        "",
        "### Issue Description",
        _or(md_block(esc.problem.description)),
        "",
        "### Workaround or Answer",
        *([f"- {answer}" for answer in support.answers(esc, text, md_reference)] or [EMPTY_LIST]),
        "",
        "### What's Been Tried",
    ]
    _numbered(out, fields.tried_steps(esc.tried, text, PLACEHOLDER))
    out += ["", "### Reply to the Customer"]
    for paragraph in support.reply(esc, text, md_reference, MISSING_ANSWER):
        out += [*map(guard_line_start, paragraph.split("\n")), ""]
    return "\n".join(out[:-1]) + "\n"


def render_markdown(esc: Escalation, assessment: Assessment, today: date,
                    audience: Target | None = None) -> str:
    """The whole brief as CommonMark text, ending with a newline: the escalation brief written for
    `audience` (see `tui.render.audience`; None: the brief as the export has always made it), or
    the support note when the case stays in support."""
    if assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        return render_support_note(esc, assessment, today)
    for_whom = reader(audience, assessment.target.effective)
    text = md_inline
    comm = esc.communication
    out = [
        f"## {TITLE_PREFIX}{_or(text(esc.summary))}",
        f"**Severity:** {fields.severity_phrase(assessment.severity, text)}",
        f"**Target team:** {fields.target_phrase(assessment.target, text)}",
        f"**Reported by:** {_or(fields.reporter_phrase(esc.reporter, text))}",
        f"**Date:** {fields.brief_date(esc, today).isoformat()}",
        "",
        "### Impact",
        f"- **Customers affected:** {_or(fields.customers_affected(esc, text))}",
        f"- **Workflow impact:** {_or(fields.workflow_impact(esc.depth, text))}",
        f"- **Revenue at risk:** {_or(fields.revenue_at_risk(esc.revenue, text))}",
        f"- **SLA status:** {_or(fields.sla_status(esc.contract, esc.timeline, text))}",
        f"- **Reputation:** {_or(fields.reputation(esc, text))}",
        f"- **Time in queue:** {_or(fields.time_in_queue(esc.timeline, today))}",
        *_when_filled("Demand", fields.demand_line(esc.product, text, for_whom, PLACEHOLDER)),
        "",
        "### Issue Description",
        _or(md_block(esc.problem.description)),
        *(line for note in fields.description_notes(esc, text, for_whom, PLACEHOLDER)
          for line in ("", guard_line_start(note))),
        "",
        "### What's Been Tried",
    ]
    _numbered(out, fields.tried_steps(esc.tried, text, PLACEHOLDER))
    if fields.shows_reproduction(esc, for_whom.target):
        _reproduction(out, esc, for_whom)
    out += [
        "",
        "### Customer Communication",
        f"- **Last update to customer:** {_or(fields.last_update(comm, text))}",
        f"- **Customer expectation:** {_or(text(comm.customer_expectation))}",
        f"- **Escalation risk:** {_or(text(comm.escalation_risk))}",
        "",
        "### What's Needed",
        f"- {_or(guard_line_start(fields.ask_phrase(esc.ask, text)))}",
        f"- **Deadline:** {_or(fields.deadline(esc.ask))}",
        *(line for label, value in fields.needed_notes(esc, text, for_whom, PLACEHOLDER)
          for line in _when_filled(label, value)),
        "",
        "### Supporting Context",
    ]
    context = [fields.account_context(esc, text, for_whom, PLACEHOLDER),
               *fields.context_items(ordered_context(esc.context, for_whom), text, md_reference)]
    out.extend([f"- {item}" for item in context if item] or [EMPTY_LIST])
    return "\n".join(out) + "\n"
