"""Change an open escalation's severity or target team, with the reason the timeline keeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Severity, Target
from tui.screens.queue_rows import title
from tui.store.escalations import Record
from tui.widgets.safe_paste import SafeInput


class ChangeSeverityScreen(ModalScreen[Event | None]):
    """Dismissed with a SEVERITY_CHANGED (or, with `target=True`, TARGET_CHANGED) event, or None."""

    DEFAULT_CSS = """
    ChangeSeverityScreen { align: center middle; }
    ChangeSeverityScreen > Vertical { width: 80; height: auto; border: thick $accent; background: $surface;
                                      padding: 1 2; }
    ChangeSeverityScreen .problem { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="change.cancel"),
        Binding("ctrl+s", "save", "Change it", id="change.save"),
    ]

    def __init__(self, record: Record, clock: Callable[[], datetime], who: str, target: bool = False) -> None:
        super().__init__()
        self.record = record
        self.clock = clock
        self.who = who
        self.target = target
        self.what = "target team" if target else "severity"

    def compose(self) -> ComposeResult:
        current = self.record.target if self.target else self.record.severity
        choices: list[Severity] | list[Target] = list(Target) if self.target else list(Severity)
        with Vertical():
            yield Static(title(self.record))
            yield Label(f"{self.what.capitalize()} now: {current.label if current else 'not set'}. Change it to:")
            yield Select([(choice.label, choice.value) for choice in choices], allow_blank=False,
                         value=current.value if current else choices[0].value, id="change-choice")
            yield Label("Why? (required; kept in the timeline and in the brief)")
            yield SafeInput(id="change-reason")
            yield Static("", classes="problem", id="change-problem")
            yield Label("enter in the reason / ctrl+s change it · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _refuse(self, problem: str, focus: str) -> None:
        self.query_one("#change-problem", Static).update(Text(problem))
        self.query_one(focus).focus()

    def action_save(self) -> None:
        value = str(self.query_one("#change-choice", Select).value)
        reason = self.query_one("#change-reason", Input).value.strip()
        current = self.record.target if self.target else self.record.severity
        if current is not None and value == current.value:
            self._refuse(f"It is {current.label} already: pick another {self.what}.", "#change-choice")
            return
        if not reason:
            self._refuse(f"Say why the {self.what} changes; the timeline keeps the reason.", "#change-reason")
            return
        previous = current.value if current is not None else "unknown"
        at = self.clock()
        if self.target:
            event = Event(kind=EventKind.TARGET_CHANGED, at=at, who=self.who, target=Target(value),
                          previous=previous, reason=reason)
        else:
            event = Event(kind=EventKind.SEVERITY_CHANGED, at=at, who=self.who, severity=Severity(value),
                          previous=previous, reason=reason)
        self.dismiss(event)

    def action_cancel(self) -> None:
        self.dismiss(None)
