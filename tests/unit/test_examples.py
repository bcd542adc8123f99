"""The four shipped examples (the seed's four usage lines): they load, they are complete, they are
in the canonical layout, and the rules reach the outcome each one is meant to show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tui.domain.models import AskKind, Depth, Escalation, Frequency, Severity, Target
from tui.domain.quality import check_quality
from tui.domain.triage import TriggerCategory, VerdictKind, assess
from tui.store.brief_file import dumps_brief, load_brief

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
# `escalate-tui check` reads the wall clock, so the outcome must not change once dates have passed.
LATER = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Expected:
    summary: str
    severity: Severity
    target: Target
    cc: tuple[Target, ...]
    bug: bool


EXPECTED = {
    "api-500-acme.toml": Expected(
        "API returning 500 errors intermittently for Acme Corp", Severity.HIGH, Target.ENGINEERING, (), True
    ),
    "export-missing-rows.toml": Expected(
        "Data export is missing rows — 3 customers reported this week",
        Severity.CRITICAL,
        Target.ENGINEERING,
        (),
        True,
    ),
    "sso-login-loop-enterprise.toml": Expected(
        "SSO login loop affecting all Enterprise customers", Severity.CRITICAL, Target.ENGINEERING, (), True
    ),
    "churn-audit-log.toml": Expected(
        "Customer threatening to churn over missing audit log feature",
        Severity.MEDIUM,
        Target.LEADERSHIP,
        (Target.PRODUCT,),
        False,
    ),
}


def load(name: str) -> Escalation:
    return load_brief(EXAMPLES / name)


def test_exactly_the_four_examples_ship() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("now", [NOW, LATER], ids=["on-the-day", "months-later"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_reaches_its_intended_outcome(name: str, now: datetime) -> None:
    expected, esc = EXPECTED[name], load(name)
    assessment = assess(esc, now=now)
    assert esc.summary == expected.summary
    assert assessment.verdict.kind is VerdictKind.ESCALATE
    assert assessment.severity.effective is expected.severity
    assert assessment.severity.proposed is expected.severity  # from the facts, not an override
    assert assessment.target.effective is expected.target
    assert assessment.target.proposed is expected.target
    assert assessment.target.cc == expected.cc


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_is_complete(name: str) -> None:
    expected, esc = EXPECTED[name], load(name)
    assert esc.customer.name
    assert esc.customer.arr
    assert esc.reporter.name
    assert esc.reporter.team
    sentences = re.findall(r"[^.!?]+[.!?](?=\s|$)", esc.problem.description)
    assert 3 <= len(sentences) <= 5, sentences
    assert esc.problem.why_now
    assert esc.problem.workaround
    assert esc.customer.notes
    assert esc.depth.level is not Depth.UNKNOWN
    assert esc.depth.workflow_impact
    assert len(esc.tried) == 3
    assert all(step.action and step.result for step in esc.tried)
    communication = esc.communication
    assert communication.last_update
    assert communication.last_update_summary
    assert communication.customer_expectation
    assert communication.escalation_risk
    assert esc.ask.kind is not AskKind.UNSET
    assert esc.ask.text
    assert esc.ask.deadline
    assert 2 <= len(esc.context) <= 4
    assert all(item.title and item.reference for item in esc.context)
    moments = [esc.created, esc.communication.last_update, esc.ask.deadline, esc.timeline.customer_waiting_since]
    days = [m.date() for m in moments if m] + [d for d in [esc.timeline.issue_started] if d]
    assert all(date(2026, 11, 1) <= day <= date(2026, 11, 30) for day in days), days
    repro = esc.reproduction
    if expected.bug:
        assert repro.starting_state
        assert len(repro.steps) >= 3
        assert repro.expected
        assert repro.actual
        assert repro.environment
        assert repro.frequency is not Frequency.UNKNOWN
        assert repro.frequency_detail
        assert repro.evidence
        assert repro.ruled_out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_its_target_team_what_it_asks_for(name: str) -> None:
    esc = load(name)
    assessment = assess(esc, now=NOW)
    report = check_quality(esc, assessment, now=NOW)
    needs = [r for r in report.results if r.id.startswith(f"{assessment.target.effective.value}.")]
    assert needs
    assert [r.id for r in needs if not r.passed] == []
    assert report.ok


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_is_in_the_canonical_layout(name: str) -> None:
    path = EXAMPLES / name
    assert path.read_text(encoding="utf-8") == dumps_brief(load_brief(path))


def test_api_500_is_a_confirmed_bug_blocking_a_key_account() -> None:
    esc = load("api-500-acme.toml")
    assert (esc.customer.name, esc.customer.arr, esc.customer.key_account) == ("Acme Corp", 180_000, True)
    assert esc.problem.bug_confirmed
    assert esc.depth.level is Depth.BLOCKED
    assert {"bug_confirmed", "high_value_at_risk"} <= {t.id for t in assess(esc, now=NOW).verdict.triggers}


def test_export_is_a_pattern_across_three_customers() -> None:
    esc = load("export-missing-rows.toml")
    triggers = assess(esc, now=NOW).verdict.triggers
    assert TriggerCategory.PATTERN in {t.category for t in triggers}
    assert len(esc.breadth.named_customers) == esc.breadth.customer_count == 3


def test_sso_affects_the_whole_enterprise_segment() -> None:
    esc = load("sso-login-loop-enterprise.toml")
    assert esc.breadth.whole_segment
    assert esc.breadth.segment == "Enterprise"


def test_churn_is_a_decision_for_leadership_about_northwind() -> None:
    esc = load("churn-audit-log.toml")
    assert (esc.customer.name, esc.customer.arr) == ("Northwind Traders", 250_000)
    assert esc.flags.churn_threat
    assert esc.ask.kind is AskKind.DECIDE
