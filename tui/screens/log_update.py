"""Log an internal update on an escalation: a line on what happened since; it restarts the check-in clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.lifecycle import Event, EventKind
from tui.screens.queue_rows import title
from tui.store.escalations import Record
from tui.widgets.safe_paste import SafeInput


class LogUpdateScreen(ModalScreen[Event | None]):
    """Dismissed with an UPDATE_LOGGED event for the caller to log, or None."""

    DEFAULT_CSS = """
    LogUpdateScreen { align: center middle; }
    LogUpdateScreen > Vertical { width: 90; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    LogUpdateScreen .problem { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="log_update.cancel"),
        Binding("ctrl+s", "save", "Log it", id="log_update.save"),
    ]

    def __init__(self, record: Record, clock: Callable[[], datetime], who: str) -> None:
        super().__init__()
        self.record = record
        self.clock = clock
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(title(self.record))
            yield Label("What happened since the last update? (kept in the timeline; restarts the check-in clock)")
            yield SafeInput(placeholder="e.g. Engineering reproduced it on staging; fix being tested",
                            id="update-text")
            yield Static("", classes="problem", id="update-problem")
            yield Label("enter / ctrl+s log it · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#update-text", Input).value.strip()
        if not text:
            self.query_one("#update-problem", Static).update(Text("Write the update first: one line is enough."))
            return
        self.dismiss(Event(kind=EventKind.UPDATE_LOGGED, at=self.clock(), who=self.who, text=text))

    def action_cancel(self) -> None:
        self.dismiss(None)
