"""Slack app with a bot token: the brief as Block Kit (the incoming webhook's layout) with
Acknowledge / Take / Need info buttons, posted with ``chat.postMessage`` and kept by its ``ts`` so it
can be updated with ``chat.update``.

Slack has no idempotency key, so the message carries the send's key in its ``metadata``: after an
attempt that may have landed, the channel's recent history is searched for it before posting again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import httpx
from pydantic import Field, StringConstraints

from tui.domain.text_safety import visible
from tui.send import chat, slack
from tui.send.config import DestinationConfig, EnvName, secret
from tui.send.keys import idempotency_key
from tui.send.model import Brief, JsonValue, Outcome, OutcomeKind, Payload, Request
from tui.send.slack_api import Api, call, error_code, failure

DEDUP = True

EVENT_TYPE = "escalate_tui_escalation"
PREFIX = "escalate_tui"
BUTTONS = (("acknowledge", "Acknowledge", "primary"), ("take", "Take", ""), ("need_info", "Need info", ""))
MAX_MENTIONS = 20
STATUS_LIMIT = 300  # a state line ("Taken by … at …"), whatever a name in it holds
MENTION_ROOM = 16  # characters one <@U…> takes in the message, with its space
LOOKBACK = timedelta(days=3)  # how far back an earlier attempt is looked for
HISTORY_LIMIT = 200
HISTORY_PAGES = 3
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,8}")

Channel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80,
                                           pattern=r"^#?[^\s\x00-\x1f\x7f-\x9f#<>@|]+$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$")]


class Config(DestinationConfig):
    type: Literal["slack_app"]
    bot_token_env: EnvName = Field(description="The environment variable holding the app's bot token (xoxb-…).")
    channel: Channel = Field(description="The channel's ID (C…, best: an earlier attempt can then be looked for) "
                                         "or its name.")
    api_url: str = Field(default="https://slack.com/api", description="Slack's Web API; changed only for tests.")
    workspace_url: str = Field(default="", description="https://<workspace>.slack.com, to link to the message.")
    mention_emails: tuple[Email, ...] = Field(default=(), max_length=MAX_MENTIONS,
                                              description="People to mention, by their Slack e-mail.")


def actions_block(escalation_id: int) -> JsonValue:
    """The three buttons the answer listeners read (the shared contract of issue 12)."""
    elements = []
    for action, label, style in BUTTONS:
        button = {"type": "button", "action_id": f"{PREFIX}.{action}",
                  "text": {"type": "plain_text", "text": label}, "value": str(escalation_id)}
        if style:
            button["style"] = style
        elements.append(button)
    return {"type": "actions", "block_id": f"{PREFIX}.{escalation_id}", "elements": elements}


def _blocks(brief: Brief, config: Config, status: Sequence[JsonValue]) -> tuple[str, list[JsonValue]]:
    extra = [*status, actions_block(brief.escalation_id)]
    room = sum(len(block["text"]["text"]) for block in status) + 40
    room += MENTION_ROOM * len(config.mention_emails) + 10 if config.mention_emails else 0
    return slack.layout_blocks(brief, extra, extra_text=room, spare=1 if config.mention_emails else 0)


def build(brief: Brief, config: Config) -> Payload:
    headline, blocks = _blocks(brief, config, [])
    body = {
        "channel": config.channel,
        "text": slack.fallback(headline),
        "blocks": blocks,
        "metadata": {"event_type": EVENT_TYPE, "event_payload": {
            "escalation_id": brief.escalation_id, "version": brief.version,
            "key": idempotency_key(brief, config.name)}},
        "unfurl_links": False,
        "unfurl_media": False,
    }
    return chat.payload(brief, config, body, chat.layout_of(brief))


def blocks_for(brief: Brief, config: Config, status_line: str) -> list[JsonValue]:
    """The message's blocks showing the escalation's state above the buttons ("Taken by Dana at
    14:02"): what `update_message` sends when the escalation changes. The line is shown as plain
    text, so a name in it cannot mention or format anything."""
    line = slack.shorten_plain(" ".join(visible(status_line).split()), STATUS_LIMIT)
    status = [{"type": "section", "text": {"type": "plain_text", "text": line}}] if line else []
    return _blocks(brief, config, status)[1]


def fallback_for(brief: Brief, status_line: str = "") -> str:
    """The message's plain `text` (notifications), with the state when there is one."""
    headline = chat.headline(brief, chat.layout_of(brief))
    line = " ".join(visible(status_line).split())
    return slack.fallback(f"{headline} · {line}" if line else headline)


def _api(config: Config, env: Mapping[str, str]) -> Api:
    token = secret(env, config.bot_token_env, f"the bot token of Slack destination {config.name!r}")
    return Api(config.api_url, token, config.bot_token_env, f"Slack destination {config.name!r}", config.channel,
               config.timeout)


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    return _api(config, env).post("chat.postMessage", payload.body)


def link(config: Config, channel: str, ts: str) -> str:
    """The message's permalink, when the workspace's URL is set (Slack's own format)."""
    if not config.workspace_url:
        return ""
    return f"{config.workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"


def remote_id(channel: str, ts: str) -> str:
    """What the outbox keeps to update the message later: ``C123:1503435956.000247``."""
    return f"{channel}:{ts}"


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    api = _api(config, env)
    if unclear:
        earlier = look(client, api, config, payload.idempotency_key, now)
        if earlier is not None:
            return earlier
    mentions, notes = lookup(client, api, config.mention_emails)
    body = with_mentions(payload.body, mentions)
    answer = call(client, api, api.post("chat.postMessage", body), creates=True)
    if isinstance(answer, Outcome):
        return answer
    if answer.get("ok") is not True:
        return failure(answer, "chat.postMessage", api, creates=True)
    channel, ts = str(answer.get("channel", "")), str(answer.get("ts", ""))
    said = [*notes]
    if not (CHANNEL_ID.fullmatch(channel) and TS.fullmatch(ts)):
        said.insert(0, "Slack did not say which message it posted, so it cannot be updated later")
        return Outcome.delivered(message=api.told("; ".join(said)))
    return Outcome.delivered(remote_id(channel, ts), link(config, channel, ts), api.told("; ".join(said)))


def look(client: httpx.Client, api: Api, config: Config, key: str, now: datetime) -> Outcome | None:
    """After an attempt that may have landed: the outcome if the channel's recent history has the
    message with this send's key (delivered) or cannot be searched (retry, or a person must look),
    None when it is not there and the message may be posted."""
    channel = config.channel
    if not CHANNEL_ID.fullmatch(channel):
        return Outcome.permanent(
            f"{api.where}: an earlier attempt may have posted the message, and Slack's history can only be searched "
            f"by channel ID: look in {visible(channel)}, retry the send if the message is not there, and set channel "
            f"to the channel's ID (C…) so this is checked without you next time")
    params = {"channel": channel, "include_all_metadata": "true", "limit": str(HISTORY_LIMIT),
              "oldest": f"{(now - LOOKBACK).timestamp():.6f}"}
    for _ in range(HISTORY_PAGES):
        answer = call(client, api, api.get("conversations.history", params), creates=False)
        if isinstance(answer, Outcome):
            return _unsure(answer, api)
        if answer.get("ok") is not True:
            return _unsure(failure(answer, "conversations.history", api, creates=False), api)
        for message in answer.get("messages") or []:
            ts = str(message.get("ts", "")) if isinstance(message, dict) else ""
            if _carries(message, key) and TS.fullmatch(ts):
                return Outcome.delivered(remote_id(channel, ts), link(config, channel, ts),
                                         "an earlier attempt had posted it; not posted again")
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not answer.get("has_more") or not isinstance(cursor, str) or not cursor:
            return None
        params = {**params, "cursor": cursor}
    return None


def _carries(message: Any, key: str) -> bool:
    if not isinstance(message, dict):
        return False
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, dict) and payload.get("key") == key


def _unsure(outcome: Outcome, api: Api) -> Outcome:
    """A search that failed: tried again later if it may work then, else a person looks."""
    if outcome.kind is OutcomeKind.RETRY:
        return outcome
    return Outcome.permanent(f"{outcome.message}. An earlier attempt may have posted the message: look in "
                             f"{visible(api.channel)} and retry the send only if it is not there")


def lookup(client: httpx.Client, api: Api, emails: Sequence[str]) -> tuple[list[str], list[str]]:
    """The Slack user IDs of `emails`, and a note for each one left out (never a failure)."""
    found: list[str] = []
    notes: list[str] = []
    for email in emails:
        answer = call(client, api, api.get("users.lookupByEmail", {"email": email}), creates=False)
        if isinstance(answer, Outcome):
            notes.append(f"not mentioned: {email} (the look-up failed: {answer.message})")
            continue
        user = answer.get("user") if answer.get("ok") is True else None
        user_id = str(user.get("id", "")) if isinstance(user, dict) else ""
        if USER_ID.fullmatch(user_id):
            if user_id not in found:
                found.append(user_id)
        elif error_code(answer) == "users_not_found":
            notes.append(f"not mentioned: {email} (no Slack user has this e-mail)")
        elif error_code(answer) == "missing_scope":
            notes.append(f"not mentioned: {email} (the app needs the users:read.email scope to find people)")
        else:
            notes.append(f"not mentioned: {email} (Slack answered {error_code(answer)})")
    return found, notes


def with_mentions(body: JsonValue, user_ids: Sequence[str]) -> JsonValue:
    """The body with a line mentioning `user_ids` just above the buttons."""
    if not user_ids:
        return body
    mentioned = copy.deepcopy(body)
    blocks = mentioned["blocks"]
    at = next((index for index, block in enumerate(blocks) if block.get("type") == "actions"), len(blocks) - 1)
    text = "For " + " ".join(f"<@{user_id}>" for user_id in user_ids)
    blocks.insert(at, {"type": "section", "text": {"type": "mrkdwn", "text": text}})
    return mentioned


def update_message(client: httpx.Client, config: Config, env: Mapping[str, str], remote_id: str,
                   blocks: Sequence[JsonValue], text: str) -> Outcome:
    """Replace the posted message (`remote_id` as `deliver` gave it) with `blocks` and `text`."""
    api = _api(config, env)
    channel, _, ts = remote_id.partition(":")
    if not (CHANNEL_ID.fullmatch(channel) and TS.fullmatch(ts)):
        return Outcome.permanent(f"{api.where}: there is no posted message to update ({visible(remote_id)!r} is not "
                                 f"a Slack message reference)")
    body = {"channel": channel, "ts": ts, "text": text, "blocks": list(blocks)}
    answer = call(client, api, api.post("chat.update", body), creates=False)
    if isinstance(answer, Outcome):
        return answer
    if answer.get("ok") is True:
        return Outcome.delivered(remote_id, link(config, channel, ts), "updated")
    code = error_code(answer)
    fix = UPDATE_FIXES.get(code)
    if fix:
        return Outcome.permanent(f"{api.where}: {fix} ({code})")
    return failure(answer, "chat.update", api, creates=False)


UPDATE_FIXES = {
    "cant_update_message": "the message was not posted with this app's bot token, so it cannot be changed",
    "message_not_found": "the message is gone from the channel (deleted?), so it cannot be updated",
    "edit_window_closed": "the workspace no longer allows this message to be edited",
}
