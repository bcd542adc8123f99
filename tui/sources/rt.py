"""Request Tracker 5: tickets found through REST2's ticket search (TicketSQL on the subject), signed in
with an auth token or a user and password.

RT filters a search by the user's rights without saying so: a queue the user may not see just comes
back empty. So when a queue is configured, the source first asks for the queue itself (403 when it is
hidden from the user, 404 when there is none), once per source, to say so instead of finding nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal, Self
from urllib.parse import quote

import httpx
from pydantic import Field, field_validator, model_validator

from tui.domain.models import ContextKind
from tui.domain.service_config import EnvName, Name, SecretMissing, secret
from tui.sources.config import SourceConfig
from tui.sources.model import Place, Provenance, Query, SourceError, SourceItem
from tui.sources.rt_wire import RTAnswer, call_rt, ticket_sql

FIELDS = "Subject,Status,Priority,Queue,Created,LastUpdated,Requestors"


class Config(SourceConfig):
    type: Literal["rt"]
    base_url: str = Field(description="RT's address: https://rt.example.com (the part before /REST/2.0).")
    token_env: EnvName | None = Field(default=None, description="The variable holding an RT auth token.")
    user: Name | None = Field(default=None, description="The RT user to sign in as (with password_env).")
    password_env: EnvName | None = Field(default=None, description="The variable holding that user's password.")
    queue: Name | None = Field(default=None, description="Search this queue only (by name).")
    per_page: int = Field(default=50, ge=1, le=100, description="Tickets asked for in one request.")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _one_way_to_sign_in(self) -> Self:
        basic = self.user is not None or self.password_env is not None
        if self.token_env and basic:
            raise ValueError("a Request Tracker source signs in one way: either token_env (an auth token) or "
                             "user with password_env, not both")
        if not self.token_env and not (self.user and self.password_env):
            raise ValueError("a Request Tracker source needs a way to sign in: token_env naming the variable that "
                             "holds an RT auth token, or user with password_env naming the variable that holds "
                             "the password")
        return self


class RTSource:
    """One configured RT, ready to search."""

    def __init__(self, config: Config, authorization: str, secrets: tuple[str, ...], blame: str) -> None:
        self.name = config.name
        self.config = config
        self._authorization = authorization
        self._secrets = secrets
        self._blame = blame  # what to check after a 401
        self._queue_seen = False

    async def search(self, query: Query) -> list[SourceItem]:
        sql = ticket_sql(query.text, self.config.queue)
        if sql is None:
            return []
        limit = min(query.limit, self.config.limit)
        per_page = min(self.config.per_page, limit)
        timeout = httpx.Timeout(self.config.timeout)
        async with httpx.AsyncClient(timeout=timeout, headers=self._headers()) as client:
            if self.config.queue and not self._queue_seen:
                await self._check_queue(client, self.config.queue)
                self._queue_seen = True
            fetched_at = datetime.now(UTC)
            items: list[SourceItem] = []
            page = 1
            while len(items) < limit:
                answer = await self._get(client, "/tickets", {
                    "query": sql, "fields": FIELDS, "fields[Queue]": "Name",
                    "fields[Requestors]": "EmailAddress,RealName,Name",
                    "orderby": "LastUpdated", "order": "DESC", "page": str(page), "per_page": str(per_page)})
                found = _list(answer, "items")
                items += [self._item(raw, fetched_at) for raw in found if isinstance(raw, Mapping)]
                pages = _number(answer.body.get("pages"))
                if not found or page >= pages:
                    break
                page += 1
        return items[:limit]

    async def _check_queue(self, client: httpx.AsyncClient, queue: str) -> None:
        answer = await self._get(client, f"/queue/{quote(queue, safe='')}", {}, expect={200, 403, 404})
        if answer.status == 403:
            raise self._error(f"Request Tracker answered 403 ({answer.message or 'Forbidden'}) for the queue "
                              f"{queue!r}: {self._who()} may not see it. Ask an RT administrator to grant "
                              f"SeeQueue and ShowTicket on that queue, or change the source's queue setting")
        if answer.status == 404:
            raise self._error(f"Request Tracker has no queue called {queue!r}: check the source's queue setting "
                              f"(names are RT's queue names, e.g. General)")

    async def _get(self, client: httpx.AsyncClient, path: str, params: Mapping[str, str],
                   expect: set[int] | None = None) -> RTAnswer:
        try:
            answer = await call_rt(client, f"{self.config.base_url}/REST/2.0{path}", params, self.config.timeout)
        except SourceError as error:
            raise self._error(str(error)) from None
        if answer.status in (expect or {200}):
            return answer
        if answer.status == 401:
            raise self._error(f"Request Tracker answered 401: check {self._blame}")
        if answer.status == 403:
            raise self._error(f"Request Tracker answered 403 ({answer.message or 'Forbidden'}): {self._who()} "
                              f"lacks a right this search needs; ask an RT administrator to grant it")
        said = f": {answer.message}" if answer.message else ""
        if answer.status == 400:
            raise self._error(f"Request Tracker could not run the search (400){said}")
        raise self._error(f"Request Tracker answered {answer.status}{said}")

    def _item(self, raw: Mapping[str, Any], fetched_at: datetime) -> SourceItem:
        number = str(raw.get("id", "")).strip()
        queue = raw.get("Queue")
        queue_name = str(queue.get("Name") or "") if isinstance(queue, Mapping) else ""
        requestors = [r for r in raw.get("Requestors") or [] if isinstance(r, Mapping)]
        status = SourceItem.clean(str(raw.get("Status") or ""), 40)
        priority = str(raw.get("Priority") or "")
        facts = [f"Queue: {queue_name}" if queue_name else "", f"Status: {status}" if status else "",
                 f"Priority: {priority}" if priority else "",
                 "Requestors: " + ", ".join(_person(r) for r in requestors) if requestors else ""]
        return SourceItem(
            kind=ContextKind.TICKET,
            title=SourceItem.clean(str(raw.get("Subject") or "(no subject)"), 300).replace("\n", " "),
            reference=f"RT #{number}",
            provenance=Provenance(self.name, number, f"{self.config.base_url}/Ticket/Display.html?id={number}",
                                  fetched_at),
            customer=SourceItem.clean(_customer(requestors), 120),
            when=_day(raw.get("LastUpdated")) or _day(raw.get("Created")),
            status=status,
            excerpt=SourceItem.clean("\n".join(fact for fact in facts if fact)),
        )

    def _headers(self) -> dict[str, str]:
        return {"Authorization": self._authorization, "Accept": "application/json"}

    def _who(self) -> str:
        return f"the user {self.config.user!r}" if self.config.user else "the owner of the auth token"

    def _error(self, message: str) -> SourceError:
        for value in self._secrets:
            message = message.replace(value, "***")
        return SourceError(f"{self.name}: {message}")


def open_source(config: Config, env: Mapping[str, str], place: Place) -> RTSource:
    what = f"The Request Tracker {{}} of source {config.name!r}"
    try:
        if config.token_env:
            token = secret(env, config.token_env, what.format("auth token"))
            return RTSource(config, f"token {token}", (token,), f"the auth token in ${config.token_env}")
        password = secret(env, config.password_env or "", what.format("password"))
    except SecretMissing as error:
        raise SourceError(str(error)) from None
    pair = base64.b64encode(f"{config.user}:{password}".encode()).decode()
    return RTSource(config, f"Basic {pair}", (password, pair),
                    f"the user {config.user!r} and the password in ${config.password_env}")


def _list(answer: RTAnswer, key: str) -> list[Any]:
    value = answer.body.get(key)
    if not isinstance(value, list):
        raise SourceError(f"Request Tracker's answer has no list of {key}: is {answer.url} an RT 5 REST2 address?")
    return value


def _number(value: Any) -> int:
    try:
        return int(float(value))  # RT says "pages": 0.0 when nothing matched
    except (TypeError, ValueError):
        return 0


def _person(requestor: Mapping[str, Any]) -> str:
    name, address = str(requestor.get("RealName") or ""), str(requestor.get("EmailAddress") or "")
    return f"{name} <{address}>" if name and address else name or address or str(requestor.get("Name") or "")


def _customer(requestors: list[Mapping[str, Any]]) -> str:
    """Who the ticket is from: the first requestor's mail domain, or their name when they have no address."""
    for requestor in requestors:
        address = str(requestor.get("EmailAddress") or "")
        if "@" in address:
            return address.rsplit("@", 1)[1].lower()
        name = str(requestor.get("RealName") or requestor.get("Name") or "")
        if name:
            return name
    return ""


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value or value.startswith("1970-01-01"):
        return None  # RT writes an unset date as the epoch
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None

