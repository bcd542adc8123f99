"""The brief as formatted Markdown, drawing only the lines on screen.

A brief of a thousand context items is thousands of lines; rendering all of them to show forty
took seconds. The text is cut into blocks (a heading, a paragraph, one list item, a fenced code
block), each rendered by Rich when it first comes into view and kept until its text or the width
changes. Blocks not yet rendered count as many lines as their text would fill at the width; the
count is corrected once they are drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from rich.markdown import Markdown
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def split_blocks(markdown: str) -> list[tuple[str, bool]]:
    """Top-level pieces that render on their own as they do in place: a blank line ends a block, a
    heading or a list item starts one, a fenced block is kept whole. Each comes with whether a blank
    line follows it (not between two items of one list)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if fenced:
            current.append(line)
            if _FENCE.match(line):  # the closing fence ends the block
                fenced = False
                blocks.append(current)
                current = []
            continue
        starts = bool(_ITEM.match(line) or _HEADING.match(line) or _FENCE.match(line))
        if not line.strip() or starts:
            if current:
                blocks.append(current)
            current = []
        if line.strip():
            current.append(line)
            fenced = bool(_FENCE.match(line))
        if _HEADING.match(line):
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    texts = ["\n".join(block) for block in blocks]
    items = [bool(_ITEM.match(text)) for text in texts]
    return [(text, not (items[i] and i + 1 < len(texts) and items[i + 1])) for i, text in enumerate(texts)]


class _Block:
    __slots__ = ("gap", "lines", "text", "width")

    def __init__(self, text: str, gap: bool) -> None:
        self.text = text
        self.gap = gap  # a blank line after it
        self.width = -1
        self.lines: list[Strip] = []

    def height(self, width: int) -> int:
        if self.width == width:
            return len(self.lines)
        text_width = max(1, width - 3)  # list markers take a few columns
        return sum(max(1, -(-len(line) // text_width)) for line in self.text.splitlines()) + self.gap


class BriefView(ScrollView, can_focus=True):
    """Scroll it with ↑/↓, page up/down, home/end once it has the focus (Tab)."""

    DEFAULT_CSS = "BriefView { height: 1fr; padding: 0 1; } BriefView:focus { background-tint: $foreground 3%; }"
    MAX_CACHED = 4096

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[_Block] = []
        self._cache: dict[tuple[str, bool], _Block] = {}
        self._tops: list[int] = [0]  # first line of each block, then the total

    def show(self, markdown: str) -> None:
        """Show a new text; blocks whose text is unchanged keep what they rendered."""
        cache = self._cache
        self._blocks = [cache.get((text, gap)) or _Block(text, gap) for text, gap in split_blocks(markdown)]
        self._cache = {(block.text, block.gap): block for block in self._blocks[: self.MAX_CACHED]}
        self._measure()

    def _measure(self) -> None:
        width = self._text_width()
        self._tops = [0, *accumulate(block.height(width) for block in self._blocks)]
        self.virtual_size = Size(width, self._tops[-1])
        self.refresh()

    def _text_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def on_resize(self) -> None:
        self._measure()

    def render_line(self, y: int) -> Strip:
        width = self._text_width()
        line = int(self.scroll_offset.y) + y
        index = bisect_right(self._tops, line) - 1
        if not 0 <= index < len(self._blocks):
            return Strip.blank(width, self.rich_style)
        block = self._blocks[index]
        if block.width != width:
            self._draw_block(block, width)
            if self._tops[index + 1] - self._tops[index] != len(block.lines):
                # Its real height replaces the estimate: the lines below move, so draw again.
                self.call_after_refresh(self._measure)
        offset = line - self._tops[index]
        strip = block.lines[offset] if offset < len(block.lines) else Strip.blank(width)
        return strip.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)

    def _draw_block(self, block: _Block, width: int) -> None:
        console = self.app.console
        options = console.options.update_width(width)
        rendered = console.render_lines(Markdown(block.text), options, style=self.rich_style, pad=False)
        while rendered and not "".join(segment.text for segment in rendered[0]).strip():
            rendered.pop(0)  # Rich opens a list with a blank line; the gaps are the blocks' own
        block.lines = [Strip(Segment.adjust_line_length(line, width)) for line in rendered]
        if block.gap:
            block.lines.append(Strip.blank(width))
        block.width = width
