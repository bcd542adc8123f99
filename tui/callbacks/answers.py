"""An answer clicked on a card, read from what Lark or Slack delivers. Pure: no store, no network.

The cards carry (see the lark_app and slack_app destination types):
- Lark: a button `value` of ``{"escalate_tui": 1, "action": "take", "escalation": "42"}``;
- Slack: an `actions` block with ``block_id = "escalate_tui.42"``, buttons with
  ``action_id = "escalate_tui.take"`` and ``value = "42"``.
Anything else (another app's buttons, an unknown action, an id that is not a number) is not ours: None.
Text from a payload is hostile: control characters are dropped and its length is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tui.domain.text_safety import strip_unsafe

ACTIONS = ("acknowledge", "take", "need_info")
MARKER = "escalate_tui"
SLACK_PREFIX = f"{MARKER}."
QUESTION_FIELD = "question"  # the name of a "Need info" card's text input, on either platform
WHO_LIMIT = 200
QUESTION_LIMIT = 2000
ID_DIGITS = 18
_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # a platform's user id: ou_…, U0…


@dataclass(frozen=True)
class Answer:
    """One click on one card: who did what to which escalation."""

    source: str  # "lark" | "slack"
    event_id: str  # what makes a repeated delivery the same answer
    escalation_id: int
    action: str  # "acknowledge" | "take" | "need_info"
    who: str  # a name when the payload has one, else the platform's user id
    question: str = ""  # for need_info, when the card asked for one
    message_ref: str = ""  # the card answered: Lark open_message_id, Slack message ts
    who_id: str = ""  # the platform's id of who clicked: a Lark open_id (what a task is assigned to), a Slack user id


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _escalation_id(value: object) -> int | None:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else _text(value)
    if not (text.isascii() and text.isdecimal() and 0 < len(text) <= ID_DIGITS):
        return None
    number = int(text)
    return number if number > 0 else None


def _who(*candidates: object) -> str:
    for candidate in candidates:
        text = " ".join(strip_unsafe(_text(candidate)).split())
        if text:
            return text[:WHO_LIMIT]
    return ""


def _question(value: object) -> str:
    return strip_unsafe(_text(value)).strip()[:QUESTION_LIMIT]


def from_lark(payload: dict[str, Any]) -> Answer | None:
    """The answer in a Lark `card.action.trigger` callback (schema 2.0), or None when it is not ours."""
    if not isinstance(payload, dict):
        return None
    header, event = _dict(payload.get("header")), _dict(payload.get("event"))
    if header.get("event_type", "card.action.trigger") != "card.action.trigger":
        return None
    action = _dict(event.get("action"))
    value = _dict(action.get("value"))
    if value.get(MARKER) != 1 or value.get("action") not in ACTIONS:
        return None
    escalation = _escalation_id(value.get("escalation"))
    operator = _dict(event.get("operator"))
    who = _who(operator.get("name"), operator.get("open_id"), operator.get("user_id"), operator.get("union_id"))
    if escalation is None or not who:
        return None
    message = _text(_dict(event.get("context")).get("open_message_id"))
    # header.event_id is what Lark repeats on a redelivery; the header is missing in some deliveries,
    # then the click's own token (unique per click), then the click itself, identify it.
    event_id = (_text(header.get("event_id")) or _text(event.get("token"))
                or f"{message}:{who}:{value['action']}")
    question = ""
    if value["action"] == "need_info":
        question = _question(_dict(action.get("form_value")).get(QUESTION_FIELD) or action.get("input_value"))
    open_id = _text(operator.get("open_id"))
    return Answer("lark", event_id[:200], escalation, value["action"], who, question, message,
                  open_id if _ID.fullmatch(open_id) else "")


def from_slack(payload: dict[str, Any]) -> Answer | None:
    """The answer in a Slack `block_actions` interaction, or None when it is not ours."""
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    first = _dict(actions[0]) if isinstance(actions, list) and actions else {}
    action_id, block_id = _text(first.get("action_id")), _text(first.get("block_id"))
    action = action_id.removeprefix(SLACK_PREFIX)
    if not action_id.startswith(SLACK_PREFIX) or action not in ACTIONS or not block_id.startswith(SLACK_PREFIX):
        return None
    escalation = _escalation_id(first.get("value"))
    if escalation is None or escalation != _escalation_id(block_id.removeprefix(SLACK_PREFIX)):
        return None
    user = _dict(payload.get("user"))
    user_id = _text(user.get("id"))
    who = _who(user.get("name"), user.get("username"), user_id)
    if not who:
        return None
    container = _dict(payload.get("container"))
    message_ts = _text(container.get("message_ts")) or _text(_dict(payload.get("message")).get("ts"))
    event_id = f"{message_ts}:{_text(first.get('action_ts'))}:{user_id or who}"
    question = _slack_question(payload) if action == "need_info" else ""
    return Answer("slack", event_id[:200], escalation, action, who, question, message_ts,
                  user_id if _ID.fullmatch(user_id) else "")


def _slack_question(payload: dict[str, Any]) -> str:
    """The text typed into the card's question input, if the card has one (`state.values`)."""
    for block in _dict(_dict(payload.get("state")).get("values")).values():
        for action_id, element in _dict(block).items():
            if action_id == SLACK_PREFIX + QUESTION_FIELD:
                return _question(_dict(element).get("value"))
    return ""
