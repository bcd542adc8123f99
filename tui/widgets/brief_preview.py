"""The brief as formatted Markdown, re-rendering only the sections that changed.

Rich renders a 200-line brief in ~28 ms, over a frame. A brief is a handful of sections and an
edit touches one, so each section is rendered once per (text, width) and its lines are kept;
a redraw then costs one section plus copying the cached lines.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markdown import Markdown
from rich.segment import Segment
from textual.widgets import Static

_SECTION_START = re.compile(r"(?m)^(?=### )")


class CachedMarkdown:
    """One section's Markdown, rendered once per width."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._width = -1
        self._lines: list[list[Segment]] = []

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width != self._width:
            self._lines = console.render_lines(Markdown(self.text), options, pad=False)
            self._width = options.max_width
        for line in self._lines:
            yield from line
            yield Segment.line()


class SectionCache:
    """The brief split into sections, each rendered at most once per text and width."""

    MAX_CACHED = 64

    def __init__(self) -> None:
        self._sections: OrderedDict[str, CachedMarkdown] = OrderedDict()

    def renderable(self, markdown: str) -> Group:
        parts = [part for part in _SECTION_START.split(markdown) if part.strip()]
        return Group(*(self._section(part) for part in parts))

    def _section(self, text: str) -> CachedMarkdown:
        section = self._sections.pop(text, None) or CachedMarkdown(text)
        self._sections[text] = section
        while len(self._sections) > self.MAX_CACHED:
            self._sections.popitem(last=False)
        return section


class BriefPreview(Static):
    DEFAULT_CSS = "BriefPreview { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._cache = SectionCache()

    def show(self, markdown: str) -> None:
        self.update(self._cache.renderable(markdown))
