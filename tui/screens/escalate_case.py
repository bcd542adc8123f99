"""Marking the case escalated from the Brief step: a question that says what will happen, then the
hand-over recorded in the store (the brief as it reads now becomes version 1, the clocks start)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from tui.domain.cadence import follow_up_plan
from tui.domain.lifecycle import actor
from tui.domain.text_safety import visible
from tui.domain.timetext import moment
from tui.screens.question import Answer, QuestionScreen
from tui.widgets.case import CaseEditor

if TYPE_CHECKING:
    from tui.autosave import Autosaver
    from tui.screens.case import CaseScreen
    from tui.store.escalations import Record


class EscalatingApp(CaseEditor, Protocol):
    """The app as marking a case escalated uses it (the app is above the screens)."""

    autosaver: Autosaver | None

    @property
    def case_screen(self) -> CaseScreen: ...

    def push_screen(self, screen: Any, callback: Callable[[Any], object] | None = None) -> Any: ...

    def run_worker(self, work: Callable[[], Any], *, thread: bool = False, group: str = "default",
                   name: str | None = "", exit_on_error: bool = True) -> Any: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...


def _local(when: datetime) -> str:
    return moment(when.astimezone())


def ask_and_escalate(app: EscalatingApp, brief_text: str) -> None:
    """Ask the agent to confirm, then record the escalation in a worker; notices say how it went."""
    autosaver = app.autosaver
    if autosaver is None or autosaver.store is None:
        why = "autosave is off" if autosaver is None else "the drafts database is still opening"
        app.notify(f"The case cannot be marked escalated yet: {why}. Try again in a moment.", severity="warning")
        return
    assessment, now = app.assessment, app.clock()
    severity, target = assessment.severity.effective, assessment.target.effective
    plan = follow_up_plan(severity, now, app.escalation.contract.customer_update_hours)
    lines = [f"Mark this case escalated to {target.label} as {severity.label}?",
             "The brief as it reads now is kept as version 1, the text that was handed over; later edits make "
             "new versions. The follow-up clocks start now: an internal check-in is due by "
             f"{_local(plan.internal.latest)} and a customer update by {_local(plan.customer.latest)}."]
    failing = app.quality.blocking_failures
    if failing:
        names = "; ".join(result.title for result in failing[:3])
        more = f" and {len(failing) - 3} more" if len(failing) > 3 else ""
        lines.append(f"Warning: {len(failing)} blocking check(s) still fail: {names}{more}.")
    answers = [Answer("enter", "escalate", "escalate"), Answer("escape", "not yet", "no")]

    def answered(choice: str | None) -> None:
        if choice == "escalate":
            _escalate(app, brief_text)

    app.push_screen(QuestionScreen("\n\n".join(lines), answers), answered)


def _escalate(app: EscalatingApp, brief_text: str) -> None:
    from tui.store.drafts import DraftStoreError
    from tui.store.escalations import EscalationError

    autosaver = app.autosaver
    assert autosaver is not None
    draft_id = autosaver.save_sync()  # the case as handed over is the stored draft
    store = autosaver.store
    if draft_id is None or store is None:
        app.notify(f"The case could not be saved, so it was not marked escalated: {autosaver.failed}",
                   severity="error", markup=False)
        return
    assessment, now = app.assessment, app.clock()
    severity, target = assessment.severity.effective, assessment.target.effective
    who = actor(app.settings.reporter.name, app.escalation.reporter.name)

    def work() -> None:
        try:
            store.escalate(draft_id, brief_text, severity, target, who, now)
            record = store.record(draft_id)
        except (DraftStoreError, EscalationError, KeyError) as error:
            app.call_from_thread(app.notify, f"Not marked escalated: {error}", severity="error", markup=False)
            return
        app.call_from_thread(_escalated, app, record)

    app.run_worker(work, thread=True, group="escalation", name="marking the case escalated", exit_on_error=False)


def _escalated(app: EscalatingApp, record: Record) -> None:
    app.escalation_record = record
    due = [f"internal check-in by {_local(record.internal_due)}" if record.internal_due else "",
           f"customer update by {_local(record.customer_due)}" if record.customer_due else ""]
    severity = record.severity.label if record.severity else "?"
    target = record.target.label if record.target else "?"
    app.notify(visible(f"Escalation #{record.id} handed to {target} as {severity}; brief version 1 kept. Next: "
                       + " and ".join(part for part in due if part) + ". F7 shows the queue."), markup=False)
    app.case_screen.refresh_status()
