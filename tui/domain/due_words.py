"""When an open escalation is next due, in words: the queue, `escalate-tui due` and the timeline
all say it the same way, and an overdue clock is always written out, never shown by colour alone."""

from __future__ import annotations

from datetime import datetime, timedelta

CLOCK_NAMES = {"internal": "internal check-in", "customer": "customer update"}


def _short(delta: timedelta) -> str:
    """``2 d 3 h``, ``5 h 20 min``, ``45 min``: the two largest units, whole minutes."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{count} {unit}" for count, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if count]
    return " ".join(parts[:2]) or "<1 min"


def overdue_clocks(internal_due: datetime | None, customer_due: datetime | None, snoozed_until: datetime | None,
                   now: datetime) -> list[str]:
    """The clocks that have run out at `now` ("internal", "customer"), none while snoozed."""
    if snoozed_until is not None and now < snoozed_until:
        return []
    return [name for name, due in (("internal", internal_due), ("customer", customer_due))
            if due is not None and now > due]


def due_words(internal_due: datetime | None, customer_due: datetime | None, snoozed_until: datetime | None,
              now: datetime) -> str:
    """``OVERDUE 1 h 5 min: customer update``, ``snoozed 2 h``, ``in 40 min: internal check-in``; "" when
    no clock runs (a draft, a closed case)."""
    late = overdue_clocks(internal_due, customer_due, snoozed_until, now)
    if late:
        earliest = min(due for name, due in (("internal", internal_due), ("customer", customer_due))
                       if name in late and due is not None)
        names = " and ".join(CLOCK_NAMES[name] for name in late)
        return f"OVERDUE {_short(now - earliest)}: {names}"
    if snoozed_until is not None and now < snoozed_until:
        return f"snoozed {_short(snoozed_until - now)}"
    dues = [(due, name) for name, due in (("internal", internal_due), ("customer", customer_due)) if due is not None]
    if not dues:
        return ""
    due = min(when for when, _ in dues)
    names = " and ".join(CLOCK_NAMES[name] for when, name in sorted(dues, key=lambda item: item[1] != "internal")
                         if when == due)
    return f"in {_short(due - now)}: {names}"


def age_words(since: datetime, now: datetime) -> str:
    """How long ago `since` was: ``3 h 10 min``, ``2 d 4 h``."""
    return _short(now - since)
