"""Slack incoming webhook: the brief as Block Kit (header, severity and target, one section per part
of the brief, context), within Block Kit's limits.

Slack answers ``ok`` or a plain-text error code; the code, not the status, says what went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

import httpx

from tui.domain.text_safety import shorten
from tui.send import chat
from tui.send.chat import ChatConfig
from tui.send.cut import fit
from tui.send.http import answer, by_status, retry_after
from tui.send.model import Brief, JsonValue, Outcome, Payload, Request
from tui.send.sections import Style, convert

DEDUP = False

MAX_BLOCKS = 50
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
MAX_FIELDS = 10
TOTAL_TEXT = 11_000  # Slack refuses ~13.2k characters of block text (msg_blocks_too_long), undocumented
FALLBACK_LIMIT = 1000
ZWSP = "\u200b"


class Config(ChatConfig):
    type: Literal["slack"]


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped(char: str) -> str:
    # Slack mrkdwn has no escape: a zero-width space beside a mark keeps it from pairing up.
    return f"{ZWSP}{char}{ZWSP}" if char in "*_~`" else char


MRKDWN = Style(text=_text, bold=lambda value: f"*{value}*", link=lambda url: f"<{_text(url)}>", escaped=_escaped)


def mrkdwn(markdown: str) -> str:
    """The brief's Markdown lines as Slack mrkdwn."""
    return "\n".join(convert(line, MRKDWN) for line in markdown.split("\n"))


def build(brief: Brief, config: Config) -> Payload:
    headline, blocks = layout_blocks(brief)
    body = {
        "text": fallback(headline),
        "blocks": blocks,
        "metadata": {"event_type": "escalation_sent", "event_payload": {
            "escalation_id": brief.escalation_id, "version": brief.version, "reference": brief.reference}},
    }
    return chat.payload(brief, config, body, chat.layout_of(brief))


def layout_blocks(brief: Brief, extra: Sequence[JsonValue] = (), extra_text: int = 0,
                  spare: int = 0) -> tuple[str, list[JsonValue]]:
    """The case's headline and its blocks: header, fields, one section per part of the brief, then
    `extra` (blocks of `extra_text` characters that must survive the cut), then the context line;
    `spare` blocks and `extra_text` characters are left free within Slack's limits."""
    layout = chat.layout_of(brief)
    headline = chat.headline(brief, layout)
    fields = [{"type": "mrkdwn", "text": fit(f"*{_text(label)}*\n{mrkdwn(value)}", FIELD_LIMIT, "…")}
              for label, value in chat.facts(brief, layout)[:MAX_FIELDS]]
    texts = [mrkdwn(f"**{section.heading}**\n{section.markdown}" if section.heading else section.markdown)
             for section in layout.sections]
    room = TOTAL_TEXT - len(headline) - sum(len(field["text"]) for field in fields) - 200 - extra_text
    cut = chat.cut_all(texts, room, [SECTION_LIMIT] * len(texts), brief)
    blocks: list[JsonValue] = [
        {"type": "header", "text": {"type": "plain_text", "text": shorten_plain(headline, HEADER_LIMIT)}},
        {"type": "section", "fields": fields},
    ]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in cut if text.strip()]
    context = {"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{brief.reference} · {chat.SIGNATURE}"}]}
    return headline, [*blocks[:MAX_BLOCKS - 1 - len(extra) - spare], *extra, context]


def fallback(headline: str) -> str:
    """The message's plain `text`: what notifications and screen readers show."""
    return fit(_text(headline), FALLBACK_LIMIT, "…")


def shorten_plain(text: str, limit: int) -> str:
    """One line of plain text within `limit` characters, cut at a space where it can be."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip() + "…"


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    return chat.json_request(payload, config, env)


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    return chat.deliver(client, request(payload, config, env, now), config, classify)


_REMOVED = "the webhook was removed or disabled: create a new incoming webhook and put its URL in ${var}"
_MALFORMED = ("Slack could not read the message ({code}): a fault in escalate-tui's Slack message, not in "
              "your settings; send the dry-run output with a bug report, and send the Markdown export meanwhile")
FIXES: dict[str, str] = {
    "invalid_payload": _MALFORMED,
    "invalid_blocks": _MALFORMED,
    "invalid_blocks_format": _MALFORMED,
    "no_text": _MALFORMED,
    "too_many_attachments": _MALFORMED,
    "msg_blocks_too_long": ("Slack found the message too long (msg_blocks_too_long): a fault in escalate-tui's "
                            "size limits; send the Markdown export instead and report it"),
    "channel_not_found": ("the webhook's channel no longer exists: create an incoming webhook for the team's "
                          "channel and put its URL in ${var}"),
    "channel_is_archived": ("the webhook's channel is archived: unarchive it, or create an incoming webhook for "
                            "another channel and put its URL in ${var}"),
    "user_not_found": "the user the webhook posts to no longer exists: create a new webhook and put its URL in ${var}",
    "action_prohibited": ("a Slack admin has restricted posting to this channel: ask them to allow the app, or "
                          "use a webhook for another channel in ${var}"),
    "posting_to_general_channel_denied": ("only admins may post in the workspace's general channel: create a "
                                          "webhook for another channel and put its URL in ${var}"),
    "invalid_token": _REMOVED,
    "no_service": _REMOVED,
    "no_service_id": _REMOVED,
    "no_team": _REMOVED,
    "no_active_hooks": _REMOVED,
    "team_disabled": ("the Slack workspace behind the webhook is disabled: use a webhook from an active "
                      "workspace in ${var}"),
}


def classify(response: httpx.Response, sent: Request, config: Config) -> Outcome:
    """What Slack's answer means: ``ok``, a wait, or a code that says what to fix."""
    code = response.text.strip()
    where = f"Slack destination {config.name!r}"
    if response.status_code == 200 and code == "ok":
        return Outcome.delivered(message=f"posted by the webhook in ${config.webhook_url_env}")
    if response.status_code == 429 or code in ("rate_limited", "ratelimited"):
        return Outcome.retry(f"{where}: Slack asked to slow down (429)", retry_after(response))
    fix = FIXES.get(code)
    if fix is not None:
        return Outcome.permanent(chat.told(sent, f"{where}: " + fix.format(code=code, var=config.webhook_url_env)))
    if response.status_code >= 500:
        return Outcome.retry(chat.told(sent, f"{where}: Slack answered {response.status_code}: {answer(response)}"),
                             retry_after(response))
    outcome = by_status(response, where)
    return Outcome(outcome.kind, chat.told(sent, shorten(outcome.message, 400)), retry_after=outcome.retry_after)
