"""Lark's long connection, driven with lark-oapi's own objects and dispatcher (no network): a click
becomes an event on the timeline and the clicker sees a toast, CARD frames included."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from payloads import lark_click as click_payload
from support import NOW, example_path

from tui.callbacks.lark_longconn import LarkConnector, _client_class, _shut, lark_click
from tui.cli import main
from tui.domain.lifecycle import EventKind
from tui.store.drafts import DraftStore

lark = pytest.importorskip("lark_oapi")
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTrigger  # noqa: E402

LATER = NOW + timedelta(minutes=20)


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    data = tmp_path / "data"
    assert main(["escalate", str(example_path("api-500-acme")), "--data-dir", str(data),
                 "--now", NOW.isoformat()]) == 0
    capsys.readouterr()
    with DraftStore.open_default(data) as opened:
        yield opened


def only_escalation(store: DraftStore) -> int:
    return store.queue()[0].id


def test_a_take_click_is_recorded_and_toasted(store: DraftStore) -> None:
    draft = only_escalation(store)
    response = lark_click(store, P2CardActionTrigger(click_payload("take", str(draft))), LATER)
    assert response.toast.type == "success"
    assert response.toast.content == f"Taken by ou_7d8a6e6df7621556ce0d21922b676706 on ESC-{draft}."
    taken = store.timeline(draft)[-1].event
    assert (taken.kind, taken.who) == (EventKind.TAKEN, "ou_7d8a6e6df7621556ce0d21922b676706")


def test_the_same_click_delivered_twice_is_recorded_once(store: DraftStore) -> None:
    draft = only_escalation(store)
    payload = click_payload("acknowledge", str(draft), event_id="ev-same")
    lark_click(store, P2CardActionTrigger(payload), LATER)
    again = lark_click(store, P2CardActionTrigger(payload), LATER + timedelta(seconds=5))
    assert again.toast.type == "info"
    assert [e.event.kind for e in store.timeline(draft)].count(EventKind.ACKNOWLEDGED) == 1


def test_an_unknown_escalation_and_a_foreign_button_are_refused_in_words(store: DraftStore) -> None:
    unknown = lark_click(store, P2CardActionTrigger(click_payload("take", "999")), LATER)
    assert (unknown.toast.type, unknown.toast.content) == ("error", "There is no escalation ESC-999 here.")
    foreign = click_payload()
    foreign["event"]["action"]["value"] = {"action": "approve", "id": "7"}
    refused = lark_click(store, P2CardActionTrigger(foreign), LATER)
    assert refused.toast.type == "error"
    assert "does not belong to escalate-tui" in refused.toast.content


def test_the_sdk_dispatcher_routes_the_callback_to_the_handler(store: DraftStore, tmp_path: Path) -> None:
    draft = only_escalation(store)
    handler = LarkConnector("cli_x", "secret", "lark", store.path, clock=lambda: LATER).handler(store)
    body = json.dumps(click_payload("need_info", str(draft))).encode()
    response = handler._do_without_validation(body)
    assert json.loads(lark.JSON.marshal(response))["toast"]["type"] == "success"
    assert store.timeline(draft)[-1].event.kind == EventKind.NEED_INFO


class Socket:
    """Where the client writes its acknowledgement frames."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)


@pytest.mark.parametrize("frame_type", ["event", "card"])
def test_event_and_card_frames_both_reach_the_handler_and_are_acknowledged(store: DraftStore,
                                                                           frame_type: str) -> None:
    from lark_oapi.ws import client as ws
    from lark_oapi.ws.pb.pbbp2_pb2 import Frame

    draft = only_escalation(store)
    handler = LarkConnector("cli_x", "secret", "lark", store.path, clock=lambda: LATER).handler(store)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # as in the connection's thread: the SDK's cache schedules itself on it
    client = _client_class(ws)("cli_x", "secret", event_handler=handler, auto_reconnect=False)
    socket = client._conn = Socket()
    frame = Frame()
    for key, value in {"message_id": "m1", "trace_id": "t1", "sum": "1", "seq": "0", "type": frame_type}.items():
        header = frame.headers.add()
        header.key, header.value = key, value
    frame.method, frame.service, frame.SeqID, frame.LogID = 1, 1, 0, 0
    frame.payload = json.dumps(click_payload("take", str(draft))).encode()
    try:
        loop.run_until_complete(client._handle_data_frame(frame))
    finally:
        client._conn = None
        _shut(loop, client)
        asyncio.set_event_loop(None)
    answered = Frame()
    answered.ParseFromString(socket.sent[0])
    ack = json.loads(answered.payload)
    assert ack["code"] == 200
    assert json.loads(base64.b64decode(ack["data"]))["toast"]["type"] == "success"
    assert store.timeline(draft)[-1].event.kind == EventKind.TAKEN


def test_a_connection_that_cannot_reach_lark_is_retried_with_no_secret_in_its_reason(tmp_path: Path) -> None:
    from tui.callbacks.longconn import ConnectError

    connector = LarkConnector("cli_x", "very-secret-value", "lark", tmp_path / "drafts.sqlite3")
    connector.app_id = ""  # the SDK refuses before any network: no credentials
    with pytest.raises(ConnectError) as raised:
        connector()
    assert raised.value.fatal
    assert "very-secret-value" not in raised.value.why
    assert "check lark_app_id" in raised.value.why
