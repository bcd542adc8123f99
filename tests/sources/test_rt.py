"""The Request Tracker source against a real RT 5 (started once per session on 127.0.0.1): what a
search finds, how it pages, and what a person reads when the password or the rights are wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rt_seed import BATCH, HIDDEN_QUEUE, NO_RIGHTS, NON_ASCII, Seeded

from tui.domain.models import ContextKind
from tui.sources import rt as rt_source
from tui.sources.config import parse_sources
from tui.sources.model import Place, Query, SourceError

pytestmark = pytest.mark.slow
ENV = {"RT_PASSWORD": "password", "RT_NORIGHTS_PASSWORD": NO_RIGHTS[1], "RT_WRONG": "not-the-password-7"}


def source(seeded: Seeded, tmp_path: Path, **options: Any) -> rt_source.RTSource:
    table = {"name": "helpdesk", "type": "rt", "base_url": seeded.url, "user": "root",
             "password_env": "RT_PASSWORD", **options}
    configs, problems = parse_sources([table])
    assert problems == []
    config = configs[0]
    assert isinstance(config, rt_source.Config)
    return rt_source.open_source(config, ENV, Place(tmp_path, tmp_path / "drafts.sqlite3"))


async def test_a_search_finds_the_tickets_whose_subject_has_every_word(rt: Seeded, tmp_path: Path) -> None:
    items = await source(rt, tmp_path).search(Query("export missing rows"))
    by_reference = {item.reference: item for item in items}
    assert set(by_reference) == {f"RT #{rt.ids['acme']}", f"RT #{rt.ids['globex']}", f"RT #{rt.ids['hidden']}"}
    acme = by_reference[f"RT #{rt.ids['acme']}"]
    assert acme.kind is ContextKind.TICKET
    assert acme.title == "Export missing rows in the CSV download"
    assert acme.customer == "acme.example"
    assert acme.status == "new"
    assert acme.when == datetime.now(UTC).date()
    assert acme.provenance.source == "helpdesk"
    assert acme.provenance.id == rt.ids["acme"]
    assert acme.provenance.url == f"{rt.url}/Ticket/Display.html?id={rt.ids['acme']}"
    assert acme.provenance.fetched_at is not None
    assert "Dana Ops <dana@acme.example>" in acme.excerpt
    assert "Queue: General" in acme.excerpt


async def test_a_queue_narrows_the_search(rt: Seeded, tmp_path: Path) -> None:
    items = await source(rt, tmp_path, queue="General").search(Query("export missing rows"))
    assert {item.reference for item in items} == {f"RT #{rt.ids['acme']}", f"RT #{rt.ids['globex']}"}


async def test_a_ticket_in_spanish_and_chinese_is_found_with_its_subject_intact(rt: Seeded, tmp_path: Path) -> None:
    items = await source(rt, tmp_path).search(Query("導出缺少行 Exportación"))
    assert [(item.reference, item.title, item.customer) for item in items] == [
        (f"RT #{rt.ids['non_ascii']}", NON_ASCII, "umbrella.example")]


async def test_a_word_with_a_quote_is_searched_for_not_run_as_ticketsql(rt: Seeded, tmp_path: Path) -> None:
    items = await source(rt, tmp_path).search(Query("customer's export"))
    assert [item.reference for item in items] == [f"RT #{rt.ids['quote']}"]
    assert await source(rt, tmp_path).search(Query("' OR id > 0 OR Subject LIKE '")) == []


async def test_every_page_is_followed_and_the_limit_is_kept(rt: Seeded, tmp_path: Path) -> None:
    batch = {f"RT #{rt.ids[f'batch{n}']}" for n in range(BATCH)}
    everything = await source(rt, tmp_path, per_page=2).search(Query("nightly batch", limit=50))
    assert {item.reference for item in everything} == batch  # 7 tickets over 4 pages of 2
    assert len(everything) == BATCH
    some = await source(rt, tmp_path, per_page=2).search(Query("nightly batch", limit=5))
    assert len(some) == 5
    assert {item.reference for item in some} < batch
    capped = await source(rt, tmp_path, per_page=2, limit=3).search(Query("nightly batch", limit=50))
    assert len(capped) == 3


async def test_a_wrong_password_says_which_variable_to_check(rt: Seeded, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        await source(rt, tmp_path, password_env="RT_WRONG").search(Query("export"))
    message = str(raised.value)
    assert message == ("helpdesk: Request Tracker answered 401: check the user 'root' and the password in "
                       "$RT_WRONG")
    assert ENV["RT_WRONG"] not in message


async def test_a_wrong_token_says_which_variable_to_check(rt: Seeded, tmp_path: Path) -> None:
    table = {"name": "helpdesk", "type": "rt", "base_url": rt.url, "token_env": "RT_WRONG"}
    found = rt_source.open_source(rt_source.Config.model_validate(table), ENV, Place(tmp_path, tmp_path / "d"))
    with pytest.raises(SourceError, match=r"401: check the auth token in \$RT_WRONG$"):
        await found.search(Query("export"))


async def test_a_queue_the_user_may_not_see_is_said_not_searched_empty(rt: Seeded, tmp_path: Path) -> None:
    hidden = source(rt, tmp_path, user=NO_RIGHTS[0], password_env="RT_NORIGHTS_PASSWORD", queue=HIDDEN_QUEUE)
    with pytest.raises(SourceError) as raised:
        await hidden.search(Query("refund"))
    message = str(raised.value)
    assert message.startswith("helpdesk: Request Tracker answered 403 (Forbidden) for the queue 'Billing secret': "
                              "the user 'norights' may not see it.")
    assert "SeeQueue" in message
    assert NO_RIGHTS[1] not in message
    assert [item.reference for item in await source(rt, tmp_path, queue=HIDDEN_QUEUE).search(Query("refund"))] == [
        f"RT #{rt.ids['hidden']}"]  # root sees it


async def test_a_queue_that_does_not_exist_is_named(rt: Seeded, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no queue called 'Suport'"):
        await source(rt, tmp_path, queue="Suport").search(Query("export"))


async def test_an_address_that_is_not_rt_is_said(rt: Seeded, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"not JSON.*RT 5's address"):
        await source(rt, tmp_path, base_url=f"{rt.url}/NoHTML").search(Query("export"))
