"""The idempotency key of a send: the same escalation, version and destination give the same key."""

from __future__ import annotations

import hashlib

from tui.send.model import Brief


def idempotency_key(brief: Brief, destination: str) -> str:
    """The key the send plan gave the brief (see `tui.send.plan.send_key`); a brief built without a
    plan (a test, a tool) gets 32 hex digits of the same three facts."""
    if brief.send_key:
        return brief.send_key
    raw = f"{brief.escalation_id}\x00{brief.version}\x00{destination.casefold()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
