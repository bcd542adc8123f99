"""The approval gate in the store: requested when a gated case is escalated, on the queue's row until
decided, resolving refused in words meanwhile; and a schema 6 database gains the column untouched."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.domain.lifecycle import Approval, Event, EventKind, Status
from tui.domain.models import Ask, AskKind, Customer, Escalation, Flags, Severity, Target
from tui.store.drafts import DraftStore
from tui.store.escalations import EscalationError
from tui.store.schema import SCHEMA_VERSION, why_unusable

T0 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"


def exception_case(store: DraftStore) -> int:
    draft_id = store.create(Escalation(summary="Refund beyond the 30-day window", customer=Customer(name="Acme"),
                                       flags=Flags(policy_exception=True),
                                       ask=Ask(kind=AskKind.APPROVE, text="Approve a 3-month refund")), T0)
    store.escalate(draft_id, "# Brief\n", Severity.HIGH, Target.LEADERSHIP, "Dana", T0)
    return draft_id


def test_escalating_a_gated_case_requests_its_approval(store: DraftStore) -> None:
    draft_id = exception_case(store)
    assert store.record(draft_id).approval is Approval.NEEDED
    request = store.timeline(draft_id)[-1].event
    assert (request.kind, request.who) == (EventKind.APPROVAL_REQUESTED, "Dana")
    assert request.reason == "Leadership must approve the exception to policy: Approve a 3-month refund"
    assert [record.approval for record in store.queue()] == [Approval.NEEDED]


def test_a_case_without_a_gate_has_none(store: DraftStore) -> None:
    draft_id = store.create(Escalation(summary="Exports stall", flags=Flags(policy_exception=True)), T0)
    store.escalate(draft_id, "# Brief\n", Severity.HIGH, Target.ENGINEERING, "Dana", T0)  # overridden target
    assert store.record(draft_id).approval is Approval.NONE
    assert [stored.event.kind for stored in store.timeline(draft_id)] == [EventKind.CREATED, EventKind.ESCALATED]


def test_resolving_waits_for_the_decision(store: DraftStore) -> None:
    draft_id = exception_case(store)
    resolve = Event(kind=EventKind.RESOLVED, at=T0 + timedelta(hours=2), who="Dana", text="refund issued")
    with pytest.raises(EscalationError, match=r"escalation \d+ cannot take this: it waits for an approval"):
        store.log(draft_id, resolve)
    assert store.record(draft_id).status is Status.ESCALATED
    store.log(draft_id, Event(kind=EventKind.APPROVED, at=T0 + timedelta(hours=1), who="Vera", reason="key account"))
    assert store.record(draft_id).approval is Approval.APPROVED
    store.log(draft_id, resolve)
    record = store.record(draft_id)
    assert (record.status, record.approval) == (Status.RESOLVED, Approval.APPROVED)


def test_a_rejection_stays_on_the_row_and_keeps_the_case_open(store: DraftStore) -> None:
    draft_id = exception_case(store)
    store.log(draft_id, Event(kind=EventKind.REJECTED, at=T0 + timedelta(hours=1), who="Vera", reason="not again"))
    assert [(record.id, record.approval, record.status) for record in store.queue()] == [
        (draft_id, Approval.REJECTED, Status.ESCALATED)]


def test_a_released_v6_database_gains_the_approval_column_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    shutil.copy(DATA / "released_v6_gated.sqlite3", path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 6
    tables = ("drafts", "events", "versions", "outbox")
    before = {table: raw.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in tables}
    raw.close()
    assert why_unusable(path) is None
    with DraftStore(path, zone=UTC) as store:
        assert store.moved_aside is None
        record = store.record(1)  # a Leadership exception escalated before gates existed: none is made up
        assert (record.status, record.owner, record.approval) == (Status.TAKEN, "Vera", Approval.NONE)
        store.log(1, Event(kind=EventKind.APPROVAL_REQUESTED, at=T0, who="Dana", reason="refund exception"))
        assert store.record(1).approval is Approval.NEEDED
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
        drafts = raw.execute("SELECT * FROM drafts ORDER BY id").fetchall()
        assert drafts[1][:-1] == before["drafts"][1]  # the untouched draft: only the new column, empty
        assert drafts[1][-1] == ""
        assert raw.execute("SELECT * FROM events ORDER BY id").fetchall()[:-1] == before["events"]
        assert raw.execute("SELECT * FROM versions ORDER BY 1, 2").fetchall() == before["versions"]
        outbox = raw.execute("SELECT * FROM outbox ORDER BY id").fetchall()
        assert [row[:-1] for row in outbox] == before["outbox"]  # schema 7 adds card_event, last, empty
        assert {row[-1] for row in outbox} <= {None}
    finally:
        raw.close()


def test_a_v7_database_without_the_approval_column_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP INDEX drafts_open_by_due")
    raw.execute("ALTER TABLE drafts DROP COLUMN approval")
    raw.commit()
    raw.close()
    assert why_unusable(path) == "is missing parts of its layout (the columns approval of its drafts table)"
