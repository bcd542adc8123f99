"""What every step screen shares: the step bar, a scrolling form, live panels and the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.screens.steps import STEPS
from tui.widgets.field_view import FieldView

if TYPE_CHECKING:
    from tui.app import EscalateApp


class StepBar(Static):
    """Where you are among the five steps, and the key for each."""

    DEFAULT_CSS = "StepBar { height: 1; background: $panel; padding: 0 1; }"

    def __init__(self, current: str) -> None:
        text = Text()
        for step in STEPS:
            label = f" {step.key.upper()} {step.title} "
            text.append(label, style="reverse bold" if step.mode == current else "")
            text.append(" ")
        super().__init__(text)
        self.current = current


class StepScreen(Screen[None]):
    """Base for the step screens: subclasses yield their form and panels."""

    STEP: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    AUTO_FOCUS = ""  # no auto focus (it scrolls): on_mount focuses the first field, keeping the top in view
    FIRST_FIELD = "FieldView, Input, Select, Checkbox, TextArea, OptionList"

    DEFAULT_CSS = """
    StepScreen .step-body { height: 1fr; }
    StepScreen .step-form { width: 3fr; padding: 0 1; }
    StepScreen .step-panels { width: 2fr; padding: 0 1; }
    """

    _shown_before = False

    @property
    def editor(self) -> EscalateApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StepBar(self.STEP)
        with Horizontal(classes="step-body"):
            with VerticalScroll(classes="step-form", can_focus=False):
                yield from self.compose_form()
            with VerticalScroll(classes="step-panels", can_focus=False):
                yield from self.compose_panels()
        yield Footer()

    def compose_form(self) -> ComposeResult:
        yield from ()

    def compose_panels(self) -> ComposeResult:
        yield from ()

    async def on_mount(self) -> None:
        fields = self.query(self.FIRST_FIELD)
        if fields:
            first = fields.first()
            if isinstance(first, FieldView):
                await first.open_editor()  # before the first frame, so the cursor is there at once
            else:
                self.set_focus(first, scroll_visible=False)
        self.refresh_panels()  # panels built filled in skip this; the others fill in now
        self.watch(self.app, "revision", self._revision_changed, init=False)
        self.watch(self.app, "generation", self._draft_replaced, init=False)

    async def _draft_replaced(self, _: int) -> None:
        await self.recompose()
        self.refresh_panels()

    def _revision_changed(self, _: int) -> None:
        if self.is_current:
            self.refresh_panels()

    def on_screen_resume(self, event: ScreenResume) -> None:
        if not self._shown_before:
            # Just mounted: the panels were drawn in on_mount, and Textual's restyle of every widget
            # on showing a screen would repeat what mounting did a moment ago (~30 ms of start-up).
            # This handler runs before Screen's own: the subclass comes first in dispatch order.
            self._shown_before = True
            event.refresh_styles = False
            return
        self.refresh_panels()  # edits made on other steps, and the clock, may have moved them

    def refresh_panels(self) -> None:
        """Redraw the live panels from the current Escalation; cheap (rules run in microseconds)."""
