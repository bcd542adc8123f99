"""HubSpot: companies from the CRM search (`POST /crm/v3/objects/companies/search`), found by the
query's customer (else its text): by `domain` when it looks like one, else by a word of `name`. Each
becomes an account item whose facts (plan, ARR, segment, owner) fill the brief's customer fields.

ARR and plan are custom company properties in most portals, so their internal names are settings
(empty: not read); `annualrevenue` is firmographic revenue, not ARR, and is never taken for it.
Pages by `paging.next.after`, at most 100 a page, up to HubSpot's 10,000-result cap."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator

from tui.domain.models import ContextKind
from tui.domain.service_config import EnvName
from tui.sources import http_source as web
from tui.sources.config import SourceConfig
from tui.sources.model import AccountFacts, Place, Provenance, Query, SourceItem

RESULT_CAP = 10_000
PAGE_MOST = 100
DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,63}$", re.IGNORECASE)

PropertyName = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_]{0,100}$")]


class Config(SourceConfig):
    type: Literal["hubspot"]
    token_env: EnvName = Field(description="The variable holding the private app's access token.")
    arr_property: PropertyName = Field(default="", description="The company property holding ARR (empty: none).")
    plan_property: PropertyName = Field(default="", description="The company property holding the plan.")
    segment_property: PropertyName = Field(default="", description="The company property holding the segment.")
    portal_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{0,20}$")] = Field(
        default="", description="The HubSpot account's id, for links to each company's page (empty: no links).")
    api_url: str = Field(default="https://api.hubapi.com", description="The API's address.")

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def read(self) -> list[str]:
        """The properties a search asks for."""
        wanted = ["name", "domain", "hubspot_owner_id", self.plan_property, self.arr_property, self.segment_property]
        return list(dict.fromkeys(name for name in wanted if name))


def company_filter(wanted: str) -> dict[str, str]:
    """The search filter for a customer: its domain exactly, or a word of its name."""
    if DOMAIN.match(wanted):
        return {"propertyName": "domain", "operator": "EQ", "value": wanted.lower()}
    return {"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": wanted}


def whole_units(value: Any) -> int | None:
    """An amount property ("120000", "120000.50") in whole units, or None if it is not a number."""
    try:
        amount = Decimal(web.as_text(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return int(amount.to_integral_value()) if amount.is_finite() else None


class HubSpotSource:
    def __init__(self, config: Config, service: web.Service) -> None:
        self.name = config.name
        self.config = config
        self.service = service

    async def search(self, query: Query) -> list[SourceItem]:
        wanted = query.account
        if not wanted:
            return []
        limit = min(query.limit, self.config.limit)
        fetched_at = datetime.now(UTC)
        items: list[SourceItem] = []
        after = ""
        async with web.client(self.service) as http:
            while len(items) < limit:
                body: dict[str, Any] = {"filterGroups": [{"filters": [company_filter(wanted)]}],
                                        "properties": self.config.read, "limit": min(PAGE_MOST, limit - len(items))}
                if after:
                    body["after"] = after
                answer = await web.call_json(http, self.service, "POST",
                                             f"{self.config.api_url}/crm/v3/objects/companies/search", body=body)
                found = web.expect(answer, self.service, "results")
                items += [item for company in found if (item := self._item(web.as_dict(company), fetched_at))]
                after = web.as_text(web.as_dict(web.as_dict(answer.get("paging")).get("next")).get("after"))
                if not after or not found or (after.isdigit() and int(after) >= RESULT_CAP):
                    break
        return items[:limit]

    def _item(self, company: dict[str, Any], fetched_at: datetime) -> SourceItem | None:
        number = web.as_text(company.get("id"))
        facts = web.as_dict(company.get("properties"))
        name = web.title_of(facts.get("name"))
        if not number or not name:
            return None
        config = self.config
        account = AccountFacts(
            name=name, plan=web.title_of(facts.get(config.plan_property)) if config.plan_property else "",
            arr=whole_units(facts.get(config.arr_property)) if config.arr_property else None,
            owner=web.title_of(facts.get("hubspot_owner_id")),
            segment=web.title_of(facts.get(config.segment_property)) if config.segment_property else "")
        url = f"https://app.hubspot.com/contacts/{config.portal_id}/company/{number}" if config.portal_id else ""
        domain = web.title_of(facts.get("domain"))
        told = [f"Domain: {domain}" if domain else "", f"Plan: {account.plan}" if account.plan else "",
                f"ARR: {account.arr:,}" if account.arr is not None else "",
                f"Segment: {account.segment}" if account.segment else "",
                f"Owner: {account.owner}" if account.owner else ""]
        return SourceItem(
            kind=ContextKind.ACCOUNT, title=name, reference=f"HubSpot company {number}",
            provenance=Provenance(self.name, number, url, fetched_at), customer=name,
            when=web.day_of(company.get("updatedAt")), excerpt="\n".join(line for line in told if line),
            account=account)


def open_source(config: Config, env: Mapping[str, str], place: Place) -> HubSpotSource:
    label = web.label_of("HubSpot", config.name)
    variable = config.token_env
    token = web.read_secret(env, variable, f"{label}'s private app token")
    hints = web.Hints(unauthorized=f"check the private app token in ${variable}",
                      forbidden=f"the private app behind ${variable} needs the crm.objects.companies.read scope",
                      not_found="check api_url (https://api.hubapi.com)")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    return HubSpotSource(config, web.Service(label, config.timeout, hints, headers, {variable: token}))
