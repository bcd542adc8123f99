"""Rows of inputs for a list field — repro steps, evidence, what was tried (action → result).

Keys while a row has focus: ctrl+n adds a row below, ctrl+r removes the row, alt+up/alt+down
move it. The field always holds the non-blank rows in the order shown.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from tui.domain.field_paths import FieldError, get_field
from tui.widgets.bound import EditorApp
from tui.widgets.field_view import LIST_HINT, Columns, FieldView, widget_id


class ListRow(Horizontal):
    DEFAULT_CSS = """
    ListRow { height: auto; }
    ListRow > .row-number { width: 4; padding: 0 1 0 0; color: $text-muted; text-align: right; }
    ListRow > Input { width: 1fr; background: $boost; margin-right: 1; }
    ListRow > Select { width: 24; }
    """


class ListEditor(Vertical):
    DEFAULT_CSS = """
    ListEditor { height: auto; margin-top: 1; }
    ListEditor > .list-label { color: $text-muted; }
    ListEditor > .list-hint { color: $text-muted; text-style: italic; }
    ListEditor > .list-error { color: $error; }
    """
    BINDINGS = [
        Binding("ctrl+n", "add_row", "Add row", id="list.add_row"),
        Binding("ctrl+r", "remove_row", "Remove row", id="list.remove_row"),
        Binding("alt+up", "move(-1)", "Move up", id="list.move_up", show=False),
        Binding("alt+down", "move(1)", "Move down", id="list.move_down", show=False),
    ]

    def __init__(self, label: str, path: str, columns: Columns = ()) -> None:
        """`columns` are (field, placeholder or enum) pairs for lists of records; empty for a list of
        text. An enum column is a choice of its values."""
        super().__init__(id=widget_id(path))
        self.label = label
        self.path = path
        self.columns = columns

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="list-label")
        app: EditorApp = self.app  # type: ignore[assignment]
        items = list(get_field(app.escalation, self.path)) or [None]
        for item in items:
            yield self._row(item)
        yield Label(LIST_HINT, classes="list-hint")

    def _row(self, item: Any) -> ListRow:
        if not self.columns:
            text = "" if item is None else str(item)
            return ListRow(Label("", classes="row-number"), Input(text, select_on_focus=False, compact=True))
        cells: list[Input | Select[str]] = []
        for name, hint in self.columns:
            current = getattr(item, name, None) if item is not None else None
            if isinstance(hint, type):
                options = [(getattr(m, "label", str(m.value)), str(m.value)) for m in hint]
                value = str(current.value) if isinstance(current, Enum) else options[0][1]
                cells.append(Select(options, value=value, allow_blank=False, classes=f"col-{name}", compact=True))
            else:
                cells.append(Input("" if current is None else str(current), placeholder=hint,
                                   select_on_focus=False, classes=f"col-{name}", compact=True))
        return ListRow(Label("", classes="row-number"), *cells)

    def on_mount(self) -> None:
        self._renumber()

    def _rows(self) -> list[ListRow]:
        return list(self.query_children(ListRow))

    def _renumber(self) -> None:
        for number, row in enumerate(self._rows(), start=1):
            row.query_one(".row-number", Label).update(f"{number}.")

    def _current_row(self) -> ListRow | None:
        focused = self.screen.focused
        while focused is not None and not isinstance(focused, ListRow):
            focused = focused.parent  # type: ignore[assignment]
        return focused if focused in self._rows() else None

    def values(self) -> list[Any]:
        """The rows as the field's value: text, or records; blank rows left out."""
        result: list[Any] = []
        for row in self._rows():
            cells = list(row.query("Input, Select"))
            texts = [cell.value for cell in cells if isinstance(cell, Input)]
            if not any(text.strip() for text in texts):
                continue
            if not self.columns:
                result.append(texts[0])
                continue
            result.append({name: str(cell.value) for (name, _), cell in zip(self.columns, cells, strict=True)})
        return result

    def _store(self) -> None:
        app: EditorApp = self.app  # type: ignore[assignment]
        try:
            app.edit(self.path, self.values())
        except FieldError as error:
            self.notify(str(error), severity="error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._store()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._store()

    async def action_add_row(self) -> None:
        current = self._current_row()
        row = self._row(None)
        if current is None:
            await self.mount(row, before=self.query_one(".list-hint"))
        else:
            await self.mount(row, after=current)
        self._renumber()
        row.query("Input, Select").first().focus()

    async def action_remove_row(self) -> None:
        current = self._current_row()
        if current is None:
            return
        rows = self._rows()
        index = rows.index(current)
        if len(rows) == 1:
            for cell in current.query(Input):
                cell.value = ""
        else:
            await current.remove()
            remaining = self._rows()
            remaining[min(index, len(remaining) - 1)].query("Input, Select").first().focus()
        self._renumber()
        self._store()

    def action_move(self, offset: int) -> None:
        current = self._current_row()
        if current is None:
            return
        rows = self._rows()
        index = rows.index(current)
        target = index + offset
        if not 0 <= target < len(rows):
            return
        focused = self.screen.focused
        if offset < 0:
            self.move_child(current, before=rows[target])
        else:
            self.move_child(current, after=rows[target])
        self._renumber()
        self._store()
        if focused is not None:
            focused.focus()


def list_field(label: str, path: str, columns: Columns = ()) -> FieldView:
    """A list shown as text until it is first focused (see FieldView), then a ListEditor."""
    return FieldView("list", label, path, lambda: ListEditor(label, path, columns), columns=columns)
