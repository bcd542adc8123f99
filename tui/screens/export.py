"""Export the brief as a Markdown file: a path prompt with a sensible default name."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.text_safety import visible
from tui.domain.triage import VerdictKind
from tui.render.export_name import default_export_name
from tui.store.atomic import write_text_atomic
from tui.store.os_errors import why
from tui.widgets.case import case_of
from tui.widgets.safe_paste import SafeInput

__all__ = ["ExportScreen", "default_export_name"]  # the app names its brief files with it too


class ExportScreen(ModalScreen[Path | None]):
    """Asks where to write `text`; `name` is the file name offered (by default the brief's), `what`
    names the text in the prompt."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 80; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ExportScreen #export-message { color: $warning; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, text: str, name: str | None = None, what: str = "the brief") -> None:
        super().__init__()
        self.text = text
        self.name_offered = name
        self.what = what
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        name = self.name_offered or self._brief_name()
        with Vertical():
            yield Label(f"Export {self.what} as Markdown to:", markup=False)
            yield SafeInput(str(Path.cwd() / name), id="export-path")
            yield Static("", id="export-message")
            yield Label("enter export · esc cancel", classes="hint")

    def _brief_name(self) -> str:
        app = case_of(self)
        kind = "escalation" if app.assessment.verdict.kind is VerdictKind.ESCALATE else "support-note"
        return default_export_name(app.escalation.summary, app.clock().date().isoformat(), kind)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        written = path
        try:
            refusal = self._refusal(path) if event.value.strip() else "Type a file name."
            if refusal is None:
                written = write_text_atomic(path, self.text if self.text.endswith("\n") else self.text + "\n")
        except OSError as error:
            refusal = f"Could not write {path}: {why(error, path)}"
        if refusal is not None:
            # Plain text, never markup: a path may hold brackets such as "[/]".
            self.query_one("#export-message", Static).update(Text(visible(refusal)))
            return
        through = "" if written == path else f" (through the link {path})"
        self.app.notify(f"Exported to {written}{through}")
        self.dismiss(written)

    def _refusal(self, path: Path) -> str | None:
        """Why not to write to `path` yet (a folder; a file to confirm replacing), or None."""
        if path.is_dir():
            return f"{path} is a folder; add a file name."
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            if path.is_symlink():
                return (f"{path.name} is a link to {path.resolve()}, which exists. Press enter again to replace "
                        "that file.")
            return f"{path.name} already exists. Press enter again to replace it."
        return None

    def action_cancel(self) -> None:
        self.dismiss(None)
