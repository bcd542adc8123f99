"""Editors bound to one field of the case by its dotted path, each beside its label.

The Escalation is the only copy of a value: an editor is built showing the stored value and hands
every change straight to `CaseEditor.edit`, in the editor's own task as the change happens (so an
edit can never be applied to another field or row than the one it was typed into). A value the
model refuses leaves the text as typed and turns the label into the reason: nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Select, TextArea

from tui.domain.field_paths import FieldError, field_type, format_value, get_field, parse_text
from tui.domain.form import FieldKind, FieldSpec
from tui.domain.models import Escalation
from tui.widgets.case import case_of
from tui.widgets.keys_in_order import KeysInOrder
from tui.widgets.safe_paste import SafeInput, paste_into


def widget_id(path: str) -> str:
    """The DOM id of the editor bound to `path` (ids cannot contain dots)."""
    return "f-" + path.replace(".", "-").replace("_", "-")


class FieldLabel(Label):
    """The label beside an editor: highlighted while its editor has the focus, and saying what is
    wrong with the value when something is."""

    DEFAULT_CSS = """
    FieldLabel { color: $text-muted; padding-right: 1; width: 1fr; }
    FieldLabel.-focused { color: $text; text-style: bold; }
    FieldLabel.-invalid { color: $text-error; }
    """

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, id=f"label-{widget_id(path)}", markup=False)
        self.text = text
        self.path = path
        self._error: str | None = None

    def show_error(self, message: str | None) -> None:
        if message == self._error:
            return  # the common case on every keystroke: nothing to redraw
        self._error = message
        self.set_class(message is not None, "-invalid")
        self.update(self.text if message is None else f"{self.text}\n⚠ {message}")


class Bound(KeysInOrder):
    """What every bound editor shares: its path, its label, and storing a value."""

    path: str
    field_label: FieldLabel | None = None
    # True while the editor is being built or shown another value: those are not edits.
    _loading = True

    def store(self, value: Any) -> None:
        if self._loading:
            return
        try:
            case_of(self).edit(self.path, value)
        except FieldError as error:
            self.show_error(str(error))
            return
        self.show_error(None)

    def show_error(self, message: str | None) -> None:
        if self.field_label is not None:
            self.field_label.show_error(message)

    def show_stored(self) -> None:
        """Show what the case now holds for this field (it was changed elsewhere), storing nothing."""
        self._loading = True
        try:
            self._show(get_field(case_of(self).escalation, self.path))
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError


class BoundInput(Bound, SafeInput):
    """One line of text, a number, an amount, a date or a time."""

    def __init__(self, path: str, text: str, *, placeholder: str = "", id: str | None = None) -> None:
        self.path = path
        super().__init__(text, placeholder=placeholder, id=id or widget_id(path), select_on_focus=False,
                         compact=True)
        self._loading = False

    def load(self, path: str, text: str) -> None:
        """Edit another field (a list's row editor moving to another row), showing `text`."""
        self.path = path
        self._loading = True
        try:
            self.value = text
        finally:
            self._loading = False
        self.cursor_position = len(text)
        self.show_error(None)

    def _show(self, value: Any) -> None:
        self.value = format_value(value)

    def watch_value(self, value: str) -> None:
        if self._loading:
            return
        try:
            parsed = parse_text(self.path, value)
        except FieldError as error:
            self.show_error(str(error))
            return
        self.store(parsed)



class BoundTextArea(Bound, TextArea):
    """Several lines of text, such as the issue description."""

    DEFAULT_CSS = "BoundTextArea { min-height: 6; height: auto; max-height: 12; }"

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        super().__init__(text, id=widget_id(path), soft_wrap=True, tab_behavior="focus", compact=True)
        self._loading = False

    def _show(self, value: Any) -> None:
        self.load_text(str(value))  # its Changed message stores the same text: not an edit

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.store(self.text)

    def on_paste(self, event: events.Paste) -> None:
        paste_into(self, event)


class BoundSelect(Bound, Select[str]):
    """A choice among an enum's values, shown by their labels."""

    def __init__(self, path: str, current: Enum, *, id: str | None = None) -> None:
        enum = type(current)
        options = [(getattr(member, "label", str(member.value)), str(member.value)) for member in enum]
        self.path = path
        self.enum = enum
        super().__init__(options, allow_blank=False, value=str(current.value), id=id or widget_id(path), compact=True)
        self._loading = False

    def load(self, path: str, current: Enum) -> None:
        self.path = path
        self._loading = True
        try:
            self.value = str(current.value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        self.value = str(value.value)

    def watch_value(self, value: object) -> None:
        if isinstance(value, str):
            self.store(self.enum(value))


class BoundCheckbox(Bound, Checkbox):
    """A yes/no fact; the mark says which, so it reads without colour."""

    def __init__(self, path: str, label: str, value: bool) -> None:
        self.path = path
        super().__init__(label, value, id=widget_id(path), compact=True)
        self.BUTTON_INNER = "X" if value else " "
        self._loading = False

    def _show(self, value: Any) -> None:
        self.value = bool(value)

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
        self.store(self.value)


def field_widgets(spec: FieldSpec, esc: Escalation) -> Iterator[Widget]:
    """The label and editor for one field of the form, showing what `esc` holds (a flag is one
    checkbox carrying its own label; a list is one ListField)."""
    value = get_field(esc, spec.path)
    if spec.kind is FieldKind.FLAG:
        yield BoundCheckbox(spec.path, spec.label, bool(value))
        return
    if spec.kind is FieldKind.LIST:
        from tui.widgets.list_field import ListField

        yield ListField(spec, list(value))
        return
    label = FieldLabel(spec.label, spec.path)
    editor: Bound
    if spec.kind is FieldKind.LONG_TEXT:
        editor = BoundTextArea(spec.path, str(value))
    elif spec.kind is FieldKind.CHOICE:
        kind = field_type(spec.path)
        editor = BoundSelect(spec.path, value if isinstance(value, kind) else next(iter(kind)))
    else:
        editor = BoundInput(spec.path, format_value(value), placeholder=spec.hint)
    editor.field_label = label
    yield label
    yield editor
