"""Answers from chat apps in a real SQLite file: recorded once per event id, with the event in the same
step, and a schema-6 database from the release gains the table with nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_support import escalated

from tui.domain.lifecycle import Event, EventKind, Status
from tui.domain.models import Escalation
from tui.store.drafts import DraftStore
from tui.store.escalations import EscalationError
from tui.store.schema import SCHEMA_VERSION, why_unusable

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"


def taken(who: str, minutes: int = 1) -> Event:
    return Event(kind=EventKind.TAKEN, at=NOW + timedelta(minutes=minutes), who=who)


def test_the_same_event_id_is_recorded_once(store: DraftStore) -> None:
    draft_id = escalated(store)
    first = store.record_inbound("ev-1", "lark", draft_id, taken("Kim"), NOW)
    again = store.record_inbound("ev-1", "lark", draft_id, taken("Kim", 2), NOW)
    assert first is not None
    assert again is None
    assert [stored.event.kind for stored in store.timeline(draft_id)].count(EventKind.TAKEN) == 1
    assert store.record(draft_id).owner == "Kim"
    assert store.inbound_seen("ev-1")
    assert not store.inbound_seen("ev-2")


def test_a_refused_answer_leaves_no_trace_so_it_is_not_taken_for_a_duplicate(store: DraftStore) -> None:
    draft_id = store.create(Escalation(summary="Still a draft"), NOW)
    with pytest.raises(EscalationError, match="still a draft"):
        store.record_inbound("ev-9", "slack", draft_id, taken("Kim"), NOW)
    assert not store.inbound_seen("ev-9")
    assert store.record(draft_id).status is Status.DRAFT


def test_an_answer_for_a_missing_escalation_is_refused(store: DraftStore) -> None:
    with pytest.raises(KeyError):
        store.record_inbound("ev-3", "lark", 404, taken("Kim"), NOW)
    assert not store.inbound_seen("ev-3")


def test_a_released_v6_database_gains_the_answers_table_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    shutil.copy(DATA / "released_v6_drafts.sqlite3", path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 6
    before = {table: raw.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
              for table in ("drafts", "events", "versions", "outbox")}
    raw.close()
    assert why_unusable(path) is None
    with DraftStore(path) as store:
        assert store.moved_aside is None
        assert store.record_inbound("ev-1", "slack", 1, taken("Kim"), NOW) is not None
        assert store.record(1).owner == "Kim"
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
        outbox = raw.execute("SELECT * FROM outbox ORDER BY 1").fetchall()
        assert [row[:-1] for row in outbox] == before["outbox"]  # schema 7 adds card_event, last
        assert {row[-1] for row in outbox} <= {None}
        assert raw.execute("SELECT * FROM versions ORDER BY 1").fetchall() == before["versions"]
        assert raw.execute("SELECT * FROM events ORDER BY 1").fetchall()[:len(before["events"])] == before["events"]
        assert raw.execute("SELECT event_id, source, escalation, action FROM inbound").fetchall() == [
            ("ev-1", "slack", 1, "taken")]
    finally:
        raw.close()


def test_a_v7_database_whose_answers_table_lacks_columns_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE inbound")
    raw.execute("CREATE TABLE inbound (event_id TEXT PRIMARY KEY)")
    raw.commit()
    raw.close()
    assert why_unusable(path) == ("is missing parts of its layout (the columns action, escalation, event, received,"
                                  " source of its answers table)")
