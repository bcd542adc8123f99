"""Lark's long connection, on lark-oapi's public `FeishuChannel`: button clicks arrive with no public URL.

`FeishuChannel.start_background` fetches the bot's identity over HTTP, builds the SDK's dispatcher and
opens the WebSocket; `channel.on("cardAction", …)` hands each click (a `CardActionEvent`, whose `raw`
is the whole `card.action.trigger` callback) to `LarkClicks`, which records it on the escalation.
The channel answers every click `{}` itself (no toast) before our handler runs, and drops a second
delivery of the same button by the same person on the same card: what the person who clicked sees is
the card itself, updated by `sync_cards` once the answer is recorded.

Who reconnects: `LongConnection`, not the SDK. The channel runs with `auto_reconnect=False`, because
a channel stopped while the SDK is reconnecting leaves that attempt pending on lark-oapi's
module-global event loop, and it would wake up (with the old handler) the next time a channel runs.
Without the SDK's reconnect a lost socket has no event of its own, so the session watches lark-oapi's
logger for the receive loop's "exit" record (the SDK's logging is ours to route anyway: it must never
reach the terminal the app draws on); a `reconnecting` event, should a later SDK send one, also ends
the session. lark-oapi 1.7.x drops callbacks that arrive as CARD frames: that means the callback
subscription is not in effect yet, and republishing the app version mends it (see README).

lark-oapi is imported only inside the connection's own thread: its ws module takes the thread's
current event loop at import as its module-global loop, and in the Textual thread that would be the
app's running loop. Here it gets one of its own, made before the import and quiet.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from tui.callbacks.answers import from_lark
from tui.callbacks.longconn import DEFAULT_BACKOFF, Backoff, ConnectError, LongConnection, State, clean_reason
from tui.callbacks.record import Recorded, record_or_say
from tui.store.drafts import DraftStore

DOMAINS = {"lark": "https://open.larksuite.com", "feishu": "https://open.feishu.cn"}
INSTALL = "install the apps extra: pip install 'escalate-tui[apps]'"
START_TIMEOUT = 20.0  # seconds for the bot identity, the endpoint and the WebSocket handshake together
POLL = 0.1  # seconds between looks at the stop flag
LOST = "receive message loop exit"  # how lark-oapi's ws client logs a socket it lost
SDK_COROUTINES = r"coroutine '(ExpiringCache|Client|FeishuChannel)\._"  # lark-oapi's, left unawaited at stop


def _now() -> datetime:
    return datetime.now().astimezone()


def _ignore(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """An event loop's exception handler that says nothing: a failed SDK task is told by our state."""


def import_channel() -> ModuleType:
    """`lark_oapi.channel`, imported in the calling thread (the connection's own) with a fresh, quiet
    event loop current while it is, which lark-oapi's ws module keeps as its module-global loop."""
    if sys.modules.get("lark_oapi.ws.client") is not None:  # imported before: its loop is chosen
        import lark_oapi.channel as imported  # type: ignore[import-untyped]

        return imported
    sdk_loop = asyncio.new_event_loop()
    sdk_loop.set_exception_handler(_ignore)
    asyncio.set_event_loop(sdk_loop)
    try:
        import lark_oapi.channel as channel  # type: ignore[import-untyped]
    except ImportError:
        sdk_loop.close()
        raise ConnectError(f"lark-oapi is not installed; {INSTALL}", fatal=True) from None
    finally:
        asyncio.set_event_loop(None)
    return channel


class _Watch(logging.Handler):
    """lark-oapi's log records end here (never on the terminal); a lost socket sets `lost`."""

    def __init__(self, lost: threading.Event) -> None:
        super().__init__()
        self.lost = lost

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR and str(record.msg).startswith(LOST):
            self.lost.set()


class _AboutLark(logging.Filter):
    """Drops asyncio's words about lark-oapi's own tasks (left pending when a channel stops)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "lark_oapi" not in record.getMessage()


def _quiet_sdk(lost: threading.Event) -> None:
    """Nothing lark-oapi says reaches the terminal the app draws on: its logger ends in `_Watch`, and
    asyncio's records and Python's warnings about its tasks and coroutines are dropped."""
    sdk = logging.getLogger("Lark")  # lark_oapi.core.log.logger
    sdk.handlers = [_Watch(lost)]
    sdk.propagate = False
    tasks = logging.getLogger("asyncio")
    if not any(isinstance(known, _AboutLark) for known in tasks.filters):
        tasks.addFilter(_AboutLark())
    warnings.filterwarnings("ignore", message=SDK_COROUTINES, category=RuntimeWarning)


class LarkClicks:
    """The `cardAction` handler: a click on one of our cards, recorded on its escalation's timeline."""

    def __init__(self, store: DraftStore, clock: Callable[[], datetime] = _now,
                 heard: Callable[[Recorded], None] = lambda recorded: None) -> None:
        self.store, self.clock, self.heard = store, clock, heard

    def __call__(self, event: Any) -> None:
        raw = getattr(event, "raw", None)
        answer = from_lark(raw) if isinstance(raw, dict) else None
        if answer is None:
            return
        self.heard(record_or_say(self.store, answer, self.clock()))


class _LarkSession:
    def __init__(self, channel: Any, loop: asyncio.AbstractEventLoop, lost: threading.Event,
                 store: DraftStore) -> None:
        self.channel, self.loop, self.lost, self.store = channel, loop, lost, store

    def wait(self, stop: threading.Event) -> str:
        while not stop.wait(POLL):
            if self.lost.is_set():
                return "the connection closed"
        return ""

    def close(self) -> None:
        _close(self.channel, self.loop)
        self.store.close()


def _close(channel: Any, loop: asyncio.AbstractEventLoop) -> None:
    """The channel stopped (its WebSocket, its background thread; called with no loop running here, as
    `stop` wants), then the thread `start` ran in joined and our loop closed: nothing left running."""
    try:
        channel.stop()
    except Exception:  # stopping a broken channel: there is nothing more to do with it
        pass
    finally:
        try:
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


class LarkConnector:
    """Opens Lark sessions for `LongConnection`, each with its own channel, event loop and store.
    `base_url` overrides the domain's address (a loopback server in tests)."""

    def __init__(self, app_id: str, app_secret: str, domain: str, store_path: Path,
                 clock: Callable[[], datetime] = _now, base_url: str = "",
                 start_timeout: float = START_TIMEOUT) -> None:
        self.app_id, self.app_secret, self.domain = app_id, app_secret, domain
        self.store_path, self.clock = store_path, clock
        self.base_url, self.start_timeout = base_url or DOMAINS[domain], start_timeout

    def __call__(self) -> _LarkSession:
        sdk = import_channel()
        lost = threading.Event()
        _quiet_sdk(lost)
        try:
            channel = sdk.FeishuChannel(app_id=self.app_id, app_secret=self.app_secret, domain=self.base_url,
                                        transport=sdk.TransportConfig(kind="ws", auto_reconnect=False))
        except ValueError:
            raise ConnectError("[callbacks] lark_app_id or the app secret is empty; check lark_app_id and "
                               "lark_app_secret_env", fatal=True) from None
        store = DraftStore(self.store_path)
        channel.on("cardAction", LarkClicks(store, self.clock))
        channel.on("reconnecting", lambda *args: lost.set())
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(_ignore)
        try:
            loop.run_until_complete(channel.start_background(timeout=self.start_timeout))
        except Exception as error:
            _close(channel, loop)
            store.close()
            raise self._refused(error) from None
        return _LarkSession(channel, loop, lost, store)

    def _refused(self, error: BaseException) -> ConnectError:
        from lark_oapi.ws.exception import ClientException, ServerException  # type: ignore[import-untyped]

        cause = error.__cause__ or error
        why = clean_reason(cause, [self.app_secret])
        if isinstance(cause, ClientException):
            return ConnectError(f"Lark refused the connection ({why}); check lark_app_id, the app secret and that "
                                "the app uses the long connection for callbacks", fatal=True)
        if isinstance(cause, ServerException):
            return ConnectError(f"Lark's connection endpoint answered {why}")
        if isinstance(cause, OSError):  # requests' and websockets' network errors
            how = "connection refused" if "refused" in str(cause).lower() else type(cause).__name__
            return ConnectError(f"could not reach Lark at {self.base_url} ({how})")
        return ConnectError(f"could not connect to Lark ({why})")


def lark_connection(app_id: str, app_secret: str, domain: str, store_path: Path,
                    on_change: Callable[[str, State], None], backoff: Backoff = DEFAULT_BACKOFF) -> LongConnection:
    """The Lark long connection for app `app_id` on `domain` ("lark" | "feishu"), not yet started."""
    return LongConnection("Lark", LarkConnector(app_id, app_secret, domain, store_path), on_change, backoff)
