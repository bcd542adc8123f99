"""A loopback HTTP service for the source tests: a real `ThreadingHTTPServer` on 127.0.0.1 that
records each request (method, path, query, headers, JSON body) and answers through `answer`, which
each service's double overrides with that service's documented shapes. Replies queued with `then`
are given first, whatever the request: a 429 with Retry-After, a slow answer, a cut-off body."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import Loopback


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # bytes as they are; anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    cut: bool = False  # promise more bytes than are sent, then close: an answer broken off


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    at: float

    def arg(self, name: str) -> str:
        return self.query.get(name, [""])[0]


class HttpDouble(Loopback):
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.script: list[Reply] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return self.origin

    def then(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def answer(self, seen: Seen) -> Reply:
        return Reply(404, {"error": "not found"})

    def _reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            if self.script:
                return self.script.pop(0)
        return self.answer(seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                            {key.lower(): value for key, value in self.headers.items()},
                            json.loads(raw) if raw else None, time.monotonic())
                reply = double._reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body) + (1000 if reply.cut else 0)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting: what the timeout tests want
                self.close_connection = True

            do_GET = do_POST = _serve

        return Handler
