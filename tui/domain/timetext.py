"""Moments and durations as people read them, shared by the checks' messages and the briefs."""

from __future__ import annotations

from datetime import datetime, timedelta


def moment(value: datetime) -> str:
    """``2026-11-20 17:00 UTC+01:00``; ``UTC`` alone at offset zero; no zone for a naive time."""
    stamp = f"{value:%Y-%m-%d %H:%M}"
    offset = value.utcoffset()
    if offset is None:
        return stamp
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return f"{stamp} UTC"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    sign = "+" if seconds > 0 else "-"
    return f"{stamp} UTC{sign}{hours:02d}:{minutes:02d}"


def _count(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"


def span(delta: timedelta) -> str:
    """``2 days 3 hours``, ``5 hours 20 minutes``, ``45 minutes``: the two largest units, whole minutes."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [_count(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")) if n]
    return " ".join(parts[:2]) or "less than a minute"
