"""A step's form, composed from the one table of fields (`tui.domain.form`): a label column and an
editor column, section by section, every editor a real Textual widget mounted with the form."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label

from tui.domain.form import FieldSpec, spec_for
from tui.domain.models import Escalation
from tui.widgets.fields import Bound, field_widgets, widget_id
from tui.widgets.list_field import ListField

LABEL_WIDTH = 28


class Form(VerticalScroll, can_focus=False):
    DEFAULT_CSS = f"""
    Form {{
        layout: grid; grid-size: 2; grid-columns: {LABEL_WIDTH} 1fr; grid-rows: auto; height: 1fr;
        padding: 0 1 1 1;
    }}
    Form > .section {{ column-span: 2; text-style: bold; color: $accent; padding-top: 1; }}
    Form > ListField, Form > BoundCheckbox {{ column-span: 2; }}
    """

    def __init__(self, specs: Iterable[FieldSpec], esc: Escalation, *, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.specs = tuple(specs)
        self._escalation = esc  # read while composing only; the editors then talk to the app

    def compose(self) -> ComposeResult:
        for section, fields in groupby(self.specs, key=lambda spec: spec.section):
            yield Label(section, classes="section", markup=False)
            for spec in fields:
                yield from field_widgets(spec, self._escalation)

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
