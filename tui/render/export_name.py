"""The file name a brief is offered under: its kind, the day and a slug of its summary."""

from __future__ import annotations

import re

from tui.domain.secrets import redact

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def default_export_name(summary: str, day: str, kind: str = "escalation") -> str:
    """`kind-day-slug.md`: kind is "escalation", or "support-note" for a case that stays in support.

    A secret in the summary is cut out before the slug is made, so no part of it reaches a file
    name (names are listed, synced and shared far more freely than what the files hold)."""
    words = redact(summary, lambda _: " ")
    slug = _NOT_SLUG.sub("-", words.casefold()).strip("-")[:48].rstrip("-") or "brief"
    return f"{kind}-{day}-{slug}.md"
