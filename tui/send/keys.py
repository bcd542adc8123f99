"""The idempotency key of a send: the same escalation, brief version and destination always give the
same key, and it fits every service's limit and alphabet (Lark's uuid takes 50 characters; a Jira
label takes no space)."""

from __future__ import annotations

import hashlib
import re

from tui.send.model import Brief

KEY_LIMIT = 50


def send_key(escalation_id: int, version: int, destination: str) -> str:
    """``esc42-v3-eng-slack``: letters, digits and dashes, at most 50 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", destination.casefold()).strip("-") or "destination"
    key = f"esc{escalation_id}-v{version}-{slug}"
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.sha256(destination.encode("utf-8")).hexdigest()[:10]
    head = f"esc{escalation_id}-v{version}-"
    return f"{head}{slug[: KEY_LIMIT - len(head) - 11]}-{digest}"


def idempotency_key(brief: Brief, destination: str) -> str:
    """The key the send plan gave the brief, else the one `send_key` gives."""
    return brief.send_key or send_key(brief.escalation_id, brief.version, destination)
