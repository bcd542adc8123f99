"""`CallbackServer` on 127.0.0.1 (a free port) over a real drafts database, and what Lark and Slack
send it: signed, encrypted and form-encoded exactly as their docs say."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tui.callbacks.receiver import CallbackServer, Secrets
from tui.callbacks.signing import lark_encrypt, lark_signature, slack_signature
from tui.domain.models import Customer, Escalation, Reporter, Severity, Target
from tui.store.drafts import DraftStore

LARK_KEY = "lark-encrypt-key-for-tests"
LARK_TOKEN = "v_verification_token_for_tests"
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SECRETS = Secrets(lark_encrypt_key=LARK_KEY, lark_verification_token=LARK_TOKEN, slack_signing_secret=SLACK_SECRET)


@dataclass
class Listening:
    server: CallbackServer
    store: DraftStore
    log: io.StringIO
    client: httpx.Client
    escalation: int
    timings: list[float]

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        started = time.monotonic()
        response = self.client.post(f"{self.server.url}{path}", content=body, headers=headers)
        self.timings.append(time.monotonic() - started)
        return response


def now() -> datetime:
    return datetime.now(UTC)


def escalated(store: DraftStore) -> int:
    draft_id = store.create(Escalation(summary="Checkout returns HTTP 500", customer=Customer(name="Acme"),
                                       reporter=Reporter(name="Dana")), now() - timedelta(hours=1))
    store.escalate(draft_id, "Brief", Severity.HIGH, Target.ENGINEERING, "Dana", now() - timedelta(minutes=50))
    return draft_id


@contextmanager
def listening(data: Path, secrets: Secrets = SECRETS) -> Iterator[Listening]:
    log = io.StringIO()
    with DraftStore(data / "drafts.sqlite3") as store:
        server = CallbackServer(store, secrets, "127.0.0.1", 0, log)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            with httpx.Client(timeout=5.0) as client:
                yield Listening(server, store, log, client, escalated(store), [])
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)


def slack_request(payload: dict[str, Any], secret: str = SLACK_SECRET, sent: datetime | None = None,
                  signature: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    timestamp = str(int((sent or now()).timestamp()))
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp,
                  "X-Slack-Signature": signature if signature is not None else slack_signature(secret, timestamp,
                                                                                                body)}


def lark_request(payload: dict[str, Any], key: str = LARK_KEY, signed: bool = True) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"encrypt": lark_encrypt(json.dumps(payload), key, b"0123456789abcdef")}).encode()
    timestamp, nonce = str(int(now().timestamp())), "n-8271"
    headers = {"Content-Type": "application/json", "X-Lark-Request-Timestamp": timestamp,
               "X-Lark-Request-Nonce": nonce}
    if signed:
        headers["X-Lark-Signature"] = lark_signature(timestamp, nonce, key, body)
    return body, headers
