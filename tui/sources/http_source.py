"""Calling a team tool's HTTP API for a source: one GET or POST whose JSON answer comes back, or a
`SourceError` that says which source failed and what to check.

Every call keeps to the source's `timeout` in total: connecting, reading, and any wait a 429 or a 5xx
asks for (Retry-After, seconds or an HTTP date) before the next of at most three tries. Redirects are
not followed (a source's address is written in the config, and a redirect would carry the credential
elsewhere). No secret reaches a message: the values of the variables the config names are masked.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx

from tui.domain.retry_after import seconds_asked
from tui.domain.service_config import SecretMissing, secret
from tui.domain.text_safety import shorten, visible
from tui.sources.model import TITLE_LIMIT, SourceError, SourceItem

TRIES = 3
FIRST_BACKOFF = 0.25  # seconds before the second try when the service names no wait
SHOWN = 60  # characters of a server's answer quoted in a message


@dataclass(frozen=True, slots=True)
class Hints:
    """What a person should check after each kind of refusal, in the service's own terms."""

    unauthorized: str  # 401: which variable holds the credential
    forbidden: str  # 403: which permission or scope
    not_found: str  # 404: which address or name


@dataclass(frozen=True, slots=True)
class Service:
    """One configured source's HTTP side: how it is named in messages, how long it may take, how it
    signs in, and which secret values must never be shown."""

    label: str  # "Zendesk", or "Zendesk (zendesk-eu)" when the source has a name of its own
    timeout: float
    hints: Hints
    headers: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)  # variable name -> value, masked in messages

    def fail(self, text: str) -> SourceError:
        return SourceError(mask(f"{self.label} {text}", self.secrets))


def label_of(service: str, name: str) -> str:
    """The service's name, with the source's own when the config calls it something else."""
    return service if name.casefold() == service.casefold() else f"{service} ({name})"


def read_secret(env: Mapping[str, str], variable: str, what: str) -> str:
    """The value of `variable`, or a SourceError naming it."""
    try:
        return secret(env, variable, what)
    except SecretMissing as missing:
        raise SourceError(str(missing)) from None


def mask(text: str, secrets: Mapping[str, str]) -> str:
    """`text` with each secret value (longest first) replaced by ``‹$NAME›``."""
    for name, value in sorted(secrets.items(), key=lambda item: -len(item[1])):
        if value:
            text = text.replace(value, f"‹${name}›")
    return text


def client(service: Service) -> httpx.AsyncClient:
    """An async client for one search: no redirects, no credentials or proxies picked up from
    ~/.netrc or the environment (the config says where each source is and how it signs in)."""
    return httpx.AsyncClient(follow_redirects=False, trust_env=False, headers=dict(service.headers),
                             timeout=httpx.Timeout(service.timeout))


async def call_json(http: httpx.AsyncClient, service: Service, method: str, url: str, *,
                    params: Mapping[str, str | int] | None = None, body: Any = None) -> Any:
    """The parsed JSON answer to one request, tried again on 429 and 5xx within the source's timeout."""
    deadline = time.monotonic() + service.timeout
    where = _address(url)
    for attempt in range(1, TRIES + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise service.fail(f"did not answer within {service.timeout:g} s at {where}: check the address, "
                               "or raise this source's timeout")
        try:
            response = await http.request(method, url, params=params, json=body, timeout=httpx.Timeout(left))
        except httpx.TimeoutException:
            raise service.fail(f"did not answer within {service.timeout:g} s at {where}: check the address, "
                               "or raise this source's timeout") from None
        except httpx.ConnectError as error:
            raise service.fail(f"could not be reached at {where} ({_why(error)}): check the address") from None
        except httpx.HTTPError as error:
            raise service.fail(f"broke off its answer at {where} ({_why(error)}): try again") from None
        if response.is_success:
            return _parsed(response, service)
        wait = _wait_before_retry(response, attempt)
        if wait is None:
            raise _refusal(response, service, where)
        if attempt == TRIES or wait >= deadline - time.monotonic():
            raise _gave_up(response, service, wait, attempt)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable: the last try returns or raises")


def _wait_before_retry(response: httpx.Response, attempt: int) -> float | None:
    """How long to wait before trying again, or None when another try would not help. A 403 with
    Retry-After, or with no requests left until a reset time, is a rate limit too (GitHub's limits
    answer that way)."""
    status = response.status_code
    asked = retry_after(response)
    if asked is None and response.headers.get("x-ratelimit-remaining") == "0":
        asked = _until_reset(response.headers.get("x-ratelimit-reset", ""))
    if status == 429 or status >= 500 or (status == 403 and asked is not None):
        return asked if asked is not None else FIRST_BACKOFF * 2 ** (attempt - 1)
    return None


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """The wait the service asked for in Retry-After (seconds or an HTTP date), if any."""
    return seconds_asked(response.headers.get("retry-after", ""), now)


def _until_reset(value: str) -> float | None:
    """Seconds until a rate limit's reset, given as Unix time (x-ratelimit-reset)."""
    try:
        return max(0.0, float(value) - time.time())
    except ValueError:
        return None


def _refusal(response: httpx.Response, service: Service, where: str) -> SourceError:
    status = response.status_code
    said = _said(response)
    if status == 401:
        return service.fail(f"answered 401: {service.hints.unauthorized}{said}")
    if status == 403:
        return service.fail(f"answered 403: {service.hints.forbidden}{said}")
    if status == 404:
        return service.fail(f"answered 404 at {where}: {service.hints.not_found}{said}")
    if 300 <= status < 400:
        target = visible(shorten(response.headers.get("location", ""), 200)) or "another address"
        return service.fail(f"answered {status}, sending the search to {target}; redirects are not followed: "
                            "check the address in this source's settings")
    return service.fail(f"refused the search ({status}){said}")


def _gave_up(response: httpx.Response, service: Service, wait: float, attempt: int) -> SourceError:
    status = response.status_code
    if attempt < TRIES:
        return service.fail(f"answered {status} and asked to wait {wait:.0f} s, longer than this source's "
                            f"{service.timeout:g} s timeout: try again later")
    return service.fail(f"answered {status} {TRIES} times in a row{_said(response)}: try again later")


def _parsed(response: httpx.Response, service: Service) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        start = visible(shorten(" ".join(response.text[:200].split()), SHOWN)) or "nothing"
        raise service.fail(f"sent an answer that is not JSON (first bytes: {start})") from None


def _said(response: httpx.Response) -> str:
    """The start of an error answer, shown after the hint: one line, visible, short."""
    text = visible(" ".join(response.text[:500].split()))
    return f" (it said: {shorten(text, SHOWN)})" if text else ""


def _address(url: str) -> str:
    """The URL without its query (search terms stay out of messages)."""
    parts = httpx.URL(url)
    return visible(str(parts.copy_with(query=None, fragment=None)))


def _why(error: Exception) -> str:
    return shorten(visible(str(error)), 120) or type(error).__name__


# --- reading fields out of an answer: anything may be missing or of the wrong type -------------


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str:
    """A string or number from an answer as text; anything else as nothing."""
    if isinstance(value, bool):
        return ""
    return str(value) if isinstance(value, str | int | float) else ""


def title_of(value: Any) -> str:
    """A title as an item keeps it: one line, control characters gone, not too long."""
    return SourceItem.clean(" ".join(as_text(value).split()), TITLE_LIMIT)


def day_of(value: Any) -> date | None:
    """The day of an ISO 8601 timestamp ("2025-03-01T10:22:33Z", "…000+0000"), or None."""
    text = as_text(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def expect(answer: Any, service: Service, key: str) -> list[Any]:
    """The list under `key` in a JSON object, or a SourceError saying the answer is not the service's."""
    if not isinstance(answer, dict) or not isinstance(answer.get(key), list):
        raise service.fail(f"sent an answer without a “{key}” list: check that the address is the service's API")
    return answer[key]
