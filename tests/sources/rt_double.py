"""A loopback stand-in for what a real RT never does on cue: answers scripted per request (a 503 with
Retry-After, an HTML page, silence), on 127.0.0.1 in a thread."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from loopback import Loopback


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"page":1,"pages":1,"per_page":50,"count":0,"total":0,"items":[]}'
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0


class RTDouble(Loopback):
    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.seen: list[tuple[float, str]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                double.seen.append((time.monotonic(), self.path))
                reply = double.replies.pop(0) if double.replies else Reply()
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that stopped waiting
                    self.wfile.write(reply.body)

            def log_message(self, *_: object) -> None:
                pass

        super().__init__(Handler)
        self.url = self.origin
