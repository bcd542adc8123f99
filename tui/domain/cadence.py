"""Follow-up cadence after escalating: how often to check in internally and update the customer.

The intervals are the seed's table. Medium escalations run on business days (Monday to
Friday): a Friday-afternoon escalation is next due on Monday, not Saturday. A contract that
promises customer updates more often than the table wins, at any severity; a contract that
allows longer gaps never stretches the table's interval.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from tui.domain.models import Severity


class Interval(NamedTuple):
    """A follow-up window: at the earliest after `low`, at the latest after `high`."""

    low: int
    high: int
    unit: str  # "hours" or "business_days"

    @property
    def label(self) -> str:
        span = str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        if self.unit == "hours":
            return "Every hour" if span == "1" else f"Every {span} hours"
        if span == "1":
            return "Daily (business days)"
        return f"Every {span} business days"


class Clock(NamedTuple):
    """One follow-up clock and the window in which its next touch is due."""

    interval: Interval
    earliest: datetime
    latest: datetime
    note: str = ""


class FollowUpPlan(NamedTuple):
    severity: Severity
    internal: Clock
    customer: Clock


INTERNAL: dict[Severity, Interval] = {
    Severity.CRITICAL: Interval(2, 2, "hours"),
    Severity.HIGH: Interval(4, 4, "hours"),
    Severity.MEDIUM: Interval(1, 1, "business_days"),
}
CUSTOMER: dict[Severity, Interval] = {
    Severity.CRITICAL: Interval(2, 4, "hours"),
    Severity.HIGH: Interval(4, 8, "hours"),
    Severity.MEDIUM: Interval(1, 2, "business_days"),
}


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` working days after `start`, at the same time of day, skipping Saturdays and Sundays."""
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def _after(start: datetime, amount: int, unit: str) -> datetime:
    if unit == "hours":
        return start + timedelta(hours=amount)
    return add_business_days(start, amount)


def _clock(interval: Interval, start: datetime, note: str = "") -> Clock:
    earliest = _after(start, interval.low, interval.unit)
    return Clock(interval, earliest, _after(start, interval.high, interval.unit), note)


def _hours(count: int) -> str:
    return "1 hour" if count == 1 else f"{count} hours"


def customer_interval(severity: Severity, start: datetime, contract_hours: int | None) -> tuple[Interval, str]:
    """The customer-update interval from `start`, and a note when the contract was weighed.

    The contract's hours replace the table's upper bound whenever they come due sooner (for
    business days that depends on the weekday of `start`). An hourly lower bound below them is
    kept; business days give way to the contract's hours altogether.
    """
    table = CUSTOMER[severity]
    if contract_hours is None:
        return table, ""
    contract_due = start + timedelta(hours=contract_hours)
    if contract_due >= _after(start, table.high, table.unit):
        return table, f"The contract's {_hours(contract_hours)} does not lengthen the table's interval."
    low = min(table.low, contract_hours) if table.unit == "hours" else contract_hours
    note = f"The contract requires an update every {_hours(contract_hours)}, sooner than the table's interval."
    return Interval(low, contract_hours, "hours"), note


def follow_up_plan(severity: Severity, start: datetime, customer_update_hours: int | None = None) -> FollowUpPlan:
    """Next-due windows for both clocks from `start` (the escalation or the last touch)."""
    interval, note = customer_interval(severity, start, customer_update_hours)
    return FollowUpPlan(
        severity=severity,
        internal=_clock(INTERNAL[severity], start),
        customer=_clock(interval, start, note),
    )
