"""What every step shares: a pane holding the step's form and its live panels.

The five steps are panes of one screen (`CaseScreen`), not five screens: showing a pane lays out and
draws only what it holds, where switching screens restyles every widget of the screen shown.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget

from tui.domain.form import fields_on
from tui.widgets.case import CaseEditor, case_of
from tui.widgets.form import Form


class StepPane(Horizontal):
    """Base for the step panes: subclasses name their step and yield their panels."""

    STEP: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    DEFAULT_CSS = """
    StepPane { height: 1fr; }
    StepPane > .step-form { width: 2fr; }
    StepPane > .step-panels { width: 1fr; min-width: 34; max-width: 56; padding: 0 1; }
    """

    def __init__(self, first_frame: bool = False) -> None:
        """`first_frame`: this pane is in the app's first frame (see `Form`)."""
        super().__init__(id=self.STEP)
        self.first_frame = first_frame
        self.last_focused: Widget | None = None  # where the cursor was when the agent left the step

    @property
    def case(self) -> CaseEditor:
        return case_of(self)

    def compose(self) -> ComposeResult:
        yield from self.compose_main()
        with VerticalScroll(classes="step-panels", can_focus=False):
            yield from self.compose_panels()

    def compose_main(self) -> ComposeResult:
        yield Form(fields_on(self.STEP), self.case.escalation, classes="step-form", first=self.first_frame)

    async def complete(self) -> None:
        """Wait until every field of the step is built (those below the first screen come just after it)."""
        for form in self.query(Form):
            await form.complete()

    def compose_panels(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.refresh_panels()

    def first_field(self) -> Widget | None:
        forms = self.query(Form)
        return forms.first().first_editor() if forms else None

    def editor_for(self, path: str) -> Widget | None:
        """The widget that takes the cursor for `path` on this step, if this step has it."""
        for form in self.query(Form):
            editor = form.editor_for(path)
            if editor is not None:
                return editor
        return None

    def refresh_panels(self) -> None:
        """Redraw the live panels from the current Escalation."""
