"""`webhook`: the escalation as a generic JSON POST, for any receiver a team runs itself.

The body follows a versioned schema, ``escalate-tui.escalation/1``, described in
`webhook-schema.json` beside this module (and in docs/webhook.md). Every request carries:

- ``X-Escalate-Delivery``: the send's idempotency key. A retry of the same send carries the same
  key, so a receiver that keeps the keys it has seen can drop a repeat.
- ``X-Escalate-Timestamp``: Unix seconds when the request left.
- ``X-Escalate-Signature: sha256=<hex>`` when `secret_env` is set: the HMAC-SHA256, keyed with the
  secret, of ``f"{timestamp}.{body}"`` (the timestamp header, a dot, then the raw body bytes).

A receiver verifies a request so::

    expected = hmac.new(secret, timestamp.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    ok = hmac.compare_digest("sha256=" + expected, signature_header) and abs(time.time() - int(timestamp)) < 300

2xx is delivered; 408, 429 and 5xx are tried again (after Retry-After); any other 4xx stops the send.
A webhook has no way to look for an earlier copy (`DEDUP` is False): an attempt that may have landed
is left for a person to confirm, never posted again blindly.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Self
from urllib.parse import urlsplit

import httpx
from pydantic import Field, model_validator

from tui.domain.secrets import find_secrets, redact
from tui.domain.text_safety import shorten, strip_unsafe
from tui.send.config import DestinationConfig, EnvName, inline_secret_message, secret, secret_url
from tui.send.http import by_status, send
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, Payload, Request

SCHEMA = "escalate-tui.escalation/1"
DEDUP = False
RESERVED_HEADERS = frozenset({"content-type", "content-length", "host", "user-agent", "x-escalate-delivery",
                              "x-escalate-timestamp", "x-escalate-signature"})


class Config(DestinationConfig):
    """A generic JSON webhook."""

    type: Literal["webhook"] = "webhook"
    url: str = Field(default="", description="Where to POST: https (plain http only to this machine).")
    url_env: EnvName | None = Field(
        default=None, description="The environment variable holding the URL instead, when the URL itself is a secret.")
    secret_env: EnvName | None = Field(
        default=None, description="The environment variable holding the key that signs each request (HMAC-SHA256).")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra headers, none of them secret.")
    secret_headers_env: dict[str, EnvName] = Field(
        default_factory=dict, description="Extra headers whose values are secrets: header name = variable name.")

    @classmethod
    def inline_secrets(cls, table: Mapping[str, Any]) -> list[tuple[str, str]]:
        # Unlike other types, a webhook's URL may be written here: only one that carries a token is refused.
        url = table.get("url")
        rest = {key: value for key, value in table.items() if key != "url"}
        found = super().inline_secrets(rest)
        if isinstance(url, str) and (find_secrets(url) or urlsplit(url).query):
            found.insert(0, ("url", inline_secret_message("url", "url_env")))
        return found

    @model_validator(mode="after")
    def _one_url(self) -> Self:
        if bool(self.url) == bool(self.url_env):
            raise ValueError("a webhook needs exactly one of url (written here) or url_env (the name of the "
                             "environment variable that holds the URL, when the URL itself is a secret)")
        for name in (*self.headers, *self.secret_headers_env):
            if name.casefold() in RESERVED_HEADERS or not name.isascii() or not name.replace("-", "").isalnum():
                raise ValueError(f"headers: {name!r} cannot be set here (it is not a header name, or escalate-tui "
                                 "sets it itself)")
        for name, value in self.headers.items():
            if name.casefold() in ("authorization", "cookie", "proxy-authorization") or redact(value) != value:
                raise ValueError(f"headers.{name} holds a secret, and secrets are not written in the config: put "
                                 f"it in an environment variable and name it under secret_headers_env instead")
        return self


def _text(value: str) -> str:
    """A one-line field: control characters gone, line breaks and tabs made spaces, secrets masked."""
    return redact(" ".join(strip_unsafe(value).split()))


def build(brief: Brief, config: Config) -> Payload:
    esc, assessment = brief.esc, brief.assessment
    severity, target = assessment.severity.effective, assessment.target.effective
    summary = _text(esc.summary)
    body = {
        "schema": SCHEMA,
        "reference": brief.reference,
        "escalation_id": brief.escalation_id,
        "version": brief.version,
        "summary": summary,
        "severity": severity.value,
        "severity_label": severity.label,
        "target": target.value,
        "target_label": target.label,
        "customer": {"name": _text(esc.customer.name), "segment": _text(esc.customer.segment),
                     "plan": _text(esc.customer.plan), "key_account": esc.customer.key_account},
        "brief_markdown": strip_unsafe(brief.markdown),
        "date": brief.today.isoformat(),
    }
    title = shorten(f"{brief.reference} v{brief.version}: {summary or '(no summary)'}", 120)
    return Payload(config.name, "webhook", body, idempotency_key(brief, config.name), title)


def body_bytes(payload: Payload) -> bytes:
    """The body exactly as it leaves: compact JSON, UTF-8."""
    return json.dumps(payload.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(key: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(key.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    secrets: dict[str, str] = {}
    where = f"the webhook {config.name}"
    if config.url_env:
        url = secret_url(env, config.url_env, f"The URL of {where}")
        secrets[config.url_env] = url
    else:
        url = config.url
    body = body_bytes(payload)
    timestamp = str(int(now.timestamp()))
    from tui import __version__

    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": f"escalate-tui/{__version__}",
               **config.headers, "X-Escalate-Delivery": payload.idempotency_key, "X-Escalate-Timestamp": timestamp}
    for name, variable in config.secret_headers_env.items():
        headers[name] = secrets[variable] = secret(env, variable, f"The {name} header of {where}")
    if config.secret_env:
        key = secret(env, config.secret_env, f"The signing key of {where}")
        secrets[config.secret_env] = key
        headers["X-Escalate-Signature"] = signature(key, timestamp, body)
    return Request("POST", url, headers, body, secrets)


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    del unclear  # a webhook cannot be asked whether it got a send: the worker never calls again blindly
    sent = send(client, request(payload, config, env, now), config.timeout)
    if isinstance(sent, Outcome):
        return sent
    if 200 <= sent.status_code < 300:
        remote_id, remote_url = _receipt(sent)
        return Outcome.delivered(remote_id or payload.idempotency_key, remote_url)
    return by_status(sent, f"the webhook {config.name}")


def _receipt(response: httpx.Response) -> tuple[str, str]:
    """An id and a link the receiver may answer with (``{"id": …, "url": "https://…"}``); both optional."""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    found = data.get("id")
    remote_id = str(found)[:200] if isinstance(found, str | int) and not isinstance(found, bool) else ""
    link = data.get("url")
    remote_url = link[:2000] if isinstance(link, str) and link.startswith(("https://", "http://")) else ""
    return strip_unsafe(remote_id), strip_unsafe(remote_url)
