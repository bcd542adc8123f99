"""Handing a planned send to the outbox: the brief version it carries, the escalation it belongs to,
and the findings the agent let through, each written down before anything leaves."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tui.domain.lifecycle import Event, EventKind, Status
from tui.store.schema import storable

if TYPE_CHECKING:
    from tui.domain.triage import Assessment
    from tui.send.plan import SendPlan
    from tui.store.drafts import DraftStore
    from tui.store.outbox import OutboxItem


def planned_version(store: DraftStore, draft_id: int, brief_text: str) -> int:
    """The brief version a send made now would carry: 1 for a draft (sending hands it over), else the
    latest kept version, or the next one when the text changed since."""
    if store.record(draft_id).status is Status.DRAFT:
        return 1
    versions = store.versions(draft_id)
    if not versions:
        return 1
    latest = versions[-1]
    return latest.number if latest.text == storable(brief_text) else latest.number + 1


def hand_over(store: DraftStore, draft_id: int, brief_text: str, assessment: Assessment, who: str,
              now: datetime) -> tuple[int, bool]:
    """Make the brief being sent a kept version: a draft is marked escalated with it (version 1, the
    clocks start), an escalation keeps it as its next version when it changed. The version's number,
    and whether the case was escalated by this."""
    if store.record(draft_id).status is Status.DRAFT:
        store.escalate(draft_id, brief_text, assessment.severity.effective, assessment.target.effective, who, now)
        return 1, True
    number = store.add_version(draft_id, brief_text, who, now)
    if number is not None:
        return number, False
    versions = store.versions(draft_id)
    return (versions[-1].number if versions else 1), False


def queue(store: DraftStore, draft_id: int, plan: SendPlan, who: str, now: datetime) -> list[tuple[OutboxItem, bool]]:
    """Log each finding the agent kept, then write each payload to the outbox (a payload already there,
    by its idempotency key, is not written twice). The items, each with whether it is new."""
    for finding in plan.findings:
        reason = plan.kept.get(finding.key)
        if reason:
            store.log(draft_id, Event(kind=EventKind.FINDING_KEPT, at=now, who=who,
                                      text=f"{finding.kind} in {finding.field}, line {finding.line} "
                                           f"({finding.preview})", reason=reason))
    queued = []
    for planned in plan.planned:
        payload = planned.payload
        if payload is None:
            continue
        queued.append(store.enqueue(draft_id, payload.destination, payload.type, payload.title, payload.body,
                                    payload.idempotency_key, plan.version, now))
    return queued
