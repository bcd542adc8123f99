"""Facts the rules read that take more than one field to tell: who is high-value, how many are hit, SLA state.

Pure functions of an ``Escalation``, the rule thresholds and the clock. The rule tables
(``rules.py``) name these in their conditions and wording, so each is defined once.
"""

from __future__ import annotations

from datetime import datetime

from tui.domain.models import Depth, Escalation, Nature, SlaStatus
from tui.domain.settings import RuleSettings


def money(amount: int) -> str:
    return f"${amount:,}"


def _folded(values: tuple[str, ...]) -> set[str]:
    return {value.casefold() for value in values}


# --- the primary customer -------------------------------------------------------------


def is_high_value(esc: Escalation, rules: RuleSettings) -> bool:
    """The primary customer is high-value by key-account status, ARR or segment."""
    return bool(high_value_reason(esc, rules))


def high_value_reason(esc: Escalation, rules: RuleSettings) -> str:
    """Why the primary customer counts as high-value, as a clause; "" when it does not."""
    customer = esc.customer
    name = customer.name or "the customer"
    if customer.key_account:
        return f"{name} is a key account"
    if customer.arr is not None and customer.arr >= rules.high_value_arr:
        return f"{name}'s ARR of {money(customer.arr)} is at or above {money(rules.high_value_arr)}"
    if customer.segment and customer.segment.casefold() in _folded(rules.high_value_segments):
        return f"{name} is in the {customer.segment} segment"
    return ""


# --- who is affected ------------------------------------------------------------------


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


def affected_segment(esc: Escalation) -> str:
    """The segment of the affected group: the one named under Who is affected.

    When the whole segment is affected but none is named there, the brief reads it as the
    primary customer's segment ("All Enterprise customers"), and so do the rules, so that the
    severity never disagrees with what the brief says about who is hit.
    """
    if esc.breadth.segment:
        return esc.breadth.segment
    return esc.customer.segment if esc.breadth.whole_segment else ""


def high_value_segment_affected(esc: Escalation, rules: RuleSettings) -> bool:
    """The affected group belongs to a high-value segment and is more than one customer."""
    segment = affected_segment(esc)
    return bool(segment) and segment.casefold() in _folded(rules.high_value_segments) and several_customers(esc)


def high_value_arr_affected(esc: Escalation, rules: RuleSettings) -> bool:
    """At least two customers are affected and the ARR at risk reaches the high-value mark for each."""
    count = affected_customers(esc) or 0
    at_risk = esc.revenue.arr_at_risk
    return count >= 2 and at_risk is not None and at_risk >= rules.high_value_arr * count


def several_high_value_customers(esc: Escalation, rules: RuleSettings) -> bool:
    """Read from the affected group only (its count, segment and ARR at risk), never from
    the primary customer's own standing."""
    return high_value_segment_affected(esc, rules) or high_value_arr_affected(esc, rules)


def breadth_phrase(esc: Escalation) -> str:
    if esc.breadth.whole_segment:
        segment = affected_segment(esc)
        return f"every {segment} customer" if segment else "every customer"
    count = affected_customers(esc)
    return f"{count} customers" if count is not None else "several customers"


def several_high_value_phrase(esc: Escalation, rules: RuleSettings) -> str:
    """Which of the two readings of "several high-value customers" holds, with its numbers."""
    if high_value_segment_affected(esc, rules):
        who = "every customer" if esc.breadth.whole_segment else f"{affected_customers(esc)} customers"
        return f"{who} in the high-value {affected_segment(esc)} segment"
    count = affected_customers(esc) or 0
    at_risk = esc.revenue.arr_at_risk or 0
    return f"{count} customers with {money(at_risk)} ARR at risk, at least {money(rules.high_value_arr)} each"


# --- the problem ----------------------------------------------------------------------


def bug_confirmed(esc: Escalation, rules: RuleSettings) -> bool:
    """Support reproduced it, or so many customers report it that it cannot be account-specific."""
    if esc.problem.bug_confirmed:
        return True
    count = affected_customers(esc) or 0
    return esc.breadth.whole_segment or count >= rules.pattern_customer_count


def is_confirmed_bug(esc: Escalation, rules: RuleSettings) -> bool:
    return esc.problem.nature is Nature.BUG and bug_confirmed(esc, rules)


def security_concern(esc: Escalation) -> bool:
    """A security problem, or a breach that has already happened, whatever the nature says."""
    return esc.problem.nature is Nature.SECURITY or esc.flags.security_breach


def data_at_risk(esc: Escalation) -> bool:
    return esc.problem.nature is Nature.DATA_LOSS or esc.flags.data_integrity_at_risk


def blocked_without_workaround(esc: Escalation) -> bool:
    return esc.depth.level is Depth.BLOCKED and not esc.flags.documented_workaround


# --- time -----------------------------------------------------------------------------


def days_waiting(esc: Escalation, now: datetime | None) -> int | None:
    since = esc.timeline.customer_waiting_since
    if since is None or now is None:
        return None
    return max(0, (now - since).days)


def sla_breached(esc: Escalation, now: datetime | None) -> bool:
    """Marked breached, or its due time has passed."""
    if esc.contract.sla_status is SlaStatus.BREACHED:
        return True
    due = esc.timeline.sla_due
    return due is not None and now is not None and now > due


def sla_at_risk(esc: Escalation, now: datetime | None) -> bool:
    """Marked at risk and not breached yet (a passed due time makes it breached)."""
    return esc.contract.sla_status is SlaStatus.AT_RISK and not sla_breached(esc, now)
