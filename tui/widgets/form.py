"""A step's form, composed from the one table of fields (`tui.domain.form`): a label column and an
editor column, section by section, every editor a real Textual widget.

The sections that fit on the screen are built with the form; the rest right after its first frame.
Anything that needs a field further down first waits for them (`complete`), so a Tab, a jump from
the palette or a click never finds a field missing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from itertools import accumulate, groupby

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label

from tui.domain.field_paths import get_field
from tui.domain.form import FieldKind, FieldSpec, spec_for
from tui.domain.models import Escalation
from tui.widgets.fields import Bound, field_widgets, widget_id
from tui.widgets.list_field import ListField

LABEL_WIDTH = 28


def _rows(spec: FieldSpec, esc: Escalation) -> int:
    """About how many screen rows a field takes."""
    if spec.kind is FieldKind.LONG_TEXT:
        return 8
    if spec.kind is FieldKind.LIST:
        return 3 + min(len(get_field(esc, spec.path)), 9)
    return 2 if len(spec.label) > LABEL_WIDTH else 1


class Form(VerticalScroll, can_focus=False):
    DEFAULT_CSS = f"""
    Form {{
        layout: grid; grid-size: 2; grid-columns: {LABEL_WIDTH} 1fr; grid-rows: auto; height: 1fr;
        padding: 0 1 1 1;
    }}
    Form > .section {{ column-span: 2; text-style: bold; color: $accent; padding-top: 1; }}
    Form > ListField, Form > BoundCheckbox {{ column-span: 2; }}
    """

    def __init__(self, specs: Iterable[FieldSpec], esc: Escalation, *, classes: str = "", rows: int = 0) -> None:
        """`rows`: how many screen rows to fill before the first frame (0: build every section at once)."""
        super().__init__(classes=classes)
        self.specs = tuple(specs)
        self._escalation = esc  # read while composing only; the editors then talk to the app
        sections = [tuple(fields) for _, fields in groupby(self.specs, key=lambda spec: spec.section)]
        first = len(sections)
        if rows:
            heights = accumulate(sum(_rows(spec, esc) for spec in fields) + 2 for fields in sections)
            first = next((i + 1 for i, height in enumerate(heights) if height >= rows), len(sections))
        self._first, self._rest = sections[:first], sections[first:]
        self._completing: asyncio.Task[None] | None = None

    def compose(self) -> ComposeResult:
        for fields in self._first:
            yield from self._section(fields)

    def _section(self, fields: tuple[FieldSpec, ...]) -> ComposeResult:
        yield Label(fields[0].section, classes="section", markup=False)
        for spec in fields:
            yield from field_widgets(spec, self._escalation)

    def on_mount(self) -> None:
        if self._rest:
            self.call_after_refresh(self.complete)

    async def complete(self) -> None:
        """Build the sections below the first screen, once (every caller waits for the same build)."""
        if self._completing is None:
            self._completing = asyncio.create_task(self._build_rest())
        await asyncio.shield(self._completing)

    async def _build_rest(self) -> None:
        rest, self._rest = self._rest, []
        widgets = [widget for fields in rest for widget in self._section(fields)]
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
