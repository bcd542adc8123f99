"""F1: what this screen is for, and every key that works here (with its id for [keymap])."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; height: 80%; border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]

    def __init__(self, about: str, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.about = about
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("Key")
        table.add_column("Does")
        table.add_column("Keymap id")
        for binding_id, key, description in self.keys:
            table.add_row(key, description, binding_id)
        with VerticalScroll():
            yield Static(Text(self.about or "escalate-tui"), classes="help-about")
            yield Static("")
            yield Static(table)
            yield Static(Text("\nctrl+p opens the command palette: every action, by name. Esc closes this.",
                              style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
