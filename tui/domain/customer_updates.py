"""Drafts of what to tell the customer, written from the escalation and its log.

Three kinds, after the seed's follow-up advice: an interim update ("still investigating — here is
what we know so far"), a status change (priority, ownership or a workaround changed) and a
resolution. The drafts speak to the customer: no severity names (they say how seriously the issue
is taken instead), no team names, no revenue figures, no internal labels. The agent edits the draft
before sending it; the same input always gives the same text.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tui.domain.cadence import follow_up_plan
from tui.domain.lifecycle import DeEscalationReason, Event, EventKind, replay
from tui.domain.models import Escalation, Severity

MAX_FINDINGS = 3  # internal updates quoted in an interim draft, the newest last

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# How seriously the issue is taken, in place of the severity's name.
_SERIOUSNESS = {
    Severity.CRITICAL: "It has our most urgent attention: people are working on it right now.",
    Severity.HIGH: "We are giving it urgent attention, and it is being worked on today.",
    Severity.MEDIUM: "We are taking it seriously and working through it with the people who can fix it.",
}


class UpdateKind(StrEnum):
    INTERIM = "interim"
    STATUS_CHANGE = "status_change"
    RESOLUTION = "resolution"

    @property
    def label(self) -> str:
        return {
            "interim": "Interim: still investigating, what we know so far",
            "status_change": "Status change: priority, ownership or a workaround changed",
            "resolution": "Resolution: what was wrong and how it was fixed",
        }[self.value]


def draft_update(kind: UpdateKind, escalation: Escalation, events: list[Event], now: datetime) -> str:
    """The draft of a customer update of `kind`; `events` oldest first, `now` aware (its zone is the
    one the next update's time is written in)."""
    body = {
        UpdateKind.INTERIM: _interim,
        UpdateKind.STATUS_CHANGE: _status_change,
        UpdateKind.RESOLUTION: _resolution,
    }[kind](escalation, events, now)
    lines = [f"Subject: {_subject(kind, escalation)}", "", _greeting(escalation), "", *body, "", *_sign_off(escalation)]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _subject(kind: UpdateKind, escalation: Escalation) -> str:
    prefix = {UpdateKind.INTERIM: "Update on", UpdateKind.STATUS_CHANGE: "Status change on",
              UpdateKind.RESOLUTION: "Resolved"}[kind]
    summary = _one_line(escalation.summary)
    return f"{prefix}: {summary}" if summary else f"{prefix}: the issue you reported"


def _greeting(escalation: Escalation) -> str:
    name = _one_line(escalation.customer.name)
    return f"Hello {name} team," if name else "Hello,"


def _sign_off(escalation: Escalation) -> list[str]:
    name = _one_line(escalation.reporter.name)
    return ["Kind regards,", name] if name else ["Kind regards,"]


def _issue(escalation: Escalation) -> str:
    summary = _one_line(escalation.summary)
    return f"the issue you reported (“{summary}”)" if summary else "the issue you reported"


def _severity(escalation: Escalation, events: list[Event]) -> Severity:
    """The severity the log says now; the brief's own choice before it was escalated; Medium when
    neither says (the slowest cadence, so no promise is made that the table does not ask for)."""
    current = replay(events).severity
    if current is not None:
        return current
    if escalation.severity_override is not None:
        return escalation.severity_override.value
    return Severity.MEDIUM


def _since_last_customer_update(events: list[Event]) -> list[Event]:
    last = max((index for index, event in enumerate(events) if event.kind is EventKind.CUSTOMER_UPDATED), default=-1)
    return events[last + 1:]


def _when(moment: datetime) -> str:
    """``Thursday 19 November, 14:00 UTC``: the same words in any locale."""
    offset = moment.utcoffset()
    zone = ""
    if offset is not None:
        seconds = int(offset.total_seconds())
        hours, minutes = divmod(abs(seconds) // 60, 60)
        zone = " UTC" if seconds == 0 else f" UTC{'+' if seconds > 0 else '-'}{hours:02d}:{minutes:02d}"
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}, {moment:%H:%M}{zone}"


def _next_update(escalation: Escalation, events: list[Event], now: datetime) -> str:
    """When the customer hears from us next: the latest the cadence allows after this update."""
    plan = follow_up_plan(_severity(escalation, events), now, escalation.contract.customer_update_hours)
    return (f"We will send you our next update by {_when(plan.customer.latest)}, "
            "or sooner if we learn something important.")


def _workaround(escalation: Escalation) -> str:
    return _one_line(escalation.problem.workaround)


def _interim(escalation: Escalation, events: list[Event], now: datetime) -> list[str]:
    lines = [f"We are still investigating {_issue(escalation)}, and want to share where things stand.",
             "", _SERIOUSNESS[_severity(escalation, events)], ""]
    findings = [_one_line(event.text) for event in _since_last_customer_update(events)
                if event.kind is EventKind.UPDATE_LOGGED and event.text.strip()]
    if findings:
        lines += ["What we know so far:", *(f"- {text}" for text in findings[-MAX_FINDINGS:])]
    elif any(event.kind is EventKind.CUSTOMER_UPDATED for event in events):
        lines.append("We have no new findings since our last update, but the work is continuing.")
    else:
        lines.append("We are gathering the details we need to find the cause, and the work is continuing.")
    workaround = _workaround(escalation)
    if workaround:
        lines += ["", f"In the meantime, this should help you keep working: {workaround}"]
    return [*lines, "", _next_update(escalation, events, now), "", "Thank you for your patience."]


def _changes(escalation: Escalation, events: list[Event]) -> list[str]:
    recent = _since_last_customer_update(events)
    changes: list[str] = []
    severity_changes = [event for event in recent if event.kind is EventKind.SEVERITY_CHANGED]
    if severity_changes and severity_changes[-1].severity is not None:
        latest = severity_changes[-1]
        assert latest.severity is not None
        try:
            raised = latest.severity.rank > Severity(latest.previous).rank
        except ValueError:
            raised = True
        verb = "We have raised its priority." if raised else "Now that we understand its impact better, we have " \
            "adjusted its priority."
        changes.append(f"{verb} {_SERIOUSNESS[latest.severity]}")
    if any(event.kind is EventKind.TARGET_CHANGED for event in recent):
        changes.append("We have passed it to the specialists best placed to resolve it.")
    if any(event.kind in (EventKind.ACKNOWLEDGED, EventKind.TAKEN) for event in recent):
        changes.append("The specialists working on it have confirmed it is theirs and are on it.")
    workaround = _workaround(escalation)
    if workaround:
        changes.append(f"A workaround is available while we work on a fix: {workaround}")
    return changes


def _status_change(escalation: Escalation, events: list[Event], now: datetime) -> list[str]:
    lines = [f"There is news on {_issue(escalation)}.", ""]
    changes = _changes(escalation, events)
    if changes:
        lines += ["What has changed:", *(f"- {change}" for change in changes)]
    else:
        lines.append(_SERIOUSNESS[_severity(escalation, events)])
    findings = [_one_line(event.text) for event in _since_last_customer_update(events)
                if event.kind is EventKind.UPDATE_LOGGED and event.text.strip()]
    if findings:
        lines += ["", f"The latest from our investigation: {findings[-1]}"]
    return [*lines, "", _next_update(escalation, events, now)]


def _closing(events: list[Event]) -> Event | None:
    return next((event for event in reversed(events)
                 if event.kind in (EventKind.RESOLVED, EventKind.DE_ESCALATED)), None)


def _resolution(escalation: Escalation, events: list[Event], now: datetime) -> list[str]:
    closing = _closing(events)
    reason = closing.de_escalation if closing is not None else None
    if reason is DeEscalationReason.WORKAROUND:
        opening = f"Good news: we have a way for you to work around {_issue(escalation)}."
    elif reason is DeEscalationReason.RESOLVED_ITSELF:
        opening = f"Good news: {_issue(escalation)} has stopped happening."
    else:
        opening = f"Good news: {_issue(escalation)} is resolved."
    lines = [opening, ""]
    what = "" if closing is None else _one_line(closing.text or closing.reason)
    lines.append(f"What was wrong: {what}" if what else "What was wrong: [say in a sentence what caused it]")
    workaround = _workaround(escalation)
    if reason is DeEscalationReason.WORKAROUND and workaround:
        lines += ["", f"How to work around it: {workaround}"]
    elif workaround and closing is None:
        lines += ["", f"Until the fix reaches you, this workaround still helps: {workaround}"]
    lines += ["", "Thank you for your patience while we worked on this, and for the details you gave us along the "
              "way: they helped us find it.",
              "If you see it happen again, reply to this message and we will pick it up straight away."]
    return lines
