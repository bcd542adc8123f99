"""Outcome messages safe to keep: a service may echo back what it was sent, a token included."""

from __future__ import annotations

from collections.abc import Mapping

from tui.send.model import Outcome, mask


def masked(outcome: Outcome, secrets: Mapping[str, str]) -> Outcome:
    """`outcome` with every secret value in its message replaced by the name of its variable."""
    if not outcome.message:
        return outcome
    return Outcome(outcome.kind, mask(outcome.message, secrets), outcome.remote_id, outcome.remote_url,
                   outcome.retry_after)
