"""The multi-line input bound to a field (the issue description), imported only when first used."""

from __future__ import annotations

from textual.widgets import TextArea

from tui.widgets.bound import apply_edit
from tui.widgets.field_view import stored_value, widget_id


class BoundTextArea(TextArea):
    """Multi-line text such as the issue description."""

    DEFAULT_CSS = "BoundTextArea { height: 6; }"

    def __init__(self, path: str) -> None:
        super().__init__(str(stored_value(path)), id=widget_id(path), soft_wrap=True, tab_behavior="focus")
        self.path = path

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        apply_edit(self, self.path, self.text)
