"""A one-line reason asked for before something is recorded: why a finding may leave unmasked, why a
send is known to have arrived. Enter records it; escape records nothing."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.domain.text_safety import visible


class ReasonScreen(ModalScreen[str | None]):
    """Dismissed with the reason typed (spaces collapsed), or None on escape."""

    DEFAULT_CSS = """
    ReasonScreen { align: center middle; }
    ReasonScreen > Vertical { width: 76; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        from tui.widgets.safe_paste import SafeInput

        with Vertical():
            yield Static(Text(visible(self.question)))
            yield SafeInput(placeholder=self.placeholder, id="reason")

    def on_input_submitted(self, event: Any) -> None:
        reason = " ".join(str(event.value).split())
        if reason:
            self.dismiss(reason)
        else:
            self.notify("Say why in a few words, or press escape to leave it.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
