"""Pasted text loses its control characters before any editor shows it.

Textual hands a paste to the editor as it came; drawn as typed, an escape sequence in it would reach
the terminal. The model drops such characters as it stores text, and so do the editors as text
arrives, so what is shown is always what is stored.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from tui.domain.text_safety import strip_unsafe
from tui.widgets.keys_in_order import KeysInOrder


class SafeInput(Input):
    """A one-line Input whose pastes lose their control characters and keep every line, joined by
    spaces (Input itself keeps only the first line)."""

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()
        event.stop()
        if event.text:
            start, end = sorted(self.selection)
            self.replace(" ".join(strip_unsafe(event.text).splitlines()), start, end)


def paste_into(area: TextArea, event: events.Paste) -> None:
    """Paste `event`'s text into `area`, made safe, over the selection (as TextArea itself pastes)."""
    event.prevent_default()
    event.stop()
    if area.read_only or not event.text:
        return
    result = area.replace(strip_unsafe(event.text), *area.selection)
    area.move_cursor(result.end_location)
    area.focus()


class SafeTextArea(KeysInOrder, TextArea):
    """A text editor whose pastes lose their control characters and whose keys run in the order typed."""

    def on_paste(self, event: events.Paste) -> None:
        paste_into(self, event)
