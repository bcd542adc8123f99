"""The escalation rules applied: escalate or handle in support, severity, target team.

The rules are the tables in ``rules.py``; this module walks them and puts the results together.
Every result carries the reasons behind it, in words an agent can paste into a ticket, and the
reasons describe the result in force: after an override they say what the agent chose and what
the rules had proposed, and a team is only ever told "inform" when it is not the target.
The results never contradict each other: a case routed to any team but L2 always escalates
(each target rule names its trigger), and no reason denies a fact that is recorded.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from tui.domain.models import Escalation, Nature, Severity, Target
from tui.domain.rules import (
    L2_INVESTIGATE,
    L2_STAYS_IN_SUPPORT,
    L2_UNCONFIRMED_BUG,
    SEVERITY_RULES,
    SUPPORT_REASONS,
    TARGET_RULES,
    TEAM_PRIORITY,
    TRIGGERS,
    TriggerCategory,
    medium_reason,
    word,
)
from tui.domain.settings import DEFAULT_RULES, RuleSettings

__all__ = [
    "Assessment",
    "SeverityCall",
    "SeverityFinding",
    "SupportReason",
    "TargetCall",
    "TargetFinding",
    "Trigger",
    "TriggerCategory",
    "Verdict",
    "VerdictKind",
    "assess",
    "decide_severity",
    "decide_target",
    "decide_verdict",
    "find_severity_findings",
    "find_support_reasons",
    "find_target_findings",
    "find_triggers",
    "propose_severity",
]


class VerdictKind(StrEnum):
    ESCALATE = "escalate"
    HANDLE_IN_SUPPORT = "handle_in_support"

    @property
    def label(self) -> str:
        return "Escalate" if self is VerdictKind.ESCALATE else "Handle in support"


class Trigger(NamedTuple):
    """One "escalate when" criterion that this case meets."""

    category: TriggerCategory
    id: str
    reason: str


class SupportReason(NamedTuple):
    """One "handle in support when" criterion that this case meets."""

    id: str
    reason: str


class SeverityFinding(NamedTuple):
    """One severity rule that holds for this case, at its level."""

    level: Severity
    id: str
    reason: str


class TargetFinding(NamedTuple):
    """One target rule that holds for this case: the team it concerns and why."""

    team: Target
    id: str
    reason: str
    inform_only: bool


class Verdict(NamedTuple):
    kind: VerdictKind
    triggers: tuple[Trigger, ...]
    support_reasons: tuple[SupportReason, ...]
    reasons: tuple[str, ...]


class SeverityCall(NamedTuple):
    proposed: Severity
    effective: Severity
    reasons: tuple[str, ...]
    override_reason: str | None = None
    findings: tuple[SeverityFinding, ...] = ()  # every severity rule that holds, at every level


class TargetCall(NamedTuple):
    proposed: Target
    effective: Target
    cc: tuple[Target, ...]
    reasons: tuple[str, ...]  # why the effective target, then one "Inform <team>: …" line per cc team
    override_reason: str | None = None
    findings: tuple[TargetFinding, ...] = ()  # every target rule that holds


class Assessment(NamedTuple):
    verdict: Verdict
    severity: SeverityCall
    target: TargetCall


# --- verdict --------------------------------------------------------------------------


def find_triggers(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> list[Trigger]:
    """Every "escalate when" row the case meets, in the table's order."""
    return [
        Trigger(row.category, row.id, word(row.reason, esc, rules, now))
        for row in TRIGGERS
        if row.condition(esc, rules, now)
    ]


def find_support_reasons(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> list[SupportReason]:
    """Every "handle in support when" row the case meets."""
    return [
        SupportReason(row.id, word(row.reason, esc, rules, now))
        for row in SUPPORT_REASONS
        if row.condition(esc, rules, now)
    ]


def _verdict(esc: Escalation, triggers: tuple[Trigger, ...], support: tuple[SupportReason, ...]) -> Verdict:
    override = esc.target_override
    sent_by_agent = override is not None and override.value is not Target.L2
    if not triggers and not sent_by_agent:
        reasons = [s.reason for s in support] or ["No escalation criterion is met yet."]
        return Verdict(VerdictKind.HANDLE_IN_SUPPORT, triggers, support, tuple(reasons))
    reasons = [f"{t.category.label}: {t.reason}" for t in triggers]
    if not triggers and override is not None:
        reasons.append(f"No escalation criterion is met, but the agent chose to send it to {override.value.label}.")
    reasons += [f"Also true, but not enough to keep it in support: {s.reason}" for s in support]
    return Verdict(VerdictKind.ESCALATE, triggers, support, tuple(reasons))


def decide_verdict(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> Verdict:
    """Escalate when any criterion is met, or when the agent sent the case to a team beyond support;
    support's own reasons are kept beside the criteria."""
    return _verdict(esc, tuple(find_triggers(esc, rules, now)), tuple(find_support_reasons(esc, rules, now)))


# --- severity -------------------------------------------------------------------------


def find_severity_findings(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> list[SeverityFinding]:
    return [
        SeverityFinding(row.level, row.id, word(row.reason, esc, rules, now))
        for row in SEVERITY_RULES
        if row.condition(esc, rules, now)
    ]


def _proposal(findings: list[SeverityFinding]) -> tuple[Severity, tuple[str, ...]]:
    level = max((f.level for f in findings), key=lambda s: s.rank, default=Severity.MEDIUM)
    reasons = tuple(f.reason for f in findings if f.level is level)
    if level is Severity.MEDIUM:
        reasons = (medium_reason(), *reasons)
    return level, reasons


def propose_severity(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> tuple[Severity, tuple[str, ...]]:
    """The highest level any severity rule reaches, with every rule that reaches it."""
    return _proposal(find_severity_findings(esc, rules, now))


def decide_severity(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> SeverityCall:
    findings = find_severity_findings(esc, rules, now)
    proposed, reasons = _proposal(findings)
    override = esc.severity_override
    if override is None:
        return SeverityCall(proposed, proposed, reasons, None, tuple(findings))
    if override.value is not proposed:
        chosen = f"The agent set {override.value.label} over the proposed {proposed.label}."
        reasons = (chosen, *(f"Behind the proposed {proposed.label}: {reason}" for reason in reasons))
    return SeverityCall(proposed, override.value, reasons, override.reason, tuple(findings))


# --- target ---------------------------------------------------------------------------


def find_target_findings(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> list[TargetFinding]:
    """Every target rule the case meets, in the table's order."""
    return [
        TargetFinding(row.team, row.id, word(row.reason, esc, rules, now), row.inform_only)
        for row in TARGET_RULES
        if row.condition(esc, rules, now)
    ]


def _lead_team(findings: tuple[TargetFinding, ...]) -> Target:
    leading = {f.team for f in findings if not f.inform_only}
    return next((team for team in TEAM_PRIORITY if team in leading), Target.L2)


def _reasons_for(team: Target, findings: tuple[TargetFinding, ...]) -> list[str]:
    return [f.reason for f in findings if f.team is team]


def _l2_reason(esc: Escalation, escalating: bool) -> str:
    if esc.problem.nature is Nature.BUG:
        return L2_UNCONFIRMED_BUG
    return L2_INVESTIGATE if escalating else L2_STAYS_IN_SUPPORT


def _target(esc: Escalation, findings: tuple[TargetFinding, ...], escalating: bool) -> TargetCall:
    proposed = _lead_team(findings)
    proposal_reasons = _reasons_for(proposed, findings) or [_l2_reason(esc, escalating)]
    override = esc.target_override
    effective = override.value if override is not None else proposed
    concerned = [team for team in TEAM_PRIORITY if _reasons_for(team, findings)]
    if effective is proposed:
        lead_reasons = proposal_reasons
        cc = [team for team in concerned if team is not effective]
        cc_lines = [f"Inform {team.label}: {' '.join(_reasons_for(team, findings))}" for team in cc]
    else:
        lead_reasons = [f"The agent chose {effective.label} over the proposed {proposed.label}."]
        lead_reasons += _reasons_for(effective, findings)
        others = [team for team in concerned if team not in (effective, proposed)]
        cc = [proposed, *others]
        cc_lines = [f"Inform {proposed.label}, the team the rules proposed: {' '.join(proposal_reasons)}"]
        cc_lines += [f"Inform {team.label}: {' '.join(_reasons_for(team, findings))}" for team in others]
    return TargetCall(
        proposed,
        effective,
        tuple(cc),
        (*lead_reasons, *cc_lines),
        override.reason if override is not None else None,
        findings,
    )


def decide_target(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> TargetCall:
    """The team to escalate to, every other team concerned as cc, each with why."""
    escalating = bool(find_triggers(esc, rules, now))
    return _target(esc, tuple(find_target_findings(esc, rules, now)), escalating)


def assess(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> Assessment:
    """Verdict, severity and target for one escalation, each with its reasons."""
    triggers = tuple(find_triggers(esc, rules, now))
    verdict = _verdict(esc, triggers, tuple(find_support_reasons(esc, rules, now)))
    return Assessment(
        verdict=verdict,
        severity=decide_severity(esc, rules, now),
        target=_target(esc, tuple(find_target_findings(esc, rules, now)), bool(triggers)),
    )
