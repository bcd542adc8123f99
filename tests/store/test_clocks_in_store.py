"""Follow-up clocks as the store keeps them on each escalation's row (what the queue and `due` read):
started by escalating, restarted by the matching touch, recomputed on a severity change, shortened by
the contract, counted in business days for Medium, pushed by a snooze, restarted by a reopen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.domain.lifecycle import Event, EventKind, Status
from tui.domain.models import Contract, Customer, Escalation, Severity, Target
from tui.store.drafts import DraftStore
from tui.store.escalations import Record

T = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # a Thursday
FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


def escalated(store: DraftStore, severity: Severity = Severity.HIGH, at: datetime = T,
              contract_hours: int | None = None) -> int:
    esc = Escalation(summary="Checkout times out", customer=Customer(name="Acme"),
                     contract=Contract(customer_update_hours=contract_hours))
    draft_id = store.create(esc, at)
    store.escalate(draft_id, "# Checkout times out\n", severity, Target.ENGINEERING, "Dana", at)
    return draft_id


def dues(record: Record) -> tuple[datetime | None, datetime | None]:
    return record.internal_due, record.customer_due


def log(store: DraftStore, draft_id: int, kind: EventKind, at: datetime, **fields: object) -> None:
    store.log(draft_id, Event(kind=kind, at=at, who="Dana", **fields))


def test_high_is_due_internally_in_4_hours_and_to_the_customer_in_8(store: DraftStore) -> None:
    draft_id = escalated(store)
    record = store.record(draft_id)
    assert dues(record) == (T + hours(4), T + hours(8))
    assert record.next_due == T + hours(4)
    assert record.overdue(T + hours(4)) == []
    assert record.overdue(T + hours(4) + timedelta(minutes=1)) == ["internal"]


def test_logging_an_update_restarts_only_the_internal_clock(store: DraftStore) -> None:
    draft_id = escalated(store)
    log(store, draft_id, EventKind.UPDATE_LOGGED, T + hours(1), text="reproduced on staging")
    assert dues(store.record(draft_id)) == (T + hours(5), T + hours(8))


def test_a_customer_update_restarts_only_the_customer_clock(store: DraftStore) -> None:
    draft_id = escalated(store)
    log(store, draft_id, EventKind.CUSTOMER_UPDATED, T + hours(3), text="still investigating")
    assert dues(store.record(draft_id)) == (T + hours(4), T + hours(11))


def test_a_severity_change_recomputes_both_clocks_from_their_last_touch(store: DraftStore) -> None:
    draft_id = escalated(store)
    log(store, draft_id, EventKind.UPDATE_LOGGED, T + hours(1), text="bisecting")
    log(store, draft_id, EventKind.CUSTOMER_UPDATED, T + hours(2), text="we are on it")
    change = Event(kind=EventKind.SEVERITY_CHANGED, at=T + hours(2.5), who="Sam", severity=Severity.CRITICAL,
                   previous="high", reason="payments fail too")
    store.change(draft_id, change, T + hours(2.5))
    record = store.record(draft_id)
    assert record.severity is Severity.CRITICAL
    assert dues(record) == (T + hours(1 + 2), T + hours(2 + 4))  # Critical: 2 h internal, 4 h customer


def test_a_contract_promising_updates_every_2_hours_shortens_the_customer_clock(store: DraftStore) -> None:
    draft_id = escalated(store, contract_hours=2)
    assert dues(store.record(draft_id)) == (T + hours(4), T + hours(2))
    assert store.record(draft_id).next_due == T + hours(2)


def test_medium_escalated_on_friday_afternoon_is_due_on_monday(store: DraftStore) -> None:
    draft_id = escalated(store, Severity.MEDIUM, at=FRIDAY_4PM)
    internal, customer = dues(store.record(draft_id))
    assert internal == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert FRIDAY_4PM.strftime("%A") == "Friday"
    assert customer == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 2 business days: Tuesday


def test_a_snooze_pushes_next_due_and_hides_overdue_until_it_ends(store: DraftStore) -> None:
    draft_id = escalated(store)
    until = T + hours(12)
    log(store, draft_id, EventKind.SNOOZED, T + hours(1), until=until, reason="vendor answers tomorrow")
    record = store.record(draft_id)
    assert record.next_due == until
    assert record.snoozed_until == until
    assert dues(record) == (T + hours(4), T + hours(8))  # the clocks themselves keep running
    assert record.overdue(T + hours(9)) == []
    assert record.overdue(until + timedelta(minutes=1)) == ["internal", "customer"]


def test_reopening_restarts_both_clocks(store: DraftStore) -> None:
    draft_id = escalated(store)
    log(store, draft_id, EventKind.RESOLVED, T + hours(2), text="config fixed")
    closed = store.record(draft_id)
    assert (closed.status, closed.next_due, closed.closed) == (Status.RESOLVED, None, T + hours(2))
    assert closed.overdue(T + hours(100)) == []
    assert draft_id not in {record.id for record in store.queue()}
    log(store, draft_id, EventKind.REOPENED, T + hours(30), reason="it failed again after the fix")
    record = store.record(draft_id)
    assert (record.status, record.closed) == (Status.ESCALATED, None)
    assert dues(record) == (T + hours(34), T + hours(38))
    assert [row.id for row in store.queue()] == [draft_id]


def test_the_queue_lists_what_is_due_first_at_the_top(store: DraftStore) -> None:
    high = escalated(store)  # due T+4h
    critical = escalated(store, Severity.CRITICAL)  # due T+2h
    contract = escalated(store, contract_hours=1)  # customer due T+1h
    snoozed = escalated(store, Severity.CRITICAL)
    log(store, snoozed, EventKind.SNOOZED, T + hours(0.5), until=T + hours(6), reason="on hold by the customer")
    assert [record.id for record in store.queue()] == [contract, critical, high, snoozed]
    assert [record.id for record in store.queue(limit=2, offset=1)] == [critical, high]
    assert store.open_count() == 4
