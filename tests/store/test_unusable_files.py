"""A database the app cannot use is moved aside under a timestamped name, kept byte for byte, reported
in one sentence, and a fresh store takes its place."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Customer, Escalation, Severity, Target
from tui.store.drafts import DraftStore
from tui.store.schema import SCHEMA_VERSION

T0 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
KEPT_NAME = re.compile(r"^drafts\.sqlite3\.unusable-\d{8}T\d{6}Z(-\d+)?$")


def escalated_database(path: Path, cases: int = 30) -> None:
    """A schema-5 database with escalations and events, checkpointed so everything is in the main file."""
    with DraftStore(path, zone=UTC) as store:
        for n in range(cases):
            draft_id = store.create(Escalation(summary=f"Exports stall at row {n}", customer=Customer(name="Acme")), T0)
            store.escalate(draft_id, f"# Brief {n}\n" + "detail " * 40, Severity.HIGH, Target.ENGINEERING, "Dana", T0)
            store.log(draft_id, Event(kind=EventKind.UPDATE_LOGGED, at=T0, who="Dana", text="still looking " * 10))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()


def corrupt(path: Path) -> None:
    escalated_database(path)
    with path.open("r+b") as handle:  # scribble over pages in the middle, leaving the header alone
        size = handle.seek(0, 2)
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 8)


def garbage(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


def newer(path: Path) -> None:
    escalated_database(path, cases=2)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()


def missing_v5_tables(path: Path) -> None:
    escalated_database(path, cases=2)
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE events")
    raw.execute("DROP TABLE versions")
    raw.commit()
    raw.close()


def search_index_without_state(path: Path) -> None:
    """Schema 5 as first written, before the search index filed cases by state."""
    escalated_database(path, cases=2)
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE search")
    raw.execute("CREATE VIRTUAL TABLE search USING fts5(summary, description, errors, customers)")
    raw.commit()
    raw.close()


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupt": (corrupt, "is damaged"),
    "garbage": (garbage, "is not a SQLite database"),
    "newer": (newer, "was written by a newer escalate-tui (drafts schema 99"),
    "missing-v5-tables": (missing_v5_tables, "is missing parts of its layout (the tables events, versions)"),
    "search-without-state": (search_index_without_state, "is missing parts of its layout (the columns state of"),
}


@pytest.mark.parametrize("case", CASES)
def test_an_unusable_database_is_kept_aside_and_a_fresh_one_works(tmp_path: Path, case: str) -> None:
    make, why = CASES[case]
    path = tmp_path / "drafts.sqlite3"
    make(path)
    before = path.read_bytes()
    with DraftStore(path, zone=UTC) as store:
        moved = store.moved_aside
        assert moved is not None
        assert KEPT_NAME.match(moved.kept_as.name), moved.kept_as.name
        assert moved.kept_as.parent == tmp_path
        assert moved.kept_as.read_bytes() == before
        sentence = moved.sentence()
        assert why in sentence
        assert moved.kept_as.name in sentence
        assert sentence.endswith("and a new one started.")
        assert "\n" not in sentence

        draft_id = store.create(Escalation(summary="a fresh start"), T0)
        store.escalate(draft_id, "# Fresh\n", Severity.MEDIUM, Target.L2, "Dana", T0)
        assert store.load(draft_id).summary == "a fresh start"
        assert [record.id for record in store.queue()] == [draft_id]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()
    assert moved.kept_as.read_bytes() == before  # the fresh store never wrote to what it kept


def test_the_file_from_a_newer_version_still_holds_its_escalations(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    newer(path)
    with DraftStore(path) as store:
        assert store.moved_aside is not None
        kept = store.moved_aside.kept_as
    raw = sqlite3.connect(f"{kept.as_uri()}?mode=ro", uri=True)
    assert raw.execute("SELECT count(*) FROM drafts WHERE status = 'escalated'").fetchone()[0] == 2
    raw.close()


def test_a_second_unusable_file_never_replaces_the_first_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    kept: list[Path] = []
    for _ in range(2):
        garbage(path)
        with DraftStore(path) as store:
            assert store.moved_aside is not None
            kept.append(store.moved_aside.kept_as)
        path.unlink()
    assert kept[0] != kept[1]
    assert all(name.exists() for name in kept)
