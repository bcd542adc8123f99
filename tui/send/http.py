"""Sending one HTTP request and reading the answer the way every service needs it read: which
failures may be tried again, which need a person, and which may already have landed."""

from __future__ import annotations

from datetime import datetime

import httpx

from tui.domain.retry_after import seconds_asked
from tui.domain.text_safety import shorten, visible
from tui.send.model import Outcome, Request, mask

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_ANSWER_SHOWN = 300


def send(client: httpx.Client, request: Request, timeout: float) -> httpx.Response | Outcome:
    """The response, or the outcome of a request that got none: refused before anything was sent
    (try again later) or cut off after the body may have reached the service (uncertain)."""
    try:
        return client.request(request.method, request.url, headers=dict(request.headers), content=request.body,
                              timeout=timeout)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        return Outcome.retry(f"could not connect to {_host(request)}: {_why(error, request)}")
    except (httpx.ReadTimeout, httpx.WriteTimeout) as error:
        return Outcome.uncertain(f"{_host(request)} did not answer within {timeout:g} s after the request was "
                                 f"sent ({_why(error, request)}): it may have been delivered")
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        return Outcome.uncertain(f"the connection to {_host(request)} broke after the request was sent "
                                 f"({_why(error, request)}): it may have been delivered")
    except httpx.HTTPError as error:
        return Outcome.retry(f"could not reach {_host(request)}: {_why(error, request)}")


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """The wait the service asked for in Retry-After (seconds or an HTTP date), if any."""
    return seconds_asked(response.headers.get("retry-after", ""), now)


def answer(response: httpx.Response) -> str:
    """The start of what the service answered, safe to show: one line, no control characters."""
    return shorten(visible(" ".join(response.text.split())), MAX_ANSWER_SHOWN)


def by_status(response: httpx.Response, service: str) -> Outcome:
    """The outcome of an unsuccessful status alone: 408, 425, 429 and 5xx are tried again (after the
    wait the service asks for), any other 4xx needs a fix."""
    status = response.status_code
    said = answer(response)
    detail = f": {said}" if said else ""
    if status in RETRYABLE_STATUS or status >= 500:
        return Outcome.retry(f"{service} answered {status}{detail}", retry_after(response))
    return Outcome.permanent(f"{service} refused it ({status}){detail}")


def _host(request: Request) -> str:
    return httpx.URL(request.url).host or "the service"


def _why(error: Exception, request: Request) -> str:
    text = mask(visible(str(error)), request.secrets) or type(error).__name__
    return shorten(text, 160)
