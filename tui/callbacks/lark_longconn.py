"""Lark's long connection (lark-oapi's WebSocket client): button clicks arrive with no public URL.

lark-oapi takes seconds to import and makes a module-global event loop when it is imported, so it is
imported here only inside the connection's own thread, which gets an event loop of its own (set as the
SDK's `loop`). The SDK's own reconnect is off: `LongConnection` reconnects with its backoff and says so.
lark-oapi 1.7.5 drops data frames of type CARD, which a callback subscription can arrive as until it is
republished; the client here hands them to the same dispatcher as EVENT frames.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.callbacks.answers import from_lark
from tui.callbacks.longconn import DEFAULT_BACKOFF, Backoff, ConnectError, LongConnection, State, clean_reason
from tui.callbacks.receiver import _toast
from tui.callbacks.record import record_answer
from tui.store.drafts import DraftStore, DraftStoreError

DOMAINS = {"lark": "https://open.larksuite.com", "feishu": "https://open.feishu.cn"}
NOT_OURS = "This button does not belong to escalate-tui; nothing was recorded."
POLL = 0.1  # seconds between looks at the stop flag and the socket


def _now() -> datetime:
    return datetime.now().astimezone()


def lark_click(store: DraftStore, data: Any, now: datetime) -> Any:
    """The answer to a `P2CardActionTrigger`: recorded on the escalation's timeline, and the toast the
    person who clicked sees (a `P2CardActionTriggerResponse`)."""
    from lark_oapi.core.json import JSON  # type: ignore[import-untyped]
    from lark_oapi.event.callback.model.p2_card_action_trigger import (  # type: ignore[import-untyped]
        P2CardActionTriggerResponse,
    )

    payload = json.loads(JSON.marshal(data) or "{}")
    answer = from_lark(payload) if isinstance(payload, dict) else None
    if answer is None:
        return P2CardActionTriggerResponse({"toast": {"type": "error", "content": NOT_OURS}})
    try:
        recorded = record_answer(store, answer, now)
    except DraftStoreError:
        return P2CardActionTriggerResponse({"toast": {"type": "error", "content": (
            f"escalate-tui could not record this on ESC-{answer.escalation_id}: its database is busy or "
            "unreadable. Click again in a moment.")}})
    return P2CardActionTriggerResponse(_toast(recorded))


class _LarkSession:
    """One connected WebSocket, driven on its own event loop in the connection's thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, client: Any, store: DraftStore) -> None:
        self.loop, self.client, self.store = loop, client, store

    def wait(self, stop: threading.Event) -> str:
        return self.loop.run_until_complete(self._watch(stop))

    async def _watch(self, stop: threading.Event) -> str:
        ping = asyncio.get_running_loop().create_task(self.client._ping_loop())
        try:
            while not stop.is_set():
                if self.client._conn is None:  # the SDK's receive loop lost the socket
                    return "the connection closed"
                await asyncio.sleep(POLL)
            return ""
        finally:
            ping.cancel()

    def close(self) -> None:
        _shut(self.loop, self.client)
        self.store.close()


def _shut(loop: asyncio.AbstractEventLoop, client: Any) -> None:
    """Cancel the SDK's tasks, close its socket, close the loop: nothing left running."""
    try:
        tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        if client is not None:
            loop.run_until_complete(client._disconnect())
    except Exception:  # closing a broken socket: there is nothing more to do with it
        pass
    finally:
        loop.close()


def _quiet_sdk() -> None:
    """lark-oapi logs to stdout (the terminal the app draws on): its words go nowhere; ours say it."""
    sdk = logging.getLogger("Lark")
    sdk.handlers = [logging.NullHandler()]
    sdk.propagate = False


class LarkConnector:
    """Opens Lark sessions for `LongConnection`: each with its own event loop and store."""

    def __init__(self, app_id: str, app_secret: str, domain: str, store_path: Path,
                 clock: Callable[[], datetime] = _now) -> None:
        self.app_id, self.app_secret, self.domain = app_id, app_secret, domain
        self.store_path, self.clock = store_path, clock

    def handler(self, store: DraftStore) -> Any:
        import lark_oapi as lark  # type: ignore[import-untyped]

        return (lark.EventDispatcherHandler.builder("", "")
                .register_p2_card_action_trigger(lambda data: lark_click(store, data, self.clock()))
                .build())

    def __call__(self) -> _LarkSession:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda loop, context: None)  # the SDK's failed tasks: said by our state
        asyncio.set_event_loop(loop)
        client = None
        store: DraftStore | None = None
        try:
            from lark_oapi.ws import client as ws  # type: ignore[import-untyped]
            from lark_oapi.ws.exception import ClientException  # type: ignore[import-untyped]

            _quiet_sdk()
            ws.loop = loop  # the SDK schedules its tasks on this module-global loop
            store = DraftStore(self.store_path)
            client = _client_class(ws)(self.app_id, self.app_secret, event_handler=self.handler(store),
                                       domain=DOMAINS[self.domain], auto_reconnect=False)
            try:
                loop.run_until_complete(client._connect())
            except ClientException as error:
                raise ConnectError(f"Lark refused the connection ({clean_reason(error, [self.app_secret])}); "
                                   "check lark_app_id, the app secret and that the app uses the long "
                                   "connection for callbacks", fatal=True) from None
        except ConnectError:
            _close(loop, client, store)
            raise
        except Exception as error:
            _close(loop, client, store)
            raise ConnectError(clean_reason(error, [self.app_secret])) from None
        return _LarkSession(loop, client, store)


def _close(loop: asyncio.AbstractEventLoop, client: Any, store: DraftStore | None) -> None:
    _shut(loop, client)
    if store is not None:
        store.close()


def _client_class(ws: Any) -> Any:
    """lark-oapi's client, with CARD data frames dispatched as EVENT frames are."""
    from lark_oapi.ws.const import HEADER_TYPE  # type: ignore[import-untyped]
    from lark_oapi.ws.enum import MessageType  # type: ignore[import-untyped]

    class CardFramesToo(ws.Client):  # type: ignore[misc]
        async def _handle_data_frame(self, frame: Any) -> None:
            for header in frame.headers:
                if header.key == HEADER_TYPE and header.value == MessageType.CARD.value:
                    header.value = MessageType.EVENT.value
            await super()._handle_data_frame(frame)

    return CardFramesToo


def lark_connection(app_id: str, app_secret: str, domain: str, store_path: Path,
                    on_change: Callable[[str, State], None], backoff: Backoff = DEFAULT_BACKOFF) -> LongConnection:
    """The Lark long connection for app `app_id` on `domain` ("lark" | "feishu"), not yet started."""
    return LongConnection("Lark", LarkConnector(app_id, app_secret, domain, store_path), on_change, backoff)
