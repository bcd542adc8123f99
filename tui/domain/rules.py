"""Every escalation rule, as tables a support lead can read top to bottom.

Each row is one rule: an id, what it decides (a trigger category, a team or a severity), the
condition under which it holds, and the words the app shows when it does. Conditions are small
named predicates over ``(esc, rules, now)``; wording is a sentence, or a function of the same
three when it quotes a fact such as a name or a count. ``triage.py`` only walks these tables.

Four tables:

- ``TRIGGERS``: when a case leaves support ("escalate when"), grouped by category.
- ``SUPPORT_REASONS``: facts that argue for keeping it in support; they never outweigh a trigger.
- ``TARGET_RULES``: which team a case goes to. Each row names the trigger that always holds with
  it, so no case is routed to a team while the verdict says it stays in support. Rows marked
  ``inform_only`` put their team in cc but never make it the target.
- ``SEVERITY_RULES``: the highest level any row reaches is proposed; its rows are the reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from tui.domain import facts
from tui.domain.models import Depth, Escalation, Nature, Severity, Target
from tui.domain.settings import RuleSettings

Condition = Callable[[Escalation, RuleSettings, datetime | None], bool]
Wording = str | Callable[[Escalation, RuleSettings, datetime | None], str]


class TriggerCategory(StrEnum):
    TECHNICAL = "technical"
    COMPLEXITY = "complexity"
    IMPACT = "impact"
    BUSINESS = "business"
    TIME = "time"
    PATTERN = "pattern"
    PRODUCT = "product"  # from the Product tier: a gap or decision only product management can settle

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TriggerRule(NamedTuple):
    id: str
    category: TriggerCategory
    condition: Condition
    reason: Wording


class SupportRule(NamedTuple):
    id: str
    condition: Condition
    reason: Wording


class TargetRule(NamedTuple):
    id: str
    team: Target
    condition: Condition
    reason: Wording
    trigger: str  # the id of the TRIGGERS row that holds whenever this row does
    inform_only: bool = False


class SeverityRule(NamedTuple):
    id: str
    level: Severity
    condition: Condition
    reason: Wording
    fact: str = ""  # High and Critical rows: the fact in a few words, for the Medium reason


def word(wording: Wording, esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    """The sentence a row shows for this case."""
    return wording if isinstance(wording, str) else wording(esc, rules, now)


# --- conditions -----------------------------------------------------------------------


def flag(name: str) -> Condition:
    """Holds when the named fact under Flags is ticked."""

    def flag_is_set(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
        return bool(getattr(esc.flags, name))

    flag_is_set.__name__ = f"flag_{name}"
    return flag_is_set


def nature_is(nature: Nature) -> Condition:
    """Holds when the problem is of this kind."""

    def nature_matches(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
        return esc.problem.nature is nature

    nature_matches.__name__ = f"nature_{nature.value}"
    return nature_matches


def confirmed_bug(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.is_confirmed_bug(esc, rules)


def code_change_beyond_a_confirmed_bug(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.flags.needs_code_change and not facts.is_confirmed_bug(esc, rules)


def several_customers(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.several_customers(esc)


def blocked_with_production_up(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.blocked_without_workaround(esc) and not esc.flags.production_down


def security_concern(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.security_concern(esc)


def high_value_customer_at_risk(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    at_risk = esc.flags.churn_threat or esc.depth.level is Depth.BLOCKED
    return at_risk and facts.is_high_value(esc, rules)


def high_value_customer_leaving(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.flags.churn_threat and facts.is_high_value(esc, rules)


def other_customer_leaving(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.flags.churn_threat and not facts.is_high_value(esc, rules)


def sla_at_risk(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.sla_at_risk(esc, now)


def sla_breached(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.sla_breached(esc, now)


def sla_breached_for_high_value_customer(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.sla_breached(esc, now) and facts.is_high_value(esc, rules)


def waiting_too_long(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    waited = facts.days_waiting(esc, now)
    return waited is not None and waited >= rules.waiting_too_long_days


def pattern_of_customers(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    count = facts.affected_customers(esc) or 0
    return count >= rules.pattern_customer_count or esc.breadth.whole_segment


def getting_worse(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.flags.worsening or bool(esc.breadth.growing)


def data_lost(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.problem.nature is Nature.DATA_LOSS


def data_integrity_beyond_a_loss(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.flags.data_integrity_at_risk and esc.problem.nature is not Nature.DATA_LOSS


def data_at_risk(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.data_at_risk(esc)


def several_high_value_customers(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.several_high_value_customers(esc, rules)


def key_customer_blocked(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.blocked_without_workaround(esc) and facts.is_high_value(esc, rules)


def other_customers_blocked(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return facts.blocked_without_workaround(esc) and not facts.is_high_value(esc, rules)


def hit_but_not_blocked(esc: Escalation, rules: RuleSettings, now: datetime | None) -> bool:
    return esc.depth.level in (Depth.DEGRADED, Depth.INCONVENIENCED)


# --- wording that quotes the case -----------------------------------------------------


def several_customers_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"Several customers are affected ({facts.breadth_phrase(esc)})."


def high_value_at_risk_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"A high-value customer is at risk: {facts.high_value_reason(esc, rules)}."


def high_value_leaving_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"A high-revenue customer says they may leave: {facts.high_value_reason(esc, rules)}."


def waiting_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"The customer has been waiting {facts.days_waiting(esc, now)} days."


def pattern_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    count = facts.affected_customers(esc) or 0
    if count >= rules.pattern_customer_count:
        return f"{count} customers have reported the same issue."
    return f"The same issue affects {facts.breadth_phrase(esc)}."


def several_high_value_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"Several high-value customers are affected: {facts.several_high_value_phrase(esc, rules)}."


def key_customer_blocked_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"A key customer is blocked: {facts.high_value_reason(esc, rules)}."


def not_blocked_reason(esc: Escalation, rules: RuleSettings, now: datetime | None) -> str:
    return f"Customers are {esc.depth.level.label.lower()}, not blocked."


# --- the tables -----------------------------------------------------------------------

_TECH, _CPLX, _IMP = TriggerCategory.TECHNICAL, TriggerCategory.COMPLEXITY, TriggerCategory.IMPACT
_BIZ, _TIME, _PAT = TriggerCategory.BUSINESS, TriggerCategory.TIME, TriggerCategory.PATTERN
_PROD = TriggerCategory.PRODUCT

TRIGGERS: tuple[TriggerRule, ...] = (
    TriggerRule("bug_confirmed", _TECH, confirmed_bug,
                "The bug is confirmed, and only a change to the code will fix it."),
    TriggerRule("code_change", _TECH, code_change_beyond_a_confirmed_bug,
                "Resolving it needs a change to the product's code."),
    TriggerRule("infrastructure", _TECH, nature_is(Nature.INFRASTRUCTURE), "It needs an infrastructure investigation."),
    TriggerRule("data_loss", _TECH, data_lost, "Customer data has been lost or corrupted."),
    TriggerRule("beyond_support", _CPLX, flag("beyond_support_diagnosis"),
                "Diagnosing it is beyond what support can do."),
    TriggerRule("needs_access", _CPLX, flag("needs_access_support_lacks"),
                "It needs access that support does not have."),
    TriggerRule("custom_implementation", _CPLX, flag("custom_implementation"),
                "It touches something built specially for this customer."),
    TriggerRule("multiple_customers", _IMP, several_customers, several_customers_reason),
    TriggerRule("production_down", _IMP, flag("production_down"), "A production system is down."),
    TriggerRule("blocked", _IMP, blocked_with_production_up, "Customers are blocked and no workaround is known."),
    TriggerRule("data_integrity", _IMP, flag("data_integrity_at_risk"),
                "Customer data may no longer be accurate or complete."),
    TriggerRule("security", _IMP, security_concern, "There is a security concern."),
    TriggerRule("high_value_at_risk", _BIZ, high_value_customer_at_risk, high_value_at_risk_reason),
    TriggerRule("churn_threat", _BIZ, other_customer_leaving, "The customer is threatening to leave."),
    TriggerRule("sla_at_risk", _BIZ, sla_at_risk, "The SLA is about to be breached."),
    TriggerRule("sla_breached", _BIZ, sla_breached, "The SLA has been breached."),
    TriggerRule("executive_requested", _BIZ, flag("executive_involvement_requested"),
                "The customer has asked for an executive to step in."),
    TriggerRule("policy_exception", _BIZ, flag("policy_exception"),
                "It needs an exception to policy, which support cannot grant."),
    TriggerRule("pr_legal_risk", _BIZ, flag("pr_legal_risk"), "It carries PR or legal risk."),
    TriggerRule("cross_functional_decision", _BIZ, flag("cross_functional_decision"),
                "It needs a decision that spans several teams."),
    TriggerRule("open_beyond_sla", _TIME, sla_breached, "It has stayed open past its SLA."),
    TriggerRule("waiting_too_long", _TIME, waiting_too_long, waiting_reason),
    TriggerRule("stalled", _TIME, flag("support_channels_stalled"), "The usual support route has stalled."),
    TriggerRule("three_plus_customers", _PAT, pattern_of_customers, pattern_reason),
    TriggerRule("recurring", _PAT, flag("recurring_after_fix"), "It recurred after a supposed fix."),
    TriggerRule("worsening", _PAT, getting_worse, "It is getting worse over time."),
    TriggerRule("feature_gap", _PROD, nature_is(Nature.FEATURE_GAP), "A missing feature is causing customers pain."),
    TriggerRule("design_decision", _PROD, nature_is(Nature.DESIGN_DECISION),
                "It needs a design decision from product management."),
    TriggerRule("workflow_mismatch", _PROD, nature_is(Nature.WORKFLOW_MISMATCH),
                "The way the product works clashes with what customers expect."),
)  # fmt: skip

SUPPORT_REASONS: tuple[SupportRule, ...] = (
    SupportRule("documented_workaround", flag("documented_workaround"), "A workaround or fix is already documented."),
    SupportRule("configuration", nature_is(Nature.CONFIGURATION),
                "It is a setup or configuration matter that support can put right."),
    SupportRule("guidance", nature_is(Nature.HOW_TO),
                "The customer needs to be shown how, not a change to the product."),
    SupportRule("known_limitation", nature_is(Nature.KNOWN_LIMITATION),
                "The product works as designed here, and a documented alternative exists."),
    SupportRule("resolved_before", flag("resolved_in_support_before"),
                "Support has solved tickets like this one before."),
)  # fmt: skip

_SEC, _LEAD, _ENG, _PM = Target.SECURITY, Target.LEADERSHIP, Target.ENGINEERING, Target.PRODUCT

TARGET_RULES: tuple[TargetRule, ...] = (
    TargetRule("security.concern", _SEC, security_concern,
               "A security concern goes straight to Security, whatever the tier.", "security"),
    TargetRule("leadership.high_value_churn", _LEAD, high_value_customer_leaving, high_value_leaving_reason,
               "high_value_at_risk"),
    TargetRule("leadership.key_account_sla_breach", _LEAD, sla_breached_for_high_value_customer,
               "The SLA of a high-value account has been breached.", "sla_breached"),
    TargetRule("leadership.policy_exception", _LEAD, flag("policy_exception"), "It needs an exception to policy.",
               "policy_exception"),
    TargetRule("leadership.pr_legal_risk", _LEAD, flag("pr_legal_risk"), "There is PR or legal risk.",
               "pr_legal_risk"),
    TargetRule("leadership.cross_functional_decision", _LEAD, flag("cross_functional_decision"),
               "It needs a cross-functional decision.", "cross_functional_decision"),
    TargetRule("leadership.executive_requested", _LEAD, flag("executive_involvement_requested"),
               "The customer has asked for an executive to step in.", "executive_requested", inform_only=True),
    TargetRule("leadership.churn_threat", _LEAD, other_customer_leaving,
               "The customer is threatening to leave.", "churn_threat", inform_only=True),
    TargetRule("engineering.confirmed_bug", _ENG, confirmed_bug, "It is a confirmed bug.", "bug_confirmed"),
    TargetRule("engineering.infrastructure", _ENG, nature_is(Nature.INFRASTRUCTURE),
               "It is an infrastructure issue.", "infrastructure"),
    TargetRule("engineering.data_loss", _ENG, data_lost,
               "Lost or corrupted data needs a system-level investigation.", "data_loss"),
    TargetRule("engineering.data_integrity", _ENG, data_integrity_beyond_a_loss,
               "Data integrity needs a system-level investigation.", "data_integrity"),
    TargetRule("engineering.production_down", _ENG, flag("production_down"), "Production is down.",
               "production_down"),
    TargetRule("engineering.code_change", _ENG, code_change_beyond_a_confirmed_bug, "It needs a code change.",
               "code_change"),
    TargetRule("product.feature_gap", _PM, nature_is(Nature.FEATURE_GAP), "A missing capability is hurting customers.",
               "feature_gap"),
    TargetRule("product.design_decision", _PM, nature_is(Nature.DESIGN_DECISION), "It needs a design decision.",
               "design_decision"),
    TargetRule("product.workflow_mismatch", _PM, nature_is(Nature.WORKFLOW_MISMATCH),
               "Customers expect the product to work differently.", "workflow_mismatch"),
)  # fmt: skip

# The first team in this order with a row that may lead becomes the target; the others are cc.
TEAM_PRIORITY: tuple[Target, ...] = (_SEC, _LEAD, _ENG, _PM)

# Why L2 is the target when no row makes another team lead.
L2_UNCONFIRMED_BUG = "The bug is not confirmed yet: senior support should reproduce and investigate it first."
L2_INVESTIGATE = "Senior support should dig deeper first; no other team is needed yet."
L2_STAYS_IN_SUPPORT = "No escalation criterion is met, so it stays with support."

_CRIT, _HIGH, _MED = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM

SEVERITY_RULES: tuple[SeverityRule, ...] = (
    SeverityRule("production_down", _CRIT, flag("production_down"), "Production is down.", "production down"),
    SeverityRule("data_at_risk", _CRIT, data_at_risk, "Customer data is at risk.", "customer data at risk"),
    SeverityRule("security_breach", _CRIT, flag("security_breach"),
                 "There has been a security breach: data was exposed or accessed without authorization.",
                 "security breach"),
    SeverityRule("several_high_value_customers", _CRIT, several_high_value_customers, several_high_value_reason,
                 "two or more affected customers in a high-value segment or each with high-value ARR at risk"),
    SeverityRule("security_concern", _HIGH, security_concern,
                 "A security concern goes to Security at once, so it is at least High.", "security concern"),
    SeverityRule("key_customer_blocked", _HIGH, key_customer_blocked, key_customer_blocked_reason,
                 "key customer blocked"),
    SeverityRule("customers_blocked", _HIGH, other_customers_blocked,
                 "Core functionality is broken: customers are blocked.", "customers blocked with no workaround"),
    SeverityRule("sla_at_risk", _HIGH, sla_at_risk, "The SLA is at risk.", "SLA at risk"),
    SeverityRule("sla_breached", _HIGH, sla_breached, "The SLA has been breached.", "SLA breached"),
    SeverityRule("documented_workaround", _MED, flag("documented_workaround"), "A documented workaround exists."),
    SeverityRule("not_blocked", _MED, hit_but_not_blocked, not_blocked_reason),
)  # fmt: skip


def medium_reason() -> str:
    """Why a case is Medium: none of the High or Critical facts is recorded, named from the table."""
    *most, last = [rule.fact for rule in SEVERITY_RULES if rule.level is not Severity.MEDIUM]
    return f"None of the facts that make a case High or Critical is recorded: {', '.join(most)} or {last}."
