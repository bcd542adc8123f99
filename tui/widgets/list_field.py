"""A list in the case (what was tried, repro steps, context items): a table of its rows and one
editor for the row being edited.

The table draws only the rows on screen, so a list of a thousand items costs what a list of ten
does; the row editor is a line of real inputs bound to "path.N.column". Keys in the editor (they run
in the editor itself, in order with the typing): ↑/↓ edit the row above or below, enter the next
row (a new one after the last), ctrl+n inserts a row below, ctrl+r removes the row, alt+↑/↓ moves
it. A row with nothing typed in it is dropped when the editor leaves it: the list in the case
holds the rows as shown, blank ones aside.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label

from tui.domain.field_paths import blank_item, format_value, get_field, is_blank_item
from tui.domain.form import FieldSpec
from tui.render.escape import collapse
from tui.widgets.case import case_of
from tui.widgets.fields import Bound, BoundInput, BoundSelect, widget_id

HINT = "↑/↓ row · enter next · ctrl+n insert · ctrl+r remove · alt+↑/↓ move"
ENUM_COLUMN_WIDTH = 18

ROW_KEYS: list[BindingType] = [
    Binding("ctrl+n", "list_op('insert')", "Insert row", id="list.add_row"),
    Binding("ctrl+r", "list_op('remove')", "Remove row", id="list.remove_row"),
    Binding("alt+up", "list_op('move_up')", "Move row up", id="list.move_up", show=False),
    Binding("alt+down", "list_op('move_down')", "Move row down", id="list.move_down", show=False),
]


class RowTable(DataTable[Text], can_focus=False):
    """The rows of a list; clicking one opens it in the row editor."""

    DEFAULT_CSS = "RowTable { height: auto; max-height: 9; }"


class Cell(Bound):
    """A cell of the row editor: what it types goes into the row being edited."""

    list_field: ListField
    column: str  # "" for a list of text lines

    def store(self, value: Any) -> None:
        if self._loading or not self.list_field.ensure_row(self.column, value):
            return
        super().store(value)
        self.list_field.show_cell(self.column, value)

    def action_list_op(self, operation: str) -> None:
        self.list_field.operate(operation, self)


class CellInput(Cell, BoundInput):
    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_KEYS,
        Binding("up", "list_op('previous')", "Row above", show=False),
        Binding("down", "list_op('next')", "Row below", show=False),
        Binding("enter", "list_op('next_or_new')", "Next row", show=False),
    ]

    def on_paste(self, event: events.Paste) -> None:
        # Several pasted lines into a list of lines become rows, one each, from this row on.
        lines = [line for line in event.text.splitlines() if line.strip()]
        if self.column or len(lines) < 2:
            super().on_paste(event)
            return
        event.prevent_default()
        event.stop()
        self.list_field.paste_rows(self, lines)


class CellSelect(Cell, BoundSelect):
    BINDINGS: ClassVar[list[BindingType]] = list(ROW_KEYS)


class ListField(Vertical):
    DEFAULT_CSS = f"""
    ListField {{ height: auto; padding-top: 1; }}
    ListField > .list-title {{ color: $text-muted; }}
    ListField.-focused > .list-title {{ color: $text; text-style: bold; }}
    ListField > RowTable.-empty {{ display: none; }}
    ListField > .row-editor {{ height: auto; }}
    ListField > .row-editor > .row-number {{ width: 6; color: $text-muted; text-align: right; padding-right: 1; }}
    ListField > .row-editor > Input {{ width: 1fr; margin-right: 1; }}
    ListField > .row-editor > Select {{ width: {ENUM_COLUMN_WIDTH}; margin-right: 1; }}
    """

    def __init__(self, spec: FieldSpec, items: list[Any]) -> None:
        super().__init__(id=widget_id(spec.path))
        self.spec = spec
        self.path = spec.path
        self.index = 0
        blank = blank_item(spec.path)
        self._choice_columns = {c.name for c in spec.columns if isinstance(getattr(blank, c.name), Enum)}
        self._first_items = items  # only to build the table and the editor; the case holds the list

    # --- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = Text()
        if self.spec.label != self.spec.section:  # a list alone in its section is named by it
            title.append(self.spec.label)
            title.append("  ")
        title.append(HINT, style="italic dim")
        yield Label(title, classes="list-title")
        table = RowTable(cursor_type="row", show_row_labels=True, zebra_stripes=True,
                         show_header=bool(self.spec.columns))
        yield table
        with Horizontal(classes="row-editor"):
            yield Label("1.", classes="row-number")
            yield from self._cells(self._first_items[0] if self._first_items else None)

    def _cells(self, item: Any) -> list[Cell]:
        cells: list[Cell] = []
        if not self.spec.columns:
            cell: Cell = CellInput(self._cell_path(""), format_value(item or ""), placeholder=self.spec.hint,
                                   id=f"{self.id}-cell")
            cell.column = ""
            cells.append(cell)
        for column in self.spec.columns:
            current = getattr(item if item is not None else blank_item(self.path), column.name)
            path = self._cell_path(column.name)
            if column.name in self._choice_columns:
                cell = CellSelect(path, current, id=f"{self.id}-{column.name}")
            else:
                cell = CellInput(path, current, placeholder=column.hint, id=f"{self.id}-{column.name}")
            cell.column = column.name
            cells.append(cell)
        for cell in cells:
            cell.list_field = self
        return cells

    def on_mount(self) -> None:
        tables = self.query(RowTable)
        if not tables:
            return  # already taken down: the app quit while this step was being built
        table = tables.first()
        names = [column.name for column in self.spec.columns] or [""]
        for name in names:
            table.add_column(name, key=name or "text")
        self._fill_table(self._first_items)
        self._first_items = []
        self._size_columns()

    def on_resize(self, event: events.Resize) -> None:
        self._size_columns()

    # --- the case's list --------------------------------------------------------------------

    def items(self) -> list[Any]:
        items: list[Any] = get_field(case_of(self).escalation, self.path)
        return items

    def _cell_path(self, column: str) -> str:
        return f"{self.path}.{self.index}.{column}" if column else f"{self.path}.{self.index}"

    def cells(self) -> list[Cell]:
        editor = self.query_one(".row-editor")
        return [child for child in editor.children if isinstance(child, Cell)]

    def ensure_row(self, column: str | None = None, value: Any = None) -> bool:
        """Make sure the row being edited is in the case; False when it is a new row (the editor past
        the last one) and `value` for `column` is what a new row holds anyway: nothing to store. A
        new row is added to the case the moment something is typed into it."""
        items = self.items()
        if self.index < len(items):
            return True
        blank = blank_item(self.path)
        if column is not None and value == (getattr(blank, column) if column else blank):
            return False
        self.index = len(items)
        case_of(self).insert_item(self.path, self.index, blank)
        self._fill_table(self.items())
        return True

    def show_cell(self, column: str, value: Any) -> None:
        """Draw a stored value in its table cell: one cell, whatever the length of the list."""
        table = self.query_one(RowTable)
        if self.index < table.row_count:
            table.update_cell(str(self.index), column or "text", _cell_text(value))

    # --- moving the editor ---------------------------------------------------------------------

    def edit_row(self, index: int, focus: Cell | None = None) -> None:
        """Show row `index` (clamped; one past the last is a new row) in the editor."""
        if index != self.index and self._drop_if_blank(self.index) and index > self.index:
            index -= 1  # the row left was dropped: the rows below it moved up one
        items = self.items()
        self.index = max(0, min(index, len(items)))
        item = items[self.index] if self.index < len(items) else blank_item(self.path)
        for cell in self.cells():
            path = self._cell_path(cell.column)
            value = getattr(item, cell.column) if cell.column else item
            if isinstance(cell, CellSelect):
                cell.load(path, value)
            elif isinstance(cell, CellInput):
                cell.load(path, format_value(value))
        self.query_one(".row-number", Label).update(f"{self.index + 1}." if self.index < len(items) else "new")
        if len(items) != self._table_rows():
            self._fill_table(items)
        else:
            self._point_table()
        if focus is not None:
            focus.focus()

    def _table_rows(self) -> int:
        return self.query_one(RowTable).row_count

    def _drop_if_blank(self, index: int) -> bool:
        items = self.items()
        if 0 <= index < len(items) and is_blank_item(items[index]):
            case_of(self).remove_item(self.path, index)
            return True
        return False

    def operate(self, operation: str, cell: Cell) -> None:
        items = self.items()
        case = case_of(self)
        if operation == "previous":
            if self.index > 0:
                self.edit_row(self.index - 1)
        elif operation == "next":
            if self.index < len(items) - 1:
                self.edit_row(self.index + 1)
        elif operation == "next_or_new":
            self.edit_row(self.index + 1, focus=self.cells()[0])
        elif operation == "insert":
            self.ensure_row()
            case.insert_item(self.path, self.index + 1, blank_item(self.path))
            self._fill_table(self.items())
            self.edit_row(self.index + 1, focus=self.cells()[0])
        elif operation == "remove":
            if self.index < len(items):
                case.remove_item(self.path, self.index)
            self._fill_table(self.items())
            self.edit_row(min(self.index, max(0, len(self.items()) - 1)), focus=cell)
        elif operation in ("move_up", "move_down") and self.index < len(items):
            self.index = case.move_item(self.path, self.index, -1 if operation == "move_up" else 1)
            self._fill_table(self.items())
            self.edit_row(self.index, focus=cell)

    def paste_rows(self, cell: CellInput, lines: list[str]) -> None:
        """Pasted lines: the first into this row, each further one into a new row below it."""
        case = case_of(self)
        first, *rest = lines
        cell.replace(first, *sorted(cell.selection))
        for offset, line in enumerate(rest, start=1):
            case.insert_item(self.path, self.index + offset, line)
        self._fill_table(self.items())
        self.edit_row(self.index + len(rest), focus=cell)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self.remove_class("-focused")
            self._drop_if_blank(self.index)
            if len(self.items()) != self._table_rows():
                self._fill_table(self.items())
                self.edit_row(min(self.index, len(self.items())))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit_row(event.cursor_row, focus=self.cells()[0])

    # --- the table ------------------------------------------------------------------------------

    def show_stored(self) -> None:
        """Show the rows the case now holds (changed elsewhere); the row editor moves to a row that is there."""
        items = self.items()
        self._fill_table(items)
        self.edit_row(min(self.index, len(items)))

    def _fill_table(self, items: list[Any]) -> None:
        """Redraw every row: after rows were added, removed or moved, never on a keystroke."""
        table = self.query_one(RowTable)
        table.clear()
        names = [column.name for column in self.spec.columns]
        rows = ([_cell_text(getattr(item, name)) for name in names] if names else [_cell_text(item)]
                for item in items)
        for number, row in enumerate(rows):
            table.add_row(*row, key=str(number), label=Text(str(number + 1)))
        table.set_class(len(items) < 2, "-empty")  # one row is shown by the row editor alone
        self._point_table()

    def _point_table(self) -> None:
        table = self.query_one(RowTable)
        if 0 <= self.index < table.row_count:
            table.move_cursor(row=self.index, animate=False, scroll=True)

    def _size_columns(self) -> None:
        table = self.query_one(RowTable)
        width = self.content_region.width - 6 - 2 * len(table.columns)  # row numbers, cell padding
        choices = len(self._choice_columns)
        share = max(8, (width - ENUM_COLUMN_WIDTH * choices) // max(1, len(table.columns) - choices))
        for key, column in table.columns.items():
            column.auto_width = False
            column.width = ENUM_COLUMN_WIDTH if key.value in self._choice_columns else share
        table.refresh(layout=True)


def _cell_text(value: Any) -> Text:
    """A stored value as a table cell: never markup, never a control character."""
    shown = getattr(value, "label", None) or format_value(value)
    return Text(collapse(str(shown)), no_wrap=True, overflow="ellipsis")
