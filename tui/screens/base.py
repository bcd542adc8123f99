"""What every step screen shares: the step bar, a scrolling form, live panels and the footer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import QueryType
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.screens.steps import STEPS
from tui.widgets.field_view import HELD, FieldView
from tui.widgets.form_sheet import FormSheet, fold_views

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
    # No auto focus: a field focused before the first frame is drawn blank in it (Textual repaints
    # it a frame later). The first field's view is focused once the screen is drawn; see on_key.
    AUTO_FOCUS = ""
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

    @cached_property
    def form_completed(self) -> asyncio.Event:
        """Set once the first field has its editor and the sheets are unfolded (tests wait on it)."""
        return asyncio.Event()

    def compose(self) -> ComposeResult:
        yield StepBar(self.STEP)
        with Horizontal(classes="step-body"):
            with VerticalScroll(classes="step-form", can_focus=False):
                yield from fold_views(self.compose_form())
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
            if not isinstance(first, FieldView):
                self.set_focus(first, scroll_visible=False)
        self.refresh_panels()  # panels built filled in skip this; the others fill in now
        self.watch(self.app, "revision", self._revision_changed, init=False)
        self.watch(self.app, "generation", self._draft_replaced, init=False)
        if self.editor.first_frame_drawn:  # else the app does this for its first screen once drawn
            self.call_after_refresh(self.complete_form_soon)

    def on_key(self, event: events.Key) -> None:
        # Typing before the first field has the focus (the first moments of a screen) is its.
        if self.focused is None and event.is_printable and event.character:
            held = self.query(f"FieldView.{HELD}")
            if held:
                event.stop()
                held.first().keep_typing(event.character)

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        self._start_from_held_field()
        return self._into_sheet(super().focus_next(selector), first=True)

    def focus_previous(self, selector: str | type[QueryType] = "*") -> Widget | None:
        self._start_from_held_field()
        return self._into_sheet(super().focus_previous(selector), first=False)

    def _into_sheet(self, widget: Widget | None, *, first: bool) -> Widget | None:
        # A Tab that reaches a sheet still folded unfolds it there and then, and stops at its first
        # (or, going back, last) field; what is typed next goes to that field, in order.
        if not isinstance(widget, FormSheet):
            return widget
        view = widget.views[0 if first else -1]
        widget.unfold_now()
        self.set_focus(view, scroll_visible=False)
        return view

    def _start_from_held_field(self) -> None:
        # Tab before the first field has the focus moves on from that field, as it will after.
        if self.focused is None and (held := self.query(f"FieldView.{HELD}")):
            self.set_focus(held.first(), scroll_visible=False)

    def complete_form_soon(self, then: Callable[[], object] | None = None) -> None:
        """Once the screen is drawn: open the first field's editor, draw it (with anything typed
        meanwhile), call `then`, and unfold the form's sheets.

        The editor and the views wait for the first frame, which the held view and the sheets paint
        exactly as they will look: building them before it made that frame ~70 ms later.
        """
        self.run_worker(self._open_first_field(then), group="form-sheet", exit_on_error=False)

    async def _open_first_field(self, then: Callable[[], object] | None) -> None:
        try:
            for held in self.query(f"FieldView.{HELD}"):
                if self.focused is None:
                    self.set_focus(held, scroll_visible=False)
                await held.open_editor()
        finally:
            self.call_after_refresh(self._unfold_sheets_soon, then)

    def _unfold_sheets_soon(self, then: Callable[[], object] | None) -> None:
        if then is not None:
            then()
        self.run_worker(self._unfold_sheets(), group="form-sheet", exit_on_error=False)

    async def _unfold_sheets(self) -> None:
        for sheet in self.query(FormSheet):
            await sheet.unfold()
        self.form_completed.set()

    async def _draft_replaced(self, _: int) -> None:
        await self.recompose()
        self.refresh_panels()
        self.call_after_refresh(self.complete_form_soon)

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
