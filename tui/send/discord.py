"""Discord webhook: the brief as one embed (colour by severity, the description and one field per
part of the brief), posted with ``wait=true`` so the message id comes back, and with every mention
switched off so no brief can ping @everyone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Literal

import httpx
from pydantic import Field, StringConstraints

from tui.domain.models import Severity
from tui.domain.text_safety import shorten
from tui.send import chat
from tui.send.chat import ChatConfig
from tui.send.cut import fit
from tui.send.http import by_status, retry_after
from tui.send.model import Brief, JsonValue, Outcome, Payload, Request
from tui.send.sections import Style, convert, plain

DEDUP = False

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
MAX_FIELDS = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL = 6000
EMBED_ROOM = 5800  # what the parts may use, the rest kept for rounding and the field names' share
COLOURS = {Severity.CRITICAL: 0xE01E5A, Severity.HIGH: 0xF2994A, Severity.MEDIUM: 0xF2C94C}
DESCRIPTION_SECTION = "Issue Description"

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80,
                                            pattern=r"^[^\x00-\x1f\x7f-\x9f@#:`]+$")]


class Config(ChatConfig):
    type: Literal["discord"]
    username: Username | None = Field(default=None, description="The name the message is posted under.")


# Discord's Markdown honours backslash escapes; the brief's are kept.
DISCORD_MD = Style(text=lambda value: value, bold=lambda value: f"**{value}**", link=lambda url: f"<{url}>",
                   escaped=lambda char: "\\" + char)


def discord_md(markdown: str) -> str:
    return "\n".join(convert(line, DISCORD_MD) for line in markdown.split("\n"))


def build(brief: Brief, config: Config) -> Payload:
    layout = chat.layout_of(brief)
    title = fit(chat.headline(brief, layout), TITLE_LIMIT, "…")
    footer = f"{brief.reference} · {chat.SIGNATURE}"
    facts = "\n".join(f"**{label}:** {discord_md(value)}" for label, value in chat.facts(brief, layout))
    described = layout.section(DESCRIPTION_SECTION)
    lead = facts + (f"\n\n**{DESCRIPTION_SECTION}**\n{discord_md(described.markdown)}" if described else "")
    others = [section for section in layout.sections if section is not described][:MAX_FIELDS]
    names = [fit(plain(section.heading) or "Brief", FIELD_NAME_LIMIT, "…") for section in others]
    values = [discord_md(section.markdown) for section in others]
    room = EMBED_ROOM - len(title) - len(footer) - sum(len(name) for name in names)
    cut = chat.cut_all([lead, *values], room, [DESCRIPTION_LIMIT] + [FIELD_VALUE_LIMIT] * len(values), brief)
    fields = [{"name": name, "value": value} for name, value in zip(names, cut[1:], strict=True) if value.strip()]
    embed: dict[str, JsonValue] = {"title": title, "description": cut[0],
                                   "color": COLOURS[brief.assessment.severity.effective],
                                   "fields": fields, "footer": {"text": footer}}
    body: dict[str, JsonValue] = {"allowed_mentions": {"parse": []}, "embeds": [embed]}
    if config.username:
        body["username"] = config.username
    return chat.payload(brief, config, body, layout)


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    return chat.json_request(payload, config, env, query="wait=true")


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    return chat.deliver(client, request(payload, config, env, now), config, classify)


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def first_error(errors: object, path: str = "") -> str:
    """The first of Discord's per-field errors (50035) as ``embeds.0.title: Must be 256 or fewer…``."""
    if not isinstance(errors, dict):
        return ""
    found = errors.get("_errors")
    if isinstance(found, list) and found and isinstance(found[0], dict):
        return f"{path or 'body'}: {found[0].get('message', found[0].get('code', ''))}"
    for key, value in errors.items():
        inner = first_error(value, f"{path}.{key}" if path else str(key))
        if inner:
            return inner
    return ""


def classify(response: httpx.Response, sent: Request, config: Config) -> Outcome:
    where = f"Discord destination {config.name!r}"
    data = _json(response)
    status = response.status_code
    if status in (200, 204):
        message_id = str(data.get("id", "")) if status == 200 else ""
        channel, guild = data.get("channel_id"), data.get("guild_id")
        url = f"https://discord.com/channels/{guild}/{channel}/{message_id}" if guild and channel and message_id else ""
        return Outcome.delivered(message_id, url)
    if status == 429:
        wait = retry_after(response)
        if wait is None and isinstance(data.get("retry_after"), int | float):
            wait = float(data["retry_after"])  # type: ignore[arg-type]
        return Outcome.retry(f"{where}: Discord asked to slow down (429)", wait)
    code = data.get("code")
    var = f"${config.webhook_url_env}"
    fixes = {
        50035: ("Discord refused the message's form (50035, {detail}): a fault in escalate-tui's Discord "
                "message; send the dry-run output with a bug report, and the Markdown export meanwhile"),
        50006: "Discord found the message empty (50006): a fault in escalate-tui's Discord message; report it",
        50027: (f"Discord refused the webhook's token (50027): copy the webhook URL again from the channel's "
                f"Integrations settings and put it in {var}"),
        10015: (f"the webhook was deleted (10015 Unknown Webhook): create a new one in the channel's "
                f"Integrations settings and put its URL in {var}"),
    }
    fix = fixes.get(code) if isinstance(code, int) else None
    if fix is not None and status < 500:
        detail = shorten(first_error(data.get("errors")) or str(data.get("message", "")), 200)
        return Outcome.permanent(chat.told(sent, f"{where}: " + fix.replace("{detail}", detail)))
    outcome = by_status(response, where)
    return Outcome(outcome.kind, chat.told(sent, outcome.message), retry_after=outcome.retry_after)
