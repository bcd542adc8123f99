"""While a case is written: the stored escalations alike it, the pattern trigger, and recurrences.

A lookup runs in a thread a moment after the last edit of the words similarity reads (summary,
description, actual result, evidence), once the drafts database is open; typing never waits for it.
When enough customers share the issue, linking them as one pattern is offered once per case; when
a closed escalation matches, marking the case as back after a supposed fix is offered once too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.binding import Binding
from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.autosave import Assessed
from tui.domain.lifecycle import actor
from tui.domain.patterns import (
    Lookalike,
    customers_sharing,
    is_pattern,
    link_reason,
    pattern_changes,
    recurring_changes,
)
from tui.widgets.case import CaseEditor
from tui.widgets.similar import SimilarPanel, SimilarView, one_line

if TYPE_CHECKING:
    from tui.autosave import Autosaver
    from tui.screens.case import CaseScreen
    from tui.store.escalations import Similar

LOOKUP_AFTER = 0.5  # seconds after the last edit of the words looked up
WAIT_FOR_STORE = 0.2  # seconds between checks that the drafts database has opened
RECENT_DAYS = 180  # closed escalations this recent still count as similar
LINK_ID = "case.link_pattern"  # the case screen's bindings
RECURRING_ID = "case.mark_recurring"


class PatternHost(CaseEditor, Protocol):
    """The app as the pattern watch uses it."""

    autosaver: Autosaver | None

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = True) -> None: ...

    def apply_changes(self, changes: dict[str, Any]) -> bool: ...


def lookalike(similar: Similar) -> Lookalike:
    found = similar.record
    return Lookalike(found.id, found.summary, found.customer, found.status, found.severity, found.closed)


def watch_of(node: DOMNode) -> PatternWatch | None:
    """The pattern watch of the case screen `node` is on, if it is on one."""
    from tui.screens.case import CaseScreen

    screen = node.screen
    return screen.patterns if isinstance(screen, CaseScreen) else None


class PatternWatch:
    """Looks for escalations alike the case on its screen, and links or marks them on request."""

    def __init__(self, screen: CaseScreen) -> None:
        self.screen = screen
        self.found: tuple[Lookalike, ...] = ()
        self.looked_up = False  # a lookup has answered since the case was opened
        self.problem = ""  # why the last lookup failed
        self.linked: frozenset[int] = frozenset()  # the escalations this case is linked with
        self._words: tuple[Any, ...] | None = None  # what the last lookup was asked for
        self._timer: Timer | None = None
        self._asked = 0  # lookups asked for: the answer to an older one is dropped
        self._offered_link = False
        self._offered_recurring = False

    @property
    def host(self) -> PatternHost:
        return cast("PatternHost", self.screen.app)

    # --- looking up ----------------------------------------------------------------------------

    def case_changed(self) -> None:
        """After any edit: look again when the words looked up changed, else just weigh the offers
        again (the case's customer may have changed)."""
        esc = self.host.escalation
        words = (esc.summary, esc.problem.description, esc.reproduction.actual, tuple(esc.reproduction.evidence))
        if words != self._words:
            first = self._words is None
            self._words = words
            self._schedule(0.0 if first else LOOKUP_AFTER)
        elif self.looked_up:
            self._offer()

    def case_replaced(self) -> None:
        """Another draft is being worked on: its own lookup, and its own offers."""
        self.found, self.looked_up, self.problem, self.linked = (), False, "", frozenset()
        self._offered_link = self._offered_recurring = False
        self._words = None
        self._asked += 1
        self.case_changed()
        self._redraw()

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay > 0:
            self._timer = self.screen.set_timer(delay, self._look_up)
        else:
            self.screen.call_later(self._look_up)

    def _look_up(self) -> None:
        self._timer = None
        saver = self.host.autosaver
        if saver is None:
            return  # no drafts database: nothing stored to compare with
        store = saver.store
        if store is None:
            if not saver.failed:
                self._schedule(WAIT_FOR_STORE)
            return
        self._asked += 1
        asked = self._asked
        snapshot = self.host.escalation.model_copy(deep=True)
        exclude = saver.draft_id
        since = self.host.clock() - timedelta(days=RECENT_DAYS)
        host = self.host

        def look_up() -> None:
            from tui.store.drafts import DraftStoreError

            linked: set[int] = set()
            try:
                found, problem = [lookalike(item) for item in store.similar(snapshot, exclude, since)], ""
                if exclude is not None and found:
                    for stored in store.timeline(exclude):
                        linked.update(stored.event.linked)
            except DraftStoreError as error:
                found, problem = [], str(error)
            except KeyError:
                pass  # the draft was deleted meanwhile: it is linked with nothing
            if not get_current_worker().is_cancelled:
                host.call_from_thread(self._answered, asked, found, problem, frozenset(linked))

        self.screen.run_worker(look_up, thread=True, group="similar", exclusive=True,
                               name="looking for similar escalations", exit_on_error=False)

    def _answered(self, asked: int, found: list[Lookalike], problem: str, linked: frozenset[int]) -> None:
        if asked != self._asked:
            return  # the case changed since: a newer lookup is on its way
        saver = self.host.autosaver
        own = saver.draft_id if saver is not None else None
        self.found = tuple(item for item in found if item.id != own)  # saved before it was excluded
        self.problem = problem
        self.linked = self.linked | linked  # a link made here may be newer than what was read
        self.looked_up = True
        self._offer()
        self._redraw()

    # --- what is shown and offered -------------------------------------------------------------

    def _key(self, binding_id: str) -> str:
        """The key of one of the case screen's bindings, as the keymap in the config has it."""
        default = next((binding.key for binding in Binding.make_bindings(type(self.screen).BINDINGS)
                        if binding.id == binding_id), "")
        keys = self.host.settings.keymap.get(binding_id, default)
        return keys.split(",")[0].strip() or default

    @property
    def threshold(self) -> int:
        return self.host.settings.rules.pattern_customer_count

    def pattern_found(self) -> bool:
        return is_pattern(self.host.escalation, self.found, self.threshold)

    def unlinked(self) -> tuple[Lookalike, ...]:
        """The escalations found that this case is not linked with yet."""
        return tuple(item for item in self.found if item.id not in self.linked)

    def _link_offered(self) -> bool:
        return bool(self.unlinked()) and self.pattern_found()

    def came_back(self) -> Lookalike | None:
        """The closed escalation most alike this case, if one is among those found."""
        return next((item for item in self.found if item.came_back), None)

    def view(self) -> SimilarView | None:
        """What the Similar escalations panel shows; None before the first lookup has answered."""
        if not self.looked_up:
            return None
        esc = self.host.escalation
        offer_link = self._link_offered()
        offer_recurring = self.came_back() is not None and not esc.flags.recurring_after_fix
        return SimilarView(self.found, len(customers_sharing(esc, self.found)), self.problem,
                           self._key(LINK_ID) if offer_link else "",
                           self._key(RECURRING_ID) if offer_recurring else "")

    def _redraw(self) -> None:
        view = self.view()
        for panel in self.screen.query(SimilarPanel):
            panel.show(view)

    def _offer(self) -> None:
        """Say so, once per case, when enough customers share the issue or a closed one came back."""
        esc = self.host.escalation
        if not self._offered_link and self._link_offered():
            self._offered_link = True
            sharing = customers_sharing(esc, self.found)
            self.host.notify(
                f"{len(sharing)} customers share this issue ({', '.join(one_line(name, 30) for name in sharing)}): "
                "it may be a pattern. "
                f"{self._key(LINK_ID)} links their escalations with this case and counts them in.",
                title="Pattern", timeout=20, markup=False)
        old = self.came_back()
        if old is not None and not self._offered_recurring and not esc.flags.recurring_after_fix:
            self._offered_recurring = True
            self.host.notify(
                f"Escalation #{old.id} looks like this case and was {old.closed_on()}: the issue may have come "
                f"back after a supposed fix. {self._key(RECURRING_ID)} marks this case so and "
                "points at the old one.", title="Came back?", timeout=20, markup=False)

    # --- acting on it --------------------------------------------------------------------------

    def link(self) -> None:
        """Link this case and the escalations found as one pattern (an event on each), then count the
        customers, name them and list the escalations in the case."""
        host = self.host
        saver = host.autosaver
        if saver is None or saver.store is None:
            why = "autosave is off" if saver is None else (saver.failed or "it is still opening")
            host.notify(f"Linking escalations needs the drafts database, and {why}.", severity="warning",
                        markup=False)
            return
        esc = host.escalation
        sharing = customers_sharing(esc, self.found)
        if len(sharing) < self.threshold:
            host.notify(f"A pattern needs {self.threshold} customers sharing the issue; "
                        f"{len(sharing)} do so far.", severity="warning", markup=False)
            return
        found, linking = self.found, self.unlinked()
        if not linking:
            host.notify(f"This case is already linked with the {len(found)} similar escalations.", markup=False)
            return
        store = saver.store
        reason = link_reason(esc, found)
        who = actor(host.settings.reporter.name, esc.reporter.name)
        now = host.clock()
        changes, snapshot = host.changes, esc.model_copy(deep=True)
        assessed = Assessed(host.assessment.severity.effective.value, host.assessment.target.effective.value)

        def link() -> None:
            from tui.store.drafts import DraftStoreError
            from tui.store.escalations import EscalationError

            problem = ""
            draft_id = saver.draft_id
            if draft_id is None:  # the case was never saved: it must be, to carry the link
                draft_id, _ = saver.write(changes, snapshot, now, assessed)
            if draft_id is None:
                problem = saver.failed or "this case could not be saved as a draft"
            else:
                try:
                    store.link([draft_id, *(item.id for item in linking)], who, now, reason)
                except (DraftStoreError, EscalationError) as error:
                    problem = str(error)
                except KeyError as error:
                    problem = f"escalation {error} is no longer in the drafts database"
            host.call_from_thread(self._linked, draft_id, found, linking, problem)

        self.screen.run_worker(link, thread=True, group="patterns", name="linking similar escalations",
                               exit_on_error=False)

    def _linked(self, draft_id: int | None, found: tuple[Lookalike, ...], linking: tuple[Lookalike, ...],
                problem: str) -> None:
        host = self.host
        if problem:
            host.notify(f"The escalations were not linked: {problem}", severity="error", markup=False)
            return
        self.linked = self.linked | {item.id for item in linking}
        if self._apply(pattern_changes(host.escalation, found)):
            others = ", ".join(f"#{item.id}" for item in linking)
            count = len(customers_sharing(host.escalation, found))
            host.notify(f"Linked this case (#{draft_id}) with {others} as one pattern: {count} customers share "
                        "the issue. Who is affected and the context now say so.", title="Pattern", markup=False)
        self._redraw()

    def mark_recurring(self) -> None:
        """Flag the case as back after a supposed fix, with the closed escalation it matches in its context."""
        host = self.host
        old = self.came_back()
        if old is None:
            host.notify("None of the similar escalations was resolved or de-escalated, so nothing came back.",
                        severity="warning", markup=False)
            return
        changes = recurring_changes(host.escalation, old)
        if not changes:
            host.notify(f"This case is already marked as back after the fix of #{old.id}.", markup=False)
            return
        if self._apply(changes):
            host.notify(f"Marked as back after a supposed fix: escalation #{old.id} ({old.closed_on()}) is in the "
                        "context.", title="Came back", markup=False)
        self._redraw()

    def _apply(self, changes: dict[str, Any]) -> bool:
        """Make the changes through the app's edits (so autosave and the triage follow) and show them."""
        return self.host.apply_changes(changes)
