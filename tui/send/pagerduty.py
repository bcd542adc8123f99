"""PagerDuty Events API v2: a Critical escalation pages the on-call team.

The event's ``dedup_key`` is the escalation's (``escalate-tui-ESC-42``), the same for every
version: while the alert is open PagerDuty adds a repeat to it instead of paging again, so a send
may always be tried again. The routing key is a secret: the outbox keeps the event without it and
`request` adds it from the environment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import httpx
from pydantic import Field, field_validator

from tui.domain.models import Severity
from tui.send import http
from tui.send.brief_text import first_items, labelled, one_line, title
from tui.send.config import DestinationConfig, EnvName, SecretMissing, secret
from tui.send.cut import fit
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, Payload, Request
from tui.send.outcomes import masked
from tui.send.severity_names import merged

DEDUP = True
SUMMARY_LIMIT = 1024
SOURCE_LIMIT = 255
# PagerDuty takes events up to 512 KB; the brief in custom_details is held well under that even
# when every character takes four bytes.
BRIEF_LIMIT = 60_000
DETAIL_LIMIT = 1_000
MAX_LINKS = 10
RATE_LIMIT_WAIT = 60.0  # PagerDuty asks for minutes, not seconds, after a 429
PdSeverity = Literal["critical", "error", "warning", "info"]
DEFAULT_SEVERITIES: dict[Severity, PdSeverity] = {
    Severity.CRITICAL: "critical", Severity.HIGH: "error", Severity.MEDIUM: "warning",
}


class Config(DestinationConfig):
    type: Literal["pagerduty"]
    routing_key_env: EnvName = Field(description="The variable holding the Events API v2 integration key.")
    severities: tuple[Severity, ...] = Field(default=(Severity.CRITICAL,),
                                             description="The severities it takes; default: Critical only.")
    severity_names: dict[Severity, PdSeverity] = Field(default_factory=lambda: dict(DEFAULT_SEVERITIES),
                                                       description="PagerDuty's severity for each of ours.")
    source: str = Field(default="escalate-tui", min_length=1, max_length=SOURCE_LIMIT,
                        pattern=r"^[^\x00-\x1f\x7f-\x9f]+$", description="The event's source.")
    api_url: str = Field(default="https://events.pagerduty.com", description="The Events API's address.")

    @field_validator("severity_names", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return merged(value, DEFAULT_SEVERITIES)

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


def dedup_key(brief: Brief) -> str:
    return f"escalate-tui-{brief.reference}"


def build(brief: Brief, config: Config) -> Payload:
    summary = title(brief, SUMMARY_LIMIT)
    severity = brief.assessment.severity.effective
    details: dict[str, str] = {
        "escalation": brief.reference,
        "version": str(brief.version),
        "severity": severity.label,
        "target team": brief.assessment.target.effective.label,
    }
    for label, value in labelled(brief.markdown).items():
        details.setdefault(label.casefold(), one_line(value, DETAIL_LIMIT))
    needed = first_items(brief.markdown).get("What's Needed")
    if needed:
        details["what is needed"] = one_line(needed, DETAIL_LIMIT)
    details["brief"] = fit(brief.markdown, BRIEF_LIMIT)
    event: dict[str, Any] = {
        "event_action": "trigger",
        "dedup_key": dedup_key(brief),
        "payload": {
            "summary": summary,
            "source": config.source,
            "severity": config.severity_names.get(severity, "critical"),
            "custom_details": details,
        },
        "client": "escalate-tui",
    }
    links = _links(brief)
    if links:
        event["links"] = links
    return Payload(config.name, "pagerduty", event, idempotency_key(brief, config.name), summary)


def _links(brief: Brief) -> list[dict[str, str]]:
    """The case's tickets and documents that have an https address."""
    links: list[dict[str, str]] = []
    for item in brief.esc.context:
        reference = item.reference.strip()
        if reference.startswith("https://") and " " not in reference and reference.isprintable():
            links.append({"href": reference, "text": one_line(item.title or reference, 200)})
    return links[:MAX_LINKS]


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    key = secret(env, config.routing_key_env, f"The PagerDuty integration key of destination {config.name!r}")
    event = {"routing_key": key, **payload.body}
    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    return Request("POST", f"{config.api_url}/v2/enqueue", {"Content-Type": "application/json"}, body,
                   {config.routing_key_env: key})


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    # `unclear` needs no look: a repeat with the same dedup_key joins the alert the first one opened.
    try:
        event = request(payload, config, env, now)
    except SecretMissing as error:
        return Outcome.permanent(str(error))
    answer = http.send(client, event, config.timeout)
    if isinstance(answer, Outcome):
        return answer
    return masked(_answered(answer, payload, config), event.secrets)


def _answered(response: httpx.Response, payload: Payload, config: Config) -> Outcome:
    status = response.status_code
    if status == 202:
        try:
            key = str(response.json().get("dedup_key") or "")
        except (ValueError, AttributeError):
            key = ""
        return Outcome.delivered(key or str(payload.body.get("dedup_key", "")))
    if status == 400:
        return Outcome.permanent(f"PagerDuty refused the event for destination {config.name!r}: {_errors(response)}"
                                 f" (check the integration key in {config.routing_key_env})")
    if status == 429:
        wait = http.retry_after(response)
        return Outcome.retry("PagerDuty is taking too many events for this service right now",
                             wait if wait is not None else RATE_LIMIT_WAIT)
    return http.by_status(response, "PagerDuty")


def _errors(response: httpx.Response) -> str:
    try:
        data = response.json()
        parts = [str(data.get("message") or ""), *(str(error) for error in data.get("errors") or [])]
    except (ValueError, AttributeError):
        return http.answer(response) or "no reason given"
    return one_line("; ".join(part for part in parts if part), 600) or "no reason given"
