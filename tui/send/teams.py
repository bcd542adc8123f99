"""Microsoft Teams through a Workflows webhook: the brief as an Adaptive Card (version 1.5, the
highest Teams shows), severity and target as facts, one container per part of the brief.

The workflow accepts the request (202) before Teams draws the card, so a card Teams cannot show is
reported only in the workflow's run history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

import httpx

from tui.domain.models import Severity
from tui.send import chat
from tui.send.chat import ChatConfig
from tui.send.cut import fit
from tui.send.http import by_status
from tui.send.model import Brief, JsonValue, Outcome, Payload, Request
from tui.send.sections import Style, convert, plain

DEDUP = False

MAX_BODY = 28 * 1024  # bytes
FACT_LIMIT = 500
COLOURS = {Severity.CRITICAL: "Attention", Severity.HIGH: "Warning", Severity.MEDIUM: "Accent"}
ACCEPTED = ("Teams accepted it; the workflow draws the card after answering, so if it does not appear in the "
            "channel, look in the workflow's run history")


class Config(ChatConfig):
    type: Literal["teams"]


def _link(url: str) -> str:
    return f"[{url}]({url.replace(')', '%29')})"


# A TextBlock reads a Markdown subset with backslash escapes: the brief's escapes are kept.
TEAMS_MD = Style(text=lambda value: value, bold=lambda value: f"**{value}**", link=_link,
                 escaped=lambda char: "\\" + char)


def teams_md(markdown: str) -> str:
    return "\n".join(convert(line, TEAMS_MD) for line in markdown.split("\n"))


def _card(brief: Brief, headline: str, facts: list[JsonValue], headings: list[str], texts: list[str]) -> JsonValue:
    body: list[JsonValue] = [
        {"type": "TextBlock", "text": headline, "wrap": True, "size": "Large", "weight": "Bolder",
         "style": "heading", "color": COLOURS[brief.assessment.severity.effective]},
        {"type": "FactSet", "facts": facts},
    ]
    for heading, text in zip(headings, texts, strict=True):
        if not text.strip():
            continue
        items: list[JsonValue] = []
        if heading:
            items.append({"type": "TextBlock", "text": heading, "wrap": True, "weight": "Bolder"})
        items.append({"type": "TextBlock", "text": text, "wrap": True})
        body.append({"type": "Container", "separator": True, "items": items})
    body.append({"type": "TextBlock", "text": f"{brief.reference} · {chat.SIGNATURE}", "wrap": True,
                 "isSubtle": True, "size": "Small"})
    card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.5", "fallbackText": headline, "msteams": {"width": "Full"}, "body": body}
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}


def build(brief: Brief, config: Config) -> Payload:
    layout = chat.layout_of(brief)
    headline = chat.headline(brief, layout)
    facts: list[JsonValue] = [{"title": label, "value": fit(plain(value), FACT_LIMIT, "…")}
                              for label, value in chat.facts(brief, layout)]
    headings = [section.heading for section in layout.sections]
    texts = [teams_md(section.markdown) for section in layout.sections]
    body = chat.within_bytes(lambda cut: _card(brief, fit(headline, 300, "…"), facts, headings, cut), texts,
                             MAX_BODY, brief)
    return chat.payload(brief, config, body, layout)


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    return chat.json_request(payload, config, env)


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    return chat.deliver(client, request(payload, config, env, now), config, classify)


def classify(response: httpx.Response, sent: Request, config: Config) -> Outcome:
    where = f"Teams destination {config.name!r}"
    status = response.status_code
    if status in (200, 202):
        return Outcome.delivered(message=ACCEPTED)
    if status in (401, 403):
        return Outcome.permanent(f"{where}: the workflow refused the URL's signature ({status}): copy the URL "
                                 f"again from the workflow's trigger and put it in ${config.webhook_url_env}")
    if status == 404:
        return Outcome.permanent(f"{where}: no workflow answers at this URL (404): it was deleted or turned "
                                 f"off; create it again and put its URL in ${config.webhook_url_env}")
    outcome = by_status(response, where)
    return Outcome(outcome.kind, chat.told(sent, outcome.message), retry_after=outcome.retry_after)
