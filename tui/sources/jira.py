"""Jira Cloud: issues from `GET /rest/api/3/search/jql`, the query's words as ``text ~ "…"`` within the
configured scope, newest update first, following `nextPageToken` until `isLast` or the limit. The
description comes as ADF; its text is the excerpt. Signs in with an e-mail address and an API token."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator

from tui.domain.models import ContextKind
from tui.domain.service_config import EnvName
from tui.sources import http_source as web
from tui.sources.adf_text import adf_text
from tui.sources.config import SourceConfig
from tui.sources.model import Place, Provenance, Query, SourceItem

PAGE_MOST = 50
FIELDS = "summary,status,priority,labels,updated,description"


class Config(SourceConfig):
    type: Literal["jira"]
    base_url: str = Field(description="The site: https://acme.atlassian.net")
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+$",
                                            max_length=254)] = Field(description="The account's e-mail address.")
    api_token_env: EnvName = Field(description="The variable holding the account's API token.")
    jql_scope: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000,
                                                pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")] = Field(
        default="", description="JQL every search is kept within, e.g. project = SUP (empty: all projects).")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


def jql_string(text: str) -> str:
    """`text` as a JQL string literal: quotes and backslashes escaped, on one line."""
    one_line = " ".join(text.split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def jql_for(terms: str, scope: str) -> str:
    """The search: the words as text within the scope, most recently updated first."""
    condition = f"text ~ {jql_string(terms)}"
    if scope:
        condition = f"({scope}) AND {condition}"
    return f"{condition} ORDER BY updated DESC"


class JiraSource:
    def __init__(self, config: Config, service: web.Service) -> None:
        self.name = config.name
        self.config = config
        self.service = service

    async def search(self, query: Query) -> list[SourceItem]:
        terms = query.words
        if not terms:
            return []
        limit = min(query.limit, self.config.limit)
        jql = jql_for(terms, self.config.jql_scope)
        fetched_at = datetime.now(UTC)
        items: list[SourceItem] = []
        token = ""
        async with web.client(self.service) as http:
            while len(items) < limit:
                params: dict[str, str | int] = {"jql": jql, "fields": FIELDS,
                                                "maxResults": min(PAGE_MOST, limit - len(items))}
                if token:
                    params["nextPageToken"] = token
                answer = await web.call_json(http, self.service, "GET",
                                             f"{self.config.base_url}/rest/api/3/search/jql", params=params)
                issues = web.expect(answer, self.service, "issues")
                items += [item for issue in issues if (item := self._item(web.as_dict(issue), fetched_at))]
                token = web.as_text(answer.get("nextPageToken"))
                if answer.get("isLast") is not False or not token or not issues:
                    break
        return items[:limit]

    def _item(self, issue: dict[str, Any], fetched_at: datetime) -> SourceItem | None:
        key = web.as_text(issue.get("key"))
        if not key:
            return None
        fields = web.as_dict(issue.get("fields"))
        status = web.as_text(web.as_dict(fields.get("status")).get("name"))
        return SourceItem(
            kind=ContextKind.TRACKER, title=web.title_of(fields.get("summary")) or key, reference=key,
            provenance=Provenance(self.name, web.as_text(issue.get("id")) or key,
                                  f"{self.config.base_url}/browse/{key}", fetched_at),
            when=web.day_of(fields.get("updated")), status=web.title_of(status),
            excerpt=SourceItem.clean(adf_text(fields.get("description"))))


def open_source(config: Config, env: Mapping[str, str], place: Place) -> JiraSource:
    label = web.label_of("Jira", config.name)
    variable = config.api_token_env
    token = web.read_secret(env, variable, f"{label}'s API token")
    basic = base64.b64encode(f"{config.email}:{token}".encode()).decode()
    hints = web.Hints(unauthorized=f"check the API token in ${variable} and the email ({config.email})",
                      forbidden=f"the account behind ${variable} may not browse these projects: check its "
                                "permissions and jql_scope",
                      not_found="check base_url (the site, e.g. https://acme.atlassian.net)")
    headers = {"Authorization": f"Basic {basic}", "Accept": "application/json"}
    return JiraSource(config, web.Service(label, config.timeout, hints, headers, {variable: token}))
