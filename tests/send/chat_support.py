"""What the chat destination tests share: briefs (the example and generated hostile ones), each
service's payload checker, and a loopback HTTP server that answers as the service does."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import strategies as st
from loopback import Loopback
from slack_sdk.models.blocks import Block
from support import NOW, example

from tui.domain.models import Ask, ContextItem, Customer, Escalation, Problem, Reporter, Severity, Target, TriedStep
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind, assess
from tui.render.markdown import render_markdown
from tui.send.model import Brief

DATA = Path(__file__).parent / "data"


def example_brief(name: str = "api-500-acme", escalation_id: int = 42) -> Brief:
    esc = example(name)
    assessment = assess(esc, now=NOW)
    return Brief(escalation_id, 3, esc, assessment, render_markdown(esc, assessment, NOW.date()), NOW.date())


def assessment(severity: Severity, target: Target) -> Assessment:
    return Assessment(verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
                      severity=SeverityCall(severity, severity, ()), target=TargetCall(target, target, (), ()))


# --- hostile text --------------------------------------------------------------------------

NASTY = ["<!channel>", "<!here>", "@everyone", "@here", "<@U123>", "<#C1|x>", "**bold**", "*b*", "_i_", "~s~",
         "`code`", "```", "[x](https://evil.example)", "<https://evil.example|click>", "&amp;", "&#42;", "&lt;",
         "# heading", "> quote", "- item", "1. item", "||spoiler||", "\\", "\\*", "</font>", "<at user_id=\"all\">",
         "😀", "👩‍👩‍👧", "שלום עולם", "مرحبا", "\u202eevil", "\x1b[31m", "\x00", "\u0085", "\u2028", "\t",
         "x" * 500, "word " * 300, "中文字符" * 200, "\r\n"]
fragment = st.one_of(st.text(max_size=20), st.sampled_from(NASTY))
texts = st.lists(fragment, max_size=8).map(lambda parts: "".join(parts))
long_texts = st.one_of(texts, st.lists(fragment, max_size=60).map("\n".join),
                       st.text(min_size=3000, max_size=9000))


@st.composite
def briefs(draw: st.DrawFn) -> Brief:
    esc = Escalation(
        summary=draw(long_texts),
        customer=Customer(name=draw(texts)),
        reporter=Reporter(name=draw(texts), team=draw(texts)),
        problem=Problem(description=draw(long_texts), why_now=draw(texts), workaround=draw(texts)),
        tried=[TriedStep(action=draw(long_texts), result=draw(texts)) for _ in range(draw(st.integers(0, 6)))],
        ask=Ask(text=draw(long_texts)),
        context=[ContextItem(title=draw(texts), reference=draw(st.sampled_from(["https://e.com/a_b*c", "#42", ""])),
                             excerpt=draw(long_texts)) for _ in range(draw(st.integers(0, 4)))],
    )
    judged = assessment(draw(st.sampled_from(Severity)), draw(st.sampled_from(Target)))
    markdown = render_markdown(esc, judged, NOW.date())
    if draw(st.booleans()) and draw(st.booleans()):
        markdown = draw(long_texts)  # a brief the agent edited by hand: any text at all
    return Brief(draw(st.integers(1, 10**9)), draw(st.integers(1, 99)), esc, judged, markdown, NOW.date())


# --- checkers ------------------------------------------------------------------------------

def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def no_control_characters(body: Any) -> None:
    for text in _strings(body):
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), text


def check_slack(body: dict[str, Any]) -> None:
    blocks = body["blocks"]
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        assert parsed.to_dict() == block
    texts = [text for block in blocks for text in _strings(block) if text not in ("mrkdwn", "plain_text")]
    assert sum(map(len, texts)) <= 12_000
    assert len(body["text"]) <= 40_000
    assert body["text"].strip()
    for block in blocks:
        for text in _mrkdwn(block):
            # Every < opens one of our links; nothing the brief says can mention or link.
            assert all(m.group().startswith("<http") for m in re.finditer(r"<[^>]*>?", text)), text
            assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*", text, re.S), text
    no_control_characters(body)


def _mrkdwn(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            yield value["text"]
        for item in value.values():
            yield from _mrkdwn(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mrkdwn(item)


LARK_TAGS = {"div", "markdown", "hr", "note", "plain_text", "lark_md", "action", "button", "img", "column_set"}
LARK_TEMPLATES = {"blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple",
                  "indigo", "grey", "default"}


def check_lark(body: dict[str, Any], signed: bool = False) -> None:
    """chat-apps.md §3, the own-validator checklist, for a custom bot's card JSON 1.0."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(raw) <= 20 * 1024 - (0 if signed else 120)
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert isinstance(card, dict)  # an object, not a string, for the custom bot
    check_lark_card(card)
    no_control_characters(body)


def check_lark_app(body: dict[str, Any]) -> dict[str, Any]:
    """The same checklist for an app's im/v1/messages body: the card is a JSON string of at most
    30 KB, set to be updated, and its buttons call back. Returns the card."""
    assert len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()) <= 30 * 1024
    assert body["msg_type"] == "interactive"
    assert isinstance(body["content"], str)
    assert 1 <= len(body["uuid"]) <= 50
    card = json.loads(body["content"])
    assert card["config"]["update_multi"] is True
    check_lark_card(card, callbacks=True)
    no_control_characters(body)
    no_control_characters(card)
    return card


def check_lark_card(card: dict[str, Any], callbacks: bool = False) -> None:
    assert "schema" not in card
    assert isinstance(card["elements"], list)
    assert "body" not in card
    title = card["header"]["title"]
    assert title["tag"] in ("plain_text", "lark_md")
    assert isinstance(title["content"], str)
    assert title["content"]
    assert card["header"]["template"] in LARK_TEMPLATES

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "tag" in node:
                assert node["tag"] in LARK_TAGS, node
                if node["tag"] in ("plain_text", "lark_md", "markdown"):
                    assert isinstance(node["content"], str)
                if node["tag"] == "button":
                    assert node["text"]["tag"] == "plain_text"
                    assert node.get("type") in ("default", "primary", "danger")
                    assert ("value" in node) != ("url" in node or "multi_url" in node)
                    if callbacks:
                        assert isinstance(node.get("value", {}), dict)
                    else:
                        assert "value" not in node  # no callbacks in a webhook card
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    for text in _lark_markdown(card):
        # no raw HTML-like tag (<at>, <font>) and no unencoded emphasis from the brief
        assert not re.search("[<>]", text), text


def _lark_markdown(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("tag") in ("markdown", "lark_md"):
            yield value["content"]
        for item in value.values():
            yield from _lark_markdown(item)
    elif isinstance(value, list):
        for item in value:
            yield from _lark_markdown(item)


_CARD_SCHEMA = json.loads((DATA / "adaptive-card-1.5.json").read_text(encoding="utf-8"))
CARD_VALIDATOR = jsonschema.Draft6Validator(_CARD_SCHEMA)


def check_teams(body: dict[str, Any]) -> None:
    assert len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()) <= 28 * 1024
    assert body["type"] == "message"
    assert len(body["attachments"]) == 1
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["contentUrl"] is None
    card = {key: value for key, value in attachment["content"].items() if key != "msteams"}
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    errors = sorted(CARD_VALIDATOR.iter_errors(card), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:3]]
    no_control_characters(body)


def check_discord(body: dict[str, Any]) -> None:
    assert body["allowed_mentions"] == {"parse": []}
    assert len(body.get("content", "")) <= 2000
    embeds = body["embeds"]
    assert 1 <= len(embeds) <= 10
    total = 0
    for embed in embeds:
        assert 0 < len(embed["title"]) <= 256
        assert 0 < len(embed["description"]) <= 4096
        assert len(embed["fields"]) <= 25
        for item in embed["fields"]:
            assert 0 < len(item["name"]) <= 256
            assert 0 < len(item["value"]) <= 1024
            assert set(item) <= {"name", "value", "inline"}
        assert len(embed["footer"]["text"]) <= 2048
        assert isinstance(embed["color"], int)
        assert 0 <= embed["color"] <= 0xFFFFFF
        assert not {"type", "provider", "video"} & set(embed)
        total += len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"])
        total += sum(len(item["name"]) + len(item["value"]) for item in embed["fields"])
    assert total <= 6000
    if "username" in body:
        assert 1 <= len(body["username"]) <= 80
    no_control_characters(body)


# --- a loopback service --------------------------------------------------------------------

@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # read the request, then close the connection without answering
    delay: float = 0.0  # wait this long before answering


class Service(Loopback):
    """A real HTTP server on 127.0.0.1 that hands each request to `answer` and replies with its Reply."""

    def __init__(self, answer: Callable[[Seen], Reply]) -> None:
        self.answer = answer
        self.seen: list[Seen] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                seen = Seen("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                service.seen.append(seen)
                reply = service.answer(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                data = reply.body
                content_type = "text/plain; charset=utf-8"
                if isinstance(data, dict):
                    data, content_type = json.dumps(data).encode(), "application/json; charset=utf-8"
                elif isinstance(data, str):
                    data = data.encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.origin
