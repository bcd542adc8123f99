"""Slack Socket Mode, driven with slack_sdk's own SocketModeClient and SocketModeRequest (no network):
every envelope is acknowledged before anything else, and a click on one of our cards is recorded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from payloads import slack_click
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from support import NOW, example_path

from tui.callbacks.longconn import ConnectError
from tui.callbacks.record import Recorded
from tui.callbacks.slack_longconn import SlackConnector, SlackListener
from tui.cli import main
from tui.domain.lifecycle import EventKind
from tui.store.drafts import DraftStore

LATER = NOW + timedelta(minutes=20)


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[DraftStore]:
    data = tmp_path / "data"
    assert main(["escalate", str(example_path("api-500-acme")), "--data-dir", str(data),
                 "--now", NOW.isoformat()]) == 0
    capsys.readouterr()
    with DraftStore.open_default(data) as opened:
        yield opened


class Observed(SocketModeClient):
    """A real SocketModeClient, never connected, whose acknowledgements are kept with what the
    escalation's timeline held at that moment."""

    def __init__(self, store: DraftStore, draft: int) -> None:
        super().__init__(app_token="xapp-1-A111-test")
        self.store, self.draft = store, draft
        self.acks: list[tuple[dict[str, Any], int]] = []

    def send_socket_mode_response(self, response: Any) -> None:
        self.acks.append((response.to_dict(), len(self.store.timeline(self.draft))))


@pytest.fixture
def observed(store: DraftStore) -> Iterator[Observed]:
    client = Observed(store, store.queue()[0].id)
    yield client
    client.close()


def envelope(payload: dict[str, Any], kind: str = "interactive", envelope_id: str = "env-1") -> dict[str, Any]:
    return {"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": False}


def test_a_take_click_is_acknowledged_first_then_recorded(store: DraftStore, observed: Observed) -> None:
    draft, heard = observed.draft, []
    before = len(store.timeline(draft))
    listener = SlackListener(store, lambda: LATER, heard.append)
    listener(observed, SocketModeRequest.from_dict(envelope(slack_click("take", str(draft)))))
    assert observed.acks == [({"envelope_id": "env-1"}, before)]
    taken = store.timeline(draft)[-1].event
    assert (taken.kind, taken.who) == (EventKind.TAKEN, "kim.lee")
    assert heard == [Recorded("recorded", f"Taken by kim.lee on ESC-{draft}.", store.timeline(draft)[-1])]


def test_the_sdk_dispatch_reaches_the_listener_and_a_redelivery_is_recorded_once(store: DraftStore,
                                                                                 observed: Observed) -> None:
    draft = observed.draft
    observed.socket_mode_request_listeners.append(SlackListener(store, lambda: LATER))
    message = envelope(slack_click("acknowledge", str(draft)))
    for envelope_id in ("env-1", "env-2"):
        message["envelope_id"] = envelope_id
        observed.run_message_listeners(message, json.dumps(message))
    assert [ack["envelope_id"] for ack, _ in observed.acks] == ["env-1", "env-2"]
    assert [e.event.kind for e in store.timeline(draft)].count(EventKind.ACKNOWLEDGED) == 1


def test_other_envelopes_are_acknowledged_and_change_nothing(store: DraftStore, observed: Observed) -> None:
    draft = observed.draft
    before = store.timeline(draft)
    listener = SlackListener(store, lambda: LATER)
    listener(observed, SocketModeRequest.from_dict(envelope({"type": "event_callback"}, kind="events_api")))
    foreign = slack_click("take", str(draft))
    foreign["actions"][0]["action_id"] = "other_app.approve"
    listener(observed, SocketModeRequest.from_dict(envelope(foreign, envelope_id="env-2")))
    assert [ack["envelope_id"] for ack, _ in observed.acks] == ["env-1", "env-2"]
    assert store.timeline(draft) == before


class SlackApi(BaseHTTPRequestHandler):
    """apps.connections.open as Slack answers an error: HTTP 200, `ok` false, the error code."""

    error = "invalid_auth"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({"ok": False, "error": self.error}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def slack_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlackApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("error", "fatal"), [("invalid_auth", True), ("internal_error", False)])
def test_a_refused_token_stops_trying_other_errors_are_retried(slack_api: str, tmp_path: Path, error: str,
                                                               fatal: bool) -> None:
    SlackApi.error = error
    before = set(threading.enumerate())
    connector = SlackConnector("xapp-1-SECRET", "xoxb-SECRET", tmp_path / "drafts.sqlite3", base_url=slack_api)
    with pytest.raises(ConnectError) as raised:
        connector()
    assert raised.value.fatal is fatal
    assert error in raised.value.why
    assert "SECRET" not in raised.value.why
    assert set(threading.enumerate()) - before == set()  # the SDK's threads were shut down
