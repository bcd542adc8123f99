"""The idempotency key of a send: the same escalation, version and destination give the same key."""

from __future__ import annotations

import hashlib

from tui.send.model import Brief


def idempotency_key(brief: Brief, destination: str) -> str:
    """32 hex digits; nothing of the case can be read back from them."""
    raw = f"{brief.escalation_id}\x00{brief.version}\x00{destination.casefold()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
