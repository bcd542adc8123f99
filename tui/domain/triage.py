"""The escalation rules: escalate or handle in support, severity, target team.

Pure functions over an ``Escalation``. Every result carries the reasons behind it, in
words an agent can paste into a ticket, so the app never proposes something it cannot
explain.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from tui.domain.models import (
    Depth,
    Escalation,
    Nature,
    Severity,
    SlaStatus,
    Target,
)
from tui.domain.settings import DEFAULT_RULES, RuleSettings


class TriggerCategory(StrEnum):
    TECHNICAL = "technical"
    COMPLEXITY = "complexity"
    IMPACT = "impact"
    BUSINESS = "business"
    TIME = "time"
    PATTERN = "pattern"

    @property
    def label(self) -> str:
        return self.value.capitalize()


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


class TargetCall(NamedTuple):
    proposed: Target
    effective: Target
    cc: tuple[Target, ...]
    reasons: tuple[str, ...]
    override_reason: str | None = None


class Assessment(NamedTuple):
    verdict: Verdict
    severity: SeverityCall
    target: TargetCall


# --- facts derived from the model -----------------------------------------------------


def _money(amount: int) -> str:
    return f"${amount:,}"


def is_high_value(esc: Escalation, rules: RuleSettings) -> bool:
    """The primary customer is high-value by ARR, key-account status or segment."""
    customer = esc.customer
    if customer.key_account:
        return True
    if customer.arr is not None and customer.arr >= rules.high_value_arr:
        return True
    segments = {s.casefold() for s in rules.high_value_segments}
    return bool(customer.segment) and customer.segment.casefold() in segments


def high_value_reason(esc: Escalation, rules: RuleSettings) -> str:
    customer = esc.customer
    name = customer.name or "the customer"
    if customer.key_account:
        return f"{name} is a key account"
    if customer.arr is not None and customer.arr >= rules.high_value_arr:
        return f"{name}'s ARR of {_money(customer.arr)} is at or above {_money(rules.high_value_arr)}"
    return f"{name} is in the {customer.segment} segment"


def affected_customers(esc: Escalation) -> int | None:
    """Best known count of affected customers, or None when nothing is known."""
    breadth = esc.breadth
    counts = [c for c in (breadth.customer_count, len(breadth.named_customers) or None) if c is not None]
    if esc.customer.name and not counts:
        return 1
    return max(counts) if counts else None


def several_customers(esc: Escalation) -> bool:
    count = affected_customers(esc)
    return esc.breadth.whole_segment or (count is not None and count >= 2)


def several_high_value_customers(esc: Escalation, rules: RuleSettings) -> bool:
    """Several customers affected and they are high-value: a whole high-value segment,
    or several customers with the ARR at risk reaching the high-value mark for each."""
    if not several_customers(esc):
        return False
    segment = (esc.breadth.segment or esc.customer.segment).casefold()
    if segment and segment in {s.casefold() for s in rules.high_value_segments}:
        return True
    count = affected_customers(esc) or 2
    at_risk = esc.revenue.arr_at_risk
    return at_risk is not None and at_risk >= rules.high_value_arr * count


def breadth_phrase(esc: Escalation) -> str:
    breadth = esc.breadth
    if breadth.whole_segment:
        segment = breadth.segment or esc.customer.segment
        return f"every {segment} customer" if segment else "every customer"
    count = affected_customers(esc)
    return f"{count} customers" if count is not None else "several customers"


def bug_confirmed(esc: Escalation, rules: RuleSettings) -> bool:
    """A bug counts as confirmed once support reproduced it, or once enough customers report
    it that it cannot be account-specific."""
    if esc.problem.bug_confirmed:
        return True
    count = affected_customers(esc) or 0
    return esc.breadth.whole_segment or count >= rules.pattern_customer_count


def days_waiting(esc: Escalation, now: datetime | None) -> int | None:
    since = esc.timeline.customer_waiting_since
    if since is None or now is None:
        return None
    return max(0, (now - since).days)


def sla_breached(esc: Escalation, now: datetime | None) -> bool:
    if esc.contract.sla_status is SlaStatus.BREACHED:
        return True
    due = esc.timeline.sla_due
    return due is not None and now is not None and now > due


# --- verdict --------------------------------------------------------------------------


def find_triggers(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> list[Trigger]:
    """Every "escalate when" criterion the case meets, in the seed's category order."""
    flags, nature = esc.flags, esc.problem.nature
    found: list[Trigger] = []

    def add(category: TriggerCategory, trigger_id: str, reason: str) -> None:
        found.append(Trigger(category, trigger_id, reason))

    tech = TriggerCategory.TECHNICAL
    if nature is Nature.BUG and bug_confirmed(esc, rules):
        add(tech, "bug_confirmed", "The bug is confirmed and needs a code fix.")
    elif flags.needs_code_change:
        add(tech, "code_change", "Resolving it needs a change to the product's code.")
    if nature is Nature.INFRASTRUCTURE:
        add(tech, "infrastructure", "It needs an infrastructure investigation.")
    if nature is Nature.DATA_LOSS:
        add(tech, "data_loss", "Customer data has been lost or corrupted.")

    cx = TriggerCategory.COMPLEXITY
    if flags.beyond_support_diagnosis:
        add(cx, "beyond_support", "Diagnosing it is beyond what support can do.")
    if flags.needs_access_support_lacks:
        add(cx, "needs_access", "It needs access that support does not have.")
    if flags.custom_implementation:
        add(cx, "custom_implementation", "It involves a custom implementation.")

    imp = TriggerCategory.IMPACT
    if several_customers(esc):
        add(imp, "multiple_customers", f"Several customers are affected ({breadth_phrase(esc)}).")
    if flags.production_down:
        add(imp, "production_down", "A production system is down.")
    elif esc.depth.level is Depth.BLOCKED and not flags.documented_workaround:
        add(imp, "blocked", "Customers are blocked and no workaround is known.")
    if flags.data_integrity_at_risk:
        add(imp, "data_integrity", "Data integrity is at risk.")
    if nature is Nature.SECURITY or flags.security_breach:
        add(imp, "security", "There is a security concern.")

    biz = TriggerCategory.BUSINESS
    at_risk = flags.churn_threat or esc.depth.level is Depth.BLOCKED
    if is_high_value(esc, rules) and at_risk:
        add(biz, "high_value_at_risk", f"A high-value customer is at risk: {high_value_reason(esc, rules)}.")
    elif flags.churn_threat:
        add(biz, "churn_threat", "The customer is threatening to leave.")
    if esc.contract.sla_status is SlaStatus.AT_RISK:
        add(biz, "sla_at_risk", "An SLA breach is imminent.")
    elif sla_breached(esc, now):
        add(biz, "sla_breached", "The SLA has been breached.")
    if flags.executive_involvement_requested:
        add(biz, "executive_requested", "The customer asked for executive involvement.")

    tm = TriggerCategory.TIME
    waited = days_waiting(esc, now)
    if sla_breached(esc, now):
        add(tm, "open_beyond_sla", "The issue has been open beyond its SLA.")
    if waited is not None and waited >= rules.waiting_too_long_days:
        add(tm, "waiting_too_long", f"The customer has been waiting {waited} days.")
    if flags.support_channels_stalled:
        add(tm, "stalled", "Normal support channels are not making progress.")

    pat = TriggerCategory.PATTERN
    count = affected_customers(esc) or 0
    if count >= rules.pattern_customer_count:
        add(pat, "three_plus_customers", f"The same issue was reported by {count} customers.")
    elif esc.breadth.whole_segment:
        add(pat, "three_plus_customers", f"The same issue affects {breadth_phrase(esc)}.")
    if flags.recurring_after_fix:
        add(pat, "recurring", "It recurred after a supposed fix.")
    if flags.worsening or esc.breadth.growing:
        add(pat, "worsening", "It is getting worse over time.")
    return found


def find_support_reasons(esc: Escalation) -> list[SupportReason]:
    """Every "handle in support when" criterion the case meets."""
    flags, nature = esc.flags, esc.problem.nature
    found: list[SupportReason] = []
    if flags.documented_workaround:
        found.append(SupportReason("documented_workaround", "A documented solution or workaround exists."))
    if nature is Nature.CONFIGURATION:
        found.append(SupportReason("configuration", "It is a configuration or setup issue support can resolve."))
    if nature is Nature.HOW_TO:
        found.append(SupportReason("guidance", "The customer needs guidance or training, not a fix."))
    if nature is Nature.KNOWN_LIMITATION:
        found.append(SupportReason("known_limitation", "It is a known limitation with a documented alternative."))
    if flags.resolved_in_support_before:
        found.append(SupportReason("resolved_before", "Similar tickets were resolved by support before."))
    return found


def decide_verdict(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> Verdict:
    """Escalate when any criterion is met; support's own reasons are kept beside them."""
    triggers = tuple(find_triggers(esc, rules, now))
    support = tuple(find_support_reasons(esc))
    if triggers:
        kind = VerdictKind.ESCALATE
        reasons = [f"{t.category.label}: {t.reason}" for t in triggers]
        reasons += [f"Also true, but not enough to keep it in support: {s.reason}" for s in support]
    else:
        kind = VerdictKind.HANDLE_IN_SUPPORT
        reasons = [s.reason for s in support] or ["No escalation criterion is met yet."]
    return Verdict(kind, triggers, support, tuple(reasons))


# --- severity -------------------------------------------------------------------------


def propose_severity(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> tuple[Severity, tuple[str, ...]]:
    """The seed's shorthand: the highest level any fact reaches, with every fact that reaches it."""
    flags = esc.flags
    critical: list[str] = []
    if flags.production_down:
        critical.append("Production is down.")
    if flags.data_integrity_at_risk or esc.problem.nature is Nature.DATA_LOSS:
        critical.append("Customer data is at risk.")
    if flags.security_breach:
        critical.append("There has been a security breach.")
    if several_high_value_customers(esc, rules):
        critical.append(f"Several high-value customers are affected ({breadth_phrase(esc)}).")
    if critical:
        return Severity.CRITICAL, tuple(critical)

    high: list[str] = []
    if esc.depth.level is Depth.BLOCKED:
        if is_high_value(esc, rules):
            high.append(f"A key customer is blocked: {high_value_reason(esc, rules)}.")
        else:
            high.append("Major functionality is broken: customers are blocked.")
    if esc.contract.sla_status is SlaStatus.AT_RISK:
        high.append("The SLA is at risk.")
    elif sla_breached(esc, now):
        high.append("The SLA has been breached.")
    if high:
        return Severity.HIGH, tuple(high)

    medium = ["Nothing puts production, data, security or an SLA at risk and no key customer is blocked."]
    if flags.documented_workaround:
        medium.append("A workaround exists.")
    return Severity.MEDIUM, tuple(medium)


def decide_severity(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> SeverityCall:
    proposed, reasons = propose_severity(esc, rules, now)
    override = esc.severity_override
    if override is None:
        return SeverityCall(proposed, proposed, reasons)
    return SeverityCall(proposed, override.value, reasons, override.reason)


# --- target ---------------------------------------------------------------------------


def _target_reasons(
    esc: Escalation, rules: RuleSettings, now: datetime | None
) -> dict[Target, list[str]]:
    """Every team this case concerns, each with why, in tier-priority order."""
    flags, nature = esc.flags, esc.problem.nature
    teams: dict[Target, list[str]] = {}

    def add(team: Target, reason: str) -> None:
        teams.setdefault(team, []).append(reason)

    if nature is Nature.SECURITY or flags.security_breach:
        add(Target.SECURITY, "A security concern goes straight to Security, whatever the tier.")

    high_value = is_high_value(esc, rules)
    if flags.churn_threat and high_value:
        add(Target.LEADERSHIP, f"A high-revenue customer is threatening to leave: {high_value_reason(esc, rules)}.")
    if sla_breached(esc, now) and high_value:
        add(Target.LEADERSHIP, "The SLA is breached on a critical account.")
    if flags.policy_exception:
        add(Target.LEADERSHIP, "It needs an exception to policy.")
    if flags.pr_legal_risk:
        add(Target.LEADERSHIP, "There is PR or legal risk.")
    if flags.cross_functional_decision:
        add(Target.LEADERSHIP, "It needs a cross-functional decision.")

    if nature is Nature.BUG and bug_confirmed(esc, rules):
        add(Target.ENGINEERING, "It is a confirmed bug.")
    if nature is Nature.INFRASTRUCTURE:
        add(Target.ENGINEERING, "It is an infrastructure issue.")
    if nature is Nature.DATA_LOSS or flags.data_integrity_at_risk:
        add(Target.ENGINEERING, "Data integrity needs a system-level investigation.")
    if flags.production_down:
        add(Target.ENGINEERING, "Production is down.")
    if flags.needs_code_change:
        add(Target.ENGINEERING, "It needs a code change.")

    if nature is Nature.FEATURE_GAP:
        add(Target.PRODUCT, "A feature gap is causing customer pain.")
    if nature is Nature.DESIGN_DECISION:
        add(Target.PRODUCT, "It needs a design decision.")
    if nature is Nature.WORKFLOW_MISMATCH:
        add(Target.PRODUCT, "The workflow does not match what customers expect.")

    if flags.executive_involvement_requested and Target.LEADERSHIP not in teams:
        add(Target.LEADERSHIP, "The customer asked for executive involvement.")
    if flags.churn_threat and not high_value and Target.LEADERSHIP not in teams:
        add(Target.LEADERSHIP, "The customer is threatening to leave.")
    return teams


_PRIORITY = (Target.SECURITY, Target.LEADERSHIP, Target.ENGINEERING, Target.PRODUCT)
# Teams that are only ever informed, never the primary target, when found for these reasons.
_INFORM_ONLY = {"The customer asked for executive involvement.", "The customer is threatening to leave."}


def decide_target(
    esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> TargetCall:
    teams = _target_reasons(esc, rules, now)
    primary = Target.L2
    for team in _PRIORITY:
        reasons = teams.get(team, [])
        if any(r not in _INFORM_ONLY for r in reasons):
            primary = team
            break
    if primary is Target.L2:
        if esc.problem.nature is Nature.BUG:
            why = "The bug is not confirmed yet: senior support should reproduce and investigate it first."
        else:
            why = "It needs deeper investigation or specialised product knowledge before another team."
        reasons_out: tuple[str, ...] = (why,)
    else:
        reasons_out = tuple(teams[primary])
    cc = tuple(team for team in teams if team is not primary)
    cc_reasons = tuple(f"Inform {team.label}: {' '.join(teams[team])}" for team in cc)
    override = esc.target_override
    effective = override.value if override else primary
    if override and primary is not effective and primary not in cc:
        cc = (primary, *cc)
    cc = tuple(team for team in cc if team is not effective)
    return TargetCall(
        primary, effective, cc, reasons_out + cc_reasons, override.reason if override else None
    )


def assess(esc: Escalation, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None) -> Assessment:
    """Verdict, severity and target for one escalation, each with its reasons."""
    return Assessment(
        verdict=decide_verdict(esc, rules, now),
        severity=decide_severity(esc, rules, now),
        target=decide_target(esc, rules, now),
    )
