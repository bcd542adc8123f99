"""Inputs bound to one field of the app's Escalation by its dotted path, each with its label.

The model is the only copy of the value: each widget is built showing the stored value and
hands every change straight to `EditorApp.edit`, which validates it, stores it and bumps the
revision the panels watch. A value the model refuses leaves the text as typed and turns the
label into the reason, so nothing typed is ever thrown away. The `*_field` factories return a
FieldView that builds the label and input (a FieldLine) when the field is first focused.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select

from tui.domain.field_paths import FieldError, format_value, parse_text
from tui.widgets.field_view import FieldView, stored_value, widget_id

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from tui.domain.models import Escalation


class EditorApp(Protocol):
    escalation: Escalation

    def edit(self, path: str, value: Any) -> None: ...


class FieldLabel(Label):
    """The label beside an input; it also says what is wrong with the value, when something is."""

    DEFAULT_CSS = """
    FieldLabel { color: $text-muted; padding-right: 1; }
    FieldLabel.-invalid { color: $error; }
    """

    def __init__(self, text: str, path: str, title: str = "") -> None:
        super().__init__(text, id=f"label-{widget_id(path)}")
        self.text = text
        self.path = path
        self.title = title or text  # the field's name in the command palette

    def show_error(self, message: str | None) -> None:
        if message is None and not self.has_class("-invalid"):
            return  # the common case on every keystroke: nothing to redraw
        self.set_class(message is not None, "-invalid")
        self.update(self.text if message is None else f"{self.text}\n⚠ {message}")


def _label_of(widget: Input | TextArea | Select[Any] | Checkbox) -> FieldLabel | None:
    """The label beside `widget`: its sibling in the FieldLine (no DOM search on the keystroke path)."""
    parent = widget.parent
    return next((child for child in parent.children if isinstance(child, FieldLabel)), None) if parent else None


def apply_edit(widget: Input | TextArea | Select[Any] | Checkbox, path: str, value: Any) -> None:
    app: EditorApp = widget.app  # type: ignore[assignment]
    label = _label_of(widget)
    try:
        app.edit(path, value)
    except FieldError as error:
        if label:
            label.show_error(str(error))
        return
    if label:
        label.show_error(None)


class BoundInput(Input):
    """One-line text, numbers, dates and times."""

    def __init__(self, path: str, *, placeholder: str = "") -> None:
        super().__init__(format_value(stored_value(path)), placeholder=placeholder, id=widget_id(path),
                         select_on_focus=False, compact=True)
        self.path = path

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            value = parse_text(self.path, event.value)
        except FieldError as error:
            label = _label_of(self)
            if label is not None:
                label.show_error(str(error))
            return
        apply_edit(self, self.path, value)


class BoundSelect(Select[str]):
    """A choice among an enum's values, shown by their labels."""

    def __init__(self, path: str, enum: type[Enum]) -> None:
        options = [(getattr(member, "label", str(member.value)), str(member.value)) for member in enum]
        value = str(stored_value(path).value)
        super().__init__(options, allow_blank=False, id=widget_id(path), value=value, compact=True)
        self.path = path
        self.enum = enum

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            apply_edit(self, self.path, self.enum(event.value))


class BoundCheckbox(Checkbox):
    """A yes/no fact such as "production is down"."""

    def __init__(self, path: str, label: str) -> None:
        value = bool(stored_value(path))
        super().__init__(label, value, id=widget_id(path), compact=True)
        self.path = path
        self.BUTTON_INNER = "X" if value else " "

    def watch_value(self) -> None:
        # The mark itself says yes or no, so the state reads without colour (NO_COLOR, screen readers).
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        apply_edit(self, self.path, event.value)


class FieldLine(Horizontal):
    """A label and its input on one line."""

    DEFAULT_CSS = """
    FieldLine { height: auto; }
    FieldLine > FieldLabel { width: 26; }
    FieldLine > Input, FieldLine > Select { width: 1fr; background: $boost; }
    FieldLine > TextArea { width: 1fr; }
    FieldLine > Checkbox { width: 1fr; }
    """

    def __init__(self, label: FieldLabel, field: Input | TextArea | Select[Any] | Checkbox) -> None:
        super().__init__(label, field)
        self.label = label
        self.editor = field
        self.path = label.path


def text_field(label: str, path: str, placeholder: str = "") -> FieldView:
    def build() -> FieldLine:
        return FieldLine(FieldLabel(label, path), BoundInput(path, placeholder=placeholder))

    return FieldView("text", label, path, build, placeholder=placeholder)


def long_text_field(label: str, path: str) -> FieldView:
    def build() -> FieldLine:
        from tui.widgets.bound_text_area import BoundTextArea  # Textual's TextArea takes ~7 ms to import

        return FieldLine(FieldLabel(label, path), BoundTextArea(path))

    return FieldView("long", label, path, build)


def choice_field(label: str, path: str, enum: type[Enum]) -> FieldView:
    return FieldView("choice", label, path, lambda: FieldLine(FieldLabel(label, path), BoundSelect(path, enum)))


def flag_field(label: str, path: str) -> FieldView:
    def build() -> FieldLine:
        return FieldLine(FieldLabel("", path, title=label), BoundCheckbox(path, label))

    return FieldView("flag", label, path, build)
