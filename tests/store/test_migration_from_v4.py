"""A drafts database written by the previous release (schema 4) opens in the new store with nothing lost.

The database is built with the released code itself (`released_v4_drafts.py`, frozen beside this file),
through its own API, as a user of that release would have left it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import released_v4_drafts as v4

from tui.domain.lifecycle import EventKind
from tui.domain.models import Customer, Escalation, Problem, Reproduction, Severity, Target
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore
from tui.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 2, 9, 30, tzinfo=UTC)
ONE_DAY = timedelta(days=1)


def released_database(path: Path, brief_file: Path) -> dict[str, Any]:
    """A schema-4 database made by the released DraftStore: an edited brief saved over several
    revisions, an archived draft, a draft tied to a brief file, one holding a broken paste."""
    acme = load_brief(ROOT / "examples" / "api-500-acme.toml")
    archived = Escalation(summary="Invoices render blank in Safari", customer=Customer(name="Globex"),
                          problem=Problem(description="The PDF preview shows an empty page after the upgrade"))
    tied = Escalation(summary="Webhook retries flood the endpoint", customer=Customer(name="Initech"),
                      reproduction=Reproduction(actual="HTTP 429 Too Many Requests from hooks.initech.example"))
    broken = Escalation(summary="pasted \ud800 quarterly text", customer=Customer(name="Umbrella \udcff"),
                        problem=Problem(description="Spreadsheet import drops the \udc80 column"))
    with v4.DraftStore(path) as store:
        edited_id = store.create(acme, T0)
        revision = 1
        for minute in range(1, 4):
            edited = acme.model_copy(update={"edited_brief": f"# Brief\n\nEdited by hand, pass {minute}.\n"})
            revision = store.save(edited_id, edited, T0 + timedelta(minutes=minute), "high", based_on=revision)
        archived_id = store.create(archived, T0 + timedelta(hours=1))
        store.save(archived_id, archived, T0 + timedelta(hours=1, minutes=5), "medium")
        store.archive(archived_id, T0 + timedelta(hours=2))
        tied_id = store.create(tied, T0 + timedelta(hours=3), file=brief_file)
        broken_id = store.create(broken, T0 + timedelta(hours=4))
    return {
        "ids": {"edited": edited_id, "archived": archived_id, "tied": tied_id, "broken": broken_id},
        "cases": {edited_id: edited, archived_id: archived, tied_id: tied, broken_id: broken},
        "revisions": {edited_id: 4, archived_id: 2, tied_id: 1, broken_id: 1},
    }


def raw_rows(path: Path) -> list[tuple[Any, ...]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT id, created, updated, summary, customer, severity, archived, body, final_text,"
                           " file, revision FROM drafts ORDER BY id").fetchall()
    finally:
        raw.close()


@pytest.fixture
def released(tmp_path: Path) -> tuple[Path, dict[str, Any], list[tuple[Any, ...]]]:
    path = tmp_path / "drafts.sqlite3"
    made = released_database(path, tmp_path / "cases" / "initech.toml")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 4  # really the released layout
    assert {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"drafts"}
    raw.close()
    return path, made, raw_rows(path)


def test_every_released_draft_loads_back_equal_with_its_revision(released, tmp_path: Path) -> None:
    path, made, _ = released
    with DraftStore(path) as store:
        assert store.moved_aside is None
        for draft_id, case in made["cases"].items():
            stored = store.load_stored(draft_id)
            assert stored.escalation == case
            assert stored.revision == made["revisions"][draft_id]
        edited = store.load(made["ids"]["edited"])
        assert edited.edited_brief == "# Brief\n\nEdited by hand, pass 3.\n"
        assert store.draft_of_file(tmp_path / "cases" / "initech.toml") == made["ids"]["tied"]
        assert made["ids"]["archived"] not in {row.id for row in store.recent()}
        assert store.load(made["ids"]["broken"]).summary == "pasted \ud800 quarterly text"


def test_nothing_is_dropped_or_rewritten(released) -> None:
    path, _, before = released
    DraftStore(path).close()
    after = raw_rows(path)
    assert len(after) == len(before)
    assert after == before  # bodies, times, revisions, files, archive marks: byte for byte
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
    assert raw.execute("SELECT DISTINCT status FROM drafts").fetchall() == [("draft",)]
    raw.close()


def test_each_migrated_draft_has_a_created_event_at_its_creation_time(released) -> None:
    path, made, rows = released
    created = {row[0]: datetime.fromisoformat(row[1]) for row in rows}
    with DraftStore(path) as store:
        for draft_id in made["cases"]:
            [event] = store.timeline(draft_id)
            assert event.event.kind is EventKind.CREATED
            assert event.event.at == created[draft_id]
            assert store.record(draft_id).status.value == "draft"


@pytest.mark.parametrize(("word", "which"), [("acme", "edited"), ("safari", "archived"), ("webhook", "tied"),
                                             ("429", "tied"), ("spreadsheet", "broken"), ("umbrella", "broken")])
def test_migrated_drafts_are_in_the_search_index(released, word: str, which: str) -> None:
    path, made, _ = released
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    found = [row[0] for row in raw.execute("SELECT rowid FROM search WHERE search MATCH ?", (f'"{word}"',))]
    raw.close()
    assert found == [made["ids"][which]]


def test_a_migrated_draft_escalated_is_found_as_a_similar_case(released) -> None:
    path, made, _ = released
    tied_id = made["ids"]["tied"]
    with DraftStore(path, zone=UTC) as store:
        store.escalate(tied_id, "# Webhook retries\n", Severity.HIGH, Target.ENGINEERING, "Dana", T0 + ONE_DAY)
        new_case = Escalation(summary="Webhook retries flood our endpoint with 429s",
                              customer=Customer(name="Hooli"),
                              reproduction=Reproduction(actual="Too Many Requests from the webhook retries"))
        found = store.similar(new_case, exclude=None, closed_since=T0)
    assert [item.record.id for item in found] == [tied_id]
    assert found[0].record.customer == "Initech"
