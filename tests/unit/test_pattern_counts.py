"""Counting the customers who share an issue, and what linking a pattern or marking a recurrence
changes in the case."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.domain.field_paths import set_field
from tui.domain.lifecycle import Status
from tui.domain.models import ContextItem, Escalation, Severity
from tui.domain.patterns import (
    Lookalike,
    customers_sharing,
    distinct_customers,
    is_pattern,
    link_reason,
    pattern_changes,
    recurring_changes,
)
from tui.domain.rules import pattern_of_customers
from tui.domain.settings import RuleSettings

CLOSED = datetime(2026, 10, 2, 15, 0, tzinfo=UTC)


def case(customer: str = "Acme", summary: str = "CSV export drops rows for large accounts") -> Escalation:
    esc = Escalation(summary=summary)
    esc.customer.name = customer
    return esc


def lookalike(number: int, customer: str, status: Status = Status.ESCALATED,
              summary: str = "CSV export drops rows on big accounts") -> Lookalike:
    closed = CLOSED if status in (Status.RESOLVED, Status.DE_ESCALATED) else None
    return Lookalike(number, summary, customer, status, Severity.HIGH, closed)


def test_customers_are_counted_once_whatever_their_case_and_spacing_and_blanks_are_left_out() -> None:
    assert distinct_customers("Acme", ["acme", " ACME ", "Globex", "", "   ", "globex", "Initech  Corp",
                                       "initech corp"]) == ["Acme", "Globex", "Initech Corp"]
    assert distinct_customers("", ["Globex"]) == ["Globex"]
    assert distinct_customers("", []) == []


def test_a_pattern_needs_the_rules_count_of_distinct_customers_this_case_included() -> None:
    two = [lookalike(1, "Globex"), lookalike(2, "globex")]
    three = [lookalike(1, "Globex"), lookalike(2, "Initech")]
    assert customers_sharing(case(), two) == ["Acme", "Globex"]
    assert not is_pattern(case(), two, 3)
    assert is_pattern(case(), three, 3)
    assert not is_pattern(case(), three, 4)
    assert not is_pattern(case(customer=""), three, 3)  # a case with no customer named adds none


def test_linking_raises_the_count_names_the_others_and_adds_one_context_item_each() -> None:
    esc = case()
    esc.breadth.named_customers = ["globex"]
    found = [lookalike(4, "Globex"), lookalike(7, "Initech", Status.RESOLVED)]
    changes = pattern_changes(esc, found, zone=UTC)
    assert changes["breadth.customer_count"] == 3
    assert changes["breadth.named_customers"] == ["globex", "Initech"]  # Acme is this case's own customer
    items = changes["context"]
    assert [item.reference for item in items] == ["escalation #4", "escalation #7"]
    assert items[0].title == "CSV export drops rows on big accounts"
    assert items[0].excerpt == "Globex, escalated, High"
    assert items[1].excerpt == "Initech, resolved on 2026-10-02"
    for path, value in changes.items():
        set_field(esc, path, value)
    assert pattern_of_customers(esc, RuleSettings(), None)
    assert pattern_changes(esc, found, zone=UTC) == {}  # linked once, nothing left to change


def test_linking_never_lowers_a_larger_count_already_given() -> None:
    esc = case()
    esc.breadth.customer_count = 40
    assert "breadth.customer_count" not in pattern_changes(esc, [lookalike(4, "Globex"), lookalike(5, "Initech")])


def test_the_reason_names_the_words_every_linked_summary_shares_with_the_case() -> None:
    found = [lookalike(4, "Globex"), lookalike(5, "Initech", summary="Export to CSV drops rows")]
    assert link_reason(case(), found) == "same issue: csv, export, drops, rows"
    unrelated = [lookalike(4, "Globex", summary="Login loop after SSO change")]
    assert link_reason(case(), unrelated) == "same issue"


def test_marking_a_recurrence_sets_the_flag_and_points_at_the_old_escalation_once() -> None:
    esc = case()
    old = lookalike(7, "Initech", Status.RESOLVED)
    changes = recurring_changes(esc, old, zone=UTC)
    assert changes["flags.recurring_after_fix"] is True
    [item] = changes["context"]
    assert item.reference == "escalation #7"
    assert item.excerpt == "Initech, resolved on 2026-10-02, the issue came back after that fix"
    for path, value in changes.items():
        set_field(esc, path, value)
    assert recurring_changes(esc, old, zone=UTC) == {}


def test_marking_a_recurrence_replaces_the_item_linking_put_there_rather_than_adding_a_second() -> None:
    esc = case()
    esc.context = [ContextItem(title="CSV export", reference="escalation #7", excerpt="Initech, resolved")]
    changes = recurring_changes(esc, lookalike(7, "Initech", Status.DE_ESCALATED), zone=UTC)
    [item] = changes["context"]
    assert item.excerpt == "Initech, de-escalated on 2026-10-02, the issue came back after that fix"


def test_only_a_closed_escalation_came_back() -> None:
    assert lookalike(1, "A", Status.RESOLVED).came_back
    assert lookalike(1, "A", Status.DE_ESCALATED).came_back
    assert not lookalike(1, "A", Status.TAKEN).came_back
    assert lookalike(1, "A", Status.TAKEN).closed_on() == ""
