"""`escalate-tui context`: the pieces it is made of, on real items.

The end-to-end run (a brief searched in the sample workspace by the real local source) waits for the
local source type to land; these tests call the command's own functions with real `SourceItem`s and, for
searching at once, with small sources of their own that keep the `Source` protocol.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tui.cli import main, parse_arguments
from tui.cli_context import (
    Answer,
    answers_json,
    answers_table,
    attach,
    choose,
    item_id,
    pick,
    place_for,
    search_all,
    source_line,
)
from tui.cli_support import UserError
from tui.domain.models import ContextKind
from tui.sources.config import SourceConfig
from tui.sources.model import AccountFacts, Provenance, Query, SourceError, SourceItem
from tui.sources.sample import sample_workspace
from tui.store.brief_file import load_brief, save_brief

FETCHED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def ticket(number: int, customer: str = "Kestrel Analytics", title: str = "Export missing rows", url: str = "",
           source: str = "local") -> SourceItem:
    return SourceItem(
        kind=ContextKind.TICKET, title=title, reference=f"ZD-{number}",
        provenance=Provenance(source=source, id=str(number), url=url, fetched_at=FETCHED),
        customer=customer, when=date(2026, 11, 20), status="open", excerpt="The file stops at 50,000 rows.",
    )


ACCOUNT = SourceItem(
    kind=ContextKind.ACCOUNT, title="Kestrel Analytics", reference="account Kestrel Analytics",
    provenance=Provenance(source="local", id="account:kestrel-analytics", fetched_at=FETCHED),
    customer="Kestrel Analytics",
    account=AccountFacts(name="Kestrel Analytics", plan="Business", arr=96000, owner="Tobias Renner",
                         segment="mid-market"),
)


def configs(*names: str) -> list[SourceConfig]:
    return [SourceConfig(name=name, type="zendesk") for name in names]


# --- arguments and choosing sources -------------------------------------------------------------------


def test_arguments_are_read_after_demo_too() -> None:
    args, wants_command = parse_arguments(["--demo", "context", "brief.toml", "--query", "export missing rows",
                                           "--source", "local", "--json", "--attach", "local:1", "local:2"])
    assert wants_command
    assert args.demo
    assert args.command == "context"
    assert args.file == Path("brief.toml")
    assert args.query == "export missing rows"
    assert args.source == ["local"]
    assert args.json
    assert args.attach == ["local:1", "local:2"]


def test_source_narrows_by_name_in_any_case_and_an_unknown_one_names_the_known() -> None:
    available = configs("Zendesk", "jira", "local")
    assert [c.name for c in choose(available, ["zendesk", "LOCAL", "local"])] == ["Zendesk", "local"]
    assert choose(available, []) == available
    with pytest.raises(UserError, match="no source called 'hubspot'; known: Zendesk, jira, local"):
        choose(available, ["hubspot"])


def test_a_brief_without_a_summary_asks_for_a_query(capsys) -> None:
    Path("empty.toml").write_text("schema_version = 1\n", encoding="utf-8")
    assert main(["context", "empty.toml"]) == 2
    assert "no summary to search for; give --query" in capsys.readouterr().err


def test_demo_searches_the_sample_workspace_with_the_demo_database(isolated: Path) -> None:
    args, _ = parse_arguments(["--demo", "context", "brief.toml"])
    from tui.cli import enter_demo

    enter_demo(args)
    place = place_for(args)
    assert place.workspace == sample_workspace()
    assert place.database == isolated / "data" / "escalate-tui" / "demo" / "drafts.sqlite3"


# --- printing -----------------------------------------------------------------------------------------


def test_json_lists_every_item_with_a_stable_id_and_its_provenance() -> None:
    answers = [Answer("local", [ticket(48213, url="https://support.example/tickets/48213"), ACCOUNT]),
               Answer("jira", error="401 from Jira: check the token in $JIRA_TOKEN")]
    data = json.loads(answers_json(answers))
    assert data[0] == {
        "id": "local:48213", "kind": "ticket", "title": "Export missing rows", "customer": "Kestrel Analytics",
        "reference": "ZD-48213", "source": "local", "url": "https://support.example/tickets/48213",
        "date": "2026-11-20", "status": "open",
    }
    assert data[1]["id"] == "local:account:kestrel-analytics"
    assert data[1]["kind"] == "account"
    assert data[1]["date"] is None
    assert len(data) == 2


def test_the_table_escapes_control_characters_from_sources() -> None:
    hostile = ticket(7, title="Export \x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 rows",
                     customer="Acme\x9b31m")
    text = answers_table([Answer("local", [hostile, ticket(8)])])
    assert "\x1b" not in text
    assert "\x9b" not in text
    assert "\x07" not in text
    assert "\\e[2J" in text
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "KIND", "TITLE", "CUSTOMER", "REFERENCE", "SOURCE", "DATE", "STATUS"]
    assert lines[2].startswith("local:8 ")
    assert "ZD-8" in lines[2]
    assert "2026-11-20" in lines[2]


def test_each_source_says_its_count_or_its_error() -> None:
    assert source_line(Answer("local", [ticket(1), ticket(2)], seconds=0.012)) == "local: 2 items (0.01 s)"
    assert source_line(Answer("jira", error="401 from Jira: check the token in $JIRA_TOKEN")) == (
        "jira: failed: 401 from Jira: check the token in $JIRA_TOKEN")
    assert answers_table([Answer("local")]) == "No items."


# --- searching all at once ----------------------------------------------------------------------------


class Listed:
    """A source answering from a list, after `delay` seconds, or failing with `error`."""

    def __init__(self, name: str, items: list[SourceItem], delay: float = 0.0,
                 error: Exception | None = None) -> None:
        self.name, self.items, self.delay, self.error = name, items, delay, error
        self.queries: list[Query] = []

    async def search(self, query: Query) -> list[SourceItem]:
        self.queries.append(query)
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.items[: query.limit]


def test_sources_answer_at_once_each_within_its_timeout_and_a_failure_does_not_stop_the_others() -> None:
    fast = Listed("local", [ticket(1)])
    slow = Listed("zendesk", [ticket(2)], delay=5)
    refused = Listed("jira", [], error=SourceError("401 from Jira: check the token in $JIRA_TOKEN"))
    broken = Listed("github", [], error=RuntimeError("GET https://x.example/?token=s3cret failed"))
    query = Query("export missing rows", customer="Kestrel Analytics")
    answers = asyncio.run(search_all([fast, slow, refused, broken], query,
                                     {"zendesk": 0.2, "local": 2, "jira": 2, "github": 2}))
    assert [a.source for a in answers] == ["local", "zendesk", "jira", "github"]
    assert answers[0].items == [ticket(1)]
    assert answers[0].error == ""
    assert answers[1].error == "zendesk did not answer within 0.2 seconds; try again, or raise its timeout"
    assert answers[1].seconds < 1  # not the five seconds the slow one would take
    assert answers[2].error == "401 from Jira: check the token in $JIRA_TOKEN"
    assert "RuntimeError" in answers[3].error
    assert "s3cret" not in answers[3].error
    assert fast.queries == [query]


# --- attaching ----------------------------------------------------------------------------------------


def new_brief(path: Path, summary: str = "Data export missing rows for Kestrel Analytics") -> None:
    assert main(["new", summary, "-o", str(path)]) == 0


def test_picking_an_id_not_found_is_refused_naming_it() -> None:
    answers = [Answer("local", [ticket(1), ticket(2)])]
    assert pick(answers, ["local:2", "local:1", "local:2"]) == [ticket(2), ticket(1)]
    with pytest.raises(UserError, match="local:9 is not among the items found; nothing was attached"):
        pick(answers, ["local:1", "local:9"])


def test_attached_items_and_the_account_are_saved_in_the_brief(isolated: Path) -> None:
    path = isolated / "brief.toml"
    new_brief(path)
    esc = load_brief(path)
    assert esc.customer.plan == ""
    picked = [ticket(48213, url="https://support.example/tickets/48213"), ticket(48220, customer="Meridian"),
              ACCOUNT]
    said = attach(esc, picked)
    save_brief(esc, path)

    again = load_brief(path)
    assert [(c.kind, c.reference) for c in again.context] == [
        (ContextKind.TICKET, "ZD-48213 — https://support.example/tickets/48213"),
        (ContextKind.TICKET, "ZD-48220"),
        (ContextKind.ACCOUNT, "account Kestrel Analytics"),
    ]
    assert again.context[0].excerpt == "The file stops at 50,000 rows."
    assert again.customer.plan == "Business"
    assert again.customer.segment == "mid-market"
    assert again.customer.arr == 96000
    assert "customer ARR: 96,000" in said

    assert attach(again, [ticket(48213, url="https://support.example/tickets/48213")]) == [
        "already in the context: Export missing rows"]
    assert len(again.context) == 3


def test_an_account_never_overwrites_what_the_brief_already_says(isolated: Path) -> None:
    path = isolated / "brief.toml"
    new_brief(path)
    esc = load_brief(path)
    esc.customer.plan = "Enterprise (negotiated)"
    esc.customer.arr = 120000
    attach(esc, [ACCOUNT])
    assert esc.customer.plan == "Enterprise (negotiated)"
    assert esc.customer.arr == 120000
    assert esc.customer.segment == "mid-market"


def test_hostile_text_attached_stays_plain(isolated: Path) -> None:
    path = isolated / "brief.toml"
    new_brief(path)
    esc = load_brief(path)
    attach(esc, [ticket(5, title="rows \x1b[31mred\x1b[0m \u202egnp.exe")])
    save_brief(esc, path)
    title = load_brief(path).context[0].title
    assert "\x1b" not in title
    assert "\u202e" not in title
    assert "rows" in title
    assert item_id(ticket(5)) == "local:5"
