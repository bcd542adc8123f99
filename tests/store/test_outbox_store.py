"""The outbox in a real SQLite file: a send is written down once, claimed by one process at a time,
and its outcome lands on the escalation's timeline in the same step."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_support import escalated

from tui.domain.lifecycle import EventKind
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxError, OutboxState
from tui.store.schema import SCHEMA_VERSION, why_unusable

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
DATA = Path(__file__).parent / "data"


def queue(store: DraftStore, draft_id: int, key: str, destination: str = "eng-hook") -> int:
    item, _ = store.enqueue(draft_id, destination, "webhook", f"ESC-{draft_id}", {"summary": key}, key, 1, NOW)
    return item.id


def test_a_second_enqueue_with_the_same_key_returns_the_first_and_adds_nothing(store: DraftStore) -> None:
    draft_id = escalated(store)
    first, new = store.enqueue(draft_id, "eng-hook", "webhook", "ESC-1 v1", {"a": 1}, "esc-1-v1-x", 1, NOW)
    again, new_again = store.enqueue(draft_id, "eng-hook", "webhook", "other title", {"a": 2}, "esc-1-v1-x", 1,
                                     NOW + timedelta(minutes=1))
    assert new
    assert not new_again
    assert again == first
    assert again.body == {"a": 1}
    assert len(store.sends()) == 1


def test_enqueue_for_a_missing_escalation_is_refused(store: DraftStore) -> None:
    with pytest.raises(KeyError):
        store.enqueue(99, "eng-hook", "webhook", "t", {}, "k", 1, NOW)


def test_a_claimed_item_is_not_claimed_again_until_its_lease_runs_out(store: DraftStore) -> None:
    draft_id = escalated(store)
    queue(store, draft_id, "k1")
    assert [item.idempotency_key for item in store.claim_sends("me:1:a", NOW, LEASE)] == ["k1"]
    assert store.claim_sends("other:2:b", NOW + timedelta(seconds=29), LEASE) == []
    [late] = store.claim_sends("other:2:b", NOW + timedelta(seconds=31), LEASE)
    assert late.unclear  # the first holder may have sent it
    assert late.attempts == 2


def test_two_processes_claiming_at_once_get_each_item_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path) as setup:
        draft_id = escalated(setup)
        for number in range(200):
            queue(setup, draft_id, f"k{number}")
    got: dict[str, list[str]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claimer(name: str) -> None:
        with DraftStore(path) as mine:  # its own connection, as another process has
            start.wait()
            while batch := mine.claim_sends(f"host:{name}:x", NOW, LEASE, limit=7):
                got[name].extend(item.idempotency_key for item in batch)
                time.sleep(0.002)  # as a worker does between claims, so the other gets its turn

    threads = [threading.Thread(target=claimer, args=(name,)) for name in got]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = got["a"] + got["b"]
    assert sorted(everything) == sorted(f"k{number}" for number in range(200))
    assert got["a"]
    assert got["b"]


def test_a_delivery_and_its_sent_event_are_written_together(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = queue(store, draft_id, "k1")
    store.claim_sends("me:1:a", NOW, LEASE)
    done = store.send_delivered(item_id, "me:1:a", NOW, "msg-7", "https://chat.example/msg-7")
    assert done is not None
    assert done.state is OutboxState.DELIVERED
    assert done.delivered_at == NOW
    sent = [stored.event for stored in store.timeline(draft_id) if stored.event.kind is EventKind.SENT]
    assert len(sent) == 1
    assert (sent[0].destination, sent[0].link, sent[0].version) == ("eng-hook", "https://chat.example/msg-7", 1)


def test_an_outcome_from_a_holder_that_lost_its_claim_changes_nothing(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = queue(store, draft_id, "k1")
    store.claim_sends("me:1:a", NOW, LEASE)
    store.claim_sends("other:2:b", NOW + timedelta(minutes=5), LEASE)
    assert store.send_delivered(item_id, "me:1:a", NOW + timedelta(minutes=5)) is None
    assert store.send(item_id).state is OutboxState.SENDING
    assert not [e for e in store.timeline(draft_id) if e.event.kind is EventKind.SENT]


def test_a_failure_puts_its_reason_on_the_timeline_and_retry_makes_it_due_again(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = queue(store, draft_id, "k1")
    store.claim_sends("me:1:a", NOW, LEASE)
    failed = store.send_failed(item_id, "me:1:a", NOW, "the webhook refused it (404): fix its URL")
    assert failed is not None
    assert failed.state is OutboxState.FAILED
    [event] = [e.event for e in store.timeline(draft_id) if e.event.kind is EventKind.SEND_FAILED]
    assert event.reason == "the webhook refused it (404): fix its URL"
    later = NOW + timedelta(hours=1)
    retried = store.retry_send(item_id, later)
    assert (retried.state, retried.attempts, retried.next_attempt) == (OutboxState.PENDING, 0, later)
    assert [item.id for item in store.claim_sends("me:1:a", later, LEASE)] == [item_id]


def test_only_a_failed_send_is_retried(store: DraftStore) -> None:
    item_id = queue(store, escalated(store), "k1")
    with pytest.raises(OutboxError, match="only a failed send"):
        store.retry_send(item_id, NOW)


def test_an_uncertain_send_waits_for_a_person_and_their_answer_is_kept(store: DraftStore) -> None:
    draft_id = escalated(store)
    first, second = queue(store, draft_id, "k1"), queue(store, draft_id, "k2", "other-hook")
    store.claim_sends("me:1:a", NOW, LEASE)
    for item_id in (first, second):
        store.send_uncertain(item_id, "me:1:a", NOW, "no answer within 10 s: it may have been delivered")
    assert store.claim_sends("me:1:a", NOW + timedelta(days=1), LEASE) == []  # never re-posted unasked

    arrived = store.resolve_send(first, True, "Dana", "seen in #eng", NOW + timedelta(hours=1))
    assert arrived.state is OutboxState.DELIVERED
    assert (arrived.answered_by, arrived.answer) == ("Dana", "seen in #eng")
    [sent] = [e.event for e in store.timeline(draft_id) if e.event.kind is EventKind.SENT]
    assert (sent.who, sent.destination) == ("Dana", "eng-hook")

    missing = store.resolve_send(second, False, "Dana", "not in the channel", NOW + timedelta(hours=1))
    assert (missing.state, missing.unclear) == (OutboxState.PENDING, False)
    assert [item.id for item in store.claim_sends("me:1:a", NOW + timedelta(hours=1), LEASE)] == [second]
    with pytest.raises(OutboxError):
        store.resolve_send(first, False, "Dana", "changed my mind", NOW + timedelta(hours=2))


def test_an_item_left_sending_by_a_process_that_is_gone_comes_back_at_once_and_unclear(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = queue(store, draft_id, "k1")
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    store.claim_sends(f"{socket.gethostname()}:{gone.stdout.strip()}:x", NOW, timedelta(hours=1))
    [again] = store.claim_sends("me:1:a", NOW + timedelta(seconds=1), LEASE)
    assert again.id == item_id
    assert again.unclear


def test_listing_by_state_and_by_escalation(store: DraftStore) -> None:
    one, two = escalated(store, "one"), escalated(store, "two")
    a, b = queue(store, one, "a"), queue(store, two, "b")
    store.claim_sends("me:1:a", NOW, LEASE, limit=1)  # takes a, the oldest
    store.send_failed(a, "me:1:a", NOW, "no")
    assert [item.id for item in store.sends((OutboxState.FAILED,))] == [a]
    assert [item.id for item in store.sends(draft_id=two)] == [b]
    assert store.send_counts()[OutboxState.PENDING] == 1


def test_a_released_v5_database_gains_the_outbox_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    shutil.copy(DATA / "released_v5_drafts.sqlite3", path)
    raw = sqlite3.connect(path)
    before_drafts = raw.execute("SELECT * FROM drafts ORDER BY id").fetchall()
    before_events = raw.execute("SELECT * FROM events ORDER BY id").fetchall()
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 5
    raw.close()
    assert why_unusable(path) is None
    with DraftStore(path) as store:
        assert store.moved_aside is None
        item, _ = store.enqueue(1, "eng-hook", "webhook", "ESC-1", {"x": 1}, "k", 1, NOW)
        assert store.sends() == [item]
        assert [e.event.kind for e in store.timeline(1)][:2] == [EventKind.CREATED, EventKind.ESCALATED]
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
        after_drafts = raw.execute("SELECT * FROM drafts ORDER BY id").fetchall()
        assert [row[:-1] for row in after_drafts] == before_drafts  # schema 7 adds the approval column
        assert {row[-1] for row in after_drafts} == {""}
        assert raw.execute("SELECT * FROM events ORDER BY id").fetchall() == before_events
    finally:
        raw.close()


def test_a_v6_database_whose_outbox_lacks_columns_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE outbox")
    raw.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY)")
    raw.commit()
    raw.close()
    assert why_unusable(path) == ("is missing parts of its layout (the columns answer, answered_by, attempts, body, "
                                  "card_event, created, delivered_at, destination, draft_id, hold_until, holder,"
                                  " idempotency_key, last_error, lease_until, next_attempt, remote_id, remote_url,"
                                  " state, title, type, unclear, updated, version of its outbox)")
