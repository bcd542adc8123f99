"""Record an approval gate's decision (approved or rejected, by whom and why), or request an approval,
for a case whose approval is recorded by hand (no approval system is configured)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.domain.approval import gate_words
from tui.domain.lifecycle import Approval, Event, EventKind
from tui.screens.queue_rows import plain, title
from tui.store.escalations import Record, StoredEvent
from tui.widgets.safe_paste import SafeInput

DECISIONS = ((EventKind.APPROVED, "Approved"), (EventKind.REJECTED, "Rejected"))


def requested_for(timeline: list[StoredEvent]) -> str:
    """What the latest approval request asked for ("" when there is none)."""
    asked = [stored.event for stored in timeline if stored.event.kind is EventKind.APPROVAL_REQUESTED]
    return asked[-1].reason if asked else ""


class ApprovalScreen(ModalScreen[Event | None]):
    """Dismissed with an APPROVED or REJECTED event when an approval waits for its decision, else with an
    APPROVAL_REQUESTED one; or None."""

    DEFAULT_CSS = """
    ApprovalScreen { align: center middle; }
    ApprovalScreen > Vertical { width: 90; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ApprovalScreen .problem { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="approval.cancel"),
        Binding("ctrl+s", "save", "Record it", id="approval.save"),
    ]

    def __init__(self, record: Record, timeline: list[StoredEvent], clock: Callable[[], datetime], who: str) -> None:
        super().__init__()
        self.record = record
        self.clock = clock
        self.who = who
        self.deciding = record.approval is Approval.NEEDED
        self.asked = requested_for(timeline)
        # "Approval needed — pending in Lark approval" while an approval system holds the request.
        self.gate = gate_words([stored.event for stored in timeline]) or Approval.NEEDED.label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(title(self.record))
            if self.deciding:
                yield Static(Text(f"{plain(self.gate)}: {plain(self.asked) or 'requested'}"))
                yield Label("The decision:")
                yield Select([(label, kind.value) for kind, label in DECISIONS], allow_blank=False,
                             value=EventKind.APPROVED.value, id="approval-decision")
                yield Label("Who decided? (required)")
                yield SafeInput(placeholder="e.g. Vera Lin, VP Support", id="approval-who")
                yield Label("Why? (required; kept in the timeline)")
            else:
                state = f"It was {self.record.approval.label.lower()}. " if self.record.approval else ""
                yield Static(Text(f"{state}No approval is waiting for a decision: request one."))
                yield Label("What is the approval for? (required; kept in the timeline)")
            yield SafeInput(id="approval-reason")
            yield Static("", classes="problem", id="approval-problem")
            yield Label("enter in the reason / ctrl+s record it · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _refuse(self, problem: str, focus: str) -> None:
        self.query_one("#approval-problem", Static).update(Text(problem))
        self.query_one(focus).focus()

    def action_save(self) -> None:
        reason = self.query_one("#approval-reason", Input).value.strip()
        if not self.deciding:
            if not reason:
                self._refuse("Say what the approval is for; the timeline keeps it.", "#approval-reason")
                return
            self.dismiss(Event(kind=EventKind.APPROVAL_REQUESTED, at=self.clock(), who=self.who, reason=reason))
            return
        kind = EventKind(str(self.query_one("#approval-decision", Select).value))
        who = self.query_one("#approval-who", Input).value.strip()
        if not who:
            self._refuse("Say who decided: the timeline keeps who approved or rejected it.", "#approval-who")
            return
        if not reason:
            self._refuse(f"Say why it was {kind.label.lower()}; the timeline keeps the reason.", "#approval-reason")
            return
        self.dismiss(Event(kind=kind, at=self.clock(), who=who, reason=reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
