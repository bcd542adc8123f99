"""Destination types by name: each a module with `Config`, `build`, `request`, `deliver` and `DEDUP`.

Modules are imported only when a destination of their type is used, so the app's start never pays
for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    import httpx

    from tui.send.config import DestinationConfig
    from tui.send.model import Brief, Outcome, Payload, Request

KIND_NAMES: tuple[str, ...] = (
    "slack", "lark", "teams", "discord", "jira", "github", "pagerduty", "webhook", "email", "file", "lark_app",
    "slack_app",
)


class Kind(Protocol):
    """What each destination module provides."""

    Config: type[DestinationConfig]
    DEDUP: bool
    """True when delivering the same payload twice cannot leave two copies (the service drops the
    repeat, or `deliver` looks for the first before sending again)."""

    def build(self, brief: Brief, config: Any) -> Payload:
        """The payload for this destination: pure, no secret, no clock, no network."""
        ...

    def request(self, payload: Payload, config: Any, env: Mapping[str, str], now: datetime) -> Request:
        """The exact request `deliver` would make, secrets read from `env` (raises SecretMissing)."""
        ...

    def deliver(self, client: httpx.Client, payload: Payload, config: Any, env: Mapping[str, str], now: datetime,
                unclear: bool) -> Outcome:
        """Send once and say how it went. `unclear` is set when an earlier attempt may have landed:
        a type with a way to look (an issue search, a dedup key) looks first."""
        ...


def load_kind(name: str) -> Kind:
    if name not in KIND_NAMES:
        raise KeyError(name)
    return cast("Kind", importlib.import_module(f"tui.send.{name}"))
