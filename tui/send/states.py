"""A send's state in words, the same in the Send dialog, the notices and the CLI."""

from __future__ import annotations

from tui.domain.timetext import moment
from tui.store.outbox import OutboxItem, OutboxState


def state_words(item: OutboxItem) -> str:
    """A send's state as the agent reads it: delivered with where, or why not, or what happens next."""
    state = item.state
    if state is OutboxState.DELIVERED:
        where = item.remote_url or item.remote_id
        return f"delivered{f' ({where})' if where else ''}"
    if state is OutboxState.FAILED:
        return f"stopped: {item.last_error}"
    if state is OutboxState.UNCERTAIN:
        return f"may have been delivered: check there, then answer in the outbox (F8) — {item.last_error}"
    if state is OutboxState.SENDING:
        return "sending…"
    if item.attempts:
        return f"will try again at {moment(item.next_attempt.astimezone())} ({item.last_error})"
    return "queued"
