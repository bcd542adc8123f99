"""Calling one Slack Web API method with a bot token, and what Slack's ``{"ok": false, "error": …}``
means for the agent: wait and try again, look before posting again, or fix a setting.

Slack answers HTTP 200 for most refusals; the `error` code, not the status, says what went wrong.
Rate limits come as HTTP 429 with Retry-After.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from tui.domain.text_safety import visible
from tui.send.http import by_status, retry_after, send
from tui.send.model import Outcome, Request, mask

AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"})
MALFORMED = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "no_text",
                       "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large",
                       "invalid_arguments", "invalid_json", "json_not_object", "too_many_attachments"})
TRY_AGAIN = frozenset({"ratelimited", "rate_limited", "service_unavailable", "request_timeout"})
# Slack says "it's possible some aspect of the operation succeeded before the error was raised".
MAYBE_DONE = frozenset({"fatal_error", "internal_error"})
ADMIN_RULES = frozenset({"restricted_action", "no_permission", "access_denied", "ekm_access_denied",
                         "team_access_not_granted", "restricted_action_read_only_channel",
                         "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel"})
SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "conversations.history": "channels:history (groups:history for a private channel)",
    "users.lookupByEmail": "users:read.email",
}


@dataclass(frozen=True, slots=True)
class Api:
    """Where and as whom to call: the destination's API URL, its bot token and the variable holding it."""

    base: str
    token: str
    token_env: str
    where: str  # "Slack destination 'eng'", the start of every message
    channel: str
    timeout: float

    @property
    def secrets(self) -> Mapping[str, str]:
        return {self.token_env: self.token}

    def post(self, method: str, body: Any) -> Request:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return Request("POST", f"{self.base.rstrip('/')}/{method}",
                       {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json; charset=utf-8"},
                       data, self.secrets)

    def get(self, method: str, params: Mapping[str, str]) -> Request:
        return Request("GET", f"{self.base.rstrip('/')}/{method}?{urlencode(params)}",
                       {"Authorization": f"Bearer {self.token}"}, b"", self.secrets)

    def told(self, text: str) -> str:
        return mask(visible(text), self.secrets)


def call(client: httpx.Client, api: Api, request: Request, creates: bool) -> dict[str, Any] | Outcome:
    """Slack's JSON answer (``ok`` true or false), or the outcome when there is none to read.
    `creates`: the call makes something, so an answer cut off may mean it was made."""
    response = send(client, request, api.timeout)
    if isinstance(response, Outcome):
        return Outcome(response.kind, api.told(f"{api.where}: {response.message}"), retry_after=response.retry_after)
    if response.status_code == 429:
        return Outcome.retry(f"{api.where}: Slack asked to slow down (429 ratelimited)", retry_after(response))
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and "ok" in data:
        return data
    if response.status_code == 200:
        said = "its answer could not be read"
        if creates:
            return Outcome.uncertain(f"{api.where}: Slack answered 200 but {said}: the message may have been posted")
        return Outcome.retry(f"{api.where}: Slack answered 200 but {said}")
    outcome = by_status(response, api.where)
    return Outcome(outcome.kind, api.told(outcome.message), retry_after=outcome.retry_after)


def error_code(data: Mapping[str, Any]) -> str:
    """The `error` of an ``ok: false`` answer, as letters, digits and underscores only."""
    return re.sub(r"[^a-z0-9_.]", "", str(data.get("error", "")).casefold())[:60] or "no error code"


def failure(data: Mapping[str, Any], method: str, api: Api, creates: bool) -> Outcome:
    """What an ``ok: false`` answer to `method` means, in words that say what to do."""
    code = error_code(data)
    where, var, channel = api.where, api.token_env, visible(api.channel)
    if code in TRY_AGAIN:
        return Outcome.retry(f"{where}: Slack could not take it just now ({code}); it will be tried again")
    if code in MAYBE_DONE:
        if creates:
            return Outcome.uncertain(f"{where}: Slack failed part-way ({code}): the message may have been posted")
        return Outcome.retry(f"{where}: Slack failed ({code}); it will be tried again")
    if code in AUTH_ERRORS:
        return Outcome.permanent(f"{where}: Slack refused the bot token in ${var} ({code}): put the app's current "
                                 f"Bot User OAuth Token (xoxb-…) in ${var}, then retry")
    if code == "missing_scope":
        needed = re.sub(r"[^a-z:._, ]", "", str(data.get("needed", "")))[:80] or SCOPES.get(method, "")
        return Outcome.permanent(f"{where}: the Slack app lacks the {needed} scope that {method} needs: add it under "
                                 f"OAuth & Permissions, reinstall the app, put its new bot token in ${var}, then retry")
    if code == "not_in_channel":
        return Outcome.permanent(f"{where}: the app's bot is not in the channel {channel}: invite it (type "
                                 f"/invite @<app name> in the channel), then retry")
    if code == "channel_not_found":
        return Outcome.permanent(f"{where}: Slack has no channel {channel!r} the bot can see: check the destination's "
                                 f"channel setting (the channel ID, C…, is in the channel's details); for a private "
                                 f"channel, invite the bot first")
    if code in ("is_archived", "channel_is_archived"):
        return Outcome.permanent(f"{where}: the channel {channel} is archived: unarchive it, or set another channel")
    if code in MALFORMED:
        return Outcome.permanent(f"{where}: Slack could not take the message ({code}): a fault in escalate-tui's "
                                 f"Slack message, not in your settings; send the dry-run output with a bug report, "
                                 f"and send the Markdown export meanwhile")
    if code in ADMIN_RULES:
        return Outcome.permanent(f"{where}: the workspace's rules keep the app from doing this in {channel} ({code}): "
                                 f"ask a Slack admin to allow it, or set another channel")
    return Outcome.permanent(f"{where}: Slack refused {method} ({code})")
