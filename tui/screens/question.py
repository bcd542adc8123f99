"""A question with a few answers, each on its own key: "save and quit", "keep the draft's edits"."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.render.escape import collapse


class Answer(NamedTuple):
    key: str  # a key name as Textual gives it: "s", "escape"
    label: str
    value: str


class QuestionScreen(ModalScreen[str]):
    """Dismissed with the value of the answer whose key was pressed."""

    DEFAULT_CSS = """
    QuestionScreen { align: center middle; }
    QuestionScreen > Vertical { width: 76; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    QuestionScreen .answers { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, question: str, answers: list[Answer]) -> None:
        super().__init__()
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        keys = Text()
        for answer in self.answers:
            keys.append(f"{answer.key}", style="bold")
            keys.append(f" {answer.label}   ")
        with Vertical():
            yield Static(Text(collapse(self.question)))  # it may name a file: no control character reaches the screen
            yield Static(keys, classes="answers")

    def on_key(self, event: events.Key) -> None:
        for answer in self.answers:
            if event.key == answer.key:
                event.stop()
                event.prevent_default()
                self.dismiss(answer.value)
                return
