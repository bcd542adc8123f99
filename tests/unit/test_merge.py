"""Two versions of one draft edited apart: different fields merge, the same field clashes."""

from __future__ import annotations

from tests.support import example_path
from tui.domain.merge import merge
from tui.domain.models import Escalation, Severity, SeverityOverride
from tui.store.brief_file import load_brief


def base() -> Escalation:
    return load_brief(example_path("api-500-acme"))


def test_edits_to_different_fields_are_both_kept() -> None:
    ours, theirs = base(), base()
    ours.summary = "API 500s for Acme, now also on /v2/orders"
    theirs.customer.plan = "Enterprise Plus"
    theirs.reproduction.steps.append("Retry with a smaller page size")
    theirs.severity_override = SeverityOverride(value=Severity.CRITICAL, reason="CEO call at 5pm")
    result = merge(base(), ours, theirs)
    assert result.clashes == ()
    assert result.theirs == ("customer.plan", "reproduction.steps", "severity_override")
    assert result.merged is not None
    assert result.merged.summary == ours.summary
    assert result.merged.customer.plan == "Enterprise Plus"
    assert result.merged.reproduction.steps[-1] == "Retry with a smaller page size"
    assert result.merged.severity_override == theirs.severity_override


def test_the_same_field_changed_two_ways_is_a_clash_and_nothing_is_merged() -> None:
    ours, theirs = base(), base()
    ours.summary, theirs.summary = "ours", "theirs"
    theirs.customer.plan = "Enterprise Plus"
    result = merge(base(), ours, theirs)
    assert result.merged is None
    assert result.clashes == ("summary",)


def test_the_same_change_made_twice_is_no_clash() -> None:
    ours, theirs = base(), base()
    ours.summary = theirs.summary = "same words"
    result = merge(base(), ours, theirs)
    assert result.clashes == ()
    assert result.merged == ours
