"""The imported copies of local exports in the drafts database: schema 8, imports that replace a file's
rows at once, and full-text search that user text cannot break."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.store.context_index import (
    AccountRow,
    ArticleRow,
    ContextIndex,
    FileStamp,
    TicketRow,
    match_expression,
)
from tui.store.drafts import DraftStore
from tui.store.schema import SCHEMA_VERSION, why_unusable

STORE_DATA = Path(__file__).resolve().parents[1] / "store" / "data"


def stamp(path: str, size: int = 10, mtime_ns: int = 1, sha256: str = "a") -> FileStamp:
    return FileStamp(path, size, mtime_ns, sha256)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[ContextIndex]:
    opened = ContextIndex.open(tmp_path / "drafts.sqlite3")
    yield opened
    opened.close()


def ticket(ext_id: str, subject: str, body: str = "", customer: str = "", updated: str = "") -> TicketRow:
    return TicketRow(source="zendesk", ext_id=ext_id, subject=subject, body=body, customer=customer, updated=updated)


def test_a_released_v7_database_gains_the_context_tables_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    shutil.copy(STORE_DATA / "released_v7_drafts.sqlite3", path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 7
    before = {table: raw.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
              for table in ("drafts", "events", "versions", "outbox", "inbound")}
    raw.close()
    assert why_unusable(path) is None
    with ContextIndex.open(path) as index:
        index.import_tickets(stamp("/exports/tickets.csv"), [ticket("1", "CSV export missing rows", customer="Acme")])
        assert [row.ext_id for row in index.search_tickets("export missing")] == ["1"]
    with DraftStore(path) as store:
        assert store.moved_aside is None
        assert store.record(1).owner == "Kim"
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        for table, rows in before.items():
            assert raw.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == rows, table
    finally:
        raw.close()


def test_a_v8_database_missing_its_ticket_index_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    ContextIndex.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE tickets_fts")
    raw.commit()
    raw.close()
    assert why_unusable(path) == "is missing parts of its layout (the tables tickets_fts)"


def test_the_best_match_comes_first(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/tickets.csv"), [
        ticket("1", "Login page slow", "the export button is grey"),
        ticket("2", "Export missing rows", "CSV export stops at 10,000 rows; rows missing"),
        ticket("3", "Invoice totals wrong", "rows of the invoice export are missing a tax line"),
    ])
    found = index.search_tickets("export missing rows")
    assert [row.ext_id for row in found] == ["2", "3"]
    assert found[0].rank < found[1].rank  # bm25: lower is better


def test_the_last_word_matches_as_a_prefix_and_accents_do_not_matter(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/t.csv"), [ticket("1", "Café export fails"), ticket("2", "Login fails")])
    assert [row.ext_id for row in index.search_tickets("cafe exp")] == ["1"]


def test_when_no_ticket_has_every_word_those_with_some_still_answer(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/t.csv"), [ticket("1", "Export missing rows"), ticket("2", "Login fails")])
    assert [row.ext_id for row in index.search_tickets("export zebra")] == ["1"]


def test_the_customers_own_tickets_come_first(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/t.csv"), [
        ticket("1", "Export missing rows", "export missing rows again", customer="Globex"),
        ticket("2", "Export slow", customer="Acme"),
    ])
    assert [row.ext_id for row in index.search_tickets("export", customer="acme")] == ["2", "1"]


def test_an_empty_query_lists_the_newest(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/t.csv"), [ticket("1", "Old", updated="2026-01-01T00:00:00"),
                                             ticket("2", "New", updated="2026-03-01T00:00:00")])
    assert [row.ext_id for row in index.search_tickets("  ")] == ["2", "1"]
    assert [row.ext_id for row in index.search_tickets('"" -- ()')] == ["2", "1"]


@pytest.mark.parametrize("query", ['export "missing', 'NEAR(export', "export AND OR NOT", "*", "col:export",
                                   "export^ rows)", "[bold]export[/bold]", "exp\x00ort\x1b[2J", '""""'])
def test_user_text_never_breaks_the_match_syntax(index: ContextIndex, query: str) -> None:
    index.import_tickets(stamp("/x/t.csv"), [ticket("1", "Export missing rows")])
    index.search_tickets(query)  # no error is the point; what it finds depends on the words
    index.search_accounts(query)
    index.search_articles(query)


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('export "missing rows') == '"export" """missing" "rows"*'
    assert match_expression("export rows", any_word=True) == '"export" OR "rows"*'
    assert match_expression("-- ()") == ""


def test_reimporting_a_file_replaces_exactly_its_rows(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/a.csv"), [ticket("1", "Export missing rows")])
    index.import_tickets(stamp("/x/b.csv"), [ticket("9", "Export slow")])
    index.import_tickets(stamp("/x/a.csv", size=20), [ticket("2", "Export fixed")])
    assert sorted(row.ext_id for row in index.search_tickets("export")) == ["2", "9"]
    assert index.search_tickets("missing") == []  # gone from the full-text index too
    index.forget("/x/b.csv")
    assert [row.ext_id for row in index.search_tickets("export")] == ["2"]
    assert index.imported("tickets") == ["/x/a.csv"]


def test_an_import_that_fails_half_way_leaves_the_previous_rows(index: ContextIndex) -> None:
    index.import_tickets(stamp("/x/a.csv"), [ticket("1", "Export missing rows")])

    def rows() -> Iterator[TicketRow]:
        yield ticket("2", "Export half read")
        raise ValueError("the file broke off")

    with pytest.raises(ValueError, match="broke off"):
        index.import_tickets(stamp("/x/a.csv", size=99), rows())
    assert [row.ext_id for row in index.search_tickets("export")] == ["1"]
    assert index.is_current("/x/a.csv", 10, 1)


def test_is_current_and_same_content(index: ContextIndex) -> None:
    assert not index.is_current("/x/a.csv", 10, 1)
    index.import_tickets(stamp("/x/a.csv", 10, 1, "hash1"), [])
    assert index.is_current("/x/a.csv", 10, 1)
    assert not index.is_current("/x/a.csv", 10, 2)
    assert index.same_content(stamp("/x/a.csv", 10, 2, "hash1"))  # touched: remembered as current
    assert index.is_current("/x/a.csv", 10, 2)
    assert not index.same_content(stamp("/x/a.csv", 11, 3, "hash2"))


def test_accounts_by_name_and_by_words(index: ContextIndex) -> None:
    index.import_accounts(stamp("/x/accounts.csv"), [
        AccountRow("Acme Corp", "Enterprise", 250_000, "Dana", "enterprise", "acme.example"),
        AccountRow("Globex", "Team", 12_000, "Kim", "smb"),
    ])
    assert [row.name for row in index.search_accounts("", customer="globex")] == ["Globex"]
    found = index.search_accounts("acme", customer="Globex")
    assert [row.name for row in found] == ["Globex", "Acme Corp"]
    assert found[1].arr == 250_000
    assert index.search_accounts("") == []


def test_articles_with_their_workaround(index: ContextIndex) -> None:
    index.import_articles(stamp("/kb/export.md"), [
        ArticleRow("/kb/export.md", "Export stops at 10,000 rows", "Large exports are cut.", "Export by month."),
    ])
    index.import_articles(stamp("/kb/sso.md"), [ArticleRow("/kb/sso.md", "SSO loops", "Login loops.")])
    found = index.search_articles("export rows")
    assert [(row.title, row.workaround) for row in found] == [("Export stops at 10,000 rows", "Export by month.")]
    assert [row.title for row in index.search_articles("")] == ["Export stops at 10,000 rows", "SSO loops"]
