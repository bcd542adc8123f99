"""Inputs bound to one field of the app's Escalation by its dotted path.

The model is the only copy of the value: each widget shows the stored value when mounted and
hands every change straight to `EditorApp.edit`, which validates it, stores it and bumps the
revision the panels watch. A value the model refuses leaves the text as typed, marks the
widget invalid and shows why below it, so nothing typed is ever thrown away.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tui.domain.field_paths import FieldError, format_value, get_field, parse_text

if TYPE_CHECKING:
    from tui.domain.models import Escalation


class EditorApp(Protocol):
    escalation: Escalation

    def edit(self, path: str, value: Any) -> None: ...


def widget_id(path: str) -> str:
    """The DOM id of the input bound to `path` (ids cannot contain dots)."""
    return "f-" + path.replace(".", "-").replace("_", "-")


class FieldRow(Vertical):
    """A label, the bound input and a line for its error, as one focusable-looking unit."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Horizontal { height: auto; }
    FieldRow .field-label { color: $text-muted; width: 26; padding-right: 1; }
    FieldRow Input, FieldRow Select { background: $boost; width: 1fr; }
    FieldRow > .field-error { color: $error; height: auto; display: none; padding-left: 26; }
    FieldRow.-invalid > .field-error { display: block; }
    """

    def __init__(self, label: str, field: Input | TextArea | Select[Any] | Checkbox, hint: str = "") -> None:
        super().__init__(classes="field-row")
        self._label = label
        self._field = field
        self._hint = hint

    def compose(self) -> ComposeResult:
        if isinstance(self._field, Checkbox | TextArea):  # a checkbox carries its own label; text needs width
            if isinstance(self._field, TextArea):
                yield Label(self._label, classes="field-label")
            yield self._field
        else:
            with Horizontal():
                yield Label(self._label, classes="field-label")
                yield self._field
        yield Static("", classes="field-error")

    def show_error(self, message: str | None) -> None:
        self.set_class(message is not None, "-invalid")
        self.query_one(".field-error", Static).update(message or "")


def _apply(widget: Input | TextArea | Select[Any] | Checkbox, path: str, value: Any) -> None:
    app: EditorApp = widget.app  # type: ignore[assignment]
    row = next((node for node in widget.ancestors if isinstance(node, FieldRow)), None)
    try:
        app.edit(path, value)
    except FieldError as error:
        if row:
            row.show_error(str(error))
        return
    if row:
        row.show_error(None)


class BoundInput(Input):
    """One-line text, numbers, dates and times."""

    def __init__(self, path: str, *, placeholder: str = "") -> None:
        super().__init__(placeholder=placeholder, id=widget_id(path), select_on_focus=False, compact=True)
        self.path = path

    def on_mount(self) -> None:
        app: EditorApp = self.app  # type: ignore[assignment]
        with self.prevent(Input.Changed):
            self.value = format_value(get_field(app.escalation, self.path))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            value = parse_text(self.path, event.value)
        except FieldError as error:
            row = next((node for node in self.ancestors if isinstance(node, FieldRow)), None)
            if row is not None:
                row.show_error(str(error))
            return
        _apply(self, self.path, value)


class BoundTextArea(TextArea):
    """Multi-line text such as the issue description."""

    DEFAULT_CSS = "BoundTextArea { height: 6; }"

    def __init__(self, path: str) -> None:
        super().__init__(id=widget_id(path), soft_wrap=True, tab_behavior="focus")
        self.path = path

    def on_mount(self) -> None:
        app: EditorApp = self.app  # type: ignore[assignment]
        self.load_text(str(get_field(app.escalation, self.path)))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        _apply(self, self.path, self.text)


class BoundSelect(Select[str]):
    """A choice among an enum's values, shown by their labels."""

    def __init__(self, path: str, enum: type[Enum]) -> None:
        options = [(getattr(member, "label", str(member.value)), str(member.value)) for member in enum]
        super().__init__(options, allow_blank=False, id=widget_id(path), value=options[0][1], compact=True)
        self.path = path
        self.enum = enum

    def on_mount(self) -> None:
        app: EditorApp = self.app  # type: ignore[assignment]
        with self.prevent(Select.Changed):
            self.value = str(get_field(app.escalation, self.path).value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            _apply(self, self.path, self.enum(event.value))


class BoundCheckbox(Checkbox):
    """A yes/no fact such as "production is down"."""

    def __init__(self, path: str, label: str) -> None:
        super().__init__(label, id=widget_id(path), compact=True)
        self.path = path
        self.BUTTON_INNER = " "

    def on_mount(self) -> None:
        app: EditorApp = self.app  # type: ignore[assignment]
        with self.prevent(Checkbox.Changed):
            self.value = bool(get_field(app.escalation, self.path))

    def watch_value(self) -> None:
        # The mark itself says yes or no, so the state reads without colour (NO_COLOR, screen readers).
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        _apply(self, self.path, event.value)


def text_field(label: str, path: str, placeholder: str = "") -> FieldRow:
    return FieldRow(label, BoundInput(path, placeholder=placeholder))


def long_text_field(label: str, path: str) -> FieldRow:
    return FieldRow(label, BoundTextArea(path))


def choice_field(label: str, path: str, enum: type[Enum]) -> FieldRow:
    return FieldRow(label, BoundSelect(path, enum))


def flag_field(label: str, path: str) -> FieldRow:
    return FieldRow(label, BoundCheckbox(path, label))
