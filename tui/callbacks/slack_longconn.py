"""Slack's Socket Mode (slack_sdk's built-in SocketModeClient): button clicks arrive with no public URL.

Every envelope is acknowledged first (Slack wants it within 3 s, and redelivers what is not), then a
`block_actions` interaction on one of our cards is recorded. The SDK's own reconnect is off but for
Slack's planned refreshes (`disconnect` envelopes), which it follows by itself; a connection that is
lost otherwise is reconnected by `LongConnection`, with its backoff, and said.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.callbacks.answers import from_slack
from tui.callbacks.longconn import DEFAULT_BACKOFF, Backoff, ConnectError, LongConnection, State, clean_reason
from tui.callbacks.record import Recorded, record_or_say
from tui.store.drafts import DraftStore

# apps.connections.open errors that another try cannot mend
REFUSED = {"invalid_auth", "not_authed", "token_revoked", "account_inactive", "missing_scope", "not_allowed_token_type"}
INSTALL = "install the apps extra: pip install 'escalate-tui[apps]'"
GRACE = 2.0  # seconds a lost socket has to be replaced by a refresh before it counts as lost


def _now() -> datetime:
    return datetime.now().astimezone()


def _quiet_logger() -> logging.Logger:
    """The SDK's logger: silent, so that nothing is written over the app's screen."""
    logger = logging.getLogger("escalate_tui.slack_socket_mode")
    logger.handlers = [logging.NullHandler()]
    logger.propagate = False
    return logger


class SlackListener:
    """A `socket_mode_request_listeners` entry: acknowledges, then records a click on one of our cards."""

    def __init__(self, store: DraftStore, clock: Callable[[], datetime] = _now,
                 heard: Callable[[Recorded], None] = lambda recorded: None) -> None:
        self.store, self.clock, self.heard = store, clock, heard

    def __call__(self, client: Any, request: Any) -> None:
        from slack_sdk.socket_mode.response import SocketModeResponse

        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
        if request.type != "interactive":
            return
        answer = from_slack(request.payload)
        if answer is None:
            return
        self.heard(record_or_say(self.store, answer, self.clock()))


class _SlackSession:
    def __init__(self, client: Any, store: DraftStore) -> None:
        self.client, self.store = client, store

    def wait(self, stop: threading.Event) -> str:
        lost = 0.0  # seconds without a socket
        while not stop.wait(0.2):
            lost = 0.0 if self.client.is_connected() else lost + 0.2
            if lost >= GRACE:
                return "the connection closed"
        return ""

    def close(self) -> None:
        self.client.close()
        self.store.close()


class SlackConnector:
    """Opens Socket Mode sessions for `LongConnection`, each with its own store."""

    def __init__(self, app_token: str, bot_token: str, store_path: Path, clock: Callable[[], datetime] = _now,
                 base_url: str = "https://slack.com/api/") -> None:
        self.app_token, self.bot_token, self.store_path = app_token, bot_token, store_path
        self.clock, self.base_url = clock, base_url

    def __call__(self) -> _SlackSession:
        try:
            from slack_sdk import WebClient
            from slack_sdk.errors import SlackApiError
            from slack_sdk.socket_mode import SocketModeClient
        except ImportError:
            raise ConnectError(f"slack_sdk is not installed; {INSTALL}", fatal=True) from None

        store = DraftStore(self.store_path)
        client = SocketModeClient(self.app_token, logger=_quiet_logger(), auto_reconnect_enabled=False,
                                  web_client=WebClient(token=self.bot_token or None, base_url=self.base_url,
                                                       timeout=10, logger=_quiet_logger()))
        client.socket_mode_request_listeners.append(SlackListener(store, self.clock))
        secrets = [self.app_token, self.bot_token]
        try:
            client.connect()
        except SlackApiError as error:
            client.close()
            store.close()
            code = str(error.response.get("error", "")) if error.response is not None else ""
            if code in REFUSED:
                raise ConnectError(f"Slack refused the app-level token ({code}); check that slack_app_token_env "
                                   "names an xapp- token with the connections:write scope and that Socket Mode "
                                   "is on", fatal=True) from None
            raise ConnectError(f"Slack answered apps.connections.open with {code or 'an error'}") from None
        except Exception as error:
            client.close()
            store.close()
            raise ConnectError(clean_reason(error, secrets)) from None
        return _SlackSession(client, store)


def slack_connection(app_token: str, bot_token: str, store_path: Path, on_change: Callable[[str, State], None],
                     backoff: Backoff = DEFAULT_BACKOFF) -> LongConnection:
    """The Slack Socket Mode connection with the app-level token `app_token`, not yet started."""
    return LongConnection("Slack", SlackConnector(app_token, bot_token, store_path), on_change, backoff)
