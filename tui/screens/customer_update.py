"""Draft a customer update, edit it, copy or export it, and mark it as sent (a logged event)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.domain.customer_updates import UpdateKind, draft_update
from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Escalation
from tui.domain.text_safety import shorten
from tui.render.escape import collapse
from tui.render.export_name import default_export_name
from tui.screens.question import Answer, QuestionScreen
from tui.store.escalations import Record, StoredEvent
from tui.widgets.external_editor import edit_in_editor
from tui.widgets.safe_paste import SafeTextArea

KINDS = tuple(UpdateKind)


class KindList(OptionList):
    """The three kinds of update, picked with enter or their number."""

    BINDINGS = [
        Binding("1", "pick(0)", "Interim", id="customer_update.interim", show=False),
        Binding("2", "pick(1)", "Status change", id="customer_update.status_change", show=False),
        Binding("3", "pick(2)", "Resolution", id="customer_update.resolution", show=False),
    ]

    def action_pick(self, index: int) -> None:
        self.highlighted = index
        self.action_select()


class CustomerUpdateScreen(ModalScreen[Event | None]):
    """Dismissed with a CUSTOMER_UPDATED event holding the text sent, or None when closed unsent."""

    DEFAULT_CSS = """
    CustomerUpdateScreen { align: center middle; }
    CustomerUpdateScreen > Vertical { width: 100; height: 90%; border: thick $accent; background: $surface;
                                      padding: 0 1; }
    CustomerUpdateScreen KindList { height: auto; max-height: 5; }
    CustomerUpdateScreen #update-text { height: 1fr; }
    CustomerUpdateScreen #update-message { color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="customer_update.close"),
        Binding("ctrl+s", "sent", "Mark as sent", id="customer_update.sent"),
        Binding("ctrl+y", "copy", "Copy", id="customer_update.copy", priority=True),
        Binding("ctrl+o", "export", "Export", id="customer_update.export"),
        Binding("ctrl+g", "external_editor", "$EDITOR", id="customer_update.external_editor"),
    ]

    def __init__(self, escalation: Escalation, record: Record, timeline: list[StoredEvent], now: datetime,
                 who: str) -> None:
        super().__init__()
        self.escalation = escalation
        self.record = record
        self.events = [stored.event for stored in timeline]
        self.now = now
        self.who = who
        self.kind = UpdateKind.INTERIM if record.status.is_open else UpdateKind.RESOLUTION
        self.drafted = ""  # the draft as written, to tell whether the agent has edited it

    def compose(self) -> ComposeResult:
        summary = shorten(collapse(self.record.summary or self.escalation.summary), 70)
        with Vertical():
            yield Static(Text(f"Customer update for #{self.record.id}: {summary}"), id="update-title")
            yield KindList(*(Option(f"{number}  {kind.label}", id=kind.value) for number, kind in enumerate(KINDS, 1)),
                           id="update-kind")
            yield SafeTextArea("", id="update-text", soft_wrap=True, language=None)
            yield Static("", id="update-message")
            yield Static("1/2/3 kind · ctrl+g $EDITOR · ctrl+y copy · ctrl+o export · ctrl+s mark as sent · "
                         "esc close", classes="hint", markup=False)

    def on_mount(self) -> None:
        kinds = self.query_one(KindList)
        kinds.highlighted = KINDS.index(self.kind)
        self._load(self.kind)
        kinds.focus()

    @property
    def area(self) -> TextArea:
        return self.query_one("#update-text", TextArea)

    def _load(self, kind: UpdateKind) -> None:
        self.kind = kind
        self.drafted = draft_update(kind, self.escalation, self.events, self.now)
        self.area.load_text(self.drafted)
        self._say("")

    def _say(self, message: str) -> None:
        self.query_one("#update-message", Static).update(Text(message))

    @property
    def edited(self) -> bool:
        return self.area.text != self.drafted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind = UpdateKind(str(event.option.id))
        if not self.edited or kind is self.kind:
            if kind is not self.kind:
                self._load(kind)
            self.area.focus()
            return

        def answered(answer: str | None) -> None:
            if answer == "replace":
                self._load(kind)
                self.area.focus()
            else:
                self.query_one(KindList).highlighted = KINDS.index(self.kind)

        self.app.push_screen(QuestionScreen(
            f"Replace your edited update with a new “{kind.label.split(':')[0]}” draft?",
            [Answer("r", "replace it", "replace"), Answer("escape", "keep my edits", "keep")]), answered)

    def action_sent(self) -> None:
        text = self.area.text.strip()
        if not text:
            self._say("The update is empty: write what the customer was told before marking it as sent.")
            self.area.focus()
            return
        self.dismiss(Event(kind=EventKind.CUSTOMER_UPDATED, at=self._clock(), who=self.who, text=text))

    def _clock(self) -> datetime:
        clock = getattr(self.app, "clock", None)  # the app's clock when it has one: the time of sending
        return clock() if callable(clock) else self.now

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.area.text)
        self.notify("Customer update copied (where your terminal allows it).")

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        name = default_export_name(self.escalation.summary or self.record.summary, self.now.date().isoformat(),
                                   "customer-update")
        self.app.push_screen(ExportScreen(self.area.text, name=name, what="the customer update"))

    def action_external_editor(self) -> None:
        text = edit_in_editor(self.app, self.area.text, "the update")
        if text is not None:
            self.area.load_text(text)
            self.notify("Customer update updated from your editor.")

    def action_close(self) -> None:
        if not self.edited:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.dismiss(None)

        self.app.push_screen(QuestionScreen(
            "Close without sending? Your edits to this update will be lost.",
            [Answer("d", "discard them and close", "discard"), Answer("escape", "keep editing", "keep")]), answered)
