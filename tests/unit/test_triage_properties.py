"""Whatever the facts, the verdict, severity, target and their reasons agree with each other and
with the facts: generated escalations (flags, natures, depth, counts, segments, ARR, SLA, overrides)
are assessed and every result is checked against the facts it was built from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.models import (
    Breadth,
    Contract,
    Customer,
    Depth,
    Escalation,
    Flags,
    ImpactDepth,
    Nature,
    Problem,
    Revenue,
    Severity,
    SeverityOverride,
    SlaStatus,
    Target,
    TargetOverride,
    Timeline,
)
from tui.domain.rules import SEVERITY_RULES, TARGET_RULES, TRIGGERS, medium_reason, word
from tui.domain.settings import DEFAULT_RULES
from tui.domain.triage import Assessment, VerdictKind, assess

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SEGMENTS = ["", "Enterprise", "enterprise", "Strategic", "SMB", "Mid-Market"]
NAMES = ["Acme", "Globex", "Initech", "Umbrella"]

counts = st.none() | st.integers(min_value=0, max_value=8)
amounts = st.none() | st.sampled_from([0, 20_000, 99_999, 100_000, 150_000, 250_000, 400_000, 2_000_000])
moments_near_now = st.none() | st.integers(min_value=-24 * 12, max_value=48).map(lambda h: NOW + timedelta(hours=h))
reasons = st.sampled_from(["Only the sandbox is affected", "Their CEO called ours"])

escalations = st.builds(
    Escalation,
    summary=st.just("Something is wrong"),
    customer=st.builds(
        Customer, name=st.sampled_from(["", *NAMES]), segment=st.sampled_from(SEGMENTS), arr=amounts,
        key_account=st.booleans(),
    ),
    problem=st.builds(Problem, nature=st.sampled_from(Nature), bug_confirmed=st.booleans()),
    breadth=st.builds(
        Breadth, customer_count=counts, named_customers=st.lists(st.sampled_from(NAMES), unique=True, max_size=4),
        segment=st.sampled_from(SEGMENTS), whole_segment=st.booleans(), growing=st.none() | st.booleans(),
    ),
    depth=st.builds(ImpactDepth, level=st.sampled_from(Depth)),
    revenue=st.builds(Revenue, arr_at_risk=amounts),
    contract=st.builds(
        Contract, sla_status=st.sampled_from(SlaStatus), customer_update_hours=st.none() | st.integers(1, 48)
    ),
    timeline=st.builds(Timeline, customer_waiting_since=moments_near_now, sla_due=moments_near_now),
    flags=st.sets(st.sampled_from(list(Flags.model_fields)), max_size=4).map(
        lambda names: Flags(**dict.fromkeys(names, True))
    ),
    severity_override=st.none() | st.builds(SeverityOverride, value=st.sampled_from(Severity), reason=reasons),
    target_override=st.none() | st.builds(TargetOverride, value=st.sampled_from(Target), reason=reasons),
)
clocks = st.sampled_from([NOW, None])
Clock = datetime | None


def all_reasons(result: Assessment) -> list[str]:
    return [*result.verdict.reasons, *result.severity.reasons, *result.target.reasons]


def holds(esc: Escalation, now: datetime | None, rows: tuple) -> set[str]:
    return {row.id for row in rows if row.condition(esc, DEFAULT_RULES, now)}


def check_verdict_and_target_agree(esc: Escalation, now: Clock, result: Assessment) -> None:
    verdict, target = result.verdict, result.target
    trigger_ids = {t.id for t in verdict.triggers}
    if verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        assert target.effective is Target.L2
        assert target.cc == ()
        assert verdict.triggers == ()
    else:
        agent_sent = esc.target_override is not None and esc.target_override.value is not Target.L2
        assert verdict.triggers or agent_sent
    for finding in target.findings:  # a team is only ever concerned because the case escalates
        row = next(row for row in TARGET_RULES if row.id == finding.id)
        assert row.trigger in trigger_ids, (row.id, trigger_ids)
    if target.effective is not Target.L2 or target.proposed is not Target.L2:
        assert verdict.kind is VerdictKind.ESCALATE


def check_exactly_the_rules_that_hold_are_shown(esc: Escalation, now: Clock, result: Assessment) -> None:
    assert {t.id for t in result.verdict.triggers} == holds(esc, now, TRIGGERS)
    for row in TRIGGERS:
        if row.condition(esc, DEFAULT_RULES, now):
            assert f"{row.category.label}: {word(row.reason, esc, DEFAULT_RULES, now)}" in result.verdict.reasons
    assert {f.id for f in result.severity.findings} == holds(esc, now, SEVERITY_RULES)
    assert {f.id for f in result.target.findings} == holds(esc, now, TARGET_RULES)


def check_severity_follows_its_findings_and_denies_none(esc: Escalation, now: Clock, result: Assessment) -> None:
    call = result.severity
    levels = [f.level for f in call.findings]
    top = max(levels, key=lambda s: s.rank, default=Severity.MEDIUM)
    assert call.proposed is top
    for finding in call.findings:  # a fact that reaches a level is never outranked by a lower proposal
        assert call.proposed.rank >= finding.level.rank
    medium_line = any(medium_reason() in r for r in call.reasons)
    assert medium_line is (call.proposed is Severity.MEDIUM)
    if medium_line:  # "none of these is recorded" is only said when none of them holds
        assert not any(row.condition(esc, DEFAULT_RULES, now) for row in SEVERITY_RULES if row.fact)
    if call.proposed is Severity.CRITICAL:
        assert any(f.level is Severity.CRITICAL and f.reason in " ".join(call.reasons) for f in call.findings)
    if call.proposed is not Severity.MEDIUM:  # everything above Medium is also a reason to escalate
        assert result.verdict.kind is VerdictKind.ESCALATE


def check_security_is_never_played_down(esc: Escalation, now: Clock, result: Assessment) -> None:
    concern = esc.problem.nature is Nature.SECURITY or esc.flags.security_breach
    if concern:
        assert result.severity.proposed.rank >= Severity.HIGH.rank
        assert result.target.proposed is Target.SECURITY
        assert result.verdict.kind is VerdictKind.ESCALATE
        if esc.severity_override is None:
            assert result.severity.effective.rank >= Severity.HIGH.rank
    if esc.flags.security_breach:
        assert result.severity.proposed is Severity.CRITICAL
    text = " ".join(all_reasons(result)).casefold()
    for flag, denial in (("security_breach", "no security breach"), ("production_down", "production is up")):
        if getattr(esc.flags, flag):
            assert denial not in text


def check_cc_lines_describe_the_effective_result(esc: Escalation, now: Clock, result: Assessment) -> None:
    call = result.target
    assert call.effective not in call.cc
    assert len(set(call.cc)) == len(call.cc)
    inform_lines = [r for r in call.reasons if r.startswith("Inform ")]
    assert len(inform_lines) == len(call.cc)
    for team, line in zip(call.cc, inform_lines, strict=True):
        assert line.startswith((f"Inform {team.label}: ", f"Inform {team.label}, the team the rules proposed: "))
    assert not any(r.startswith(f"Inform {call.effective.label}") for r in call.reasons)
    assert not call.reasons[0].startswith("Inform ")
    override = esc.target_override
    if override is None:
        assert call.effective is call.proposed
        assert call.override_reason is None
    else:
        assert call.effective is override.value
        assert call.override_reason == override.reason
        if override.value is not call.proposed:
            assert call.proposed in call.cc
            assert call.reasons[0] == f"The agent chose {call.effective.label} over the proposed {call.proposed.label}."


def check_severity_override_reasons_say_what_is_in_force(esc: Escalation, now: Clock, result: Assessment) -> None:
    call = result.severity
    override = esc.severity_override
    if override is None or override.value is call.proposed:
        assert not any(r.startswith(("The agent set", "Behind the proposed")) for r in call.reasons)
        return
    assert call.effective is override.value
    assert call.reasons[0] == f"The agent set {override.value.label} over the proposed {call.proposed.label}."
    assert all(r.startswith(f"Behind the proposed {call.proposed.label}: ") for r in call.reasons[1:])


CHECKS = (
    check_verdict_and_target_agree,
    check_exactly_the_rules_that_hold_are_shown,
    check_severity_follows_its_findings_and_denies_none,
    check_security_is_never_played_down,
    check_cc_lines_describe_the_effective_result,
    check_severity_override_reasons_say_what_is_in_force,
)


@settings(max_examples=200, deadline=None)
@given(esc=escalations, now=clocks)
def test_the_assessment_agrees_with_itself_and_with_the_facts(esc: Escalation, now: datetime | None) -> None:
    result = assess(esc, now=now)
    for check in CHECKS:
        check(esc, now, result)
