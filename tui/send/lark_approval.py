"""A Lark approval instance for a case behind an approval gate (approval v4, chat-apps.md §2.6):
its form built from the brief, created once per request (Lark keeps one instance per ``uuid``), and
its status read back.

The form is a JSON array *string* whose widget ids and types must match the definition's; every
value is plain text (control characters out, cut to the widget's limit), so a hostile brief can
only ever be a string in it. Calls go the card's way: `lark_app.call` (token, one refresh) and its
refusals, with the approval's own codes explained first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from tui.domain.approval import needs_approval
from tui.send import brief_text, chat, lark_app
from tui.send.cut import fit
from tui.send.model import Brief, JsonValue, Outcome, Request
from tui.send.sections import split

if TYPE_CHECKING:
    import httpx

LIMITS = {"input": 200, "textarea": 5000}  # characters; ours, kept well under what Lark's widgets take
NAMESPACE = uuid.UUID("5b0f3c8e-2a41-4d7a-9c36-0e8f1a6b7d21")  # escalate-tui's approval uuids
SCOPE = "approval:approval"

USED_UUID = 60012  # an instance was already created with this uuid
RETRY_LATER = 1395001  # "There have been some errors. Please try again later"
FORM_REFUSED = 1390001  # "param is invalid": usually a widget id, type or value the definition refuses
NOT_ACTIVE = 1390015  # the approval definition is turned off
NO_APPLICANT = 1390004  # "user_id or open_id not found"
NOT_FOUND = 1390003  # "instance code not found"
NO_OPERATION = 1390009  # the definition does not let the app do this

PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"
WITHDRAWN = frozenset({"CANCELED", "DELETED", "TERMINATED"})
WHO_LIMIT = 80
COMMENT_LIMIT = 500


# --- the form --------------------------------------------------------------------------------

def uuid_for(send_key: str) -> str:
    """Lark's dedup uuid (8-4-4-4-12) for a request: the same key always gives the same uuid."""
    return str(uuid.uuid5(NAMESPACE, send_key))


def _plain(markdown: str) -> str:
    """The Markdown's text, a line per paragraph or list item, control characters out."""
    lines = [brief_text.inline_plain(token) for token in brief_text.tokens(markdown) if token.type == "inline"]
    return "\n".join(line for line in lines if line)


def _section(brief: Brief, heading: str) -> str:
    found = split(brief.markdown).section(heading)
    return _plain(found.markdown) if found is not None else ""


def field_text(brief: Brief, name: str) -> str:
    """The plain text of brief field `name` (one of `lark_approval_config.FIELDS`), uncut."""
    if name == "summary":
        return chat.summary(chat.layout_of(brief)) or brief.esc.summary
    if name == "reference":
        return brief.reference
    if name == "severity":
        return brief.assessment.severity.effective.label
    if name == "target":
        return brief.assessment.target.effective.label
    if name == "ask":
        return _section(brief, "What's Needed") or brief.esc.ask.text
    if name == "impact":
        return _section(brief, "Impact")
    if name == "customer":
        return brief.esc.customer.name
    if name == "brief":
        return _whole(brief.markdown)
    if name == "reason":
        return needs_approval(brief.esc, brief.assessment) or ""
    raise KeyError(name)


def _whole(markdown: str) -> str:
    """The brief as plain-ish text: its Markdown with control characters out (line breaks kept)."""
    return "\n".join(brief_text.clean(line).rstrip() for line in markdown.splitlines()).strip()


def _value(brief: Brief, name: str, kind: str) -> str:
    text = field_text(brief, name)
    limit = LIMITS[kind]
    if kind == "input":
        return brief_text.one_line(text, limit)
    text = "\n".join(brief_text.clean(line).rstrip() for line in text.splitlines()).strip()
    return text if len(text) <= limit else fit(text, limit, chat.pointer(brief))


def form_for(brief: Brief, config: lark_app.Config) -> str:
    """The instance's ``form``: a JSON array string, one ``{id, type, value}`` per configured widget."""
    widgets = [{"id": widget_id, "type": widget.type, "value": _value(brief, widget.field, widget.type)}
               for widget_id, widget in config.approval_form.items()]
    return json.dumps(widgets, ensure_ascii=False, separators=(",", ":"))


# --- the calls -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Created:
    """An instance Lark made (or had made for this uuid already, when Lark said which)."""

    code: str
    link: str = ""


@dataclass(frozen=True, slots=True)
class AlreadyCreated:
    """Lark says this uuid made an instance before, without saying which."""


@dataclass(frozen=True, slots=True)
class Status:
    """Where an instance stands, and who decided it with what comment when it is decided."""

    status: str
    who: str = ""
    comment: str = ""


def create_instance(client: httpx.Client, config: lark_app.Config, env: Mapping[str, str], now: datetime,
                    form: str, request_uuid: str) -> Created | AlreadyCreated | Outcome:
    """POST /approval/v4/instances for the configured definition and applicant."""
    body: JsonValue = {"approval_code": config.approval_code, "open_id": config.approval_applicant_open_id,
                       "form": form, "uuid": request_uuid}
    made = lark_app.call(client, config, env, now, "POST", "/approval/v4/instances", body)
    if isinstance(made, Outcome):
        return made
    sent, response = made
    data = lark_app.json_of(response)
    code = data.get("code") if data is not None else None
    if data is not None and code == 0:
        found = data.get("data")
        instance = found.get("instance_code") if isinstance(found, dict) else None
        if isinstance(instance, str) and instance:
            link = found.get("instance_link") if isinstance(found, dict) else None
            return Created(brief_text.one_line(instance, 100), _safe_link(link))
        return Outcome.retry(f"{_where(config)}: Lark opened the approval but did not say its instance code; "
                             "asking again (the same uuid cannot open a second one)")
    if code == USED_UUID:
        return AlreadyCreated()
    return _refused(sent, response, config, "opening the approval")


def instance_status(client: httpx.Client, config: lark_app.Config, env: Mapping[str, str], now: datetime,
                    instance_code: str) -> Status | Outcome:
    """GET /approval/v4/instances/:instance_code → its status, and who decided it when decided."""
    path = f"/approval/v4/instances/{quote(instance_code, safe='')}"
    made = lark_app.call(client, config, env, now, "GET", path, None)
    if isinstance(made, Outcome):
        return made
    sent, response = made
    data = lark_app.json_of(response)
    found = data.get("data") if data is not None and data.get("code") == 0 else None
    if not isinstance(found, dict) or not isinstance(found.get("status"), str):
        return _refused(sent, response, config, "reading the approval's status")
    status = str(found["status"]).upper()
    if status not in (APPROVED, REJECTED):
        return Status(status)
    who, comment = _decider(found, "PASS" if status == APPROVED else "REJECT", status)
    return Status(status, who, comment)


def _decider(data: Mapping[str, JsonValue], step: str, status: str) -> tuple[str, str]:
    """Who decided (an open_id, as Lark names people) and their comment, from the timeline's last
    PASS or REJECT, else the task list."""
    who = comment = ""
    timeline = data.get("timeline")
    for entry in reversed(timeline if isinstance(timeline, list) else []):
        if isinstance(entry, dict) and entry.get("type") == step:
            who, comment = _text(entry.get("open_id") or entry.get("user_id")), _text(entry.get("comment"))
            break
    if not who:
        tasks = data.get("task_list")
        for task in reversed(tasks if isinstance(tasks, list) else []):
            if isinstance(task, dict) and task.get("status") == status:
                who = _text(task.get("open_id") or task.get("user_id"))
                break
    return brief_text.one_line(who, WHO_LIMIT), brief_text.one_line(comment, COMMENT_LIMIT)


def _text(value: JsonValue) -> str:
    return value if isinstance(value, str) else ""


def _safe_link(value: JsonValue) -> str:
    if not isinstance(value, str):
        return ""
    link = brief_text.one_line(value, 500)
    return link if urlsplit(link).scheme == "https" and " " not in link else ""


def _where(config: lark_app.Config) -> str:
    return f"lark_app destination {config.name!r}"


def _refused(sent: Request, response: httpx.Response, config: lark_app.Config, doing: str) -> Outcome:
    """The approval's own codes in words, then the card's classes (rate limit, permission…)."""
    data = lark_app.json_of(response)
    code = data.get("code") if data is not None else None
    said = brief_text.one_line(chat.told(sent, str(data.get("msg", ""))), 200) if data is not None else ""
    where = _where(config)
    if code == RETRY_LATER:
        return Outcome.retry(chat.told(sent, f"{where}: Lark could not manage {doing} just now (code {code}: "
                                             f"{said}); trying again later"), lark_app.wait_of(response))
    fixes = {
        FORM_REFUSED: (f"Lark refused the approval's form (code {code}: {said}): check that each key of "
                       f"approval_form is a widget id of the definition {config.approval_code} and that its "
                       "type (input or textarea) is the widget's type there; the approval definition's page "
                       "in the approval admin lists them"),
        NOT_ACTIVE: (f"the approval definition {config.approval_code} is turned off (code {code}: {said}): turn "
                     "it on in the approval admin, or set approval_code to one in use"),
        NO_APPLICANT: (f"Lark knows no person {config.approval_applicant_open_id} (code {code}: {said}): set "
                       "approval_applicant_open_id to the open_id (ou_…) of someone in the app's contacts scope"),
        NOT_FOUND: f"Lark has no such approval instance (code {code}: {said}); it may have been deleted",
        NO_OPERATION: (f"the approval definition does not let the app do this (code {code}: {said}): check its "
                       "operation permissions in the approval admin"),
    }
    if code in fixes:
        return Outcome.permanent(chat.told(sent, f"{where}: {fixes[code]}"))
    return lark_app.refusal(sent, response, config, doing, scope=f"{SCOPE} (the Approval permission)")
