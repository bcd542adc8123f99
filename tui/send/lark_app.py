"""Lark / Feishu self-built app: the brief as an interactive card (JSON 1.0, the custom bot's card)
with Acknowledge / Take / Need info buttons that call the app back, sent with ``im/v1/messages``.

Every call carries a tenant access token, fetched with the app's id and secret and kept in this
process until ten minutes before it expires. The send carries a ``uuid`` made from the idempotency
key: Lark posts at most one message per uuid within an hour, so sending again is how an unclear
attempt is checked. The message id Lark answers with is kept, so the card can be updated in place
(`update_card`, `card_for`) while it is at most 14 days old.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal, Self
from urllib.parse import quote

import httpx
from pydantic import Field, StringConstraints, field_validator, model_validator

from tui.domain.text_safety import shorten, visible
from tui.send import chat, lark
from tui.send.config import DestinationConfig, EnvName, secret, url_problem
from tui.send.http import answer, retry_after, send
from tui.send.lark_approval_config import ApprovalSettings
from tui.send.model import Brief, JsonValue, Outcome, Payload, Request

DEDUP = True

HOSTS = {"feishu": "https://open.feishu.cn/open-apis", "lark": "https://open.larksuite.com/open-apis"}
MAX_CARD = 30 * 1024  # bytes of the request body that carries the card
ROOM = 400  # bytes the receiver, the uuid and the other keys take beside the card
MENTION_ROOM = 90  # bytes one mention adds when it is put on the card at delivery
UUID_LIMIT = 50
TOKEN_SLACK = timedelta(seconds=600)  # a token is renewed this long before Lark says it expires
TOKEN_PLACEHOLDER = "‹token›"  # what a dry run shows in place of a token it does not fetch
STATUS_LIMIT = 200
MAX_MENTIONS = 50  # e-mails batch_get_id takes in one call

BUTTONS = (("acknowledge", "Acknowledge", "default"), ("take", "Take", "primary"),
           ("need_info", "Need info", "default"))

RATE_LIMITED = frozenset({99991400, 230020, 11232})
BAD_TOKEN = frozenset({99991663, 99991664, 99991665, 99991666, 99991668})
NO_PERMISSION = frozenset({99991672, 99991679, 99991680, 99991681, 230027, 230003, 230010})
TARGET_GONE = frozenset({230002, 230005, 230017})
OUR_FAULT = frozenset({230001, 230025, 230099})
BOT_OFF = 230006
RECALLED = 230011
TOO_OLD = 230031

Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$")]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128,
                                              pattern=r"^[A-Za-z0-9_.@+-]+$")]
SpaceId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,32}$")]
NodeToken = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9]{1,64}$")]


class Config(DestinationConfig, ApprovalSettings):
    type: Literal["lark_app"]
    app_id: Identifier = Field(description="The app's ID from its Credentials page: cli_… (not a secret).")
    app_secret_env: EnvName = Field(description="The environment variable holding the app's App Secret.")
    domain: Literal["lark", "feishu"] = Field(
        description="Where the app was created: 'lark' (open.larksuite.com) or 'feishu' (open.feishu.cn).")
    api_url: str | None = Field(
        default=None, description="The API base to use instead of the domain's, ending in /open-apis (tests).")
    receive_id_type: Literal["chat_id", "open_id", "user_id", "union_id", "email"] = Field(
        default="chat_id", description="What receive_id is: a group's chat_id (oc_…), a person's open_id, e-mail…")
    receive_id: Identifier = Field(description="The group or person the card goes to.")
    mention_emails: tuple[Email, ...] = Field(
        default=(), max_length=MAX_MENTIONS,
        description="People to mention on the card, by e-mail (needs the scope contact:user.id:readonly).")
    wiki_space_id: SpaceId | None = Field(
        default=None, description="Also publish the brief as a page in this wiki space (its numeric space_id, "
                                  "from the space's settings; needs the scopes wiki:wiki and docx:document).")
    wiki_parent_node: NodeToken | None = Field(
        default=None, description="The wiki node (its token, wikcn…) the page goes under; the space's top level "
                                  "when not set.")
    wiki_url_base: str | None = Field(
        default=None, description="Where the tenant's wiki pages are, e.g. https://acme.larksuite.com/wiki/, so "
                                  "the page's link can be logged (Lark's API does not say); else its node token is.")
    follow_up_task: bool = Field(
        default=False, description="When someone takes the escalation on the card, give them a Lark task due at the "
                                   "next internal check-in (needs the scope task:task:write).")

    @field_validator("wiki_url_base")
    @classmethod
    def _wiki_url(cls, value: str | None) -> str | None:
        problem = url_problem(value) if value else None
        if problem:
            raise ValueError(f"wiki_url_base: {problem}")
        return value.rstrip("/") + "/" if value else None

    @model_validator(mode="after")
    def _wiki_needs_a_space(self) -> Self:
        if (self.wiki_parent_node or self.wiki_url_base) and not self.wiki_space_id:
            raise ValueError("wiki_parent_node and wiki_url_base need wiki_space_id: the space the page goes in")
        return self


def base_url(config: Config) -> str:
    return (config.api_url or HOSTS[config.domain]).rstrip("/")


# --- the card --------------------------------------------------------------------------------

def button_value(escalation_id: int, action: str) -> dict[str, JsonValue]:
    """What a button carries back to the app (the shared contract of issue 12)."""
    return {"escalate_tui": 1, "action": action, "escalation": str(escalation_id)}


def _buttons(brief: Brief) -> JsonValue:
    return {"tag": "action", "actions": [
        {"tag": "button", "text": {"tag": "plain_text", "content": text}, "type": kind,
         "value": button_value(brief.escalation_id, action)}
        for action, text, kind in BUTTONS]}


def _status(line: str) -> JsonValue:
    return {"tag": "div", "text": {"tag": "plain_text", "content": shorten(visible(line.strip()), STATUS_LIMIT)}}


def _fitted(brief: Brief, config: Config, status_line: str, buttons: bool) -> dict[str, JsonValue]:
    parts = lark.card_parts(brief)
    top = [_status(status_line)] if status_line.strip() else []
    bottom = [_buttons(brief)] if buttons else []

    def make(cut: list[str]) -> dict[str, JsonValue]:
        return {"content": _content(lark.card(brief, parts.headline, parts.fields, cut, top, bottom,
                                              update_multi=True))}

    mentions = (len(config.mention_emails) + 1) * MENTION_ROOM if config.mention_emails else 0
    fitted = chat.within_bytes(make, parts.texts, MAX_CARD - ROOM - mentions, brief)
    card: dict[str, JsonValue] = json.loads(fitted["content"])  # type: ignore[index]
    return card


def card_for(brief: Brief, config: Config, status_line: str = "", buttons: bool = True) -> dict[str, JsonValue]:
    """The card showing the escalation's state in a line above the brief ("Taken by Ana at 10:42",
    "Resolved"), for `update_card`. Text from a brief or a click is shown as plain text."""
    return _fitted(brief, config, status_line, buttons)


def _content(card: JsonValue) -> str:
    return json.dumps(card, ensure_ascii=False, separators=(",", ":"))


def uuid_for(key: str) -> str:
    """Lark's dedup uuid for an idempotency key: the key itself when it fits (50 characters of a
    plain alphabet), else a digest of it."""
    if len(key) <= UUID_LIMIT and re.fullmatch(r"[A-Za-z0-9_.:-]+", key):
        return key
    return "esc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:UUID_LIMIT - 4]


def build(brief: Brief, config: Config) -> Payload:
    card = _fitted(brief, config, "", buttons=True)
    payload = chat.payload(brief, config, {}, chat.layout_of(brief))
    body = {"receive_id": config.receive_id, "msg_type": "interactive", "content": _content(card),
            "uuid": uuid_for(payload.idempotency_key)}
    return Payload(payload.destination, payload.type, body, payload.idempotency_key, payload.title)


# --- requests --------------------------------------------------------------------------------

def _app_secret(config: Config, env: Mapping[str, str]) -> str:
    return secret(env, config.app_secret_env, f"the App Secret of lark_app destination {config.name!r}")


def _api(config: Config, env: Mapping[str, str], method: str, path: str, body: JsonValue, token: str) -> Request:
    secrets = {config.app_secret_env: _app_secret(config, env)}
    if token != TOKEN_PLACEHOLDER:
        secrets["tenant_access_token"] = token
    return Request(method, base_url(config) + path,
                   {"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {token}"},
                   _content(body).encode("utf-8") if body is not None else b"", secrets)


def _send_path(config: Config) -> str:
    return f"/im/v1/messages?receive_id_type={config.receive_id_type}"


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    """The send as it will leave, with ``Bearer ‹token›`` in place of a token (none is fetched here)."""
    return _api(config, env, "POST", _send_path(config), payload.body, TOKEN_PLACEHOLDER)


# --- the tenant access token -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    renew_at: datetime


_TOKENS: dict[tuple[str, str], _Token] = {}
_TOKENS_LOCK = threading.Lock()


def forget_tokens() -> None:
    """Drop every cached token (tests; a changed secret)."""
    with _TOKENS_LOCK:
        _TOKENS.clear()


def _where(config: Config) -> str:
    return f"lark_app destination {config.name!r}"


def tenant_token(client: httpx.Client, config: Config, env: Mapping[str, str], now: datetime,
                 renew: bool = False) -> str | Outcome:
    """The app's tenant access token: the cached one until ten minutes before it expires (or when
    `renew` is set), else a new one from Lark. An Outcome when none could be had."""
    key = (base_url(config), config.app_id)
    with _TOKENS_LOCK:
        cached = _TOKENS.get(key)
    if cached is not None and not renew and now < cached.renew_at:
        return cached.value
    app_secret = _app_secret(config, env)
    asked = Request("POST", base_url(config) + "/auth/v3/tenant_access_token/internal",
                    {"Content-Type": "application/json; charset=utf-8"},
                    _content({"app_id": config.app_id, "app_secret": app_secret}).encode("utf-8"),
                    {config.app_secret_env: app_secret})
    response = send(client, asked, config.timeout)
    if isinstance(response, Outcome):
        # Asking for a token changes nothing at Lark, so a lost answer is simply asked again.
        return Outcome.retry(f"{_where(config)}: getting an access token: {response.message}", response.retry_after)
    data = _json(response)
    code = data.get("code") if data is not None else None
    token = data.get("tenant_access_token") if data is not None else None
    if code == 0 and isinstance(token, str) and token:
        expire = data.get("expire") if data is not None else None
        life = timedelta(seconds=expire if isinstance(expire, int) and expire > 0 else 0)
        with _TOKENS_LOCK:
            _TOKENS[key] = _Token(token, now + life - TOKEN_SLACK)
        return token
    if response.status_code == 429 or response.status_code >= 500 or code in RATE_LIMITED or data is None:
        return Outcome.retry(chat.told(asked, f"{_where(config)}: Lark did not give an access token "
                                              f"({response.status_code}: {answer(response)})"), _wait(response))
    said = _said(asked, data)
    return Outcome.permanent(chat.told(asked, (
        f"{_where(config)}: Lark refused the app's credentials (code {code}: {said}): check that app_id "
        f"{config.app_id!r} and the App Secret in ${config.app_secret_env} are the ones on the app's "
        f"Credentials & Basic Info page, and that domain = {config.domain!r} is where the app was created")))


# --- calls and answers -----------------------------------------------------------------------

def _json(response: httpx.Response) -> dict[str, JsonValue] | None:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _said(sent: Request, data: Mapping[str, JsonValue]) -> str:
    return shorten(chat.told(sent, str(data.get("msg", ""))), 200)


def _wait(response: httpx.Response) -> float | None:
    """The wait Lark asks for: x-ogw-ratelimit-reset (seconds), else Retry-After."""
    reset = response.headers.get("x-ogw-ratelimit-reset", "").strip()
    try:
        return max(0.0, float(reset))
    except ValueError:
        return retry_after(response)


def _call(client: httpx.Client, config: Config, env: Mapping[str, str], now: datetime, method: str, path: str,
          body: JsonValue) -> tuple[Request, httpx.Response] | Outcome:
    """One API call with the app's token; a refused token is renewed once and the call made again."""
    for renew in (False, True):
        token = tenant_token(client, config, env, now, renew=renew)
        if isinstance(token, Outcome):
            return token
        sent = _api(config, env, method, path, body, token)
        response = send(client, sent, config.timeout)
        if isinstance(response, Outcome):
            return Outcome(response.kind, f"{_where(config)}: {response.message}", retry_after=response.retry_after)
        data = _json(response)
        if renew or data is None or data.get("code") not in BAD_TOKEN:
            return sent, response
    raise AssertionError("unreachable")


def _refusal(sent: Request, response: httpx.Response, config: Config, doing: str,
             scope: str = "im:message:send_as_bot") -> Outcome:
    """Any answer but success: a wait, or what to fix."""
    where = _where(config)
    data = _json(response)
    code = data.get("code") if data is not None else None
    if response.status_code == 429 or code in RATE_LIMITED:
        return Outcome.retry(chat.told(sent, f"{where}: Lark asks the app to slow down (code {code}) while "
                                             f"{doing}: it will try again later"), _wait(response))
    if data is None or (response.status_code >= 500 and code not in NO_PERMISSION | TARGET_GONE):
        return Outcome.retry(chat.told(sent, f"{where}: Lark answered {response.status_code} while {doing} "
                                             f"({answer(response)})"), _wait(response))
    said = _said(sent, data)
    target = f"{config.receive_id_type} {config.receive_id!r}"
    if code in BAD_TOKEN:
        fix = (f"Lark refused a freshly issued access token (code {code}: {said}): check that the app is "
               f"published and enabled, and that domain = {config.domain!r} is where it was created")
    elif code in NO_PERMISSION:
        fix = (f"the app lacks a permission (code {code}: {said}) for {doing}: in the developer console add "
               f"the scope {scope} (Permissions & Scopes), make sure the app is available to "
               f"{target}, then publish a new version")
    elif code in TARGET_GONE:
        fix = (f"the bot cannot reach {target} (code {code}: {said}): add the bot to the group (group "
               "settings → Bots → Add bot), or correct receive_id and receive_id_type")
    elif code == BOT_OFF:
        fix = (f"the app's bot is turned off (code {code}: {said}): turn on the Bot capability under "
               "Features in the developer console and publish a new version")
    elif code == RECALLED:
        fix = f"the card was recalled (code {code}: {said}), so it cannot be changed; send the brief again"
    elif code == TOO_OLD:
        fix = (f"the card is more than 14 days old (code {code}: {said}) and Lark no longer lets it be "
               "changed; send the brief again for a current card")
    elif code in OUR_FAULT:
        fix = (f"Lark could not read the card (code {code}: {said}): a fault in escalate-tui's card; send the "
               "dry-run output with a bug report, and the Markdown export meanwhile")
    else:
        fix = f"Lark refused it (HTTP {response.status_code}, code {code}: {said})"
    return Outcome.permanent(chat.told(sent, f"{where}: {fix}"))


def call_for_data(client: httpx.Client, config: Config, env: Mapping[str, str], now: datetime, method: str,
                  path: str, body: JsonValue, doing: str, scope: str) -> dict[str, JsonValue] | Outcome:
    """One API call whose success is `code` 0: the answer's `data` object ({} when it has none), or
    what to do instead (a wait, or what to fix, naming `scope` when a permission is missing)."""
    made = _call(client, config, env, now, method, path, body)
    if isinstance(made, Outcome):
        return made
    sent, response = made
    data = _json(response)
    if data is None or data.get("code") != 0:
        return _refusal(sent, response, config, doing, scope=scope)
    found = data.get("data")
    return found if isinstance(found, dict) else {}


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    """Post the card (with the configured people mentioned). With `unclear` nothing differs: the same
    uuid makes Lark answer with the first message instead of posting a second (within the hour it
    keeps uuids)."""
    body: JsonValue = payload.body
    missing: tuple[str, ...] = ()
    if config.mention_emails:
        found = find_people(client, config, env, now)
        if isinstance(found, Outcome):
            return found
        body, missing = with_mentions(payload.body, list(found.values())), tuple(
            email for email in config.mention_emails if email not in found)
    made = _call(client, config, env, now, "POST", _send_path(config), body)
    if isinstance(made, Outcome):
        return made
    sent, response = made
    data = _json(response)
    if data is not None and data.get("code") == 0:
        message = data.get("data")
        message_id = message.get("message_id") if isinstance(message, dict) else None
        if isinstance(message_id, str) and message_id:
            note = f"posted by the app to {config.receive_id_type} {config.receive_id}"
            if missing:
                note += ("; not mentioned, as Lark found no account the app may see for: "
                         + ", ".join(visible(email) for email in missing))
            return Outcome.delivered(remote_id=message_id, message=note)
        # Sending again with the same uuid gives the message id without a second card.
        return Outcome.retry(f"{_where(config)}: Lark accepted the card but did not say its message id; "
                             "asking again")
    return _refusal(sent, response, config, "sending the card")


# --- mentions --------------------------------------------------------------------------------

_OPEN_ID = re.compile(r"ou_[A-Za-z0-9]{1,64}")


def find_people(client: httpx.Client, config: Config, env: Mapping[str, str],
                now: datetime) -> dict[str, str] | Outcome:
    """The open_id of each configured e-mail. Lark answers an e-mail it cannot match, or whose person
    is outside the app's contacts scope, without one: those are left out."""
    body = {"emails": list(config.mention_emails), "include_resigned": False}
    data = call_for_data(client, config, env, now, "POST", "/contact/v3/users/batch_get_id?user_id_type=open_id",
                         body, "looking up the people to mention", "contact:user.id:readonly")
    if isinstance(data, Outcome):
        return data
    found: dict[str, str] = {}
    users = data.get("user_list", [])
    for user in users if isinstance(users, list) else []:
        if not isinstance(user, dict):
            continue
        email, open_id = user.get("email"), user.get("user_id")
        if isinstance(email, str) and isinstance(open_id, str) and _OPEN_ID.fullmatch(open_id):
            found[email] = open_id
    return found


def with_mentions(body: JsonValue, open_ids: list[str]) -> JsonValue:
    """The send body with a line mentioning each open_id at the top of its card."""
    if not open_ids:
        return body
    card = json.loads(body["content"])
    line = " ".join(f"<at id={open_id}></at>" for open_id in open_ids if _OPEN_ID.fullmatch(open_id))
    card["elements"].insert(0, {"tag": "div", "text": {"tag": "lark_md", "content": line}})
    return {**body, "content": _content(card)}


def update_card(client: httpx.Client, config: Config, env: Mapping[str, str], message_id: str,
                card: JsonValue, now: datetime | None = None) -> Outcome:
    """Replace the sent card `message_id` with `card` (from `card_for`)."""
    when = now or datetime.now(UTC)
    path = f"/im/v1/messages/{quote(message_id, safe='')}"
    made = _call(client, config, env, when, "PATCH", path, {"content": _content(card)})
    if isinstance(made, Outcome):
        return made
    sent, response = made
    data = _json(response)
    if data is not None and data.get("code") == 0:
        return Outcome.delivered(remote_id=message_id, message=f"updated the card {message_id}")
    return _refusal(sent, response, config, "updating the card")


# The approval instance (lark_approval) reads Lark's own codes, so it makes its calls with these.
call, refusal, json_of, wait_of = _call, _refusal, _json, _wait
