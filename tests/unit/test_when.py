"""Until when a snooze lasts, typed as an agent types it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui.domain.when import WhenError, parse_until

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # a Thursday
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "later"),
    [("2h", timedelta(hours=2)), ("90m", timedelta(minutes=90)), ("1d", timedelta(days=1)),
     ("45 min", timedelta(minutes=45)), (" 3 H ", timedelta(hours=3)), ("2 days", timedelta(days=2))],
)
def test_durations_count_from_now(text: str, later: timedelta) -> None:
    assert parse_until(text, NOW, UTC) == NOW + later


def test_tomorrow_at_a_time_is_read_in_the_given_zone() -> None:
    until = parse_until("tomorrow 09:00", NOW, PARIS)
    assert until == datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)
    assert until.astimezone(UTC) == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_today_at_a_later_time() -> None:
    assert parse_until("Today 17:30", NOW, UTC) == datetime(2026, 11, 19, 17, 30, tzinfo=UTC)


def test_tomorrow_counts_from_the_local_date_not_the_utc_one() -> None:
    late_evening_in_tokyo = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
    tokyo = ZoneInfo("Asia/Tokyo")
    assert parse_until("tomorrow 08:00", late_evening_in_tokyo, tokyo) == datetime(2026, 11, 20, 8, 0, tzinfo=tokyo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-11-20 14:30", datetime(2026, 11, 20, 14, 30, tzinfo=PARIS)),
     ("2026-11-20T14:30", datetime(2026, 11, 20, 14, 30, tzinfo=PARIS)),
     ("2026-11-20t14:30z", datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
     ("2026-11-20T14:30+01:00", datetime(2026, 11, 20, 13, 30, tzinfo=UTC))],
)
def test_iso_times_without_a_zone_are_local_and_with_one_are_kept(text: str, expected: datetime) -> None:
    assert parse_until(text, NOW, PARIS) == expected


def test_the_local_zone_is_used_when_none_is_given() -> None:
    assert parse_until("2026-11-20 14:30", NOW) == datetime(2026, 11, 20, 14, 30).astimezone()


@pytest.mark.parametrize("text", ["soon", "2 weeks", "next friday", "14h30", "-2h", "2026-13-01 10:00"])
def test_unreadable_text_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(WhenError) as refused:
        parse_until(text, NOW, UTC)
    message = str(refused.value)
    assert "is not a time this understands" in message
    for form in ("90m", "tomorrow 09:00", "2026-11-20 14:30"):
        assert form in message


def test_an_empty_answer_asks_until_when() -> None:
    with pytest.raises(WhenError, match="Say until when"):
        parse_until("   ", NOW, UTC)


@pytest.mark.parametrize("text", ["today 09:00", "2026-11-19 09:59", "2026-11-18T10:00Z", "0m"])
def test_a_time_already_past_is_refused(text: str) -> None:
    with pytest.raises(WhenError, match="has already passed"):
        parse_until(text, NOW, UTC)


def test_a_time_of_day_that_does_not_exist_is_named() -> None:
    with pytest.raises(WhenError, match="25:00 is not a time of day"):
        parse_until("tomorrow 25:00", NOW, UTC)


def test_a_snooze_longer_than_a_month_is_refused_even_when_huge() -> None:
    assert parse_until("30d", NOW, UTC) == NOW + timedelta(days=30)
    for text in ("31d", "999999d", "2030-01-01 00:00"):
        with pytest.raises(WhenError, match="30 days at most"):
            parse_until(text, NOW, UTC)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="time zone"):
        parse_until("2h", datetime(2026, 11, 19, 10, 0), UTC)


def test_a_duration_may_have_several_parts() -> None:
    assert parse_until("1d 12h", NOW, UTC) == NOW + timedelta(hours=36)
    assert parse_until("1h30m", NOW, UTC) == NOW + timedelta(minutes=90)
    with pytest.raises(WhenError):
        parse_until("1h 30", NOW, UTC)
