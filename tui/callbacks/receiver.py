"""The HTTP receiver `escalate-tui listen` runs: Lark and Slack deliver button clicks to it.

    POST /lark    Lark callbacks: the URL-verification challenge and `card.action.trigger`
    POST /slack   Slack interactivity: `payload=<block_actions JSON>`, form-encoded

Every request is authenticated before its body is parsed: Lark by its v2 signature when an Encrypt Key
is set (then the body is encrypted too) or else by its Verification Token; Slack by its v0 signature,
sent within five minutes. Unsigned, forged or replayed → 401; malformed, not ours or for an unknown
escalation → 400; over 64 KB → 413, refused before the body is read. A repeated delivery is answered
200 and recorded once. One line per request goes to the log, never a body or a secret.
"""

from __future__ import annotations

import hmac
import json
import socket
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any

from tui.callbacks.answers import from_lark, from_slack
from tui.callbacks.record import Recorded, record_answer
from tui.callbacks.signing import LarkDecryptError, lark_decrypt, lark_signature_ok, slack_problem
from tui.domain.text_safety import shorten, visible
from tui.store.drafts import DraftStore, DraftStoreError

MAX_BODY = 64 * 1024
READ_TIMEOUT = 5.0  # seconds a client has to send its request: Lark and Slack want an answer within 3


@dataclass(frozen=True)
class Secrets:
    """The apps' secrets, read from the environment; "" = not configured."""

    lark_encrypt_key: str = ""
    lark_verification_token: str = ""
    slack_signing_secret: str = ""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    note: str = ""  # for the log line: what happened, in a few words, nothing from a body verbatim

    @classmethod
    def json(cls, status: int, data: object, note: str) -> Reply:
        return cls(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), note)


def _refused(status: int, note: str) -> Reply:
    return Reply.json(status, {"error": note}, note)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _toast(recorded: Recorded) -> dict[str, Any]:
    kind = {"recorded": "success", "duplicate": "info", "refused": "warning", "unknown": "error"}[recorded.outcome]
    return {"toast": {"type": kind, "content": recorded.message}}


def handle_lark(store: DraftStore, secrets: Secrets, headers: Mapping[str, str], body: bytes,
                now: datetime) -> Reply:
    """Lark's request to POST /lark, answered."""
    if not (secrets.lark_encrypt_key or secrets.lark_verification_token):
        return _refused(401, "no Lark encrypt key or verification token is configured ([callbacks])")
    signed = False
    if secrets.lark_encrypt_key:
        signature = headers.get("X-Lark-Signature", "")
        timestamp = headers.get("X-Lark-Request-Timestamp", "")
        nonce = headers.get("X-Lark-Request-Nonce", "")
        signed = bool(signature) and lark_signature_ok(signature, timestamp, nonce, secrets.lark_encrypt_key, body)
    outer = _json_object(body)
    if outer is None:
        return _refused(400, "the body is not a JSON object")
    payload: dict[str, Any] | None = outer
    if secrets.lark_encrypt_key:
        encrypted = outer.get("encrypt")
        if not isinstance(encrypted, str):
            return _refused(401, "not encrypted, though an encrypt key is configured")
        try:
            payload = _json_object(lark_decrypt(encrypted, secrets.lark_encrypt_key).encode("utf-8"))
        except LarkDecryptError:
            return _refused(401, "does not decrypt with the configured encrypt key")
        if payload is None:
            return _refused(400, "the decrypted body is not a JSON object")
    elif "encrypt" in outer:
        return _refused(400, "encrypted, but no encrypt key is configured (set lark_encrypt_key_env)")
    assert payload is not None
    header = payload.get("header")
    header = header if isinstance(header, dict) else {}
    token = payload.get("token") or header.get("token")  # the challenge has it on top, v2 events in the header
    token_ok = None
    if secrets.lark_verification_token and isinstance(token, str) and token:
        token_ok = hmac.compare_digest(token.encode(), secrets.lark_verification_token.encode())
    if token_ok is False:
        return _refused(401, "the verification token does not match")
    if payload.get("type") == "url_verification":
        # Lark does not sign the challenge; it decrypted with our key, or carries our token.
        if not (secrets.lark_encrypt_key or token_ok):
            return _refused(401, "the challenge carries no matching verification token")
        challenge = payload.get("challenge")
        if not isinstance(challenge, str):
            return _refused(400, "a challenge without its challenge value")
        return Reply.json(200, {"challenge": challenge}, "URL verification answered")
    if not (signed or (not secrets.lark_encrypt_key and token_ok)):
        return _refused(401, "unsigned or forged (the signature does not match)" if secrets.lark_encrypt_key
                        else "no matching verification token")
    event_type = header.get("event_type")
    if event_type not in (None, "card.action.trigger"):
        return Reply.json(200, {}, f"ignored: an event of type {shorten(visible(str(event_type)), 40)}")
    answer = from_lark(payload)
    if answer is None:
        return _refused(400, "not an answer to one of our cards")
    recorded = record_answer(store, answer, now)
    return Reply.json(400 if recorded.outcome == "unknown" else 200, _toast(recorded),
                      f"{recorded.outcome}: {visible(recorded.message)}")


def handle_slack(store: DraftStore, secrets: Secrets, headers: Mapping[str, str], body: bytes,
                 now: datetime) -> Reply:
    """Slack's request to POST /slack, answered."""
    if not secrets.slack_signing_secret:
        return _refused(401, "no Slack signing secret is configured ([callbacks] slack_signing_secret_env)")
    problem = slack_problem(headers.get("X-Slack-Signature", ""), headers.get("X-Slack-Request-Timestamp", ""),
                            body, secrets.slack_signing_secret, now)
    if problem is not None:
        return _refused(401, problem)
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return _refused(400, "the body is not a form")
    payload = _json_object(form.get("payload", [""])[0].encode("utf-8"))
    if payload is None:
        return _refused(400, "no JSON payload in the form")
    if payload.get("type") != "block_actions":
        return Reply(200, b"", f"ignored: an interaction of type {shorten(visible(str(payload.get('type'))), 40)}")
    answer = from_slack(payload)
    if answer is None:
        return _refused(400, "not an answer to one of our cards")
    recorded = record_answer(store, answer, now)
    if recorded.outcome == "unknown":
        return _refused(400, recorded.message)
    return Reply(200, b"", f"{recorded.outcome}: {visible(recorded.message)}")


ROUTES: dict[str, Callable[[DraftStore, Secrets, Mapping[str, str], bytes, datetime], Reply]] = {
    "/lark": handle_lark, "/slack": handle_slack}


class CallbackServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer answering ROUTES with one shared store; bound where it is told."""

    daemon_threads = True

    def __init__(self, store: DraftStore, secrets: Secrets, host: str, port: int, log: IO[str],
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self.store, self.secrets, self.log, self.clock = store, secrets, log, clock
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: CallbackServer
    timeout = READ_TIMEOUT
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        started = time.monotonic()
        path = self.path.split("?", 1)[0]
        route = ROUTES.get(path)
        if route is None:
            self.close_connection = True  # its body is not read: the connection cannot carry another request
            reply = _refused(404, "no such path (POST /lark or /slack)")
        else:
            reply = self._answer(route)
        self._send(reply, started)

    def do_GET(self) -> None:
        self.close_connection = True
        self._send(_refused(405, "only POST /lark and POST /slack are answered"), time.monotonic())

    def _answer(self, route: Callable[[DraftStore, Secrets, Mapping[str, str], bytes, datetime], Reply]) -> Reply:
        length_text = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length_text is None:
            self.close_connection = True
            return _refused(411, "the request has no Content-Length")
        if not (length_text.isascii() and length_text.isdecimal()):
            self.close_connection = True
            return _refused(400, "the Content-Length is not a number")
        if int(length_text) > MAX_BODY:
            self.close_connection = True  # the body is never read: the connection goes with it
            return _refused(413, f"the body is over {MAX_BODY // 1024} KB")
        try:
            body = self.rfile.read(int(length_text))
        except TimeoutError:
            self.close_connection = True
            return _refused(408, f"the body did not arrive within {READ_TIMEOUT:g} s")
        if len(body) < int(length_text):
            self.close_connection = True
            return _refused(400, "the body is shorter than its Content-Length")
        headers = {name: value for name, value in self.headers.items()}
        try:
            return route(self.server.store, self.server.secrets, _Headers(headers), body, self.server.clock())
        except DraftStoreError as error:
            return _refused(503, visible(str(error)))

    def _send(self, reply: Reply, started: float) -> None:
        elapsed = (time.monotonic() - started) * 1000
        path = visible(shorten(self.path, 40))
        line = f"{self.client_address[0]} {self.command} {path} {reply.status} {reply.note} ({elapsed:.0f} ms)"
        print(f"{self.server.clock():%Y-%m-%d %H:%M:%S} {line}", file=self.server.log, flush=True)
        self.send_response_only(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: `_send` writes the one line per request, without what http.server would add."""


class _Headers(dict[str, str]):
    """Header names looked up in any case, as HTTP means them."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__({name.lower(): value for name, value in headers.items()})

    def get(self, name: str, default: str = "") -> str:  # type: ignore[override]
        return super().get(name.lower(), default)
