"""Zendesk: tickets from the Search API (`/api/v2/search.json`, ``type:ticket`` and the query's words),
with the organization and requester side-loaded for the customer, and the newest comments of the top
few tickets added to their excerpt.

Search pages by `page` / `per_page` (at most 100) and stops at Zendesk's 1,000-result cap: page 11 of
100 answers 422, so it is never asked for. Signs in with an agent's e-mail and API token (basic
``{email}/token:{token}``) or an OAuth token (Bearer).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self

import httpx
from pydantic import Field, StringConstraints, field_validator, model_validator

from tui.domain.models import ContextKind
from tui.domain.service_config import EnvName
from tui.sources.config import SourceConfig
from tui.sources.http_source import (
    Hints,
    Service,
    as_dict,
    as_list,
    as_text,
    call_json,
    client,
    day_of,
    expect,
    label_of,
    read_secret,
    title_of,
)
from tui.sources.model import Place, Provenance, Query, SourceError, SourceItem

RESULT_CAP = 1000  # Zendesk's search answers no further than this
PAGE_MOST = 100
COMMENTS_EACH = 2  # newest comments added to a ticket's excerpt


class Config(SourceConfig):
    type: Literal["zendesk"]
    subdomain: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] | None = Field(
        default=None, description="acme for https://acme.zendesk.com")
    base_url: str | None = Field(default=None, description="The whole address instead of subdomain "
                                                           "(https, or a server on this machine for tests).")
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+$",
                                            max_length=254)] | None = Field(
        default=None, description="The agent's e-mail address, signing in with api_token_env.")
    api_token_env: EnvName | None = Field(default=None, description="The variable holding the agent's API token.")
    oauth_token_env: EnvName | None = Field(default=None, description="The variable holding an OAuth token "
                                                                      "(instead of email and api_token_env).")
    comments_for: int = Field(default=3, ge=0, le=10, description="How many of the top tickets get their newest "
                                                                  "comments in the excerpt (0: none).")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _where_and_how(self) -> Self:
        if bool(self.subdomain) == bool(self.base_url):
            raise ValueError("a Zendesk source needs its address: subdomain = \"acme\" for https://acme.zendesk.com "
                             "(or base_url, but not both)")
        if self.oauth_token_env:
            if self.api_token_env:
                raise ValueError("a Zendesk source signs in one way: oauth_token_env, or email with api_token_env")
        elif not (self.email and self.api_token_env):
            raise ValueError("a Zendesk source signs in with an agent's e-mail and API token (email = \"…\" and "
                             "api_token_env naming the variable that holds the token) or with oauth_token_env")
        return self

    @property
    def root(self) -> str:
        return self.base_url or f"https://{self.subdomain}.zendesk.com"


class ZendeskSource:
    def __init__(self, config: Config, service: Service) -> None:
        self.name = config.name
        self.config = config
        self.service = service

    async def search(self, query: Query) -> list[SourceItem]:
        terms = query.words
        if not terms:
            return []
        limit = min(query.limit, self.config.limit, RESULT_CAP)
        per_page = min(PAGE_MOST, limit)
        fetched_at = datetime.now(UTC)
        items: list[SourceItem] = []
        async with client(self.service) as http:
            page = 1
            while len(items) < limit and page * per_page <= RESULT_CAP:
                answer = await call_json(http, self.service, "GET", f"{self.config.root}/api/v2/search.json", params={
                    "query": f"type:ticket {terms}", "page": page, "per_page": per_page,
                    "include": "tickets(users,organizations)"})
                results = expect(answer, self.service, "results")
                customers = _customers(answer)
                for result in results:
                    ticket = as_dict(result)
                    if ticket.get("result_type") == "ticket" and as_text(ticket.get("id")):
                        items.append(self._item(ticket, customers, fetched_at))
                if not answer.get("next_page") or not results:
                    break
                page += 1
            items = items[:limit]
            top = items[: self.config.comments_for]
            with_comments = await asyncio.gather(*(self._with_comments(http, item) for item in top))
        return [*with_comments, *items[len(top):]]

    def _item(self, ticket: dict[str, Any], customers: Mapping[str, str], fetched_at: datetime) -> SourceItem:
        number = as_text(ticket["id"])
        customer = (customers.get(f"org:{as_text(ticket.get('organization_id'))}")
                    or customers.get(f"user:{as_text(ticket.get('requester_id'))}", ""))
        return SourceItem(
            kind=ContextKind.TICKET, title=title_of(ticket.get("subject")) or f"Ticket #{number}",
            reference=f"#{number}",
            provenance=Provenance(self.name, number, f"{self.config.root}/agent/tickets/{number}", fetched_at),
            customer=title_of(customer), when=day_of(ticket.get("updated_at")) or day_of(ticket.get("created_at")),
            status=title_of(ticket.get("status")), excerpt=SourceItem.clean(as_text(ticket.get("description"))))

    async def _with_comments(self, http: httpx.AsyncClient, item: SourceItem) -> SourceItem:
        """The item with its ticket's newest comments after the description; as it was if they
        cannot be read (the search itself answered, so the ticket is still worth showing)."""
        try:
            answer = await call_json(
                http, self.service, "GET", f"{self.config.root}/api/v2/tickets/{item.provenance.id}/comments.json",
                params={"sort_order": "desc", "page[size]": COMMENTS_EACH})
        except SourceError:
            return item
        bodies = [as_text(as_dict(comment).get("plain_body")).strip() for comment in as_list(as_dict(answer).get(
            "comments"))[:COMMENTS_EACH]]
        newest = [body for body in bodies if body]
        if not newest:
            return item
        excerpt = "\n\n".join([item.excerpt, "Newest comments:", *newest]) if item.excerpt else "\n\n".join(newest)
        return SourceItem(item.kind, item.title, item.reference, item.provenance, item.customer, item.when,
                          item.status, SourceItem.clean(excerpt))


def _customers(answer: dict[str, Any]) -> dict[str, str]:
    """Side-loaded names: "org:<id>" for organizations, "user:<id>" for requesters."""
    names: dict[str, str] = {}
    for prefix, key in (("org", "organizations"), ("user", "users")):
        for entry in as_list(answer.get(key)):
            entry = as_dict(entry)
            if as_text(entry.get("id")) and as_text(entry.get("name")):
                names[f"{prefix}:{as_text(entry['id'])}"] = as_text(entry["name"])
    return names


def open_source(config: Config, env: Mapping[str, str], place: Place) -> ZendeskSource:
    label = label_of("Zendesk", config.name)
    if config.oauth_token_env:
        variable = config.oauth_token_env
        token = read_secret(env, variable, f"{label}'s OAuth token")
        headers = {"Authorization": f"Bearer {token}"}
        unauthorized = f"check the OAuth token in ${variable}"
    else:
        assert config.api_token_env
        assert config.email
        variable = config.api_token_env
        token = read_secret(env, variable, f"{label}'s API token")
        basic = base64.b64encode(f"{config.email}/token:{token}".encode()).decode()
        headers = {"Authorization": f"Basic {basic}"}
        unauthorized = f"check the API token in ${variable} and the email ({config.email})"
    hints = Hints(unauthorized=unauthorized,
                  forbidden=f"the agent behind ${variable} may not search tickets: check its role in Zendesk",
                  not_found="check the subdomain (or base_url) in this source's settings")
    headers["Accept"] = "application/json"
    return ZendeskSource(config, Service(label, config.timeout, hints, headers, {variable: token}))
