"""A step's form, composed from the one table of fields (`tui.domain.form`): a label column and an
editor column, section by section, every editor a real Textual widget.

The first step's form builds its first section (where the cursor starts) before the app's first
frame and the rest a moment after it, so keys typed at launch show as early as they can. Anything that
needs a field further down first waits for it (`complete`): a Tab, a jump from the palette or a
step key never finds a field missing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label

from tui.domain.form import FieldSpec, spec_for
from tui.domain.models import Escalation
from tui.widgets.fields import Bound, field_widgets, widget_id

LABEL_WIDTH = 28
COMPLETE_AFTER = 0.05  # seconds after the first section is mounted before the rest of the form is built


class Form(VerticalScroll, can_focus=False):
    DEFAULT_CSS = f"""
    Form {{
        layout: grid; grid-size: 2; grid-columns: {LABEL_WIDTH} 1fr; grid-rows: auto; height: 1fr;
        padding: 0 1 1 1;
    }}
    Form > .section {{ column-span: 2; text-style: bold; color: $accent; padding-top: 1; }}
    Form > ListField, Form > BoundCheckbox {{ column-span: 2; }}
    """

    def __init__(self, specs: Iterable[FieldSpec], esc: Escalation, *, classes: str = "", first: bool = False) -> None:
        """`first`: build only the first section (where the cursor starts) before the first frame, the
        rest right after it; otherwise build every field at once."""
        super().__init__(classes=classes)
        self.specs = tuple(specs)
        self._escalation = esc  # read while composing only; the editors then talk to the app
        self._first_only = first
        self._rest = 0  # how many fields, at the end, are built after the first frame
        self._completing: asyncio.Task[None] | None = None

    def compose(self) -> ComposeResult:
        for position in range(len(self.specs)):
            if self._first_only and position and self._starts_section(position):
                self._rest = len(self.specs) - position
                return
            yield from self._field(position)

    def _starts_section(self, position: int) -> bool:
        return position == 0 or self.specs[position].section != self.specs[position - 1].section

    def _field(self, position: int) -> ComposeResult:
        spec = self.specs[position]
        if self._starts_section(position):
            yield Label(spec.section, classes="section", markup=False)
        yield from field_widgets(spec, self._escalation)

    def on_mount(self) -> None:
        if self._rest:  # a moment after the first frame, so that keys typed at launch show first
            self.set_timer(COMPLETE_AFTER, self.complete)

    async def complete(self) -> None:
        """Build the fields below the first screen, once (every caller waits for the same build)."""
        if self._completing is None:
            self._completing = asyncio.create_task(self._build_rest())
        await asyncio.shield(self._completing)

    async def _build_rest(self) -> None:
        first = len(self.specs) - self._rest
        self._rest = 0
        widgets = [widget for position in range(first, len(self.specs)) for widget in self._field(position)]
        if widgets:
            await self.mount_all(widgets)

    def first_editor(self) -> Widget | None:
        return next((widget for widget in self.query("*") if widget.focusable), None)

    def editor_for(self, path: str) -> Widget | None:
        """The widget that takes the cursor for `path`: its editor, or a list's row editor (moved to
        the row the path names)."""
        spec = spec_for(path)
        if spec is None or spec not in self.specs:
            return None
        matches = self.query(f"#{widget_id(spec.path)}")
        if not matches:
            return None
        widget = matches.first()
        from tui.widgets.list_field import ListField  # imported with the first list built

        if isinstance(widget, ListField):
            rest = path.removeprefix(spec.path).strip(".").split(".")
            if rest[0].isdigit():
                widget.edit_row(int(rest[0]))
            cells = widget.cells()
            column = rest[-1] if rest and not rest[-1].isdigit() else ""
            return next((cell for cell in cells if cell.column == column), cells[0])
        return widget

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        label = event.widget.field_label if isinstance(event.widget, Bound) else None
        if label is not None:
            label.add_class("-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        label = event.widget.field_label if isinstance(event.widget, Bound) else None
        if label is not None:
            label.remove_class("-focused")
