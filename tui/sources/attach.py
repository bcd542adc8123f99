"""What picking a search result does to the case: the changes to make, by field path, as the case
screen applies every edit (so autosave, triage and the brief follow).

- Any item joins the brief's supporting context with its reference (and its link), once.
- An account fills the customer's name, plan, segment and ARR where the case has none yet, and the ARR
  at risk with its ARR when that is still unknown (the agent raises it for more accounts).
- A known issue with a documented workaround records that support can answer it (the
  "documented workaround" fact, and the workaround itself when the case has none).
- Tickets from enough distinct customers offer the pattern trigger (`pattern_changes`): the count of
  customers affected and their names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tui.domain.models import ContextItem, ContextKind, Escalation
from tui.domain.patterns import distinct_customers
from tui.sources.model import SourceItem

TITLE_KEPT = 200
EXCERPT_KEPT = 500
WORKAROUND_KEPT = 1000


def reference_of(item: SourceItem) -> str:
    """How the brief cites the item: its reference, and its link when the reference is not one."""
    url = item.provenance.url
    if url and url not in item.reference:
        return f"{item.reference} — {url}" if item.reference else url
    return item.reference


def context_item(item: SourceItem) -> ContextItem:
    """The item as a row of the brief's context (plain text, cut to what a brief row holds)."""
    return ContextItem(kind=item.kind, title=SourceItem.clean(" ".join(item.title.split()), TITLE_KEPT),
                       reference=reference_of(item),
                       excerpt=SourceItem.clean(" ".join(item.excerpt.split()), EXCERPT_KEPT))


def attach_changes(esc: Escalation, items: Sequence[SourceItem]) -> dict[str, Any]:
    """The fields to set, by path, once `items` are attached to `esc`; only the fields that change."""
    changes: dict[str, Any] = {}
    present = {row.reference for row in esc.context}
    added: list[ContextItem] = []
    for item in items:
        row = context_item(item)
        if row.reference not in present:
            present.add(row.reference)
            added.append(row)
    if added:
        changes["context"] = [*esc.context, *added]
    for item in items:
        if item.kind is ContextKind.ACCOUNT and item.account is not None:
            changes.update(_account_changes(esc, item, changes))
        elif item.kind is ContextKind.KNOWN_ISSUE and item.workaround.strip():
            if not esc.flags.documented_workaround:
                changes["flags.documented_workaround"] = True
            if not esc.problem.workaround.strip() and "problem.workaround" not in changes:
                changes["problem.workaround"] = SourceItem.clean(
                    f"{item.workaround.strip()} (from {reference_of(item)})", WORKAROUND_KEPT)
    return changes


def _account_changes(esc: Escalation, item: SourceItem, already: dict[str, Any]) -> dict[str, Any]:
    facts = item.account
    assert facts is not None
    customer = esc.customer
    changes: dict[str, Any] = {}
    if not customer.name.strip() and facts.name.strip() and "customer.name" not in already:
        changes["customer.name"] = SourceItem.clean(facts.name, TITLE_KEPT)
    if not customer.plan.strip() and facts.plan.strip() and "customer.plan" not in already:
        changes["customer.plan"] = SourceItem.clean(facts.plan, TITLE_KEPT)
    if not customer.segment.strip() and facts.segment.strip() and "customer.segment" not in already:
        changes["customer.segment"] = SourceItem.clean(facts.segment, TITLE_KEPT)
    if customer.arr is None and facts.arr is not None and facts.arr >= 0 and "customer.arr" not in already:
        changes["customer.arr"] = facts.arr
    if esc.revenue.arr_at_risk is None and facts.arr is not None and facts.arr >= 0 \
            and "revenue.arr_at_risk" not in already:
        changes["revenue.arr_at_risk"] = facts.arr  # the brief's "Revenue at risk": at least this account's ARR
    return changes


def ticket_customers(esc: Escalation, items: Iterable[SourceItem]) -> list[str]:
    """The case's customer and those of the tickets among `items`, each once."""
    return distinct_customers(esc.customer.name, (item.customer for item in items if item.kind is ContextKind.TICKET))


def pattern_changes(esc: Escalation, items: Iterable[SourceItem]) -> dict[str, Any]:
    """The fields to set, by path, to record that the customers of these tickets share the issue: the
    count of customers affected raised to theirs, and the other customers named."""
    customers = ticket_customers(esc, items)
    changes: dict[str, Any] = {}
    breadth = esc.breadth
    if breadth.customer_count is None or breadth.customer_count < len(customers):
        changes["breadth.customer_count"] = len(customers)
    others = customers[1:] if esc.customer.name.strip() else customers  # the case's own customer comes first
    named = distinct_customers("", [*breadth.named_customers, *others])
    if named != list(breadth.named_customers):
        changes["breadth.named_customers"] = named
    return changes
