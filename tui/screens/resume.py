"""At start: offer to pick up a recent draft — its summary, customer, brief file and age; drafts can
be put away (archived) or deleted from here."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.render.escape import collapse
from tui.store.drafts import DraftSummary

if TYPE_CHECKING:
    from tui.autosave import Autosaver


def age(then: datetime, now: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return then.astimezone().strftime("%Y-%m-%d %H:%M")


def describe(draft: DraftSummary, now: datetime) -> Text:
    text = Text()
    text.append(collapse(draft.summary) or "(no summary yet)", style="bold")
    if draft.customer:
        text.append(f" — {collapse(draft.customer)}")
    if draft.severity:
        text.append(f"  [{draft.severity.upper()}]")
    where = f"file {collapse(str(draft.file))}" if draft.file else "no brief file"
    text.append(f"\n  saved {age(draft.updated, now)} · {where}", style="dim")
    return text


class ResumeScreen(ModalScreen[DraftSummary | None]):
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; }
    ResumeScreen > Vertical { width: 100; height: auto; max-height: 80%; border: thick $accent;
                              background: $surface; padding: 1 2; }
    ResumeScreen OptionList { height: auto; max-height: 20; }
    ResumeScreen #resume-note { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "new_draft", "Start a new draft", id="resume.new"),
        Binding("a", "put_away('archive')", "Archive", id="resume.archive"),
        Binding("d", "put_away('delete')", "Delete", id="resume.delete"),
    ]

    def __init__(self, drafts: list[DraftSummary], now: datetime, autosaver: Autosaver | None = None) -> None:
        super().__init__()
        self.drafts = {str(draft.id): draft for draft in drafts}
        self.now = now
        self.autosaver = autosaver
        self._delete_asked: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Pick up where you left off?")
            yield OptionList(*(Option(describe(d, self.now), id=str(d.id)) for d in self.drafts.values()),
                             id="resume-list")
            yield Label("enter resume · a archive · d delete · esc start a new draft", id="resume-note")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.drafts.get(event.option.id or ""))

    def action_new_draft(self) -> None:
        self.dismiss(None)

    def action_put_away(self, how: str) -> None:
        """Archive (kept, no longer offered) or delete (gone) the highlighted draft; a delete is asked twice."""
        options = self.query_one(OptionList)
        if options.highlighted is None or self.autosaver is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id or ""
        note = self.query_one("#resume-note", Label)
        if how == "delete" and self._delete_asked != option_id:
            self._delete_asked = option_id
            note.update("Press d again to delete this draft for good (a archives it instead).")
            return
        draft_id = self.drafts.pop(option_id).id
        saver = self.autosaver
        work = partial(saver.delete, draft_id) if how == "delete" else partial(saver.archive, draft_id, self.now)
        self.app.run_worker(work, thread=True, group="autosave", exit_on_error=False,
                            name="deleting a draft" if how == "delete" else "archiving a draft")
        options.remove_option(option_id)
        self._delete_asked = None
        note.update(f"Draft {'deleted' if how == 'delete' else 'archived'}. "
                    "enter resume · a archive · d delete · esc start a new draft")
        if not self.drafts:
            self.dismiss(None)
