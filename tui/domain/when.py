"""Until when a snooze lasts, as an agent types it: ``2h``, ``90m``, ``1d``, ``tomorrow 09:00``, or a
date and time (``2026-11-20 14:30``). Pure: the caller gives the time now and the zone clock times are in."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo

FORMS = "a duration (90m, 2h, 1d, 1d 12h), “today 17:00”, “tomorrow 09:00”, or a date and time (2026-11-20 14:30)"
LONGEST = timedelta(days=30)  # a case snoozed for longer than this is a case forgotten

_UNITS = {"m": 1, "min": 1, "mins": 1, "h": 60, "hr": 60, "hrs": 60, "d": 24 * 60, "day": 24 * 60, "days": 24 * 60}
_DURATION = re.compile(r"(\d{1,6})\s*([a-z]+)\s*")
_DAY_AND_TIME = re.compile(r"(today|tomorrow)\s+(\d{1,2}):(\d{2})")


class WhenError(ValueError):
    """The text is not a time this module reads, or not one a snooze may end at; the message says why."""


def parse_until(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """The moment `text` names, after `now` (aware) and at most LONGEST ahead. Clock times without a
    zone are read in `zone` (the local zone when None)."""
    if now.utcoffset() is None:
        raise ValueError("now has no time zone; pass an aware datetime")
    words = " ".join(text.casefold().split())
    if not words:
        raise WhenError(f"Say until when: {FORMS}.")
    until = _duration(words, now) or _day_and_time(words, now, zone) or _iso(words, zone)
    if until is None:
        raise WhenError(f"“{text.strip()[:40]}” is not a time this understands; use {FORMS}.")
    if until <= now:
        raise WhenError(f"{until:%Y-%m-%d %H:%M} has already passed; a snooze has to end in the future.")
    if until - now > LONGEST:
        raise WhenError(f"A snooze can last {LONGEST.days} days at most; log an update instead if the case "
                        "is waiting on something that long.")
    return until


def _duration(words: str, now: datetime) -> datetime | None:
    """``2h``, ``90 min``, ``1d 12h``: parts of a count and a unit, added up."""
    position, minutes = 0, 0
    for match in _DURATION.finditer(words):
        if match.start() != position or match[2] not in _UNITS:
            return None
        minutes += int(match[1]) * _UNITS[match[2]]
        position = match.end()
    if position == 0 or position != len(words):
        return None
    return now + timedelta(minutes=minutes)


def _day_and_time(words: str, now: datetime, zone: tzinfo | None) -> datetime | None:
    match = _DAY_AND_TIME.fullmatch(words)
    if match is None:
        return None
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise WhenError(f"{match[2]}:{match[3]} is not a time of day; write it as 09:00 or 17:30.")
    today = (now.astimezone(zone) if zone is not None else now.astimezone()).date()
    day = today + timedelta(days=1 if match[1] == "tomorrow" else 0)
    return _in_zone(datetime.combine(day, time(hour, minute)), zone)


def _iso(words: str, zone: tzinfo | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(words.upper())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else _in_zone(moment, zone)


def _in_zone(naive: datetime, zone: tzinfo | None) -> datetime:
    """A wall-clock time in `zone`, or in the local zone with its own summer time offset that day."""
    return naive.replace(tzinfo=zone) if zone is not None else naive.astimezone()
