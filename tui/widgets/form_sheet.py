"""A run of field views painted by one widget for a screen's first frame, then swapped for them.

Textual spends ~2 ms building, styling and placing each widget, however light; the sixteen
views below the intake step's first field were a third of the time Textual spent on its first
frame. A sheet paints exactly what its views paint (the same drawing code, the same colours),
so the first frame is complete, and once it is on the terminal the screen `unfold`s each sheet
into its views. If the agent gets there first (Tab, a click), the sheet unfolds at once and
the field they were after takes the focus, with anything typed meanwhile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Iterator
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.widget import Widget

from tui.widgets.field_view import COMPONENT_CLASSES, FieldView, component_rules


class FormSheet(Widget, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENT_CLASSES)
    DEFAULT_CSS = "FormSheet { height: auto; }" + component_rules("FormSheet")

    def __init__(self, views: Iterable[FieldView]) -> None:
        super().__init__()
        self.views = tuple(views)
        self._unfolded = False
        self._typed: list[str] = []
        self._target: FieldView | None = None

    def _blocks(self) -> Iterator[tuple[FieldView, int]]:
        """Each view with the number of lines it takes, a list's top margin included."""
        for view in self.views:
            yield view, view.line_count() + (1 if view.kind == "list" else 0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(lines for _, lines in self._blocks())

    def render(self) -> Text:
        width = self.content_region.width
        parts: list[Text] = []
        for view in self.views:
            if view.kind == "list":
                parts.append(Text(" " * width))  # FieldView.-list has a one-line top margin
            parts.append(view.draw(width, self.get_component_rich_style))
        text = Text("\n").join(parts)
        text.no_wrap = True
        text.overflow = "crop"
        return text

    def unfold_now(self) -> list[Awaitable[object]]:
        """Put the views in the sheet's place at once (idempotent); returns what to await for
        their mounting and the sheet's removal to finish. The views are in the DOM, and can take
        the focus, as soon as this returns."""
        if self._unfolded or self.parent is None:
            return []
        self._unfolded = True
        self.display = False  # no frame may show the sheet and its views at once
        return [self.parent.mount_all(self.views, before=self), self.remove()]

    async def unfold(self) -> None:
        for pending in self.unfold_now():
            await pending

    def _view_at(self, y: int) -> FieldView:
        top = 0
        for view, lines in self._blocks():
            top += lines
            if y < top:
                return view
        return self.views[-1]

    def view_of(self, *paths: str) -> FieldView | None:
        """The view this sheet paints for the first of `paths` it has, if any."""
        return next((view for path in paths for view in self.views if view.path == path), None)

    def unfold_into(self, view: FieldView) -> None:
        """Unfold, and give `view` the focus (it builds its editor) and what was typed here."""
        screen = self.screen
        self.unfold_now()
        self._target = view
        view.keep_typing(self._typed)
        self._typed.clear()
        screen.set_focus(view, scroll_visible=False)

    def on_focus(self) -> None:
        # A click (mouse down) or a focus set directly. A Tab has unfolded the sheet already and
        # moved the focus on, perhaps further since: this must not pull it back.
        if not self._unfolded:
            self.unfold_into(self.views[0])

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.unfold_into(self._view_at(event.y))

    def on_key(self, event: events.Key) -> None:
        # Keys the app sent here before the focus moved on to the field it stands for.
        if event.is_printable and event.character:
            event.stop()
            if self._target is not None:
                self._target.keep_typing(event.character)
            else:
                self._typed.append(event.character)


def fold_views(widgets: Iterable[Widget]) -> Iterator[Widget]:
    """A form as first drawn: its first field is held (see FieldView.hold_editor) and, after it,
    each run of two or more one-widget views becomes a sheet. A text area's view is framed by
    children of its own and stays itself."""
    run: list[FieldView] = []
    seen_first = False
    for widget in widgets:
        if isinstance(widget, FieldView) and widget.kind != "long" and seen_first:
            run.append(widget)
            continue
        if isinstance(widget, FieldView) and not seen_first:
            widget.hold_editor()
            seen_first = True
        yield from _sheet_of(run)
        run = []
        yield widget
    yield from _sheet_of(run)


def _sheet_of(views: list[FieldView]) -> Iterator[Widget]:
    if len(views) > 1:
        yield FormSheet(views)
    else:
        yield from views
