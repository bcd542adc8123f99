"""The closing checklist: each step ticked as done, or skipped with a word on why.

A step row is one focusable line; space (or x, or enter) ticks it, s skips it and opens a line for
the word, enter there moves on. Nothing is decided for the agent: an untouched step is reported as
missing when the checklist is read.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.domain.lifecycle import ChecklistEntry, ClosingStep
from tui.widgets.safe_paste import SafeInput


class StepMark(Static, can_focus=True):
    """A step's line: its box and its label."""

    BINDINGS = [
        Binding("space,x,enter", "done", "Done", id="closing.step_done"),
        Binding("s", "skip", "Skip", id="closing.step_skip"),
    ]
    DEFAULT_CSS = "StepMark:focus { background: $accent 30%; }"

    def action_done(self) -> None:
        row = self.parent
        assert isinstance(row, StepRow)
        row.tick()

    def action_skip(self) -> None:
        row = self.parent
        assert isinstance(row, StepRow)
        row.start_skip()


class StepRow(Widget):
    """One closing step: undecided, done, or skipped (with the word typed below it)."""

    DEFAULT_CSS = """
    StepRow { height: auto; }
    StepRow > SafeInput { display: none; margin-left: 4; }
    StepRow.-skipped > SafeInput { display: block; }
    """

    class Refused(Message):
        """A skip without a word."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, step: ClosingStep) -> None:
        super().__init__(id=f"step-{step.value}")
        self.step = step
        self.done: bool | None = None  # None: not decided yet

    def compose(self) -> ComposeResult:
        yield StepMark(self._mark())
        yield SafeInput("", placeholder="why it is skipped, in a word", id=f"skip-{self.step.value}")

    @property
    def word(self) -> Input:
        return self.query_one(SafeInput)

    def _mark(self) -> Text:
        box = {None: "[ ]", True: "[x]", False: "[-]"}[self.done]
        after = {None: "", True: "  done", False: "  skipped"}[self.done]
        return Text(f"{box} {self.step.label}{after}")

    def _show(self) -> None:
        self.query_one(StepMark).update(self._mark())
        self.set_class(self.done is False, "-skipped")
        self.word.display = self.done is False  # at once: the word takes the focus in the same key's action

    def tick(self) -> None:
        self.done = None if self.done is True else True
        self._show()
        if self.done:
            self.screen.focus_next()

    def start_skip(self) -> None:
        self.done = False
        self._show()
        self.screen.set_focus(self.word)


    def entry(self) -> ChecklistEntry | None:
        """The step as decided, or None while undecided or skipped without a word."""
        if self.done is None:
            return None
        if self.done:
            return ChecklistEntry(step=self.step, done=True)
        word = self.word.value.strip()
        return ChecklistEntry(step=self.step, done=False, note=word) if word else None


def refusal(step: ClosingStep) -> str:
    return f"Say in a word why “{step.label}” is skipped."


class ClosingChecklist(Vertical):
    """Every closing step, in order."""

    DEFAULT_CSS = "ClosingChecklist { height: auto; }"

    def compose(self) -> ComposeResult:
        for step in ClosingStep:
            yield StepRow(step)

    def entries(self) -> tuple[list[ChecklistEntry], str, Widget | None]:
        """The decided entries in order; and when one is missing, what to say and where to go."""
        entries: list[ChecklistEntry] = []
        for row in self.query(StepRow):
            entry = row.entry()
            if entry is not None:
                entries.append(entry)
            elif row.done is None:
                return entries, f"Tick “{row.step.label}” (space) or skip it with a word (s).", \
                    row.query_one(StepMark)
            else:
                return entries, refusal(row.step), row.word
        return entries, "", None
