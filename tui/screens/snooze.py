"""Snooze an open escalation's clocks until a set time, for a stated reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.due_words import age_words
from tui.domain.lifecycle import Event, EventKind
from tui.domain.timetext import moment
from tui.domain.when import FORMS, WhenError, parse_until
from tui.screens.queue_rows import title
from tui.store.escalations import Record
from tui.widgets.safe_paste import SafeInput


class SnoozeScreen(ModalScreen[Event | None]):
    """Dismissed with a SNOOZED event for the caller to log, or None."""

    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical { width: 90; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    SnoozeScreen .problem { color: $error; }
    SnoozeScreen #snooze-when { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel"),
        Binding("ctrl+s", "save", "Snooze", id="snooze.save"),
    ]

    def __init__(self, record: Record, clock: Callable[[], datetime], who: str, zone: tzinfo | None = None) -> None:
        """`zone`: where clock times such as "tomorrow 09:00" are read (the local zone when None)."""
        super().__init__()
        self.record = record
        self.clock = clock
        self.who = who
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(title(self.record))
            yield Label("Snooze until (the clocks wait until then):")
            yield SafeInput(placeholder="2h, 90m, 1d, tomorrow 09:00, 2026-11-20 14:30", id="snooze-until")
            yield Static(Text(f"Write {FORMS}."), id="snooze-when")
            yield Label("Why? (required; kept in the timeline)")
            yield SafeInput(placeholder="e.g. waiting for the customer's logs", id="snooze-reason")
            yield Static("", classes="problem", id="snooze-problem")
            yield Label("enter next / log it · ctrl+s snooze · esc cancel", classes="hint")

    def _until(self) -> datetime:
        return parse_until(self.query_one("#snooze-until", Input).value, self.clock(), self.zone)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "snooze-until":
            return
        when = self.query_one("#snooze-when", Static)
        try:
            until = self._until()
        except WhenError as error:
            when.update(Text(str(error)) if event.value.strip() else Text(f"Write {FORMS}."))
            return
        local = until.astimezone(self.zone) if self.zone is not None else until.astimezone()
        when.update(Text(f"Until {local:%a} {moment(local)} (in {age_words(self.clock(), until)})"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "snooze-until" and not self.query_one("#snooze-reason", Input).value.strip():
            self.query_one("#snooze-reason", Input).focus()
            return
        self.action_save()

    def _refuse(self, problem: str, focus: str) -> None:
        self.query_one("#snooze-problem", Static).update(Text(problem))
        self.query_one(focus, Input).focus()

    def action_save(self) -> None:
        try:
            until = self._until()
        except WhenError as error:
            self._refuse(str(error), "#snooze-until")
            return
        reason = self.query_one("#snooze-reason", Input).value.strip()
        if not reason:
            self._refuse("Say why the case can wait; the timeline keeps the reason.", "#snooze-reason")
            return
        self.dismiss(Event(kind=EventKind.SNOOZED, at=self.clock(), who=self.who, until=until, reason=reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
