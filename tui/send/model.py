"""What every destination type builds, sends and reports, whatever service it talks to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from tui.domain.models import Escalation
from tui.domain.triage import Assessment

JsonValue = Any  # a value json.dumps accepts: dict, list, str, int, float, bool, None


@dataclass(frozen=True, slots=True)
class Brief:
    """The case as a builder gets it: already redacted, rendered for the destination's audience."""

    escalation_id: int
    version: int
    esc: Escalation
    assessment: Assessment
    markdown: str  # the brief for this audience, as the Markdown export would hold it
    today: date
    send_key: str = ""  # the idempotency key of this send (see `tui.send.plan.send_key`)

    @property
    def reference(self) -> str:
        """How the receiving team can name this escalation back to us: ``ESC-42``."""
        return f"ESC-{self.escalation_id}"


@dataclass(frozen=True, slots=True)
class Payload:
    """One send as the outbox keeps it: the body exactly as it will leave, with no secret in it
    (URLs, tokens and signatures are added from the environment when it is delivered)."""

    destination: str  # the destination's name in the config
    type: str  # its type: "slack", "jira", …
    body: JsonValue
    idempotency_key: str  # the same escalation, version and destination give the same key
    title: str  # one line for lists: what was sent

    def body_text(self) -> str:
        """The body as the outbox stores it and a dry run shows it."""
        return json.dumps(self.body, ensure_ascii=False, indent=2) if not isinstance(self.body, str) else self.body


@dataclass(frozen=True, slots=True)
class Request:
    """The exact request a send makes, for the dry run and for the transport."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    secrets: Mapping[str, str] = field(default_factory=dict)  # environment variable name -> its value

    def shown(self) -> str:
        """The request as text with every secret value replaced by the name of the variable that
        holds it: what a dry run prints and the Send dialog shows."""
        lines = [f"{self.method} {self.url}", *(f"{name}: {value}" for name, value in self.headers.items()), ""]
        try:
            lines.append(self.body.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(f"<{len(self.body)} bytes>")
        return mask("\n".join(lines), self.secrets)


def mask(text: str, secrets: Mapping[str, str]) -> str:
    """`text` with each secret value (longest first, so a token inside a URL goes with the URL)
    replaced by ``‹$NAME›``."""
    for name, value in sorted(secrets.items(), key=lambda item: -len(item[1])):
        if value:
            text = text.replace(value, f"‹${name}›")
    return text


class OutcomeKind(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # nothing happened that cannot be tried again: later, with backoff
    PERMANENT = "permanent"  # trying again will not help: the message says what to fix
    UNCERTAIN = "uncertain"  # it may have landed: not sent again without someone deciding


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: OutcomeKind
    message: str = ""  # in words, for the agent; never holds a secret
    remote_id: str = ""  # what the service calls it: an issue key, a message id, a dedup key
    remote_url: str = ""  # where to see it
    retry_after: float | None = None  # seconds the service asked us to wait

    @classmethod
    def delivered(cls, remote_id: str = "", remote_url: str = "", message: str = "") -> Outcome:
        return cls(OutcomeKind.DELIVERED, message, remote_id, remote_url)

    @classmethod
    def retry(cls, message: str, retry_after: float | None = None) -> Outcome:
        return cls(OutcomeKind.RETRY, message, retry_after=retry_after)

    @classmethod
    def permanent(cls, message: str) -> Outcome:
        return cls(OutcomeKind.PERMANENT, message)

    @classmethod
    def uncertain(cls, message: str) -> Outcome:
        return cls(OutcomeKind.UNCERTAIN, message)
