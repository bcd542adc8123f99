"""The escalation rules: verdict, severity and target, each with reasons an agent can read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.domain.models import (
    Depth,
    Escalation,
    Nature,
    Severity,
    SeverityOverride,
    SlaStatus,
    Target,
    TargetOverride,
)
from tui.domain.settings import RuleSettings
from tui.domain.triage import TriggerCategory, VerdictKind, assess

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def make(**parts: dict) -> Escalation:
    return Escalation.model_validate({"summary": "Something is wrong", **parts})


def trigger_ids(esc: Escalation, **kw) -> set[tuple[str, str]]:
    return {(t.category.value, t.id) for t in assess(esc, now=NOW, **kw).verdict.triggers}


# --- verdict ---------------------------------------------------------------------------


def test_empty_draft_is_handled_in_support_and_says_why() -> None:
    verdict = assess(Escalation(), now=NOW).verdict
    assert verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    assert verdict.triggers == ()
    assert verdict.reasons == ("No escalation criterion is met yet.",)


@pytest.mark.parametrize(
    ("nature", "reason_id"),
    [
        (Nature.CONFIGURATION, "configuration"),
        (Nature.HOW_TO, "guidance"),
        (Nature.KNOWN_LIMITATION, "known_limitation"),
    ],
)
def test_support_resolvable_natures_stay_in_support(nature: Nature, reason_id: str) -> None:
    verdict = assess(make(problem={"nature": nature}, customer={"name": "Acme"}), now=NOW).verdict
    assert verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    assert [s.id for s in verdict.support_reasons] == [reason_id]


def test_documented_workaround_is_listed_but_does_not_hide_a_data_loss() -> None:
    esc = make(problem={"nature": "data_loss"}, flags={"documented_workaround": True})
    verdict = assess(esc, now=NOW).verdict
    assert verdict.kind is VerdictKind.ESCALATE
    assert ("technical", "data_loss") in trigger_ids(esc)
    assert [s.id for s in verdict.support_reasons] == ["documented_workaround"]
    assert any("workaround" in r for r in verdict.reasons)


def test_three_customers_is_a_pattern_trigger_and_two_is_not() -> None:
    three = make(breadth={"customer_count": 3})
    two = make(breadth={"customer_count": 2})
    assert ("pattern", "three_plus_customers") in trigger_ids(three)
    assert ("pattern", "three_plus_customers") not in trigger_ids(two)
    assert ("impact", "multiple_customers") in trigger_ids(two)


def test_pattern_threshold_is_configurable() -> None:
    esc = make(breadth={"customer_count": 3})
    strict = RuleSettings(pattern_customer_count=5)
    assert ("pattern", "three_plus_customers") not in trigger_ids(esc, rules=strict)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"problem": {"nature": "bug", "bug_confirmed": True}}, ("technical", "bug_confirmed")),
        ({"problem": {"nature": "infrastructure"}}, ("technical", "infrastructure")),
        ({"flags": {"beyond_support_diagnosis": True}}, ("complexity", "beyond_support")),
        ({"flags": {"needs_access_support_lacks": True}}, ("complexity", "needs_access")),
        ({"flags": {"custom_implementation": True}}, ("complexity", "custom_implementation")),
        ({"flags": {"production_down": True}}, ("impact", "production_down")),
        ({"flags": {"data_integrity_at_risk": True}}, ("impact", "data_integrity")),
        ({"problem": {"nature": "security"}}, ("impact", "security")),
        ({"customer": {"arr": 200_000}, "flags": {"churn_threat": True}}, ("business", "high_value_at_risk")),
        ({"contract": {"sla_status": "at_risk"}}, ("business", "sla_at_risk")),
        ({"flags": {"executive_involvement_requested": True}}, ("business", "executive_requested")),
        ({"contract": {"sla_status": "breached"}}, ("time", "open_beyond_sla")),
        ({"flags": {"support_channels_stalled": True}}, ("time", "stalled")),
        ({"flags": {"recurring_after_fix": True}}, ("pattern", "recurring")),
        ({"breadth": {"growing": True}}, ("pattern", "worsening")),
    ],
)
def test_each_escalation_criterion_names_its_category(parts: dict, expected: tuple[str, str]) -> None:
    esc = make(**parts)
    assert expected in trigger_ids(esc)
    assert assess(esc, now=NOW).verdict.kind is VerdictKind.ESCALATE


def test_unconfirmed_single_customer_bug_is_not_a_technical_trigger() -> None:
    esc = make(problem={"nature": "bug"}, customer={"name": "Acme"})
    assert ("technical", "bug_confirmed") not in trigger_ids(esc)


def test_a_blocked_customer_without_workaround_escalates_so_verdict_agrees_with_high_severity() -> None:
    blocked = make(problem={"nature": "bug"}, depth={"level": "blocked"}, customer={"name": "O'Brien & Co"})
    result = assess(blocked, now=NOW)
    assert result.severity.effective is Severity.HIGH
    assert result.verdict.kind is VerdictKind.ESCALATE
    assert ("impact", "blocked") in trigger_ids(blocked)
    with_workaround = make(depth={"level": "blocked"}, flags={"documented_workaround": True})
    assert ("impact", "blocked") not in trigger_ids(with_workaround)


def test_waiting_too_long_uses_the_clock_and_threshold() -> None:
    esc = make(timeline={"customer_waiting_since": NOW - timedelta(days=6)})
    assert ("time", "waiting_too_long") in trigger_ids(esc)
    patient = RuleSettings(waiting_too_long_days=10)
    assert ("time", "waiting_too_long") not in trigger_ids(esc, rules=patient)


def test_sla_due_in_the_past_counts_as_breached() -> None:
    esc = make(timeline={"sla_due": NOW - timedelta(hours=1)})
    assert ("time", "open_beyond_sla") in trigger_ids(esc)
    assert assess(esc, now=NOW).severity.effective is Severity.HIGH


def test_reasons_name_the_category_of_each_trigger() -> None:
    verdict = assess(make(breadth={"customer_count": 4}), now=NOW).verdict
    assert "Pattern: The same issue was reported by 4 customers." in verdict.reasons
    assert {t.category for t in verdict.triggers} == {TriggerCategory.IMPACT, TriggerCategory.PATTERN}


# --- severity --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "severity", "reason_fragment"),
    [
        ({"flags": {"production_down": True}}, Severity.CRITICAL, "Production is down"),
        ({"flags": {"data_integrity_at_risk": True}}, Severity.CRITICAL, "data is at risk"),
        ({"problem": {"nature": "data_loss"}}, Severity.CRITICAL, "data is at risk"),
        ({"flags": {"security_breach": True}}, Severity.CRITICAL, "security breach"),
        (
            {"breadth": {"segment": "Enterprise", "whole_segment": True}},
            Severity.CRITICAL,
            "Several high-value customers",
        ),
        (
            {"breadth": {"customer_count": 2}, "revenue": {"arr_at_risk": 400_000}},
            Severity.CRITICAL,
            "Several high-value customers",
        ),
        ({"depth": {"level": "blocked"}}, Severity.HIGH, "Major functionality is broken"),
        (
            {"depth": {"level": "blocked"}, "customer": {"name": "Acme", "key_account": True}},
            Severity.HIGH,
            "Acme is a key account",
        ),
        ({"contract": {"sla_status": "at_risk"}}, Severity.HIGH, "SLA is at risk"),
        ({"depth": {"level": "degraded"}}, Severity.MEDIUM, "Nothing puts production"),
        ({"problem": {"nature": "security"}}, Severity.MEDIUM, "Nothing puts production"),
    ],
)
def test_severity_follows_the_shorthand(parts: dict, severity: Severity, reason_fragment: str) -> None:
    call = assess(make(**parts), now=NOW).severity
    assert call.proposed is severity
    assert call.effective is severity
    assert any(reason_fragment in r for r in call.reasons), call.reasons


def test_two_low_value_customers_are_not_critical() -> None:
    esc = make(breadth={"customer_count": 2}, revenue={"arr_at_risk": 30_000})
    assert assess(esc, now=NOW).severity.effective is Severity.MEDIUM


def test_high_value_threshold_is_configurable() -> None:
    esc = make(customer={"name": "Initech", "arr": 60_000}, depth={"level": "blocked"})
    default = assess(esc, now=NOW).severity
    lowered = assess(esc, rules=RuleSettings(high_value_arr=50_000), now=NOW).severity
    assert not any("key customer" in r for r in default.reasons)
    assert any("key customer" in r for r in lowered.reasons)


def test_severity_override_wins_and_keeps_the_proposal_and_reason() -> None:
    esc = make(
        flags={"production_down": True},
        severity_override=SeverityOverride(value=Severity.HIGH, reason="Only the sandbox is down"),
    )
    call = assess(esc, now=NOW).severity
    assert call.proposed is Severity.CRITICAL
    assert call.effective is Severity.HIGH
    assert call.override_reason == "Only the sandbox is down"


def test_override_without_a_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="reason"):
        SeverityOverride(value=Severity.HIGH, reason="")


# --- target ----------------------------------------------------------------------------


def test_security_bypasses_every_other_team_and_ccs_them() -> None:
    esc = make(
        problem={"nature": "security"},
        flags={"pr_legal_risk": True, "production_down": True},
    )
    call = assess(esc, now=NOW).target
    assert call.effective is Target.SECURITY
    assert call.cc == (Target.LEADERSHIP, Target.ENGINEERING)
    assert any("straight to Security" in r for r in call.reasons)


@pytest.mark.parametrize(
    ("parts", "target"),
    [
        ({"customer": {"arr": 300_000}, "flags": {"churn_threat": True}}, Target.LEADERSHIP),
        ({"customer": {"key_account": True}, "contract": {"sla_status": "breached"}}, Target.LEADERSHIP),
        ({"flags": {"policy_exception": True}}, Target.LEADERSHIP),
        ({"flags": {"pr_legal_risk": True}}, Target.LEADERSHIP),
        ({"flags": {"cross_functional_decision": True}}, Target.LEADERSHIP),
        ({"problem": {"nature": "bug", "bug_confirmed": True}}, Target.ENGINEERING),
        ({"problem": {"nature": "bug"}, "breadth": {"customer_count": 3}}, Target.ENGINEERING),
        ({"problem": {"nature": "infrastructure"}}, Target.ENGINEERING),
        ({"flags": {"needs_code_change": True}}, Target.ENGINEERING),
        ({"problem": {"nature": "feature_gap"}}, Target.PRODUCT),
        ({"problem": {"nature": "design_decision"}}, Target.PRODUCT),
        ({"problem": {"nature": "workflow_mismatch"}}, Target.PRODUCT),
        ({"problem": {"nature": "bug"}}, Target.L2),
        ({}, Target.L2),
    ],
)
def test_target_follows_the_tiers(parts: dict, target: Target) -> None:
    assert assess(make(**parts), now=NOW).target.effective is target


def test_unconfirmed_bug_goes_to_l2_with_a_reason_to_reproduce_first() -> None:
    call = assess(make(problem={"nature": "bug"}), now=NOW).target
    assert call.effective is Target.L2
    assert "reproduce" in call.reasons[0]


def test_low_value_churn_over_a_feature_gap_goes_to_product_and_informs_leadership() -> None:
    esc = make(problem={"nature": "feature_gap"}, flags={"churn_threat": True}, customer={"arr": 20_000})
    call = assess(esc, now=NOW).target
    assert call.effective is Target.PRODUCT
    assert call.cc == (Target.LEADERSHIP,)
    assert any(r.startswith("Inform Leadership") for r in call.reasons)


def test_high_value_churn_over_a_feature_gap_goes_to_leadership_with_product_informed() -> None:
    esc = make(problem={"nature": "feature_gap"}, flags={"churn_threat": True}, customer={"arr": 250_000})
    call = assess(esc, now=NOW).target
    assert call.effective is Target.LEADERSHIP
    assert call.cc == (Target.PRODUCT,)


def test_target_override_keeps_the_proposed_team_informed() -> None:
    esc = make(
        problem={"nature": "bug", "bug_confirmed": True},
        target_override=TargetOverride(value=Target.PRODUCT, reason="Works as designed; product call"),
    )
    call = assess(esc, now=NOW).target
    assert call.proposed is Target.ENGINEERING
    assert call.effective is Target.PRODUCT
    assert Target.ENGINEERING in call.cc
    assert Target.PRODUCT not in call.cc
    assert call.override_reason == "Works as designed; product call"


def test_every_result_carries_reasons() -> None:
    for parts in ({}, {"flags": {"production_down": True}}, {"problem": {"nature": "feature_gap"}}):
        result = assess(make(**parts), now=NOW)
        assert result.verdict.reasons
        assert result.severity.reasons
        assert result.target.reasons


def test_blocked_depth_alone_is_high_not_critical_and_sla_status_drives_high() -> None:
    esc = make(depth={"level": Depth.BLOCKED}, contract={"sla_status": SlaStatus.WITHIN})
    assert assess(esc, now=NOW).severity.effective is Severity.HIGH
