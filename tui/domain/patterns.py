"""Patterns: one issue at several customers, and an issue back after a supposed fix.

The store finds the escalations alike the case being written (see `similarity`); this module counts
the customers they cover together with the case, words why they are linked, and says which fields
of the case change when they are linked as one pattern or when an old one came back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tui.domain.lifecycle import CLOSED_STATUSES, Status
from tui.domain.models import ContextItem, ContextKind, Escalation, Severity
from tui.domain.similarity import terms

SHOWN_WORDS = 4  # shared words named in a link's reason


@dataclass(frozen=True, slots=True)
class Lookalike:
    """A stored escalation alike the case being written, as the pattern rules see it."""

    id: int
    summary: str
    customer: str
    status: Status
    severity: Severity | None
    closed: datetime | None

    @property
    def came_back(self) -> bool:
        """It was closed (resolved or de-escalated) and the same issue is being reported again."""
        return self.status in CLOSED_STATUSES

    @property
    def reference(self) -> str:
        return reference(self.id)

    def closed_on(self, zone: tzinfo | None = None) -> str:
        """"resolved on 2026-10-02" (the day in `zone`, local time by default); "" while open."""
        if not self.came_back:
            return ""
        if self.closed is None:
            return self.status.label.lower()
        return f"{self.status.label.lower()} on {self.closed.astimezone(zone):%Y-%m-%d}"


def reference(escalation_id: int) -> str:
    """How a context item points at a stored escalation."""
    return f"escalation #{escalation_id}"


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def distinct_customers(ours: str, theirs: Iterable[str]) -> list[str]:
    """The customers named, each once: compared ignoring case and spacing, blanks left out, in the
    order first named (ours first), spelled as first named."""
    seen: dict[str, str] = {}
    for name in (ours, *theirs):
        key = _name_key(name)
        if key:
            seen.setdefault(key, " ".join(name.split()))
    return list(seen.values())


def customers_sharing(esc: Escalation, lookalikes: Iterable[Lookalike]) -> list[str]:
    """This case's customer and those of the escalations alike it, each once."""
    return distinct_customers(esc.customer.name, (item.customer for item in lookalikes))


def is_pattern(esc: Escalation, lookalikes: Iterable[Lookalike], threshold: int) -> bool:
    """Enough customers share the issue for the pattern trigger (`threshold`: the rules' count)."""
    return len(customers_sharing(esc, lookalikes)) >= threshold


def link_reason(esc: Escalation, lookalikes: Sequence[Lookalike]) -> str:
    """Why the escalations are linked: the telling words of this case every one of their summaries
    shares, or just "same issue" when no single word is common to all."""
    ours = terms(esc.summary, esc.problem.description, esc.reproduction.actual, " ".join(esc.reproduction.evidence))
    theirs = [set(terms(item.summary)) for item in lookalikes]
    shared = [word for word in ours if theirs and all(word in words for words in theirs)]
    if not shared:
        return "same issue"
    return "same issue: " + ", ".join(shared[:SHOWN_WORDS])


def _item(lookalike: Lookalike, zone: tzinfo | None, note: str = "") -> ContextItem:
    parts = [lookalike.customer.strip() or "customer not named"]
    if lookalike.came_back:
        parts.append(lookalike.closed_on(zone))
    else:
        parts.append(lookalike.status.label.lower())
        if lookalike.severity is not None:
            parts.append(lookalike.severity.label)
    if note:
        parts.append(note)
    return ContextItem(kind=ContextKind.TICKET, title=lookalike.summary, reference=lookalike.reference,
                       excerpt=", ".join(parts))


def pattern_changes(esc: Escalation, lookalikes: Sequence[Lookalike], zone: tzinfo | None = None) -> dict[str, Any]:
    """The fields to set, by path, once this case is linked with `lookalikes` as one pattern: the count
    of customers raised to those sharing the issue, the other customers named, and one context item
    per linked escalation (none added twice). Only the fields that change are given."""
    changes: dict[str, Any] = {}
    breadth = esc.breadth
    sharing = customers_sharing(esc, lookalikes)
    if breadth.customer_count is None or breadth.customer_count < len(sharing):
        changes["breadth.customer_count"] = len(sharing)
    known = {_name_key(esc.customer.name), *(_name_key(name) for name in breadth.named_customers)}
    named = list(breadth.named_customers)
    for name in sharing:
        if _name_key(name) not in known:
            known.add(_name_key(name))
            named.append(name)
    if named != breadth.named_customers:
        changes["breadth.named_customers"] = named
    present = {item.reference for item in esc.context}
    added = [_item(item, zone) for item in lookalikes if item.reference not in present]
    if added:
        changes["context"] = [*esc.context, *added]
    return changes


def recurring_changes(esc: Escalation, old: Lookalike, zone: tzinfo | None = None) -> dict[str, Any]:
    """The fields to set, by path, to record that this case is `old`'s issue back after its fix: the
    flag, and a context item pointing at the old escalation (replacing one that already does)."""
    changes: dict[str, Any] = {}
    if not esc.flags.recurring_after_fix:
        changes["flags.recurring_after_fix"] = True
    item = _item(old, zone, note="the issue came back after that fix")
    context = [item if existing.reference == old.reference else existing for existing in esc.context]
    if item not in context:
        context.append(item)
    if context != esc.context:
        changes["context"] = context
    return changes
