"""Typing into a field: what the agent types becomes the model's value, or a message says why not."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from tui.domain.field_paths import (
    FieldError,
    blank_item,
    format_value,
    get_field,
    insert_item,
    is_blank_item,
    move_item,
    parse_text,
    remove_item,
    set_field,
)
from tui.domain.models import Escalation, Nature


@pytest.mark.parametrize(
    ("text", "value"),
    [("120000", 120_000), ("$120,000", 120_000), ("120k", 120_000), ("1_500", 1500), ("", None), ("  ", None)],
)
def test_amounts_accept_the_ways_people_write_them(text: str, value: int | None) -> None:
    assert parse_text("customer.arr", text) == value


def test_a_word_for_a_number_is_refused_with_an_example() -> None:
    with pytest.raises(FieldError, match=r"whole number, e\.g\. 120000"):
        parse_text("customer.arr", "lots")


def test_negative_counts_are_refused_by_the_model_and_the_model_is_unchanged() -> None:
    esc = Escalation(breadth={"customer_count": 3})
    with pytest.raises(FieldError, match="greater than or equal to 0"):
        set_field(esc, "breadth.customer_count", -1)
    assert esc.breadth.customer_count == 3


def test_dates_and_times_round_trip_through_the_text_shown() -> None:
    esc = Escalation()
    set_field(esc, "ask.deadline", parse_text("ask.deadline", "2026-11-20 17:00+01:00"))
    assert esc.ask.deadline == datetime(2026, 11, 20, 17, 0, tzinfo=timezone(timedelta(hours=1)))
    shown = format_value(get_field(esc, "ask.deadline"))
    assert shown == "2026-11-20 17:00+01:00"
    assert parse_text("ask.deadline", shown) == esc.ask.deadline
    set_field(esc, "timeline.issue_started", parse_text("timeline.issue_started", "2026-11-12"))
    assert esc.timeline.issue_started == date(2026, 11, 12)


def test_a_time_without_an_offset_is_the_agents_own_clock() -> None:
    esc = Escalation()
    set_field(esc, "ask.deadline", parse_text("ask.deadline", "2026-11-20 17:00"))
    assert esc.ask.deadline is not None
    assert esc.ask.deadline.tzinfo is not None
    assert esc.ask.deadline.hour == 17


@pytest.mark.parametrize("text", ["tomorrow", "20/11/2026", "2026-13-01"])
def test_unreadable_dates_say_how_to_write_them(text: str) -> None:
    with pytest.raises(FieldError, match="YYYY-MM-DD"):
        parse_text("timeline.issue_started", text)


def test_enums_and_text_pass_through() -> None:
    assert parse_text("problem.nature", "data_loss") is Nature.DATA_LOSS
    assert parse_text("summary", "  keeps spaces ") == "  keeps spaces "
    assert format_value(Nature.BUG) == "bug"
    assert format_value(None) == ""


def test_a_list_item_is_read_and_written_by_its_number_in_the_path() -> None:
    esc = Escalation(tried=[{"action": "restart", "result": "no change"}], reproduction={"steps": ["a", "b"]})
    set_field(esc, "tried.0.result", "fixed for an hour")
    set_field(esc, "reproduction.steps.1", "click Export")
    assert esc.tried[0].result == "fixed for an hour"
    assert esc.reproduction.steps == ["a", "click Export"]
    assert get_field(esc, "reproduction.steps.0") == "a"
    assert parse_text("tried.0.action", "x") == "x"


def test_a_value_of_the_wrong_kind_is_refused_for_a_list_item() -> None:
    esc = Escalation(reproduction={"steps": ["a"]})
    with pytest.raises(FieldError, match="expected str"):
        set_field(esc, "reproduction.steps.0", 3)
    assert esc.reproduction.steps == ["a"]


def test_items_are_inserted_blank_removed_and_moved_within_the_list() -> None:
    esc = Escalation(context=[{"title": "first"}, {"title": "second"}])
    insert_item(esc, "context", 1, blank_item("context"))
    assert [item.title for item in esc.context] == ["first", "", "second"]
    assert is_blank_item(esc.context[1])
    assert not is_blank_item(esc.context[0])
    assert move_item(esc, "context", 0, 5) == 2
    assert [item.title for item in esc.context] == ["", "second", "first"]
    assert remove_item(esc, "context", 0).title == ""
    assert blank_item("reproduction.steps") == ""
    assert is_blank_item("  ")
