"""The HubSpot source against a loopback HubSpot: the company search it posts, pages by `after`,
and companies as account items whose facts fill the brief (ARR in whole units, plan, segment)."""

from __future__ import annotations

import pytest
from conftest import PLACE, hubspot_source
from hubspot_double import TOKEN, HubSpotDouble

from tui.domain.models import ContextKind
from tui.sources import hubspot
from tui.sources.config import parse_sources
from tui.sources.model import AccountFacts, Query


async def test_a_search_by_customer_name_pages_by_after_up_to_the_limit(hubspot_api: HubSpotDouble) -> None:
    items = await hubspot_source(hubspot_api, limit=200).search(Query("export fails", customer="Northwind", limit=130))
    assert len(items) == 130
    bodies = [seen.body for seen in hubspot_api.seen]
    assert [(body["limit"], body.get("after")) for body in bodies] == [(100, None), (30, "100")]
    assert bodies[0]["filterGroups"] == [{"filters": [
        {"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": "Northwind"}]}]
    assert bodies[0]["properties"] == ["name", "domain", "hubspot_owner_id", "plan_tier", "arr__c", "segment"]
    assert hubspot_api.seen[0].headers["authorization"] == f"Bearer {TOKEN}"


async def test_a_company_is_an_account_with_the_facts_the_brief_needs(hubspot_api: HubSpotDouble) -> None:
    source = hubspot_source(hubspot_api, portal_id="2203117")
    item = (await source.search(Query("", customer="northwind-0.example", limit=5)))[0]
    assert hubspot_api.seen[0].body["filterGroups"][0]["filters"] == [
        {"propertyName": "domain", "operator": "EQ", "value": "northwind-0.example"}]
    assert item.kind is ContextKind.ACCOUNT
    assert item.account == AccountFacts(name="Northwind Logistics", plan="Enterprise", arr=120000,
                                        owner="83920014", segment="Mid-market")
    assert item.customer == "Northwind Logistics"
    assert item.provenance.url == "https://app.hubspot.com/contacts/2203117/company/31000"
    assert "ARR: 120,000" in item.excerpt


async def test_without_property_names_no_arr_or_plan_is_guessed(hubspot_api: HubSpotDouble) -> None:
    source = hubspot_source(hubspot_api, arr_property="", plan_property="", segment_property="")
    item = (await source.search(Query("Contoso", limit=1)))[0]
    assert hubspot_api.seen[0].body["properties"] == ["name", "domain", "hubspot_owner_id"]
    assert item.account == AccountFacts(name="Contoso Retail", owner="83920014")


async def test_an_arr_that_is_not_a_number_is_left_empty(hubspot_api: HubSpotDouble) -> None:
    item = (await hubspot_source(hubspot_api).search(Query("", customer="Contoso", limit=1)))[0]
    assert item.account is not None
    assert item.account.arr is None
    assert item.account.plan == "Enterprise"


async def test_hostile_text_in_a_company_name_stays_plain(hubspot_api: HubSpotDouble) -> None:
    hubspot_api.companies[-1]["properties"]["name"] = "Contoso \x1b[8m[red]Retail[/red]\x00"
    item = (await hubspot_source(hubspot_api).search(Query("", customer="Contoso", limit=1)))[0]
    assert item.title == "Contoso [8m[red]Retail[/red]"
    assert item.account is not None
    assert item.account.name == "Contoso [8m[red]Retail[/red]"


def test_a_missing_token_variable_is_named() -> None:
    config = hubspot.Config.model_validate({"name": "crm", "type": "hubspot", "token_env": "HUBSPOT_TOKEN"})
    with pytest.raises(hubspot.web.SourceError, match="HUBSPOT_TOKEN, which is not set"):
        hubspot.open_source(config, {"HUBSPOT_TOKEN": "  "}, PLACE)


@pytest.mark.parametrize(("table", "said"), [
    ({"token": "pat-na1-00000000-0000-0000-0000-000000000000"}, "token_env"),
    ({"token_env": "T", "api_url": "http://api.hubapi.com"}, "only https"),
    ({"token_env": "T", "arr_property": "arr; drop"}, "pattern"),
    ({}, "token_env"),
])
def test_settings_that_cannot_work_are_refused_with_the_reason(table: dict[str, str], said: str) -> None:
    sources, problems = parse_sources([{"name": "hubspot", "type": "hubspot", **table}])
    assert sources == []
    assert any(said in str(where) + message for where, message in problems), problems
