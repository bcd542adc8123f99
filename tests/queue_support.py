"""Open escalations put straight into a drafts database, for the queue's tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from support import NOW

from tui.domain.models import Customer, Escalation, Reporter, Severity, Target
from tui.store.drafts import DraftStore


def escalated(store: DraftStore, summary: str, customer: str, severity: Severity,
              target: Target = Target.ENGINEERING, ago: timedelta = timedelta(hours=1),
              now: datetime = NOW) -> int:
    """A case escalated `ago` before `now` by Dana; its id."""
    at = now - ago
    esc = Escalation(summary=summary, customer=Customer(name=customer), reporter=Reporter(name="Dana"))
    draft_id = store.create(esc, at)
    store.escalate(draft_id, f"Brief: {summary}", severity, target, "Dana", at)
    return draft_id
