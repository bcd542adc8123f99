"""A field drawn as text until it is first focused; then its real editor takes its place.

A real field is three Textual widgets (line, label, input) and costs ~6 ms to build and style;
a form of them made the first frame of the intake step twice as slow as a bare Textual app. A
view is one light widget that paints the label and the stored value the way the editor will.
Focus (Tab, a click, the palette, a jump from the checklist) builds the editor in the view's
place, where it stays for the life of the screen; the tab order is unchanged, and what is typed
before the editor is there goes into it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual._context import active_app
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from tui.domain.field_paths import format_value, get_field

if TYPE_CHECKING:
    from tui.widgets.bound import EditorApp

LABEL_WIDTH = 26  # as FieldLine's label column
Kind = Literal["text", "long", "choice", "flag", "list"]
LIST_HINT = "ctrl+n add row · ctrl+r remove · alt+↑/↓ move"
Columns = tuple[tuple[str, "str | type[Enum]"], ...]


def widget_id(path: str) -> str:
    """The DOM id of the editor bound to `path` (ids cannot contain dots)."""
    return "f-" + path.replace(".", "-").replace("_", "-")


def stored_value(path: str) -> Any:
    """The current value of `path` in the running app's Escalation (widgets are built in compose)."""
    app: EditorApp = active_app.get()  # type: ignore[assignment]
    return get_field(app.escalation, path)


def view_id(path: str) -> str:
    """The DOM id of the view standing in for that editor until it is first focused."""
    return "view-" + widget_id(path)


COMPONENT_CLASSES = (
    "field-view--label", "field-view--value", "field-view--placeholder", "field-view--toggle",
    "field-view--toggle-on", "field-view--hint", "field-view--choice", "field-view--arrow", "field-view--flag",
)


def component_rules(owner: str) -> str:
    """How a view's parts are coloured, for `owner` (a FieldView, or a FormSheet drawing views)."""
    return f"""
    {owner} > .field-view--label {{ color: $text-muted; }}
    {owner} > .field-view--value {{ background: $boost; }}
    {owner} > .field-view--placeholder {{ background: $boost; color: $text-disabled; }}
    {owner} > .field-view--toggle {{ color: $panel-darken-2; background: $panel; }}
    {owner} > .field-view--toggle-on {{ color: $text-success; background: $panel; }}
    {owner} > .field-view--hint {{ color: $text-muted; text-style: italic; }}
    {owner} > .field-view--choice {{ background: $surface; color: $foreground; }}
    {owner} > .field-view--arrow {{ background: $surface; color: $foreground 50%; }}
    {owner} > .field-view--flag {{ background: $surface; color: $foreground; }}
    """


StyleOf = Callable[[str], Style]
HELD = "-editor-held"


class FieldView(Widget, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENT_CLASSES)
    DEFAULT_CSS = "FieldView { height: auto; }" + component_rules("FieldView") + """
    FieldView.-list { margin-top: 1; }
    FieldView.-long { layout: horizontal; }
    FieldView.-long > .long-label { width: 26; padding-right: 1; color: $text-muted; }
    FieldView.-long > .long-box {
        width: 1fr; height: 6; padding: 0 1; border: tall $border-blurred; background: $surface;
        color: $foreground; overflow-x: hidden; overflow-y: auto;
    }
    """

    def __init__(self, kind: Kind, title: str, path: str, build: Callable[[], Widget], *,
                 placeholder: str = "", columns: Columns = ()) -> None:
        """`build` makes the editor: a FieldLine (its `editor` gets the cursor) or a ListEditor
        (its first cell does); `columns` are a list's, as ListEditor takes them."""
        super().__init__(id=view_id(path), classes=f"-{kind}")
        self.kind = kind
        self.title = title  # the field's name in the command palette
        self.path = path
        self.placeholder = placeholder
        self.columns = columns
        self._build = build
        self._line: Widget | None = None
        self._built = False
        self._typed: list[str] = []
        self._editor_held = False

    # --- drawing -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.kind == "long":  # framed like the text area it stands for, and far cheaper
            yield Label(self.title, classes="long-label")
            yield Static(str(self._stored()), classes="long-box")

    def _label_lines(self) -> list[str]:
        if self.kind == "flag":  # the checkbox sits in the value column, its own text beside it
            return [""]
        return textwrap.wrap(self.title, LABEL_WIDTH - 1, break_on_hyphens=False) or [""]

    def line_count(self) -> int:
        """How many lines `draw` paints (not for the long kind, which its children draw)."""
        if self.kind == "list":
            return max(len(self._stored()), 1) + 2  # label, rows (an empty list shows one), keys
        return len(self._label_lines())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Known without rendering: every line is cut to the width, never wrapped.
        if self.kind == "long":
            return super().get_content_height(container, viewport, width)
        return self.line_count()

    def render(self) -> Text:
        if self.kind == "long":
            return Text()  # drawn by its two children
        return self.draw(self.content_region.width, self.get_component_rich_style)

    def draw(self, width: int, style: StyleOf) -> Text:
        """The view's lines at `width`, coloured by `style` (component class → style)."""
        if self.kind == "list":
            text = self._list_text(width, style)
        else:
            value_width = max(1, width - LABEL_WIDTH)
            if self.kind == "flag":
                value = self._flag_text(value_width, style)
            elif self.kind == "choice":
                value = self._choice_text(value_width, style)
            else:
                value = self._text(value_width, style)
            label_style = style("field-view--label")
            lines = []
            for number, label_line in enumerate(self._label_lines()):
                line = Text(label_line, style=label_style)
                line.truncate(LABEL_WIDTH, pad=True)
                if number == 0:
                    line.append_text(value)
                lines.append(line)
            text = Text("\n").join(lines)
        text.no_wrap = True
        text.overflow = "crop"
        return text

    def _stored(self) -> Any:
        return stored_value(self.path)

    def _text(self, width: int, style: StyleOf) -> Text:
        shown = format_value(self._stored())
        if shown:
            text = Text(shown, style=style("field-view--value"), no_wrap=True)
        else:
            text = Text(self.placeholder, style=style("field-view--placeholder"))
        text.truncate(width, overflow="crop", pad=True)
        return text

    def _choice_text(self, width: int, style: StyleOf) -> Text:
        stored = self._stored()
        label = getattr(stored, "label", str(stored.value if isinstance(stored, Enum) else stored))
        text = Text(label, style=style("field-view--choice"), no_wrap=True)
        text.truncate(max(1, width - 2), overflow="ellipsis", pad=True)
        text.append("▼", style=style("field-view--arrow"))
        text.append(" ", style=style("field-view--choice"))
        return text

    def _flag_text(self, width: int, style: StyleOf) -> Text:
        on = bool(self._stored())
        button = style("field-view--toggle-on" if on else "field-view--toggle")
        flag = style("field-view--flag")
        side = Style(color=button.bgcolor, bgcolor=flag.bgcolor)  # half blocks round the button off
        text = Text(style=flag)
        text.append("▐", style=side)
        text.append("X" if on else " ", style=button)
        text.append("▌", style=side)
        text.append(f" {self.title} ")
        text.truncate(width, overflow="ellipsis", pad=True)
        return text

    def _list_text(self, width: int, style: StyleOf) -> Text:
        """As ListEditor lays it out: the label, numbered rows of cells, the keys."""
        muted = style("field-view--label")
        lines = [Text(self.title, style=muted)]
        items = list(self._stored()) or [None]
        cells_width = max(1, width - 4)
        flexible = [name for name, hint in self.columns if not isinstance(hint, type)] or ["-"]
        enum_width = 24 * (len(self.columns) - len(flexible)) if self.columns else 0
        flex_width = max(1, (cells_width - enum_width) // len(flexible))
        for number, item in enumerate(items, start=1):
            line = Text(f"{number}.".rjust(3) + " ", style=muted)
            for name, hint in self.columns or (("", ""),):
                if isinstance(hint, type):
                    current = getattr(item, name, None) if item is not None else None
                    shown = getattr(current or next(iter(hint)), "label", "")
                    cell = Text(shown, style=style("field-view--value"))
                    cell.truncate(23, overflow="ellipsis", pad=True)
                    cell.append(" ")
                else:
                    value = (getattr(item, name, "") if name else item) if item is not None else ""
                    if value:
                        cell = Text(str(value), style=style("field-view--value"))
                    else:
                        cell = Text(hint, style=style("field-view--placeholder"))
                    cell.truncate(flex_width - 1, overflow="crop", pad=True)
                    cell.append(" ")
                line.append_text(cell)
            lines.append(line)
        lines.append(Text(LIST_HINT, style=style("field-view--hint")))
        return Text("\n").join(lines)

    # --- becoming the editor -----------------------------------------------------------------

    def hold_editor(self) -> None:
        """Build the editor only on `open_editor`, even when focused before (keys typed meanwhile
        are kept): for a screen's first field, whose editor would hold back the screen's first
        frame. The class marks it for the screen, which focuses it and opens its editor once that
        frame is drawn (StepScreen.complete_form_soon)."""
        self._editor_held = True
        self.add_class(HELD)

    def on_focus(self) -> None:
        if self._editor_held:
            return
        if self._line is None:
            # Built in a worker, not here: a handler that waits for the mount would hold back
            # the keys queued behind it, and a Tab pressed at once would reach the new editor.
            self.run_worker(self._build_editor(), group="field-view", exit_on_error=False)
        else:
            self._enter()

    async def open_editor(self) -> None:
        """Build the editor held back by `hold_editor`; it takes the focus if the view still has it."""
        self._editor_held = False
        self.remove_class(HELD)
        await self._build_editor()

    async def _build_editor(self) -> None:
        if self._line is not None:
            return
        line = self._build()
        line.display = False  # out of the tab order until it takes the view's place
        self._line = line
        assert self.parent is not None
        await self.parent.mount(line, before=self)
        self._built = True
        self._hand_over_typing()
        # The editor takes the view's place even when the agent has moved on: the view would go on
        # showing the value from before what was just typed into the editor.
        self._enter(focus=self.screen.focused is self)

    def _editor(self) -> Widget:
        assert self._line is not None
        return getattr(self._line, "editor", None) or self._line.query("Input, Select").first()

    def _enter(self, focus: bool = True) -> None:
        if not self._built or self._line is None or not self.display:
            return
        self._line.display = True
        if focus:
            self.screen.set_focus(self._editor(), scroll_visible=False)  # it stands where the view stood
        self.display = False  # only now: hiding the focused widget would send the focus elsewhere

    def on_key(self, event: events.Key) -> None:
        # Typing that arrives before the editor exists is kept and given to it when it does.
        if event.is_printable and event.character:
            event.stop()
            self._typed.append(event.character)
            if self._built:
                self._hand_over_typing()

    def keep_typing(self, typed: Iterable[str]) -> None:
        """Take keys typed before this field had the focus or an editor: in a screen's first
        moments, or into a form sheet standing in for it."""
        self._typed.extend(typed)

    def _hand_over_typing(self) -> None:
        typed, editor = "".join(self._typed), self._editor()
        self._typed.clear()
        if not typed:
            return
        if isinstance(editor, Input):
            editor.insert_text_at_cursor(typed)
        elif isinstance(editor, Checkbox):
            for _ in range(typed.count(" ")):  # space is what toggles a checkbox
                editor.toggle()
        elif hasattr(editor, "insert"):  # the text area (imported only with it)
            editor.insert(typed)
