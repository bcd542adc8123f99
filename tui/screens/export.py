"""Export the brief as a Markdown file: a path prompt with a sensible default name."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.triage import VerdictKind
from tui.render.export_name import default_export_name
from tui.store.atomic import write_text_atomic
from tui.widgets.case import case_of

__all__ = ["ExportScreen", "default_export_name"]  # the app names its brief files with it too


class ExportScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 80; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ExportScreen #export-message { color: $warning; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        app = case_of(self)
        kind = "escalation" if app.assessment.verdict.kind is VerdictKind.ESCALATE else "support-note"
        name = default_export_name(app.escalation.summary, app.clock().date().isoformat(), kind)
        with Vertical():
            yield Label("Export the brief as Markdown to:")
            yield Input(str(Path.cwd() / name), id="export-path")
            yield Static("", id="export-message")
            yield Label("enter export · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        message = self.query_one("#export-message", Static)
        if not event.value.strip():
            message.update("Type a file name.")
            return
        if path.is_dir():
            message.update(f"{path} is a folder; add a file name.")
            return
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            message.update(f"{path.name} already exists. Press enter again to replace it.")
            return
        try:
            write_text_atomic(path, self.text if self.text.endswith("\n") else self.text + "\n")
        except OSError as error:
            message.update(f"Could not write {path}: {error.strerror or error}")
            return
        self.app.notify(f"Exported to {path}", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
