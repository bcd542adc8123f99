"""An escalation's history cannot be rewritten, not even by a script with its own connection to the file;
only a draft never escalated can be deleted, and then it goes whole."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Customer, Escalation, Severity, Target
from tui.store.drafts import DraftStore, DraftStoreError

T0 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "drafts.sqlite3"


@pytest.fixture
def escalated(path: Path) -> int:
    with DraftStore(path, zone=UTC) as store:
        draft_id = store.create(Escalation(summary="Exports stall", customer=Customer(name="Acme")), T0)
        store.escalate(draft_id, "# Exports stall\n", Severity.HIGH, Target.ENGINEERING, "Dana", T0)
        store.log(draft_id, Event(kind=EventKind.UPDATE_LOGGED, at=T0 + timedelta(hours=1), who="Dana",
                                  text="bisecting"))
        store.add_version(draft_id, "# Exports stall\n\nNow with logs.\n", "Dana", T0 + timedelta(hours=2))
    return draft_id


@pytest.fixture
def raw(path: Path, escalated: int) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    yield conn
    conn.close()


def history(path: Path, draft_id: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        events = conn.execute("SELECT * FROM events WHERE escalation = ? ORDER BY id", (draft_id,)).fetchall()
        versions = conn.execute("SELECT * FROM versions WHERE escalation = ? ORDER BY number", (draft_id,)).fetchall()
        return events, versions
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE events SET data = '{\"text\": \"nothing happened\"}' WHERE kind = 'update_logged'",
         "the events of an escalation are never changed"),
        ("UPDATE events SET at = '2020-01-01T00:00:00.000000+00:00'", "the events of an escalation are never changed"),
        ("DELETE FROM events", "the events of an escalation are never removed"),
        ("DELETE FROM events WHERE kind = 'escalated'", "the events of an escalation are never removed"),
        ("UPDATE versions SET text = 'rewritten' WHERE number = 1", "a brief version is never changed"),
        ("DELETE FROM versions", "a brief version is never removed"),
        ("DELETE FROM drafts", "an escalation is never removed, only a draft"),
    ],
)
def test_history_cannot_be_rewritten_through_sqlite(raw: sqlite3.Connection, path: Path, escalated: int,
                                                    statement: str, refusal: str) -> None:
    before = history(path, escalated)
    with pytest.raises(sqlite3.IntegrityError, match=refusal):
        raw.execute(statement)
    raw.rollback()
    assert history(path, escalated) == before
    assert len(before[0]) == 4  # created, escalated, update logged, version saved
    assert [row[1] for row in before[1]] == [1, 2]


def test_deleting_an_escalated_case_through_the_store_is_refused_in_words(path: Path, escalated: int) -> None:
    with DraftStore(path) as store:
        with pytest.raises(DraftStoreError, match="an escalation is never removed, only a draft"):
            store.delete(escalated)
        assert store.record(escalated).summary == "Exports stall"
        assert len(store.timeline(escalated)) == 4


def test_deleting_a_plain_draft_removes_it_its_events_and_its_search_row(path: Path, escalated: int) -> None:
    with DraftStore(path) as store:
        kept = store.create(Escalation(summary="Quarterly invoices missing", customer=Customer(name="Globex")), T0)
        gone = store.create(Escalation(summary="Quarterly invoices blank", customer=Customer(name="Initech")), T0)
        store.delete(gone)
        with pytest.raises(KeyError):
            store.load(gone)
        with pytest.raises(KeyError):
            store.timeline(gone)
        assert len(store.timeline(kept)) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM events WHERE escalation = ?", (gone,)).fetchone()[0] == 0
    matches = [row[0] for row in conn.execute("SELECT rowid FROM search WHERE search MATCH 'quarterly'")]
    assert matches == [kept]
    assert conn.execute("SELECT count(*) FROM search WHERE rowid = ?", (gone,)).fetchone()[0] == 0
    conn.close()
