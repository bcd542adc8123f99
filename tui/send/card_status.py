"""The one line a sent card shows above the brief, said from the escalation's events: who has it,
what they asked, what changed, whether it waits for an approval, or that it is closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from tui.domain.lifecycle import Approval, Event, EventKind, Status, replay
from tui.domain.models import Severity, Target


@dataclass(frozen=True, slots=True)
class CardStatus:
    line: str
    buttons: bool  # the Acknowledge / Take / Need info buttons: only while the escalation is open


def _clock(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M %Z").strip()


def _last(events: Sequence[Event], *kinds: EventKind) -> tuple[int, Event] | None:
    for index in range(len(events) - 1, -1, -1):
        if events[index].kind in kinds:
            return index, events[index]
    return None


def _label(value: str, kind: type[Severity] | type[Target]) -> str:
    try:
        return kind(value).label
    except ValueError:
        return value


def card_status(events: Sequence[Event], zone: tzinfo = UTC) -> CardStatus:
    """What the card of an escalation with these events (oldest first) shows now."""
    state = replay(list(events))
    if state.status in (Status.RESOLVED, Status.DE_ESCALATED):
        closing = _last(events, EventKind.RESOLVED, EventKind.DE_ESCALATED)
        when = f" · {_clock(closing[1].at, zone)}" if closing else ""
        return CardStatus(f"{state.status.label}{when}", buttons=False)
    parts: list[str] = []
    answered = _last(events, EventKind.TAKEN, EventKind.ACKNOWLEDGED)
    reopened = _last(events, EventKind.REOPENED)
    if reopened and (answered is None or reopened[0] > answered[0]):
        parts.append(f"Reopened · {_clock(reopened[1].at, zone)}")
    elif state.owner:
        taken = _last(events, EventKind.TAKEN)
        parts.append(f"Taken by {state.owner}" + (f" · {_clock(taken[1].at, zone)}" if taken else ""))
    elif state.acknowledged_by and answered:
        parts.append(f"Acknowledged by {state.acknowledged_by} · {_clock(answered[1].at, zone)}")
    asked = _last(events, EventKind.NEED_INFO)
    if asked and (answered is None or asked[0] > answered[0]) and (reopened is None or asked[0] > reopened[0]):
        question = f": {asked[1].text}" if asked[1].text.strip() else ""
        parts.append(f"Need info from {asked[1].who or 'the team'}{question}")
    changed = _last(events, EventKind.SEVERITY_CHANGED)
    if changed and changed[1].severity is not None:
        parts.append(f"Severity {_label(changed[1].previous, Severity)} → {changed[1].severity.label}")
    moved = _last(events, EventKind.TARGET_CHANGED)
    if moved and moved[1].target is not None:
        parts.append(f"Now with {moved[1].target.label}")
    decided = _last(events, EventKind.APPROVED, EventKind.REJECTED)
    if state.approval is Approval.NEEDED:
        parts.append("Approval needed")
    elif state.approval is Approval.APPROVED and decided:
        parts.append(f"Approved by {decided[1].who}")
    elif state.approval is Approval.REJECTED and decided:
        parts.append(f"Approval rejected by {decided[1].who}")
    return CardStatus(" · ".join(parts), buttons=True)
