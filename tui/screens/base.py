"""What every step screen shares: the step bar, the status line, the form, live panels, the footer."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.domain.form import fields_on
from tui.screens.steps import STEPS
from tui.widgets.case import CaseEditor, case_of
from tui.widgets.form import Form
from tui.widgets.status_line import StatusLine

NARROW = 100  # columns below which the panels give their room to the form (the status line stays)
STATUS_EVERY = 5.0  # seconds between redraws of "saved N s ago"


class StepBar(Static):
    """Where you are among the five steps; each step is its key and a click."""

    DEFAULT_CSS = "StepBar { height: 1; background: $panel; padding: 0 1; }"

    def __init__(self, current: str) -> None:
        parts = []
        for step in STEPS:
            style = "reverse bold" if step.mode == current else ""
            parts.append(Content.from_markup(f"[{style} @click=app.go('{step.mode}')] $label [/] ",
                                             label=f"{step.key.upper()} {step.title}"))
        super().__init__(Content("").join(parts))
        self.current = current


class StepScreen(Screen[None]):
    """Base for the step screens: subclasses name their step and yield their panels."""

    STEP: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    AUTO_FOCUS = "Form Input, Form TextArea, Form Select, Form Checkbox"
    # Tab moves the focus here, as the app reads the key, so that keys typed right after it reach
    # the next field even when the field being left has not caught up with the keys before.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next field", id="form.next_field", priority=True, show=False),
        Binding("shift+tab", "app.focus_previous", "Previous field", id="form.previous_field", priority=True,
                show=False),
    ]

    DEFAULT_CSS = """
    StepScreen .step-body { height: 1fr; }
    StepScreen .step-form { width: 2fr; }
    StepScreen .step-panels { width: 1fr; min-width: 34; max-width: 56; padding: 0 1; }
    StepScreen.-narrow .step-panels { display: none; }
    """

    @property
    def case(self) -> CaseEditor:
        return case_of(self)

    def compose(self) -> ComposeResult:
        yield StepBar(self.STEP)
        yield StatusLine(id="status")
        with Horizontal(classes="step-body"):
            yield from self.compose_main()
            with VerticalScroll(classes="step-panels", can_focus=False):
                yield from self.compose_panels()
        yield Footer()

    def compose_main(self) -> ComposeResult:
        yield Form(fields_on(self.STEP), self.case.escalation, classes="step-form")

    def compose_panels(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.refresh_panels()
        self.refresh_status()
        self.watch(self.app, "revision", self._revision_changed, init=False)
        self.watch(self.app, "generation", self._draft_replaced, init=False)
        self.set_interval(STATUS_EVERY, self.refresh_status)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        for form in self.query(Form):
            form.set_class(narrow, "-narrow")

    def first_field(self) -> Widget | None:
        forms = self.query(Form)
        return forms.first().first_editor() if forms else None

    def focus_path(self, path: str) -> bool:
        """Put the cursor in the editor for `path`, scrolled into view; False if this step has none."""
        for form in self.query(Form):
            editor = form.editor_for(path)
            if editor is not None:
                self.set_focus(editor)
                editor.scroll_visible(animate=False)
                return True
        return False

    async def _draft_replaced(self, _: int) -> None:
        await self.recompose()
        self.refresh_panels()
        self.refresh_status()
        if self.is_current:
            first = self.first_field()
            if first is not None:
                self.set_focus(first)

    def _revision_changed(self, _: int) -> None:
        if self.is_current:
            self.refresh_panels()
            self.refresh_status()

    def on_screen_resume(self) -> None:
        self.refresh_panels()  # edits made on other steps, and the clock, may have moved them
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.is_mounted:
            case = self.case
            self.query_one(StatusLine).show(case, case.saved_phrase(), case.brief_path.name if case.brief_path else "")

    def refresh_panels(self) -> None:
        """Redraw the live panels from the current Escalation."""
