"""A knowledge-base article drafted from a closed escalation, in Markdown, ready to paste.

Its sections, in order: Problem, Symptoms, Cause, Fix or workaround, Affected, Related tickets. The
cause comes from the closing event (the resolution's text, the de-escalation's note); a section the
case cannot fill gets a line telling the author what to write. Every piece of user text goes
through `tui.render.escape`, so none of it can add a heading, a link, a list or HTML.
"""

from __future__ import annotations

from tui.domain.lifecycle import DeEscalationReason, Event, EventKind
from tui.domain.models import ContextKind, Escalation
from tui.render.escape import guard_line_start, md_block, md_inline, md_line, md_reference

SECTIONS: tuple[str, ...] = ("Problem", "Symptoms", "Cause", "Fix or workaround", "Affected", "Related tickets")
UNTITLED = "Untitled problem"


def _fill_in(what: str) -> str:
    return f"_To fill in: {what}._"


def kb_article(escalation: Escalation, events: list[Event]) -> str:
    """The article for `escalation`, whose log is `events` (oldest first; the closing event may be
    the last, not yet stored)."""
    closing = next((event for event in reversed(events)
                    if event.kind in (EventKind.RESOLVED, EventKind.DE_ESCALATED)), None)
    title = md_line(escalation.summary) or UNTITLED
    parts = [
        f"# {title}",
        _section("Problem", _problem(escalation)),
        _section("Symptoms", _symptoms(escalation)),
        _section("Cause", _cause(closing)),
        _section("Fix or workaround", _fix(escalation, closing)),
        _section("Affected", _affected(escalation)),
        _section("Related tickets", _related(escalation, events)),
    ]
    return "\n\n".join(parts) + "\n"


def _section(heading: str, body: list[str]) -> str:
    return "\n".join([f"## {heading}", "", *body])


def _problem(escalation: Escalation) -> list[str]:
    description = md_block(escalation.problem.description)
    if description:
        return [description]
    summary = md_line(escalation.summary)
    return [summary] if summary else [_fill_in("what the customer could not do")]


def _symptoms(escalation: Escalation) -> list[str]:
    repro = escalation.reproduction
    items = [
        ("What happens", repro.actual),
        ("Expected", repro.expected),
        ("How often", repro.frequency_detail or (repro.frequency.label if repro.frequency.value != "unknown" else "")),
        ("Workflow impact", escalation.depth.workflow_impact),
    ]
    lines = [f"- **{label}:** {md_inline(value)}" for label, value in items if value.strip()]
    return lines or [_fill_in("what users see when it happens: errors, messages, wrong results")]


def _cause(closing: Event | None) -> list[str]:
    if closing is None:
        return [_fill_in("the root cause")]
    lines: list[str] = []
    if closing.de_escalation is not None:
        lines.append(f"Closed in support: {closing.de_escalation.label}.")
    text = md_block(closing.text or closing.reason)
    if text:
        lines += [text] if not lines else ["", text]
    if not text or closing.de_escalation is DeEscalationReason.RESOLVED_ITSELF:
        lines += ([""] if lines else []) + [_fill_in("the root cause")]
    learned = [entry.note for entry in closing.checklist if entry.step.value == "record_learnings" and entry.done
               and entry.note.strip()]
    if learned:
        lines += ["", f"**Learned:** {md_inline(learned[0])}"]
    return lines


def _fix(escalation: Escalation, closing: Event | None) -> list[str]:
    workaround = md_block(escalation.problem.workaround)
    lines = [f"Workaround: {workaround}"] if workaround else []
    if closing is not None and closing.kind is EventKind.RESOLVED and closing.text.strip():
        lines += [""] * bool(lines) + ["The fix is described under Cause."]
    return lines or [_fill_in("the fix, or how to work around the problem until it is fixed")]


def _affected(escalation: Escalation) -> list[str]:
    items = [
        ("Environment", escalation.reproduction.environment),
        ("Plan", escalation.customer.plan),
        ("Segment", escalation.customer.segment or escalation.breadth.segment),
    ]
    lines = [f"- **{label}:** {md_inline(value)}" for label, value in items if value.strip()]
    return lines or [_fill_in("the versions, environments and plans affected")]


def _related(escalation: Escalation, events: list[Event]) -> list[str]:
    lines = []
    for item in escalation.context:
        if item.kind is not ContextKind.TICKET or not (item.title.strip() or item.reference.strip()):
            continue
        title, reference = md_inline(item.title), md_reference(item.reference)
        lines.append("- " + guard_line_start(f"{title} ({reference})" if title and reference else title or reference))
    linked = sorted({number for event in events if event.kind is EventKind.LINKED for number in event.linked})
    lines += [f"- escalation #{number}" for number in linked]
    return lines or ["- _None recorded_"]
