"""What each receiving team reads first: the same escalation, written for the team it goes to.

The template's sections and their order never change. An audience decides two things only: which of
the lines the template leaves optional appear even while empty (so the gap shows, the way an empty
Reproduction Steps section does for Engineering), and which lines come first where the template does
not fix an order (the notes under the description, the items under Supporting Context). A line that
holds something is shown to every audience: no team loses a fact the agent wrote down.

What each team asks for comes from the seed's escalation tiers: Engineering wants the repro,
environment and logs; Product the use case, how many customers asked, revenue and competitive
pressure; Security what was observed, who or what may be affected, containment and urgency;
Leadership the decision, revenue at risk, the deadline, what was tried and the account; L2 the
ticket, the steps tried and the customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from tui.domain.models import ContextItem, ContextKind, Target

WHY_NOW = "Why now"
USE_CASE = "Use case"
OBSERVED = "Observed"
AFFECTED = "Possibly affected"
CONTAINMENT = "Containment so far"
WORKAROUND = "Workaround"
NOTE_LABELS: tuple[str, ...] = (WHY_NOW, USE_CASE, OBSERVED, AFFECTED, CONTAINMENT, WORKAROUND)
"""The notes under the description, in the order they come when no audience moves one forward."""


@dataclass(frozen=True, slots=True)
class Audience:
    """What one team reads first and which optional lines it wants to see even while empty."""

    target: Target
    reproduction: bool = False  # the Reproduction Steps section, even with nothing in it
    evidence: bool = False  # the repro's Evidence line, even empty
    demand: bool = False  # the Demand line under Impact, even empty
    urgency: bool = False  # the Urgency line under What's Needed, even empty
    account: bool = False  # the account's context under Supporting Context, even empty
    notes: tuple[str, ...] = ()  # description notes shown even empty, and put first, in this order
    context_first: tuple[ContextKind, ...] = ()  # Supporting Context items of these kinds first

    def note_order(self) -> tuple[str, ...]:
        """Every description note label, the ones this team asks for first."""
        return (*self.notes, *(label for label in NOTE_LABELS if label not in self.notes))


AUDIENCES: dict[Target, Audience] = {
    Target.ENGINEERING: Audience(Target.ENGINEERING, reproduction=True, evidence=True,
                                 context_first=(ContextKind.LOG,)),
    Target.PRODUCT: Audience(Target.PRODUCT, demand=True, notes=(USE_CASE,)),
    Target.SECURITY: Audience(Target.SECURITY, urgency=True, notes=(OBSERVED, AFFECTED, CONTAINMENT)),
    Target.LEADERSHIP: Audience(Target.LEADERSHIP, account=True),
    Target.L2: Audience(Target.L2, context_first=(ContextKind.TICKET,)),
}

NO_AUDIENCE = Audience(Target.L2)
"""No team in particular: only what is filled in, in the template's own order."""


def audience_for(target: Target | None) -> Audience:
    """What `target` reads first; no team in particular for None."""
    return AUDIENCES[target] if target is not None else NO_AUDIENCE


def reader(audience: Target | None, target: Target) -> Audience:
    """Whom a brief is written for: `audience` when one is named; else the brief as the export has
    always made it, every filled line in the template's order, with the Reproduction Steps section
    an Engineering target asks for."""
    if audience is not None:
        return AUDIENCES[audience]
    return Audience(target, reproduction=AUDIENCES[target].reproduction)


Item = TypeVar("Item", bound=ContextItem)


def ordered_context(items: Iterable[Item], audience: Audience) -> list[Item]:
    """Supporting Context items with the kinds this team reads first ahead, each group in its order."""
    items = list(items)
    rank = {kind: index for index, kind in enumerate(audience.context_first)}
    return sorted(items, key=lambda item: rank.get(item.kind, len(rank)))
