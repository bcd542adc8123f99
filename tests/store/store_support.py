"""Helpers the store tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.domain.models import Customer, Escalation, Reporter, Severity, Target
from tui.store.drafts import DraftStore

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def escalated(store: DraftStore, summary: str = "Checkout returns HTTP 500") -> int:
    """A case for Acme, reported by Dana, escalated to Engineering as High at NOW."""
    draft_id = store.create(Escalation(summary=summary, customer=Customer(name="Acme"),
                                       reporter=Reporter(name="Dana")), NOW)
    store.escalate(draft_id, f"Brief: {summary}", Severity.HIGH, Target.ENGINEERING, "Dana", NOW)
    return draft_id
