"""How long a service asked to be left alone: the value of a Retry-After header, which is either a
number of seconds or an HTTP date."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def seconds_asked(value: str, now: datetime | None = None) -> float | None:
    """The wait `value` (a Retry-After header) asks for, in seconds from `now`; None when it says none."""
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
