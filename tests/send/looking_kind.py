"""A destination type for the tests that can look before it sends again (`DEDUP = True`), as the Jira,
GitHub and PagerDuty types can: the webhook's request, plus ``GET …/deliveries/<key>`` to the
loopback receiver when an earlier attempt may have landed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

import httpx

from tui.send import webhook
from tui.send.http import send
from tui.send.model import Outcome, Payload, Request

DEDUP = True


class Config(webhook.Config):
    type: Literal["looking"] = "looking"  # type: ignore[assignment]


build = webhook.build
request = webhook.request


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    if unclear:
        look = Request("GET", f"{config.url}/deliveries/{payload.idempotency_key}", {}, b"")
        found = send(client, look, config.timeout)
        if isinstance(found, Outcome):
            return Outcome.retry(f"could not look for an earlier copy: {found.message}")
        if found.status_code == 200:
            return Outcome.delivered(payload.idempotency_key, message="found the copy an earlier attempt made")
    return webhook.deliver(client, payload, config, env, now, unclear)
