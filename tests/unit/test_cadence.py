"""Follow-up cadence: the seed's table, with business days for Medium."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.domain.cadence import add_business_days, follow_up_plan
from tui.domain.models import Severity

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("severity", "internal_label", "internal_due", "customer_label", "customer_window"),
    [
        (Severity.CRITICAL, "Every 2 hours", (12, 0), "Every 2-4 hours", ((12, 0), (14, 0))),
        (Severity.HIGH, "Every 4 hours", (14, 0), "Every 4-8 hours", ((14, 0), (18, 0))),
    ],
)
def test_hourly_clocks_match_the_table(severity, internal_label, internal_due, customer_label, customer_window):
    plan = follow_up_plan(severity, THURSDAY)
    assert plan.internal.interval.label == internal_label
    assert (plan.internal.earliest.hour, plan.internal.earliest.minute) == internal_due
    assert plan.internal.earliest == plan.internal.latest
    assert plan.customer.interval.label == customer_label
    low, high = customer_window
    assert (plan.customer.earliest.hour, plan.customer.earliest.minute) == low
    assert (plan.customer.latest.hour, plan.customer.latest.minute) == high


def test_medium_runs_on_business_days_from_a_thursday() -> None:
    plan = follow_up_plan(Severity.MEDIUM, THURSDAY)
    assert plan.internal.interval.label == "Daily (business days)"
    assert plan.internal.earliest == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert plan.customer.interval.label == "Every 1-2 business days"
    assert plan.customer.earliest == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert plan.customer.latest == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # skips the weekend


def test_medium_from_friday_afternoon_is_due_monday_not_saturday() -> None:
    plan = follow_up_plan(Severity.MEDIUM, FRIDAY)
    assert plan.internal.earliest == datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert plan.customer.latest == datetime(2026, 11, 24, 16, 30, tzinfo=UTC)


def test_business_days_from_a_weekend_start_count_from_monday() -> None:
    assert add_business_days(SATURDAY, 1) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert add_business_days(SATURDAY, 0) == SATURDAY


@pytest.mark.parametrize(
    ("severity", "start", "hours", "label", "latest"),
    [
        (Severity.CRITICAL, THURSDAY, 1, "Every hour", datetime(2026, 11, 19, 11, 0, tzinfo=UTC)),
        (Severity.CRITICAL, THURSDAY, 3, "Every 2-3 hours", datetime(2026, 11, 19, 13, 0, tzinfo=UTC)),
        (Severity.HIGH, THURSDAY, 1, "Every hour", datetime(2026, 11, 19, 11, 0, tzinfo=UTC)),
        (Severity.HIGH, THURSDAY, 6, "Every 4-6 hours", datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
        (Severity.MEDIUM, THURSDAY, 24, "Every 24 hours", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
        # from Friday afternoon two business days run to Tuesday, so 48 calendar hours come sooner
        (Severity.MEDIUM, FRIDAY, 48, "Every 48 hours", datetime(2026, 11, 22, 16, 30, tzinfo=UTC)),
    ],
)
def test_a_contract_that_asks_for_updates_more_often_wins_at_any_severity(
    severity: Severity, start: datetime, hours: int, label: str, latest: datetime
) -> None:
    plan = follow_up_plan(severity, start, customer_update_hours=hours)
    assert plan.customer.interval.label == label
    assert plan.customer.latest == latest
    assert plan.customer.note.startswith("The contract requires an update every ")
    assert plan.internal == follow_up_plan(severity, start).internal  # the internal clock is the table's


@pytest.mark.parametrize(
    ("severity", "start", "hours"),
    [(Severity.CRITICAL, THURSDAY, 4), (Severity.CRITICAL, THURSDAY, 12), (Severity.HIGH, THURSDAY, 8),
     (Severity.MEDIUM, MONDAY, 48), (Severity.MEDIUM, THURSDAY, 24 * 14)],
)
def test_a_contract_that_allows_longer_gaps_never_lengthens_the_table(
    severity: Severity, start: datetime, hours: int
) -> None:
    plan = follow_up_plan(severity, start, customer_update_hours=hours)
    assert plan.customer[:3] == follow_up_plan(severity, start).customer[:3]
    assert plan.customer.note == f"The contract's {hours} hours does not lengthen the table's interval."


def test_time_zone_of_the_start_is_kept() -> None:
    from datetime import timedelta, timezone

    tokyo = datetime(2026, 11, 19, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    plan = follow_up_plan(Severity.HIGH, tokyo)
    assert plan.internal.earliest.utcoffset() == timedelta(hours=9)
    assert plan.internal.earliest.hour == 22
