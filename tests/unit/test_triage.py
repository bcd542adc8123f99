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
from tui.domain.rules import (
    SEVERITY_RULES,
    SUPPORT_REASONS,
    TARGET_RULES,
    TEAM_PRIORITY,
    TRIGGERS,
    SeverityRule,
    SupportRule,
    TargetRule,
    TriggerRule,
    medium_reason,
    word,
)
from tui.domain.settings import DEFAULT_RULES, RuleSettings
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
    assert "Pattern: 4 customers have reported the same issue." in verdict.reasons
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
        ({"depth": {"level": "blocked"}}, Severity.HIGH, "Core functionality is broken"),
        (
            {"depth": {"level": "blocked"}, "customer": {"name": "Acme", "key_account": True}},
            Severity.HIGH,
            "Acme is a key account",
        ),
        ({"contract": {"sla_status": "at_risk"}}, Severity.HIGH, "SLA is at risk"),
        ({"depth": {"level": "degraded"}}, Severity.MEDIUM, "None of the facts that make a case High"),
        ({"depth": {"level": "degraded"}}, Severity.MEDIUM, "Customers are degraded, not blocked."),
        ({"problem": {"nature": "security"}}, Severity.HIGH, "security concern goes to Security at once"),
        (
            {"depth": {"level": "blocked"}, "flags": {"documented_workaround": True}},
            Severity.MEDIUM,
            "A documented workaround exists.",
        ),
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


# --- the rule tables, row by row ---------------------------------------------------------
# Each row gets an escalation built by hand that meets it; the row's own wording must then show.

TRIGGER_CASES: dict[str, dict] = {
    "bug_confirmed": {"problem": {"nature": "bug", "bug_confirmed": True}},
    "code_change": {"flags": {"needs_code_change": True}},
    "infrastructure": {"problem": {"nature": "infrastructure"}},
    "data_loss": {"problem": {"nature": "data_loss"}},
    "beyond_support": {"flags": {"beyond_support_diagnosis": True}},
    "needs_access": {"flags": {"needs_access_support_lacks": True}},
    "custom_implementation": {"flags": {"custom_implementation": True}},
    "multiple_customers": {"breadth": {"customer_count": 2}},
    "production_down": {"flags": {"production_down": True}},
    "blocked": {"depth": {"level": "blocked"}},
    "data_integrity": {"flags": {"data_integrity_at_risk": True}},
    "security": {"flags": {"security_breach": True}},
    "high_value_at_risk": {"customer": {"name": "Acme", "arr": 200_000}, "flags": {"churn_threat": True}},
    "churn_threat": {"flags": {"churn_threat": True}},
    "sla_at_risk": {"contract": {"sla_status": "at_risk"}},
    "sla_breached": {"contract": {"sla_status": "breached"}},
    "executive_requested": {"flags": {"executive_involvement_requested": True}},
    "policy_exception": {"flags": {"policy_exception": True}},
    "pr_legal_risk": {"flags": {"pr_legal_risk": True}},
    "cross_functional_decision": {"flags": {"cross_functional_decision": True}},
    "open_beyond_sla": {"timeline": {"sla_due": NOW - timedelta(hours=1)}},
    "waiting_too_long": {"timeline": {"customer_waiting_since": NOW - timedelta(days=8)}},
    "stalled": {"flags": {"support_channels_stalled": True}},
    "three_plus_customers": {"breadth": {"segment": "SMB", "whole_segment": True}},
    "recurring": {"flags": {"recurring_after_fix": True}},
    "worsening": {"flags": {"worsening": True}},
    "feature_gap": {"problem": {"nature": "feature_gap"}},
    "design_decision": {"problem": {"nature": "design_decision"}},
    "workflow_mismatch": {"problem": {"nature": "workflow_mismatch"}},
}
SUPPORT_CASES: dict[str, dict] = {
    "documented_workaround": {"flags": {"documented_workaround": True}},
    "configuration": {"problem": {"nature": "configuration"}},
    "guidance": {"problem": {"nature": "how_to"}},
    "known_limitation": {"problem": {"nature": "known_limitation"}},
    "resolved_before": {"flags": {"resolved_in_support_before": True}},
}
TARGET_CASES: dict[str, dict] = {
    "security.concern": {"problem": {"nature": "security"}},
    "leadership.high_value_churn": {"customer": {"arr": 300_000}, "flags": {"churn_threat": True}},
    "leadership.key_account_sla_breach": {"customer": {"key_account": True}, "contract": {"sla_status": "breached"}},
    "leadership.policy_exception": {"flags": {"policy_exception": True}},
    "leadership.pr_legal_risk": {"flags": {"pr_legal_risk": True}},
    "leadership.cross_functional_decision": {"flags": {"cross_functional_decision": True}},
    "leadership.executive_requested": {"flags": {"executive_involvement_requested": True}},
    "leadership.churn_threat": {"customer": {"arr": 20_000}, "flags": {"churn_threat": True}},
    "engineering.confirmed_bug": {"problem": {"nature": "bug"}, "breadth": {"customer_count": 3}},
    "engineering.infrastructure": {"problem": {"nature": "infrastructure"}},
    "engineering.data_loss": {"problem": {"nature": "data_loss"}},
    "engineering.data_integrity": {"flags": {"data_integrity_at_risk": True}},
    "engineering.production_down": {"flags": {"production_down": True}},
    "engineering.code_change": {"flags": {"needs_code_change": True}},
    "product.feature_gap": {"problem": {"nature": "feature_gap"}},
    "product.design_decision": {"problem": {"nature": "design_decision"}},
    "product.workflow_mismatch": {"problem": {"nature": "workflow_mismatch"}},
}
SEVERITY_CASES: dict[str, dict] = {
    "production_down": {"flags": {"production_down": True}},
    "data_at_risk": {"problem": {"nature": "data_loss"}},
    "security_breach": {"flags": {"security_breach": True}},
    "several_high_value_customers": {"breadth": {"customer_count": 2, "segment": "Strategic"}},
    "security_concern": {"problem": {"nature": "security"}},
    "key_customer_blocked": {"depth": {"level": "blocked"}, "customer": {"name": "Acme", "key_account": True}},
    "customers_blocked": {"depth": {"level": "blocked"}},
    "sla_at_risk": {"contract": {"sla_status": "at_risk"}},
    "sla_breached": {"timeline": {"sla_due": NOW - timedelta(minutes=5)}},
    "documented_workaround": {"flags": {"documented_workaround": True}},
    "not_blocked": {"depth": {"level": "inconvenienced"}},
}


@pytest.mark.parametrize(
    ("table", "cases"),
    [(TRIGGERS, TRIGGER_CASES), (SUPPORT_REASONS, SUPPORT_CASES), (TARGET_RULES, TARGET_CASES),
     (SEVERITY_RULES, SEVERITY_CASES)],
    ids=["triggers", "support", "targets", "severity"],
)
def test_every_row_has_a_unique_id_and_a_case_that_meets_it(table: tuple, cases: dict) -> None:
    ids = [row.id for row in table]
    assert len(ids) == len(set(ids))
    assert sorted(cases) == sorted(ids)
    for row in table:
        assert row.condition(make(**cases[row.id]), DEFAULT_RULES, NOW), row.id


def test_every_row_of_every_table_has_wording() -> None:
    for table, cases in ((TRIGGERS, TRIGGER_CASES), (SUPPORT_REASONS, SUPPORT_CASES),
                         (TARGET_RULES, TARGET_CASES), (SEVERITY_RULES, SEVERITY_CASES)):
        for row in table:
            text = word(row.reason, make(**cases[row.id]), DEFAULT_RULES, NOW)
            assert text[:1].isupper(), (row.id, text)
            assert text.endswith("."), (row.id, text)


@pytest.mark.parametrize("row", TRIGGERS, ids=lambda row: row.id)
def test_each_trigger_escalates_with_its_category_and_wording(row: TriggerRule) -> None:
    esc = make(**TRIGGER_CASES[row.id])
    verdict = assess(esc, now=NOW).verdict
    assert verdict.kind is VerdictKind.ESCALATE
    assert f"{row.category.label}: {word(row.reason, esc, DEFAULT_RULES, NOW)}" in verdict.reasons
    assert (row.category, row.id) in {(t.category, t.id) for t in verdict.triggers}


@pytest.mark.parametrize("row", SUPPORT_REASONS, ids=lambda row: row.id)
def test_each_support_reason_keeps_a_case_in_support_and_says_so(row: SupportRule) -> None:
    esc = make(**SUPPORT_CASES[row.id])
    verdict = assess(esc, now=NOW).verdict
    assert verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    assert verdict.reasons == (word(row.reason, esc, DEFAULT_RULES, NOW),)


@pytest.mark.parametrize("row", TARGET_RULES, ids=lambda row: row.id)
def test_each_target_rule_routes_or_informs_its_team_and_its_trigger_holds(row: TargetRule) -> None:
    esc = make(**TARGET_CASES[row.id])
    result = assess(esc, now=NOW)
    reason = word(row.reason, esc, DEFAULT_RULES, NOW)
    if row.inform_only:
        assert result.target.effective is Target.L2
        assert row.team in result.target.cc
        assert f"Inform {row.team.label}: {reason}" in result.target.reasons
    else:
        assert result.target.effective is row.team
        assert reason in result.target.reasons
    assert row.trigger in {t.id for t in result.verdict.triggers}
    assert result.verdict.kind is VerdictKind.ESCALATE


def test_every_target_rule_names_a_real_trigger_and_a_ranked_team() -> None:
    trigger_ids = {row.id for row in TRIGGERS}
    for row in TARGET_RULES:
        assert row.trigger in trigger_ids, row.id
        assert row.team in TEAM_PRIORITY, row.id
        assert row.id.startswith(f"{row.team.value}."), row.id


def test_inform_only_is_decided_by_the_rule_id_not_its_words() -> None:
    inform_only = {row.id for row in TARGET_RULES if row.inform_only}
    assert inform_only == {"leadership.executive_requested", "leadership.churn_threat"}
    both = make(flags={"executive_involvement_requested": True, "churn_threat": True})
    call = assess(both, now=NOW).target
    assert (call.effective, call.cc) == (Target.L2, (Target.LEADERSHIP,))
    assert call.reasons[-1] == (
        "Inform Leadership: The customer has asked for an executive to step in. The customer is threatening to leave."
    )


@pytest.mark.parametrize("row", SEVERITY_RULES, ids=lambda row: row.id)
def test_each_severity_rule_reaches_its_level_with_its_wording(row: SeverityRule) -> None:
    esc = make(**SEVERITY_CASES[row.id])
    call = assess(esc, now=NOW).severity
    assert call.proposed is row.level
    assert word(row.reason, esc, DEFAULT_RULES, NOW) in call.reasons
    assert row.id in {f.id for f in call.findings}


def test_high_and_critical_rows_name_their_fact_for_the_medium_reason() -> None:
    for row in SEVERITY_RULES:
        assert bool(row.fact) is (row.level is not Severity.MEDIUM), row.id
    assert medium_reason().startswith("None of the facts that make a case High or Critical is recorded: ")
    assert all(row.fact in medium_reason() for row in SEVERITY_RULES)


# --- never self-contradicting -----------------------------------------------------------


def test_a_case_routed_beyond_l2_always_escalates() -> None:
    for parts in ({"flags": {"policy_exception": True}}, {"problem": {"nature": "feature_gap"}}):
        result = assess(make(**parts), now=NOW)
        assert result.target.effective is not Target.L2
        assert result.verdict.kind is VerdictKind.ESCALATE


def test_a_security_concern_is_high_and_a_breach_critical_and_neither_is_denied() -> None:
    concern = assess(make(problem={"nature": "security"}), now=NOW).severity
    assert concern.proposed is Severity.HIGH
    breach = assess(make(flags={"security_breach": True}), now=NOW).severity
    assert breach.proposed is Severity.CRITICAL
    assert any("security breach" in r for r in breach.reasons)
    for call in (concern, breach):
        assert not any("None of the facts" in r for r in call.reasons)


def test_the_medium_reason_denies_nothing_that_is_set() -> None:
    esc = make(flags={"churn_threat": True, "pr_legal_risk": True}, depth={"level": "degraded"})
    call = assess(esc, now=NOW).severity
    assert call.proposed is Severity.MEDIUM
    assert not any("churn" in r or "legal" in r for r in call.reasons)
    assert not any(row.condition(esc, DEFAULT_RULES, NOW) for row in SEVERITY_RULES if row.fact)


@pytest.mark.parametrize(
    ("breadth", "customer", "revenue", "critical"),
    [
        ({"customer_count": 2}, {"name": "Acme", "segment": "Enterprise"}, {}, False),
        ({"named_customers": ["Acme", "Globex"]}, {"name": "Acme", "key_account": True, "arr": 900_000}, {}, False),
        ({"customer_count": 2, "segment": "Enterprise"}, {"segment": "SMB"}, {}, True),
        ({"customer_count": 1, "segment": "Enterprise"}, {}, {}, False),
        ({"segment": "enterprise", "whole_segment": True}, {}, {}, True),
        ({"whole_segment": True}, {"segment": "Enterprise"}, {}, True),  # the brief reads it as All Enterprise
        ({"whole_segment": True}, {"segment": "SMB"}, {}, False),
        ({"customer_count": 2}, {}, {"arr_at_risk": 150_000}, False),
        ({"customer_count": 3}, {}, {"arr_at_risk": 300_000}, True),
    ],
)
def test_several_high_value_customers_come_from_the_affected_group(
    breadth: dict, customer: dict, revenue: dict, critical: bool
) -> None:
    call = assess(make(breadth=breadth, customer=customer, revenue=revenue), now=NOW).severity
    assert (call.proposed is Severity.CRITICAL) is critical
    assert any(r.startswith("Several high-value customers are affected: ") for r in call.reasons) is critical


def test_several_high_value_wording_names_the_reading_that_holds() -> None:
    segment = assess(make(breadth={"customer_count": 2, "segment": "Enterprise"}), now=NOW).severity
    assert "Several high-value customers are affected: 2 customers in the high-value Enterprise segment." in (
        segment.reasons
    )
    money = assess(make(breadth={"customer_count": 3}, revenue={"arr_at_risk": 300_000}), now=NOW).severity
    assert (
        "Several high-value customers are affected: 3 customers with $300,000 ARR at risk, at least $100,000 each."
    ) in money.reasons


def test_severity_override_reasons_describe_the_severity_in_force() -> None:
    esc = make(
        flags={"production_down": True},
        severity_override=SeverityOverride(value=Severity.MEDIUM, reason="Only the sandbox is down"),
    )
    call = assess(esc, now=NOW).severity
    assert call.reasons == (
        "The agent set Medium over the proposed Critical.",
        "Behind the proposed Critical: Production is down.",
    )


def test_target_override_never_informs_the_team_in_charge_and_informs_the_displaced_one() -> None:
    esc = make(
        problem={"nature": "feature_gap"},
        flags={"needs_code_change": True, "churn_threat": True},
        customer={"arr": 10_000},
        target_override=TargetOverride(value=Target.PRODUCT, reason="It is a product call"),
    )
    call = assess(esc, now=NOW).target
    assert (call.proposed, call.effective) == (Target.ENGINEERING, Target.PRODUCT)
    assert call.cc == (Target.ENGINEERING, Target.LEADERSHIP)
    assert call.reasons == (
        "The agent chose Product over the proposed Engineering.",
        "A missing capability is hurting customers.",
        "Inform Engineering, the team the rules proposed: It needs a code change.",
        "Inform Leadership: The customer is threatening to leave.",
    )
    assert not any(r.startswith("Inform Product") for r in call.reasons)


def test_overriding_to_an_informed_team_moves_its_reasons_to_the_lead() -> None:
    esc = make(
        problem={"nature": "bug", "bug_confirmed": True},
        flags={"executive_involvement_requested": True},
        target_override=TargetOverride(value=Target.LEADERSHIP, reason="Their CEO called ours"),
    )
    call = assess(esc, now=NOW).target
    assert call.cc == (Target.ENGINEERING,)
    assert call.reasons == (
        "The agent chose Leadership over the proposed Engineering.",
        "The customer has asked for an executive to step in.",
        "Inform Engineering, the team the rules proposed: It is a confirmed bug.",
    )


def test_choosing_a_team_for_a_case_that_meets_no_criterion_escalates_it() -> None:
    esc = make(
        problem={"nature": "how_to"},
        target_override=TargetOverride(value=Target.PRODUCT, reason="The docs contradict the product"),
    )
    verdict = assess(esc, now=NOW).verdict
    assert verdict.kind is VerdictKind.ESCALATE
    assert verdict.triggers == ()
    assert verdict.reasons[0] == "No escalation criterion is met, but the agent chose to send it to Product."


def test_a_case_that_stays_in_support_says_so_in_its_target_reason() -> None:
    call = assess(make(problem={"nature": "configuration"}), now=NOW).target
    assert (call.effective, call.cc) == (Target.L2, ())
    assert call.reasons == ("No escalation criterion is met, so it stays with support.",)
