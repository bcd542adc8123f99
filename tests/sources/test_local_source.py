"""The `local` source: Zendesk and Freshdesk exports, accounts and known-issue articles read from a folder,
imported into the drafts database, re-imported when they change, and searched."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from tui.domain.models import ContextKind
from tui.sources.config import parse_sources
from tui.sources.local import Config, LocalSource, default_sources, open_source
from tui.sources.model import AccountFacts, Place, Query, SourceError, SourceItem

DATA = Path(__file__).resolve().parent / "data"


def source(place: Place, **options: object) -> LocalSource:
    return open_source(Config(name="local files", **options), {}, place)


def by_kind(items: list[SourceItem], kind: ContextKind) -> list[SourceItem]:
    return [item for item in items if item.kind is kind]


async def test_a_zendesk_csv_export_is_read_as_it_comes(place: Place) -> None:
    items = await source(place).search(Query("export missing rows"))
    first = items[0]
    assert (first.kind, first.reference, first.title, first.customer) == (
        ContextKind.TICKET, "#4211", "CSV export missing rows", "Acme Corp")
    assert (first.status, first.when, first.provenance.source, first.provenance.id) == (
        "Open", date(2026, 3, 4), "local files", "4211")
    assert "10,000 rows.\nThe last 2,312 orders" in first.excerpt  # a quoted, multi-line description
    assert source(place).problems == []


async def test_a_freshdesk_export_is_told_by_its_header(place: Place) -> None:
    shutil.copy(DATA / "freshdesk_tickets.csv", place.workspace / "tickets-freshdesk.csv")
    items = by_kind(await source(place).search(Query("nightly export")), ContextKind.TICKET)
    assert [(item.reference, item.customer, item.status, item.when) for item in items] == [
        ("#812", "Umbrella Ltd", "Open", date(2026, 3, 5))]


async def test_a_zendesk_json_export_links_each_ticket_to_its_agent_page(place: Place) -> None:
    shutil.copy(DATA / "zendesk_tickets.json", place.workspace / "tickets.json")
    items = by_kind(await source(place).search(Query("pagination")), ContextKind.TICKET)
    assert [(item.reference, item.customer) for item in items] == [("#5001", "Vandelay")]
    assert items[0].provenance.url == "https://acme.zendesk.com/agent/tickets/5001"
    webhook = by_kind(await source(place).search(Query("webhook")), ContextKind.TICKET)
    assert webhook[0].customer == "10"  # only the organization's id was exported


async def test_tickets_from_several_customers_answer_one_query(place: Place) -> None:
    shutil.copy(DATA / "freshdesk_tickets.csv", place.workspace / "tickets-freshdesk.csv")
    shutil.copy(DATA / "zendesk_tickets.json", place.workspace / "tickets.json")
    items = by_kind(await source(place).search(Query("export missing rows")), ContextKind.TICKET)
    assert {item.customer for item in items} == {"Acme Corp", "Umbrella Ltd", "Vandelay"}


async def test_the_customers_account_comes_with_its_facts(place: Place) -> None:
    items = await source(place).search(Query("export missing rows", customer="acme corp"))
    accounts = by_kind(items, ContextKind.ACCOUNT)
    assert [item.account for item in accounts] == [
        AccountFacts(name="Acme Corp", plan="Enterprise", arr=250_000, owner="Dana Whitfield", segment="enterprise")]
    assert items[0].kind is ContextKind.ACCOUNT
    globex = by_kind(await source(place).search(Query("globex")), ContextKind.ACCOUNT)
    assert globex[0].account is not None
    assert globex[0].account.arr == 48_000


async def test_a_known_issue_brings_its_workaround_and_one_without_has_none(place: Place) -> None:
    items = by_kind(await source(place).search(Query("export rows")), ContextKind.KNOWN_ISSUE)
    assert [(item.title, item.reference) for item in items] == [
        ("CSV export stops at 10,000 rows", "KB export-row-limit")]
    assert items[0].workaround.startswith("Export by month")
    assert "Fix in progress" not in items[0].workaround  # the next section is not part of it
    sso = by_kind(await source(place).search(Query("okta")), ContextKind.KNOWN_ISSUE)
    assert [(item.title, item.workaround) for item in sso] == [("SSO login loops with Okta", "")]


async def test_a_changed_file_is_imported_again_and_a_touched_one_is_not(place: Place) -> None:
    local = source(place)
    assert by_kind(await local.search(Query("excel")), ContextKind.TICKET)
    tickets = place.workspace / "tickets.csv"
    text = tickets.read_text(encoding="utf-8")
    tickets.write_text(text.replace("Export to Excel", "Export to Numbers"), encoding="utf-8")
    os.utime(tickets, ns=(tickets.stat().st_atime_ns, tickets.stat().st_mtime_ns + 5_000_000_000))
    assert not by_kind(await local.search(Query("excel")), ContextKind.TICKET)
    assert by_kind(await local.search(Query("numbers")), ContextKind.TICKET)

    imported_at = _imported_at(place, tickets)
    os.utime(tickets, ns=(tickets.stat().st_atime_ns, tickets.stat().st_mtime_ns + 5_000_000_000))  # a touch
    assert by_kind(await local.search(Query("numbers")), ContextKind.TICKET)
    assert _imported_at(place, tickets) == imported_at  # hashed, not imported again


async def test_a_removed_file_takes_its_tickets_with_it(place: Place) -> None:
    local = source(place)
    assert by_kind(await local.search(Query("excel")), ContextKind.TICKET)
    (place.workspace / "tickets.csv").unlink()
    assert by_kind(await local.search(Query("excel")), ContextKind.TICKET) == []


def _imported_at(place: Place, path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(place.database)
    try:
        return str(conn.execute("SELECT imported_at || '/' || rowid FROM imported_files WHERE path = ?",
                                (str(path.absolute()),)).fetchone()[0])
    finally:
        conn.close()


async def test_a_csv_with_bad_quoting_is_named_with_its_line_and_column_and_the_rest_still_answers(
        place: Place) -> None:
    (place.workspace / "tickets-broken.csv").write_text(
        'Id,Subject,Description\n1,Fine,ok\n2,"Export "broken" quote,x\n', encoding="utf-8")
    local = source(place)
    items = await local.search(Query("export missing rows"))
    assert by_kind(items, ContextKind.TICKET)[0].reference == "#4211"
    [problem] = local.problems
    assert "tickets-broken.csv line 3, column 11" in problem
    assert "quote" in problem


async def test_an_unclosed_quote_names_the_line_where_it_opened(place: Place) -> None:
    (place.workspace / "tickets-broken.csv").write_text(
        'Id,Subject,Description\n1,Fine,ok\n2,"Export never closed,x\n3,more,y\n', encoding="utf-8")
    local = source(place)
    await local.search(Query("export"))
    [problem] = local.problems
    assert "tickets-broken.csv line 3: a quoted field opened here is never closed" in problem


async def test_a_missing_column_is_named_with_the_setting_that_fixes_it(place: Place) -> None:
    (place.workspace / "tickets-odd.csv").write_text("Ticket,Title\n1,Export\n", encoding="utf-8")
    local = source(place)
    await local.search(Query("export"))
    [problem] = local.problems
    assert "tickets-odd.csv line 1: no column 'ext_id' (the ext_id)" in problem
    assert "the header has: Ticket, Title" in problem
    assert 'columns.ext_id = "…"' in problem
    mapped = source(place, columns={"ext_id": "Ticket", "subject": "Title"})
    items = by_kind(await mapped.search(Query("export")), ContextKind.TICKET)
    assert "#1" in [item.reference for item in items]
    assert mapped.problems == []


async def test_malformed_json_is_named_with_line_and_column(place: Place) -> None:
    (place.workspace / "tickets.json").write_text('{"tickets": [\n  {"id": 1,, "subject": "x"}]}', encoding="utf-8")
    local = source(place)
    await local.search(Query("export"))
    assert local.problems == [f"{place.workspace / 'tickets.json'} line 2, column 12: not valid JSON "
                              "(Expecting property name enclosed in double quotes); export it again"]


async def test_hostile_text_stays_plain(place: Place) -> None:
    (place.workspace / "tickets-hostile.csv").write_text(
        'Id,Subject,Description,Organization\n'
        '66,"[bold red]Export[/] \x1b]52;c;AAAA\x07rows","body \x1b[2J with \u202eoverride","[link=x]Evil[/link]"\n',
        encoding="utf-8")
    items = by_kind(await source(place).search(Query('[bold] "export" rows\x1b')), ContextKind.TICKET)
    hostile = next(item for item in items if item.reference == "#66")
    assert hostile.title == "[bold red]Export[/] ]52;c;AAAArows"  # kept as text, the escapes dropped
    assert hostile.excerpt == "body [2J with override"
    assert hostile.customer == "[link=x]Evil[/link]"


async def test_no_folder_is_said_not_raised(tmp_path: Path) -> None:
    local = open_source(Config(name="exports", folder=str(tmp_path / "nowhere")), {},
                        Place(workspace=tmp_path, database=tmp_path / "drafts.sqlite3"))
    assert await local.search(Query("export")) == []
    assert local.problems == [f"the folder {tmp_path / 'nowhere'} does not exist; set folder = \"…\" in the "
                              "'exports' source"]


def test_an_unknown_column_field_is_refused_by_name(place: Place) -> None:
    with pytest.raises(SourceError, match=r"columns\.title is not a field"):
        source(place, columns={"title": "Subject"})


def test_with_no_sources_configured_the_local_files_answer(place: Place) -> None:
    [only] = default_sources(place)
    assert (only.name, only.type) == ("local files", "local")
    configured, problems = parse_sources([{"name": "exports", "type": "local", "folder": "/srv/exports"}])
    assert problems == []
    assert default_sources(place, configured) == configured
