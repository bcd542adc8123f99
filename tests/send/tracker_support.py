"""For the tracker and paging tests: a realistic brief, the vendored schemas, and a loopback HTTP
server that answers as the service does (the test scripts each answer).

A test module uses the `service` and `client` fixtures by importing `service_fixture` and
`client_fixture` (the names under which pytest finds them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from loopback import Loopback

from tui.domain.models import Escalation, Severity, Target
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind
from tui.render.markdown import render_markdown
from tui.send.model import Brief

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[2] / "examples"
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 19)


def assessment(severity: Severity = Severity.HIGH, target: Target = Target.ENGINEERING) -> Assessment:
    return Assessment(Verdict(VerdictKind.ESCALATE, (), (), ()), SeverityCall(severity, severity, ()),
                      TargetCall(target, target, (), ()))


def example_escalation(name: str = "api-500-acme") -> Escalation:
    from tui.store.brief_file import load_brief

    return load_brief(EXAMPLES / f"{name}.toml")


def make_brief(esc: Escalation | None = None, severity: Severity = Severity.CRITICAL,
               target: Target = Target.ENGINEERING, escalation_id: int = 42, version: int = 1) -> Brief:
    esc = esc if esc is not None else example_escalation()
    call = assessment(severity, target)
    return Brief(escalation_id, version, esc, call, render_markdown(esc, call, TODAY), TODAY)


def load_json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- a loopback service -----------------------------------------------------------------------

DROP = "drop"  # read the whole request, then close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON value, or bytes as they are
    headers: dict[str, str] = field(default_factory=dict)


Answer = Callable[[Seen], "Reply | str"]


class Service(Loopback):
    """A real HTTP server on 127.0.0.1; `answer` decides each reply from the request."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.answer: Answer = lambda seen: Reply(500, {"message": "no answer scripted"})
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                service.seen.append(seen)
                reply = service.answer(seen)
                if reply == DROP:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                assert isinstance(reply, Reply)
                data = reply.body if isinstance(reply.body, bytes) else (
                    b"" if reply.body is None else json.dumps(reply.body).encode())
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)
        self.url = self.origin

    def creates(self, method: str = "POST") -> list[Seen]:
        return [seen for seen in self.seen if seen.method == method]


@pytest.fixture(name="service")
def service_fixture() -> Iterator[Service]:
    with Service() as running:
        yield running


@pytest.fixture(name="client", scope="module")
def client_fixture() -> Iterator[Any]:
    import httpx

    with httpx.Client() as http_client:
        yield http_client

