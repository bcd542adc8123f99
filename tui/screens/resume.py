"""At start: offer to pick up a recent draft, listed by summary and customer."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.store.drafts import DraftSummary


def describe(draft: DraftSummary, now: datetime) -> Text:
    text = Text()
    text.append(draft.summary or "(no summary yet)", style="bold")
    if draft.customer:
        text.append(f" — {draft.customer}")
    if draft.severity:
        text.append(f"  [{draft.severity.upper()}]")
    minutes = int((now - draft.updated).total_seconds() // 60)
    when = f"{minutes} min ago" if minutes < 120 else draft.updated.astimezone().strftime("%Y-%m-%d %H:%M")
    text.append(f"\n  saved {when}", style="dim")
    return text


class ResumeScreen(ModalScreen[int | None]):
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; }
    ResumeScreen > Vertical { width: 90; height: auto; max-height: 80%; border: thick $accent;
                              background: $surface; padding: 1 2; }
    ResumeScreen OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape,n", "new_draft", "Start a new draft", id="resume.new")]

    def __init__(self, drafts: list[DraftSummary], now: datetime) -> None:
        super().__init__()
        self.drafts = drafts
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Pick up where you left off?  enter resumes · esc starts a new draft")
            yield OptionList(*(Option(describe(d, self.now), id=str(d.id)) for d in self.drafts), id="resume-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0) or None)

    def action_new_draft(self) -> None:
        self.dismiss(None)
