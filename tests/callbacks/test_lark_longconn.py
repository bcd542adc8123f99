"""Lark's long connection on lark-oapi's public FeishuChannel: a click, handed over as the SDK's own
objects or through its real dispatcher, becomes an event on the timeline; a connection Lark will not
open is retried with backoff (or given up, when refused) and stops leaving no thread behind."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from payloads import lark_click as click_payload
from support import NOW, example_path

sys.path.insert(0, str(Path(__file__).parents[1] / "send"))
from lark_double import APP_ID, APP_SECRET, LarkDouble

from tui.callbacks.lark_longconn import LarkClicks, LarkConnector
from tui.callbacks.longconn import Backoff, LongConnection, State
from tui.cli import main
from tui.domain.lifecycle import EventKind
from tui.store.drafts import DraftStore

lark = pytest.importorskip("lark_oapi")
from lark_oapi.channel import CardActionEvent, FeishuChannel  # noqa: E402
from lark_oapi.channel.types import CardActionPayload, EventOperator  # noqa: E402
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTrigger  # noqa: E402

LATER = NOW + timedelta(minutes=20)
CLICKER = "ou_7d8a6e6df7621556ce0d21922b676706"


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[DraftStore]:
    data = tmp_path / "data"
    assert main(["escalate", str(example_path("api-500-acme")), "--data-dir", str(data),
                 "--now", NOW.isoformat()]) == 0
    capsys.readouterr()
    with DraftStore.open_default(data) as opened:
        yield opened


@pytest.fixture
def double() -> Iterator[LarkDouble]:
    with LarkDouble() as running:
        yield running


def only_escalation(store: DraftStore) -> int:
    return store.queue()[0].id


def card_action(payload: dict[str, Any]) -> Any:
    """The `CardActionEvent` FeishuChannel hands a `cardAction` handler, built from the SDK's own trigger."""
    trigger = P2CardActionTrigger(payload)
    return CardActionEvent(message_id=trigger.event.context.open_message_id, chat_id=trigger.event.context.open_chat_id,
                           operator=EventOperator(open_id=trigger.event.operator.open_id),
                           action=CardActionPayload(tag=trigger.event.action.tag, value=trigger.event.action.value),
                           raw=json.loads(lark.JSON.marshal(trigger)))


def eventually(check: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def test_a_take_click_is_recorded_on_the_timeline(store: DraftStore) -> None:
    draft = only_escalation(store)
    heard: list[str] = []
    LarkClicks(store, lambda: LATER, lambda recorded: heard.append(recorded.outcome))(
        card_action(click_payload("take", str(draft))))
    taken = store.timeline(draft)[-1].event
    assert (taken.kind, taken.who) == (EventKind.TAKEN, CLICKER)
    assert heard == ["recorded"]


def test_a_click_delivered_twice_is_recorded_once_and_a_foreign_button_not_at_all(store: DraftStore) -> None:
    draft = only_escalation(store)
    clicks = LarkClicks(store, lambda: LATER)
    clicks(card_action(click_payload("acknowledge", str(draft), event_id="ev-same")))
    clicks(card_action(click_payload("acknowledge", str(draft), event_id="ev-same")))
    foreign = click_payload()
    foreign["event"]["action"]["value"] = {"action": "approve", "id": str(draft)}
    clicks(card_action(foreign))
    kinds = [entry.event.kind for entry in store.timeline(draft)]
    assert kinds.count(EventKind.ACKNOWLEDGED) == 1
    assert kinds[-1] == EventKind.ACKNOWLEDGED


def test_the_sdk_dispatches_a_callback_to_the_handler_and_answers_without_a_toast(
        store: DraftStore, double: LarkDouble) -> None:
    draft = only_escalation(store)
    channel = FeishuChannel(app_id=APP_ID, app_secret=APP_SECRET, domain=double.root, transport="webhook",
                            verification_token=click_payload()["header"]["token"])
    channel.on("cardAction", LarkClicks(store, lambda: LATER))
    channel.start()
    try:
        assert channel.is_ready
        body = json.dumps(click_payload("need_info", str(draft))).encode()
        status, answer = asyncio.run(channel.handle_webhook_request({"Content-Type": "application/json"}, body))
        assert (status, json.loads(answer)) == (200, {})  # no toast: the updated card is what the clicker sees
        assert eventually(lambda: store.timeline(draft)[-1].event.kind == EventKind.NEED_INFO)
    finally:
        channel.stop()
    assert double.calls["GET /bot/v3/info"] == 1  # start() asked who the bot is, with a tenant token
    assert double.auth_seen
    assert all(seen.startswith("Bearer t-") for seen in double.auth_seen)


def watch() -> tuple[list[State], Callable[[str, State], None]]:
    seen: list[State] = []
    return seen, lambda name, state: seen.append(state)


def sdk_threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def test_a_busy_endpoint_is_retried_with_backoff_and_stop_leaves_no_thread(tmp_path: Path, double: LarkDouble) -> None:
    before = sdk_threads()
    seen, changed = watch()
    connector = LarkConnector(APP_ID, APP_SECRET, "lark", tmp_path / "d.sqlite3", base_url=double.root)
    connection = LongConnection("Lark", connector, changed, Backoff(first=0.05, cap=0.2))
    connection.start()
    try:
        assert eventually(lambda: sum(state.phase == "reconnecting" for state in seen) >= 3)
    finally:
        started = time.monotonic()
        assert connection.stop(timeout=2.0)
        stopping = time.monotonic() - started
    assert seen[0].phase == "connecting"
    retry = next(state for state in seen if state.phase == "reconnecting")
    assert retry.why == "Lark's connection endpoint answered 1: system busy"
    assert APP_SECRET not in repr(seen)
    assert double.calls["POST /callback/ws/endpoint"] >= 3
    assert stopping < 2.0
    assert eventually(lambda: sdk_threads() <= before, within=2.0), sdk_threads() - before


def test_refused_credentials_stop_trying_and_name_the_settings(tmp_path: Path, double: LarkDouble) -> None:
    seen, changed = watch()
    connector = LarkConnector(APP_ID, "not-the-secret", "lark", tmp_path / "d.sqlite3", base_url=double.root)
    connection = LongConnection("Lark", connector, changed, Backoff(first=0.05, cap=0.2))
    connection.start()
    try:
        assert eventually(lambda: bool(seen) and seen[-1].phase == "failed")
    finally:
        assert connection.stop(timeout=2.0)
    assert double.calls["POST /callback/ws/endpoint"] == 1
    assert "check lark_app_id" in seen[-1].why
    assert "not-the-secret" not in seen[-1].why


def test_an_unreachable_lark_is_said_plainly(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seen, changed = watch()
    connector = LarkConnector(APP_ID, APP_SECRET, "lark", tmp_path / "d.sqlite3", base_url=f"http://127.0.0.1:{port}")
    connection = LongConnection("Lark", connector, changed, Backoff(first=5.0, cap=5.0))
    connection.start()
    try:
        assert eventually(lambda: any(state.phase == "reconnecting" for state in seen))
    finally:
        assert connection.stop(timeout=2.0)
    assert seen[1].why == f"could not reach Lark at http://127.0.0.1:{port} (connection refused)"


def test_a_websocket_lark_closes_is_noticed_and_opened_again(tmp_path: Path, double: LarkDouble) -> None:
    from websockets.sync.server import ServerConnection, serve

    def close_soon(socket: ServerConnection) -> None:
        time.sleep(0.3)
        socket.close()

    server = serve(close_soon, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    double.ws_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/ws?device_id=d1&service_id=1"
    seen, changed = watch()
    connector = LarkConnector(APP_ID, APP_SECRET, "lark", tmp_path / "d.sqlite3", base_url=double.root)
    connection = LongConnection("Lark", connector, changed, Backoff(first=0.05, cap=0.2))
    connection.start()
    try:
        assert eventually(lambda: [state.phase for state in seen].count("connected") >= 2, within=10.0)
    finally:
        assert connection.stop(timeout=2.0)
        server.shutdown()
    assert [(state.phase, state.why) for state in seen[:4]] == [
        ("connecting", ""), ("connected", ""), ("reconnecting", "the connection closed"), ("connected", "")]
