"""Talking to Request Tracker's REST2: the TicketSQL a search sends, and one GET read as JSON, tried
again on 429 and 5xx after the wait RT asks for."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from tui.domain.retry_after import seconds_asked
from tui.domain.text_safety import shorten, strip_unsafe, visible
from tui.sources.model import SourceError

TRIES = 3
MAX_WAIT = 30.0  # seconds: a longer Retry-After is not waited for
FIRST_WAIT = 0.5  # seconds before the second try when RT names no wait
MAX_TERMS = 12
_TERM = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}<>"


@dataclass(frozen=True, slots=True)
class RTAnswer:
    status: int
    body: dict[str, Any]
    url: str

    @property
    def message(self) -> str:
        """RT's own words on an error (``{"message": …}``), safe for one line."""
        return shorten(visible(" ".join(str(self.body.get("message") or "").split())), 200)


def quoted(value: str) -> str:
    """`value` as a TicketSQL string: in single quotes, with backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ticket_sql(text: str, queue: str | None) -> str | None:
    """Subject LIKE each word of `text` (AND-ed), within `queue` when set; None when `text` has no word."""
    terms = [term.strip(_EDGE_PUNCTUATION) for term in _TERM.findall(strip_unsafe(text))]
    terms = list(dict.fromkeys(term for term in terms if term))[:MAX_TERMS]
    if not terms:
        return None
    clauses = [f"Subject LIKE {quoted(term)}" for term in terms]
    if queue:
        clauses.append(f"Queue = {quoted(queue)}")
    return " AND ".join(clauses)


async def call_rt(client: httpx.AsyncClient, url: str, params: Mapping[str, str], timeout: float) -> RTAnswer:
    """RT's answer to a GET of `url`: its status and JSON object. SourceError (without the query
    string) when RT cannot be reached, does not answer in time, keeps failing, or answers non-JSON."""
    for attempt in range(1, TRIES + 1):
        try:
            response = await client.get(url, params=params)
        except httpx.TimeoutException:
            raise SourceError(f"Request Tracker at {url} did not answer within {timeout:g} s") from None
        except httpx.HTTPError as error:
            why = shorten(visible(str(error)) or type(error).__name__, 160)
            raise SourceError(f"could not reach Request Tracker at {url}: {why}") from None
        if response.status_code == 429 or response.status_code >= 500:
            wait = _retry_after(response)
            if attempt < TRIES and (wait is None or wait <= MAX_WAIT):
                await asyncio.sleep(FIRST_WAIT * attempt if wait is None else wait)
                continue
        return RTAnswer(response.status_code, _json_object(response, url), url)
    raise AssertionError("unreachable: the last try returns")


def _json_object(response: httpx.Response, url: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        if response.status_code in (401, 403, 404):
            return {}  # the status says enough (a proxy's HTML page, say)
        start = visible(response.content[:120].decode("utf-8", "replace"))
        raise SourceError(f"Request Tracker at {url} answered {response.status_code} with something that is not "
                          f"JSON: “{start}” — is this RT 5's address (without /REST/2.0)?") from None
    if isinstance(body, list):  # some RT answers are a list of messages: ["Comments added"]
        return {"message": "; ".join(str(part) for part in body)}
    if not isinstance(body, dict):
        raise SourceError(f"Request Tracker at {url} answered {response.status_code} with JSON that is not an "
                          f"object")
    return body


def _retry_after(response: httpx.Response) -> float | None:
    return seconds_asked(response.headers.get("retry-after", ""))
