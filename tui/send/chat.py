"""What the four chat destinations (Slack, Lark, Teams, Discord) share: a webhook URL kept in the
environment, a JSON POST, the same headline, and a fair share of a size limit for each section."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
from pydantic import Field

from tui.domain.text_safety import shorten, visible
from tui.send.config import DestinationConfig, EnvName, secret_url
from tui.send.cut import fit
from tui.send.http import send
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, Payload, Request, mask
from tui.send.sections import Layout, plain, split

TITLE_PREFIXES = ("ESCALATION: ", "SUPPORT NOTE: ")
SIGNATURE = "sent with escalate-tui"
SEVERITY_LABEL = "Severity"
TARGET_LABEL = "Target team"


class ChatConfig(DestinationConfig):
    webhook_url_env: EnvName = Field(
        description="The environment variable holding the webhook URL (the URL is the credential).")


def pointer(brief: Brief) -> str:
    """What ends a cut section: where the rest is, in words the receiving team can act on."""
    return f"… (cut to fit: ask the sender for the full brief {brief.reference})"


def summary(layout: Layout) -> str:
    """The brief's title as plain text, without its "ESCALATION:" prefix."""
    title = plain(layout.title)
    for prefix in TITLE_PREFIXES:
        if title.startswith(prefix):
            return title[len(prefix):]
    return title


def headline(brief: Brief, layout: Layout) -> str:
    """One plain line naming the case: ``ESC-42 · High: API returning 500s for Acme``."""
    return f"{brief.reference} · {brief.assessment.severity.effective.label}: {summary(layout)}"


def facts(brief: Brief, layout: Layout) -> list[tuple[str, str]]:
    """The label lines to show as fields: severity and target from the assessment, then the brief's
    other label lines (reporter, date) as Markdown."""
    own = [(SEVERITY_LABEL, brief.assessment.severity.effective.label),
           (TARGET_LABEL, brief.assessment.target.effective.label)]
    return own + [(label, value) for label, value in layout.facts if label not in ("Severity", "Target team")]


def payload(brief: Brief, config: DestinationConfig, body: object, layout: Layout) -> Payload:
    return Payload(destination=config.name, type=config.type, body=body,
                   idempotency_key=idempotency_key(brief, config.name),
                   title=shorten(headline(brief, layout), 120))


def layout_of(brief: Brief) -> Layout:
    return split(brief.markdown)


def shares(lengths: Sequence[int], total: int, caps: Sequence[int]) -> list[int]:
    """How many characters each part may keep so that together they fit in `total`: a part that is
    short keeps all of itself, the long ones split what is left evenly, none above its cap."""
    wanted = [min(length, cap) for length, cap in zip(lengths, caps, strict=True)]
    if sum(wanted) <= total:
        return wanted
    given = [0] * len(wanted)
    left = total
    order = sorted(range(len(wanted)), key=lambda index: wanted[index])
    for position, index in enumerate(order):
        even = left // (len(order) - position)
        given[index] = min(wanted[index], even)
        left -= given[index]
    return given


def cut_all(texts: Sequence[str], total: int, caps: Sequence[int], brief: Brief) -> list[str]:
    """Each text cut (at a line, with the pointer) to its share of `total`."""
    limits = shares([len(text) for text in texts], total, caps)
    return [fit(text, limit, pointer(brief)) if limit else "" for text, limit in zip(texts, limits, strict=True)]


def json_request(payload: Payload, config: ChatConfig, env: Mapping[str, str], body: object | None = None,
                 query: str = "", extra_secrets: Mapping[str, str] | None = None) -> Request:
    """The POST of the payload's body (or `body`) as JSON to the webhook URL read from the environment."""
    what = f"the webhook URL of {config.type} destination {config.name!r}"
    url = secret_url(env, config.webhook_url_env, what)
    full = url + (("&" if "?" in url else "?") + query if query else "")
    data = json.dumps(payload.body if body is None else body, ensure_ascii=False, separators=(",", ":"))
    return Request("POST", full, {"Content-Type": "application/json; charset=utf-8"}, data.encode("utf-8"),
                   {config.webhook_url_env: url, **(extra_secrets or {})})


def deliver(client: httpx.Client, sent: Request, config: Any,
            classify: Callable[[httpx.Response, Request, Any], Outcome]) -> Outcome:
    """Send `sent` once: the outcome of a request that got no answer, else the service's answer read
    by its `classify`."""
    response = send(client, sent, config.timeout)
    return response if isinstance(response, Outcome) else classify(response, sent, config)


def told(request: Request, text: str) -> str:
    """A message for the agent with any secret of the request masked and nothing unprintable."""
    return mask(visible(text), request.secrets)


def body_bytes(body: object) -> int:
    return len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def within_bytes(make: Callable[[list[str]], object], texts: Sequence[str], max_bytes: int, brief: Brief,
                 cap: int | None = None) -> object:
    """The body `make` builds from `texts`, each cut to its share so that the JSON body stays within
    `max_bytes` bytes of UTF-8 (a character may take one to four bytes, an entity more)."""
    budget = sum(min(len(text), cap or len(text)) for text in texts)
    while True:
        body = make(cut_all(texts, budget, [cap or budget] * len(texts), brief))
        size = body_bytes(body)
        if size <= max_bytes or budget <= 0:
            return body
        budget = max(0, min(budget - 1, int(budget * max_bytes / size * 0.95)))
