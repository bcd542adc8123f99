"""The one screen of a case: the step bar, the status line, the five step panes, the footer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Static

from tui.screens.base import StepPane
from tui.screens.steps import STEPS
from tui.widgets.case import CaseEditor, case_of
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.screens.patterns import PatternWatch

NARROW = 100  # columns below which the side panels give their room to the form
STATUS_EVERY = 5.0  # seconds between redraws of "saved N s ago"
PREBUILD_AFTER = 1.0  # seconds after the first screen before the other steps are built
PREBUILD_GAP = 0.1  # seconds between building two of them
WATCH_PATTERNS_AFTER = 0.5  # seconds after the screen is up before similar escalations are looked for
_PANES = {
    "intake": "tui.screens.intake:IntakePane",
    "context": "tui.screens.context:ContextPane",
    "impact": "tui.screens.impact:ImpactPane",
    "repro": "tui.screens.repro:ReproPane",
    "brief": "tui.screens.brief:BriefPane",
}


def make_pane(step: str, first_frame: bool = False) -> StepPane:
    """A step's pane; each step's module is imported when its pane is first built."""
    module, name = _PANES[step].split(":")
    pane: StepPane = getattr(import_module(module), name)(first_frame)
    return pane


class StepBar(Static):
    """Where you are among the five steps; each step is its key and a click."""

    DEFAULT_CSS = "StepBar { height: 1; background: $panel; padding: 0 1; }"

    def show(self, current: str) -> None:
        parts = []
        for step in STEPS:
            style = "reverse bold" if step.mode == current else ""
            parts.append(Content.from_markup(f"[{style} @click=app.go('{step.mode}')] $label [/] ",
                                             label=f"{step.key.upper()} {step.title}"))
        self.update(Content("").join(parts))


class CaseScreen(Screen[None]):
    # Tab moves the focus here, as the app reads the key, so that keys typed right after it reach
    # the next field even when the field being left has not caught up with the keys before.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "move_focus(1)", "Next field", id="form.next_field", priority=True, show=False),
        Binding("shift+tab", "move_focus(-1)", "Previous field", id="form.previous_field", priority=True,
                show=False),
        Binding("ctrl+l", "link_pattern", "Link similar escalations as a pattern", id="case.link_pattern",
                show=False),
        Binding("alt+r", "mark_recurring", "Mark as back after a supposed fix", id="case.mark_recurring",
                show=False),
        Binding("ctrl+f", "app.search_context", "Search sources", id="case.search_context", show=False),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    DEFAULT_CSS = "CaseScreen > ContentSwitcher { height: 1fr; }"

    def __init__(self, first_step: str = STEPS[0].mode) -> None:
        super().__init__()
        self.step = first_step
        # The breakpoint class the first resize would set, set now: set then, it restyles every widget.
        narrow = self.app.size.width < NARROW
        self.set_class(narrow, "-narrow", update=False)
        self.set_class(not narrow, "-wide", update=False)
        self._patterns: PatternWatch | None = None

    @property
    def case(self) -> CaseEditor:
        return case_of(self)

    def compose(self) -> ComposeResult:
        yield StepBar(id="step-bar")
        yield StatusLine(id="status")
        # The first pane is mounted by `show_step` once the screen is up: mounted here, every widget in
        # it would be styled twice (again when the screen is first shown).
        yield ContentSwitcher()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StepBar).show(self.step)
        self.refresh_status()
        self.watch(self.app, "revision", self._revision_changed, init=False)
        self.watch(self.app, "generation", self._draft_replaced, init=False)
        self.set_interval(STATUS_EVERY, self.refresh_status)
        self.set_timer(WATCH_PATTERNS_AFTER, self._watch_patterns)

    @property
    def patterns(self) -> PatternWatch:
        """Similar escalations, the pattern trigger and recurrences: started off the way to the first
        screen (the drafts database they need opens after it anyway)."""
        if self._patterns is None:
            from tui.screens.patterns import PatternWatch

            self._patterns = PatternWatch(self)
            self._patterns.case_changed()
        return self._patterns

    def _watch_patterns(self) -> None:
        self.patterns.case_changed()

    # --- the steps ---------------------------------------------------------------------------

    @property
    def pane(self) -> StepPane:
        return self.query_one(f"#{self.step}", StepPane)

    def panes(self) -> list[StepPane]:
        return list(self.query_one(ContentSwitcher).query_children(StepPane))

    def has_pane(self, step: str) -> bool:
        return any(step == pane.STEP for pane in self.panes())

    async def build_pane(self, step: str) -> None:
        """Mount a step's pane (hidden) if it is not there yet."""
        if not self.has_pane(step):
            pane = make_pane(step, first_frame=not self.panes())
            pane.display = False
            await self.query_one(ContentSwitcher).mount(pane)

    def build_panes_soon(self, delay: float = PREBUILD_AFTER) -> None:
        """Build the other steps' panes in the background, one at a time, once the agent has had a
        moment with the first: then the first visit to a step costs what any visit does."""
        self.set_timer(delay, lambda: self.run_worker(self._build_panes(), group="panes", exclusive=True,
                                                      name="preparing the other steps", exit_on_error=False))

    async def _build_panes(self) -> None:
        for step in STEPS:
            await self.build_pane(step.mode)
            await asyncio.sleep(PREBUILD_GAP)  # room for keys and repaints between two panes

    async def show_step(self, step: str, focus: Widget | None = None) -> None:
        """Show a step and put the cursor where it was on that step (its first field the first
        time), or on `focus`. The caller awaits this before the next key is read."""
        await self.build_pane(step)
        if step != self.step:
            leaving = self.pane
            if self.focused is not None and leaving in self.focused.ancestors:
                leaving.last_focused = self.focused
            self.step = step
            self.query_one(StepBar).show(step)
        self.query_one(ContentSwitcher).current = step
        pane = self.pane
        pane.refresh_panels()  # edits made on other steps, and the clock, may have moved them
        self.refresh_status()
        target = focus or self._resume_point(pane)
        if target is not None:
            self.set_focus(target)
            target.scroll_visible(animate=False)

    def _resume_point(self, pane: StepPane) -> Widget | None:
        last = pane.last_focused
        if last is not None and last.is_attached and pane in last.ancestors:
            return last
        return pane.first_field()

    async def focus_path(self, path: str, step: str) -> bool:
        """Open `step` and put the cursor in the editor for `path`; False if the step has none."""
        await self.build_pane(step)
        for pane in self.panes():
            if step == pane.STEP:
                await pane.complete()
                editor = pane.editor_for(path)
                await self.show_step(step, focus=editor)
                return editor is not None
        return False

    async def action_move_focus(self, direction: int) -> None:
        """Tab and shift+Tab: every field of the step is there first (the app waits for this before
        it reads the next key)."""
        await self.pane.complete()
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    # --- live parts ----------------------------------------------------------------------------

    async def _draft_replaced(self, _: int) -> None:
        """The case was replaced (a draft resumed) or merged: the editors are built again, and the
        cursor goes back to the field it was in, when there was one."""
        step = self.step
        focused_path = getattr(self.focused, "path", None)
        if self._patterns is not None:
            self._patterns.case_replaced()
        for pane in self.panes():
            await pane.remove()
        await self.query_one(ContentSwitcher).mount(make_pane(step))
        self.query_one(ContentSwitcher).current = step
        self.refresh_status()
        target = None
        if isinstance(focused_path, str):
            await self.pane.complete()
            target = self.pane.editor_for(focused_path)
        target = target or self.pane.first_field()
        if target is not None:
            self.set_focus(target)

    def show_stored(self, paths: Iterable[str]) -> None:
        """The editors of `paths`, on every step built, show what the case now holds (another instance's
        edits merged in): updated in place, so no key typed meanwhile can miss its editor."""
        from tui.domain.form import spec_for
        from tui.widgets.fields import widget_id

        for path in paths:
            spec = spec_for(path)
            if spec is None:
                continue
            for editor in self.query(f"#{widget_id(spec.path)}"):
                show = getattr(editor, "show_stored", None)
                if show is not None:
                    show()

    def _revision_changed(self, _: int) -> None:
        self.pane.refresh_panels()
        self.refresh_status()
        if self._patterns is not None:
            self._patterns.case_changed()

    def action_link_pattern(self) -> None:
        self.patterns.link()

    def action_mark_recurring(self) -> None:
        self.patterns.mark_recurring()

    def refresh_status(self) -> None:
        case = self.case
        file_name = case.brief_path.name if case.brief_path else ""
        if file_name and case.file_has_unsaved_changes:
            file_name += " (changed: ctrl+s saves it)"
        self.query_one(StatusLine).show(case, case.saved_phrase(), file_name)
