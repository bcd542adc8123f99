"""The Zendesk source against a loopback Zendesk: the search it sends, the pages it follows, the
tickets it makes of the answer, and the settings it refuses."""

from __future__ import annotations

import pytest
from conftest import PLACE, zendesk_source
from zendesk_double import EMAIL, TOKEN, ZendeskDouble, ticket

from tui.domain.models import ContextKind
from tui.sources import zendesk
from tui.sources.config import parse_sources
from tui.sources.model import Query, SourceError


async def test_a_search_follows_pages_up_to_the_limit_and_signs_in_as_documented(zendesk_api: ZendeskDouble) -> None:
    source = zendesk_source(zendesk_api, comments_for=0, limit=150)
    items = await source.search(Query("export  missing rows", limit=120))
    assert len(items) == 120
    assert [item.reference for item in items[:2]] == ["#4200", "#4201"]
    searches = [seen for seen in zendesk_api.seen if seen.path == "/api/v2/search.json"]
    assert [(seen.arg("page"), seen.arg("per_page")) for seen in searches] == [("1", "100"), ("2", "100")]
    assert searches[0].arg("query") == "type:ticket export missing rows"
    assert searches[0].arg("include") == "tickets(users,organizations)"
    assert all(seen.headers["authorization"].startswith("Basic ") for seen in zendesk_api.seen)


async def test_the_search_stops_when_zendesk_has_no_next_page(zendesk_api: ZendeskDouble) -> None:
    del zendesk_api.tickets[30:]
    items = await zendesk_source(zendesk_api, comments_for=0).search(Query("export", limit=50))
    assert len(items) == 30
    assert len(zendesk_api.seen) == 1


async def test_the_largest_search_never_asks_past_the_thousand_result_cap(zendesk_api: ZendeskDouble) -> None:
    zendesk_api.tickets = [ticket(10_000 + i, f"Slow sync {i}", 9001) for i in range(1200)]
    items = await zendesk_source(zendesk_api, comments_for=0, limit=500).search(Query("sync", limit=500))
    assert len(items) == 500
    assert max(int(seen.arg("page")) * int(seen.arg("per_page")) for seen in zendesk_api.seen) <= 1000


async def test_a_ticket_carries_its_link_customer_day_status_and_provenance(zendesk_api: ZendeskDouble) -> None:
    items = await zendesk_source(zendesk_api, comments_for=0).search(Query("export", limit=6))
    first, with_org = items[0], items[1]
    assert first.kind is ContextKind.TICKET
    assert first.title == "CSV export missing rows (case 0)"
    assert first.provenance.source == "zendesk"
    assert first.provenance.id == "4200"
    assert first.provenance.url == f"{zendesk_api.url}/agent/tickets/4200"
    assert first.provenance.fetched_at is not None
    assert first.customer == "Dana Whitfield"  # no organization: the requester
    assert with_org.customer == "Contoso Retail"
    assert first.status == "open"
    assert str(first.when) == "2025-03-01"
    assert first.excerpt.startswith("Customer reports: CSV export missing rows")


async def test_the_top_tickets_get_their_newest_comments_and_the_rest_do_not(zendesk_api: ZendeskDouble) -> None:
    items = await zendesk_source(zendesk_api).search(Query("export", limit=10))
    assert "Newest comments:\n\nEngineering says: known since 2.14.\n\nStill missing rows today." in items[0].excerpt
    comment_calls = sorted(seen.path for seen in zendesk_api.seen if seen.path.endswith("/comments.json"))
    assert comment_calls == [f"/api/v2/tickets/{n}/comments.json" for n in (4200, 4201, 4202)]


async def test_a_subdomain_makes_the_agent_link() -> None:
    config = zendesk.Config.model_validate({"name": "zd", "type": "zendesk", "subdomain": "northwind",
                                            "oauth_token_env": "ZD_OAUTH"})
    assert config.root == "https://northwind.zendesk.com"


async def test_an_oauth_token_is_sent_as_bearer(zendesk_api: ZendeskDouble) -> None:
    zendesk_api.auth = "Bearer oauth-7c1d"
    config = zendesk.Config.model_validate({"name": "zd", "type": "zendesk", "base_url": zendesk_api.url,
                                            "oauth_token_env": "ZD_OAUTH", "comments_for": 0})
    items = await zendesk.open_source(config, {"ZD_OAUTH": "oauth-7c1d"}, PLACE).search(Query("export", limit=2))
    assert len(items) == 2


async def test_hostile_text_in_a_ticket_stays_plain_text(zendesk_api: ZendeskDouble) -> None:
    zendesk_api.tickets[0]["subject"] = "[bold red]Urgent[/] <script>x</script>\x1b]52;c;aGk=\x07 rows\u202e"
    zendesk_api.tickets[0]["description"] = "line one\r\nline two\x1b[2J"
    items = await zendesk_source(zendesk_api, comments_for=0).search(Query("export", limit=1))
    assert items[0].title == "[bold red]Urgent[/] <script>x</script>]52;c;aGk= rows"
    assert items[0].excerpt == "line one\nline two[2J"


async def test_a_missing_token_variable_is_named() -> None:
    config = zendesk.Config.model_validate({"name": "zendesk", "type": "zendesk", "subdomain": "northwind",
                                            "email": EMAIL, "api_token_env": "ZENDESK_TOKEN"})
    with pytest.raises(SourceError, match="ZENDESK_TOKEN, which is not set"):
        zendesk.open_source(config, {}, PLACE)


@pytest.mark.parametrize(("table", "said"), [
    ({"subdomain": "northwind", "email": EMAIL, "api_token": TOKEN}, "api_token_env"),
    ({"base_url": "http://zendesk.example.com", "email": EMAIL, "api_token_env": "T"}, "only https"),
    ({"subdomain": "northwind", "base_url": "https://x.example", "oauth_token_env": "T"}, "not both"),
    ({"subdomain": "northwind", "api_token_env": "T"}, "agent's e-mail and API token"),
    ({"subdomain": "North wind", "oauth_token_env": "T"}, "pattern"),
])
def test_settings_that_cannot_work_are_refused_with_the_reason(table: dict[str, str], said: str) -> None:
    sources, problems = parse_sources([{"name": "zendesk", "type": "zendesk", **table}])
    assert sources == []
    assert any(said in message for _, message in problems), problems
