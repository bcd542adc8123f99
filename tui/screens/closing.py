"""De-escalate or resolve an escalation, deliberately: why, then the closing checklist.

De-escalating asks for one of the seed's reasons and an optional note; resolving asks what fixed it
(the root cause). Both walk the checklist (tell the team, update the ticket, tell the customer,
record what was learned), each step ticked or skipped with a word. Resolving also drafts the
knowledge-base article, ready to copy or export.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from tui.domain.lifecycle import ChecklistEntry, DeEscalationReason, Event, EventKind
from tui.domain.models import Escalation
from tui.domain.text_safety import shorten
from tui.render.escape import collapse
from tui.render.export_name import default_export_name
from tui.render.kb_article import kb_article
from tui.screens.question import Answer, QuestionScreen
from tui.store.escalations import Record, StoredEvent
from tui.widgets.closing_checklist import ClosingChecklist, StepMark, StepRow
from tui.widgets.keys_in_order import ChoiceKeysInOrder
from tui.widgets.safe_paste import SafeInput

REASONS = tuple(DeEscalationReason)


class ReasonChoice(ChoiceKeysInOrder, RadioSet):
    """The reasons to de-escalate; arrows and space act in the order typed."""


class ClosingScreen(ModalScreen[Event | None]):
    """Dismissed with the DE_ESCALATED or RESOLVED event (checklist included), or None."""

    DEFAULT_CSS = """
    ClosingScreen { align: center middle; }
    ClosingScreen > VerticalScroll { width: 100; height: auto; max-height: 90%; border: thick $accent;
                                     background: $surface; padding: 0 1; }
    ClosingScreen .part { margin-top: 1; text-style: bold; }
    ClosingScreen RadioSet { width: 100%; }
    ClosingScreen #kb-article { height: 16; }
    ClosingScreen #closing-error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="closing.cancel"),
        Binding("ctrl+s", "confirm", "Confirm", id="closing.confirm"),
        Binding("ctrl+y", "copy_article", "Copy article", id="closing.copy_article", priority=True),
        Binding("ctrl+o", "export_article", "Export article", id="closing.export_article"),
        # Keys that move the focus run before the next key is read (priority), so a key typed right
        # after them lands where the focus went; anywhere else they pass on to the focused field.
        Binding("tab", "app.focus_next", "Next field", id="closing.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", id="closing.focus_previous", show=False,
                priority=True),
        Binding("enter", "advance", "Next", id="closing.next", show=False, priority=True),
        Binding("space,x", "tick", "Tick the step", id="closing.tick", show=False, priority=True),
        Binding("s", "skip", "Skip the step", id="closing.skip", show=False, priority=True),
    ]

    def __init__(self, resolve: bool, escalation: Escalation, record: Record, timeline: list[StoredEvent],
                 now: datetime, who: str) -> None:
        super().__init__()
        self.resolve = resolve
        self.escalation = escalation
        self.record = record
        self.events = [stored.event for stored in timeline]
        self.now = now
        self.who = who

    def compose(self) -> ComposeResult:
        summary = shorten(collapse(self.record.summary or self.escalation.summary), 70)
        verb = "Resolve" if self.resolve else "De-escalate"
        with VerticalScroll() as scroll:
            scroll.can_focus = False  # the fields scroll into view as they get focus; tab goes to them
            yield Static(Text(f"{verb} #{self.record.id}: {summary}"), id="closing-title")
            if self.resolve:
                yield Label("What fixed it, and what caused it (required)", classes="part")
                yield SafeInput("", id="resolution")
            else:
                yield Label("Why it goes back to support (required)", classes="part")
                yield ReasonChoice(*(RadioButton(reason.label) for reason in REASONS), id="reason")
                yield Label("Note (optional)", classes="part")
                yield SafeInput("", id="note")
            yield Label("Closing checklist: space ticks a step, s skips it with a word", classes="part")
            yield ClosingChecklist(id="checklist")
            if self.resolve:
                yield Label("Knowledge-base article draft (ctrl+y copy · ctrl+o export)", classes="part")
                yield TextArea(self._article(), id="kb-article", read_only=True, soft_wrap=True, language=None)
            yield Static("", id="closing-error")
            hint = "ctrl+s confirm · esc cancel" + (" · ctrl+y copy article · ctrl+o export it" if self.resolve else "")
            yield Static(hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#resolution" if self.resolve else "#reason").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy_article", "export_article"):
            return self.resolve
        return True

    # --- what is being made ---------------------------------------------------------------

    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _reason(self) -> DeEscalationReason | None:
        index = self.query_one("#reason", RadioSet).pressed_index
        return REASONS[index] if index >= 0 else None

    def _event(self, checklist: tuple[ChecklistEntry, ...] = ()) -> Event:
        at = self._clock()
        if self.resolve:
            return Event(kind=EventKind.RESOLVED, at=at, who=self.who, text=self._text("#resolution"),
                         checklist=checklist)
        return Event(kind=EventKind.DE_ESCALATED, at=at, who=self.who, de_escalation=self._reason(),
                     reason=self._text("#note"), checklist=checklist)

    def _clock(self) -> datetime:
        clock = getattr(self.app, "clock", None)  # the app's clock when it has one: the time of closing
        return clock() if callable(clock) else self.now

    def _article(self) -> str:
        text = self._text("#resolution") if self.is_mounted else ""
        event = Event(kind=EventKind.RESOLVED, at=self.now, who=self.who, text=text)
        return kb_article(self.escalation, [*self.events, event])

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "resolution":
            self.query_one("#kb-article", TextArea).load_text(self._article())

    def _step_row(self) -> StepRow | None:
        """The checklist step whose mark has the focus."""
        focused = self.focused
        return focused.parent if isinstance(focused, StepMark) and isinstance(focused.parent, StepRow) else None

    def action_advance(self) -> None:
        focused = self.focused
        row = self._step_row()
        if row is not None:
            row.tick()
        elif isinstance(focused, Input) and focused.id in ("resolution", "note"):
            self.focus_next()
        elif isinstance(focused, Input) and isinstance(focused.parent, StepRow):
            # The word's last letters may still be on their way to it: a missing word is caught on confirming.
            self._focus_after(focused.parent)
        else:
            raise SkipAction()

    def _focus_after(self, row: StepRow) -> None:
        """The next step's mark, named rather than found by focus order: the word just shown may not be
        in the focus chain yet."""
        rows = list(self.query(StepRow))
        later = rows[rows.index(row) + 1:]
        if later:
            self.set_focus(later[0].query_one(StepMark))
        else:
            self.focus_next()

    def action_tick(self) -> None:
        row = self._step_row()
        if row is None:
            raise SkipAction()
        row.tick()

    def action_skip(self) -> None:
        row = self._step_row()
        if row is None:
            raise SkipAction()
        row.start_skip()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._say("")

    def on_step_row_refused(self, event: StepRow.Refused) -> None:
        self._say(event.text)

    def _say(self, message: str) -> None:
        self.query_one("#closing-error", Static).update(Text(message))

    def _refuse(self, message: str, where: Widget | None) -> None:
        self._say(message)
        if where is not None:
            where.focus()
            where.scroll_visible()

    # --- actions --------------------------------------------------------------------------

    def action_confirm(self) -> None:
        if self.resolve and not self._text("#resolution"):
            self._refuse("Say what fixed it, or what caused it: the timeline and the article keep it.",
                         self.query_one("#resolution"))
            return
        if not self.resolve and self._reason() is None:
            self._refuse("Pick why it goes back to support (arrows, then space).", self.query_one("#reason"))
            return
        entries, missing, where = self.query_one(ClosingChecklist).entries()
        if missing:
            self._refuse(missing, where)
            return
        self.dismiss(self._event(tuple(entries)))

    def action_copy_article(self) -> None:
        self.app.copy_to_clipboard(self._article())
        self.notify("Article draft copied as Markdown (where your terminal allows it).")

    def action_export_article(self) -> None:
        from tui.screens.export import ExportScreen

        name = default_export_name(self.escalation.summary or self.record.summary, self.now.date().isoformat(),
                                   "kb-article")
        self.app.push_screen(ExportScreen(self._article(), name=name, what="the article draft"))

    def _started(self) -> bool:
        texts = [self._text("#resolution")] if self.resolve else [self._text("#note")]
        reason = [] if self.resolve else [self._reason()]
        rows = [row.done for row in self.query(StepRow)]
        return any(texts) or any(value is not None for value in [*reason, *rows])

    def action_cancel(self) -> None:
        if not self._started():
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.dismiss(None)

        verb = "resolving" if self.resolve else "de-escalating"
        self.app.push_screen(QuestionScreen(
            f"Stop {verb}? What you entered here will be lost.",
            [Answer("d", "discard it and close", "discard"), Answer("escape", "keep going", "keep")]), answered)
