"""A real HTTP receiver on 127.0.0.1 that answers as a webhook endpoint does, for the outbox's tests
and benchmark: it counts what arrives per X-Escalate-Delivery, checks the signature, and follows a
script of answers (a status with headers, a dropped connection after the body was read, a slow
answer). Also answers ``GET /deliveries/<key>`` (200 when that key arrived), which the test type
with `DEDUP = True` uses to look before sending again."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"ok": true}'
    drop: bool = False  # read the request, then close the connection without answering
    delay: float = 0.0  # seconds to wait before answering (the request has arrived by then)


OK = Answer()


class Receiver:
    def __init__(self, secret: str = "", script: list[Answer] | None = None, default: Answer = OK,
                 port: int = 0) -> None:
        self.secret = secret
        self.script = list(script or [])
        self.default = default
        self.arrived: Counter[str] = Counter()  # POSTs per delivery key, answered or not
        self.times: list[float] = []  # when each POST arrived (monotonic)
        self.bodies: list[dict[str, object]] = []
        self.bad_signatures = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next(self) -> Answer:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as real servers do: no 40 ms wait between headers and body

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                key = self.path.rpartition("/")[2]
                seen = receiver.arrived[key] > 0
                self._answer(Answer(200 if seen else 404, body=json.dumps({"id": key}) if seen else "{}"))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("X-Escalate-Delivery", "")
                if receiver.secret:
                    stamp = self.headers.get("X-Escalate-Timestamp", "")
                    digest = hmac.new(receiver.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
                    if not hmac.compare_digest(f"sha256={digest.hexdigest()}",
                                               self.headers.get("X-Escalate-Signature", "")):
                        with receiver._lock:
                            receiver.bad_signatures += 1
                        self._answer(Answer(401, body="bad signature"))
                        return
                answer = receiver._next()
                if answer.status < 300 or answer.drop or answer.delay:
                    with receiver._lock:  # it reached the receiver: counted whatever the sender hears
                        receiver.arrived[key] += 1
                        receiver.times.append(time.monotonic())
                        receiver.bodies.append(json.loads(body))
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.drop:
                    self.close_connection = True
                    return
                self._answer(answer)

            def _answer(self, answer: Answer) -> None:
                data = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the sender gave up waiting

        return Handler


@contextmanager
def receiving(secret: str = "", script: list[Answer] | None = None, default: Answer = OK) -> Iterator[Receiver]:
    receiver = Receiver(secret, script, default).start()
    try:
        yield receiver
    finally:
        receiver.stop()
