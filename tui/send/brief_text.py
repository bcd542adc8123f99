"""Reading the rendered brief for services that want it in their own form (Jira's ADF and wiki
markup, PagerDuty's details): its CommonMark parsed once, text cleaned of control characters, the
labelled lines as plain values, and a one-line title.

The brief arrives as Markdown the renderer escaped, but after redaction and with text from the
case in it, so every piece is treated as hostile: the parser decides what is structure, and text
keeps no character a terminal or a browser could obey.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

from tui.send.model import Brief

# C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates that reorder text.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def tokens(markdown: str) -> list[Token]:
    """The brief's CommonMark block tokens (inline content under each ``inline`` token's children)."""
    return _parser().parse(markdown)


def clean(text: str) -> str:
    """Text with every control and bidi-override character taken out (a tab or line break becomes a
    space)."""
    return _UNSAFE.sub(lambda match: " " if match.group() in "\t\n\r" else "", text)


def one_line(text: str, limit: int) -> str:
    """`text` cleaned, on one line, at most `limit` characters (cut at a space, with an ellipsis)."""
    line = _SPACES.sub(" ", clean(text)).strip()
    if len(line) <= limit:
        return line
    head = line[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + "…"


def inline_plain(token: Token) -> str:
    """The plain text of one ``inline`` token: escapes undone, marks dropped, line breaks as spaces."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return _SPACES.sub(" ", clean("".join(parts))).strip()


def labelled(markdown: str) -> dict[str, str]:
    """Each ``**Label:** value`` line of the brief (heading lines and list items alike) as
    ``{"Label": "value"}`` in plain text; the first of a repeated label wins."""
    found: dict[str, str] = {}
    for token in tokens(markdown):
        if token.type != "inline":
            continue
        for line in _lines(token):
            if len(line) < 3 or (line[0].type, line[1].type, line[2].type) != ("strong_open", "text", "strong_close"):
                continue
            label = one_line(line[1].content, 80).rstrip(":").strip()
            if label and label not in found:
                found[label] = inline_plain(type(token)("inline", "", 0, children=line[3:]))
    return found


def _lines(token: Token) -> list[list[Token]]:
    """An inline token's children, split at its line breaks, empty text left out."""
    lines: list[list[Token]] = [[]]
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif child.type != "text" or child.content:
            lines[-1].append(child)
    return lines


def first_items(markdown: str) -> dict[str, str]:
    """The first line under each level-3 heading, in plain text: ``{"What's Needed": "…"}``."""
    found: dict[str, str] = {}
    heading: str | None = None
    stream = tokens(markdown)
    for index, token in enumerate(stream):
        if token.type == "heading_open" and token.tag == "h3":
            heading = inline_plain(stream[index + 1])
        elif token.type == "inline" and heading is not None and stream[index - 1].type == "paragraph_open":
            if heading not in found:
                found[heading] = inline_plain(token)
            heading = None
    return found


def title(brief: Brief, limit: int) -> str:
    """The issue's one-line title: ``ESC-42 [High] <summary>``, within `limit` characters."""
    summary = brief.esc.summary or "Escalation without a summary"
    return one_line(f"{brief.reference} [{brief.assessment.severity.effective.label}] {summary}", limit)


