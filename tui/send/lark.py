"""Lark / Feishu custom bot: the brief as an interactive card (JSON 1.0) whose header colour follows
severity, with severity and target as fields and one Markdown element per part of the brief.

The bot always answers HTTP 200; the ``code`` in the body says whether it worked. A signing secret,
when the bot has one, signs each request with the time it is sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import httpx
from pydantic import Field

from tui.domain.models import Severity
from tui.send import chat
from tui.send.chat import ChatConfig
from tui.send.config import EnvName, secret
from tui.send.cut import fit
from tui.send.http import answer, retry_after
from tui.send.model import Brief, JsonValue, Outcome, Payload, Request
from tui.send.sections import Layout, Style, convert

DEDUP = False

MAX_BODY = 20 * 1024  # bytes, the signature fields included
SIGNATURE_ROOM = 120  # bytes the timestamp and sign add to the body
TITLE_LIMIT = 200
FIELD_LIMIT = 1000
TEMPLATES = {Severity.CRITICAL: "red", Severity.HIGH: "orange", Severity.MEDIUM: "yellow"}
RATE_LIMITED = 11232


class Config(ChatConfig):
    type: Literal["lark"]
    secret_env: EnvName | None = Field(
        default=None, description="The environment variable holding the bot's signing secret, if it has one.")


# Numeric character references are how Lark's card Markdown shows a markup character as itself.
_MARKS = re.compile(r"&(?!#[0-9]+;)|[<>*_~`\[\]]")


def _text(value: str) -> str:
    return _MARKS.sub(lambda match: f"&#{ord(match.group())};", value)


LARK_MD = Style(text=_text, bold=lambda value: f"**{value}**", link=lambda url: f"[{_text(url)}]({url})",
                escaped=lambda char: f"&#{ord(char)};")


def lark_md(markdown: str) -> str:
    return "\n".join(convert(line, LARK_MD) for line in markdown.split("\n"))


def card(brief: Brief, headline: str, fields: list[JsonValue], sections: list[str],
         top: Sequence[JsonValue] = (), bottom: Sequence[JsonValue] = (), update_multi: bool = False) -> JsonValue:
    """A card JSON 1.0 object: the fields, one Markdown element per section, and the reference note;
    `top` goes before the fields and `bottom` after the sections (the app's status line, its buttons)."""
    elements: list[JsonValue] = [*top, {"tag": "div", "fields": fields}]
    elements += [{"tag": "markdown", "content": text} for text in sections if text.strip()]
    note = {"tag": "plain_text", "content": f"{brief.reference} · {chat.SIGNATURE}"}
    elements += [*bottom, {"tag": "hr"}, {"tag": "note", "elements": [note]}]
    settings: dict[str, JsonValue] = {"wide_screen_mode": True}
    if update_multi:
        settings["update_multi"] = True
    return {
        "config": settings,
        "header": {"template": TEMPLATES[brief.assessment.severity.effective],
                   "title": {"tag": "plain_text", "content": headline}},
        "elements": elements,
    }


@dataclass(frozen=True, slots=True)
class CardParts:
    """The brief as a card's pieces, before the sections are cut to a size limit."""

    layout: Layout
    headline: str
    fields: list[JsonValue]
    texts: list[str]  # one lark_md text per section of the brief


def card_parts(brief: Brief) -> CardParts:
    layout = chat.layout_of(brief)
    headline = chat.headline(brief, layout)
    if len(headline) > TITLE_LIMIT:
        headline = headline[:TITLE_LIMIT - 1].rstrip() + "…"
    fields: list[JsonValue] = [
        {"is_short": True, "text": {"tag": "lark_md",
                                    "content": fit(f"**{_text(label)}**\n{lark_md(value)}", FIELD_LIMIT, "…")}}
        for label, value in chat.facts(brief, layout)]
    texts = [lark_md(f"**{section.heading}**\n{section.markdown}" if section.heading else section.markdown)
             for section in layout.sections]
    return CardParts(layout, headline, fields, texts)


def build(brief: Brief, config: Config) -> Payload:
    parts = card_parts(brief)
    body = chat.within_bytes(
        lambda cut: {"msg_type": "interactive", "card": card(brief, parts.headline, parts.fields, cut)},
        parts.texts, MAX_BODY - SIGNATURE_ROOM, brief)
    return chat.payload(brief, config, body, parts.layout)


def sign(timestamp: str, signing_secret: str) -> str:
    """The custom bot's signature: HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message."""
    digest = hmac.new(f"{timestamp}\n{signing_secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    if config.secret_env is None:
        return chat.json_request(payload, config, env)
    signing = secret(env, config.secret_env, f"the signing secret of lark destination {config.name!r}")
    timestamp = str(int(now.timestamp()))
    body = {"timestamp": timestamp, "sign": sign(timestamp, signing), **payload.body}
    return chat.json_request(payload, config, env, body=body, extra_secrets={config.secret_env: signing})


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    return chat.deliver(client, request(payload, config, env, now), config, classify)


def _fixes(config: Config) -> dict[int, str]:
    url, key = f"${config.webhook_url_env}", f"${config.secret_env}" if config.secret_env else "secret_env"
    return {
        9499: ("the bot could not read the message (9499 Bad Request): a fault in escalate-tui's Lark card; send "
               "the dry-run output with a bug report, and the Markdown export meanwhile"),
        19001: f"the bot's webhook is no longer valid (19001): add the custom bot again and put its URL in {url}",
        19021: (f"the bot refused the signature (19021): check the signing secret in {key} is the one in the "
                "bot's security settings, and that this machine's clock is right (within an hour)"
                if config.secret_env else
                "the bot requires signed requests (19021): copy the signing secret from the bot's security "
                "settings into an environment variable and name it in this destination's secret_env"),
        19022: ("the bot accepts requests only from listed IP addresses (19022): add this machine's public "
                "address to the bot's IP allow-list in its security settings, or remove the allow-list"),
        19024: ("the bot requires a keyword the message does not contain (19024): in the bot's security "
                "settings, under custom keywords, add one every brief contains, such as \"ESC-\", or remove "
                "the keyword setting"),
    }


def classify(response: httpx.Response, sent: Request, config: Config) -> Outcome:
    """What the bot's answer means: code 0 is delivered, 11232 is a wait, any other code needs a fix."""
    where = f"Lark destination {config.name!r}"
    if response.status_code >= 500 or response.status_code in (408, 429):
        return Outcome.retry(chat.told(sent, f"{where}: Lark answered {response.status_code}"),
                             retry_after(response))
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return Outcome.retry(chat.told(sent, f"{where}: Lark's answer was not the JSON a bot sends "
                                             f"({response.status_code}: {answer(response)})"), retry_after(response))
    code = data.get("code", data.get("StatusCode"))
    said = chat.told(sent, str(data.get("msg", data.get("StatusMessage", ""))))[:200]
    if code == 0:
        return Outcome.delivered(message=f"posted by the bot in ${config.webhook_url_env}")
    if code == RATE_LIMITED:
        return Outcome.retry(f"{where}: the bot is sending too often (11232 {said}): it will try again later",
                             retry_after(response))
    fix = _fixes(config).get(code) if isinstance(code, int) else None
    if fix is None:
        fix = f"the bot refused the message (code {code}: {said}); check the bot's settings in the group"
    return Outcome.permanent(chat.told(sent, f"{where}: {fix}"))
