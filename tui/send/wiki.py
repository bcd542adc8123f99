"""The brief as Jira wiki markup, for a Jira Server / Data Center issue's description.

``h2.``/``h3.`` headings, ``*bold*``, ``_italic_``, ``* item`` and ``# item`` lists and
``[text|url]`` links come from the brief's structure; text from the case never adds any: every
character wiki markup reads as markup is escaped, so ``{code}``, ``[x|y]``, ``*a*`` or a line
starting ``h1.`` show as typed.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import quote

from tui.send.brief_text import clean, tokens

if TYPE_CHECKING:
    from markdown_it.token import Token

# Characters wiki markup reads as markup somewhere: effects (*_?-+^~), macros ({}), links and
# tables ([]|), images (!), lists (#). A backslash escapes them; a backslash of its own would
# escape what follows or, doubled, break the line, so it goes as a character reference.
_SPECIAL = re.compile(r"[*_?\-+^~{}\[\]|!#\\]|&(?=#?[A-Za-z0-9]+;)")
_LINE_KEYWORD = re.compile(r"^(h[1-6]|bq)\.", re.MULTILINE)


def escape(text: str) -> str:
    """Text that wiki markup shows exactly as written."""
    escaped = _SPECIAL.sub(_escape_one, clean(text))
    # "h3. x" or "bq. x" at a line start would make a heading or a quote: spell its first letter
    # as a character reference.
    return _LINE_KEYWORD.sub(lambda match: f"&#{ord(match.group()[0])};{match.group()[1:]}", escaped)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "&#92;"
    if char == "&":
        return "&amp;"
    return "\\" + char


def to_wiki(markdown: str) -> str:
    """The wiki markup for the Markdown brief."""
    out: list[str] = []
    lists: list[str] = []  # "*" or "#" per open list, outermost first
    heading = 0
    for token in tokens(markdown):
        kind = token.type
        if kind == "heading_open":
            heading = min(6, max(1, int(token.tag[1:])))
        elif kind == "heading_close":
            heading = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("*" if kind == "bullet_list_open" else "#")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append("")
        elif kind == "list_item_open":
            out.append("".join(lists) + " ")
        elif kind == "inline":
            text = inline(token, in_list=bool(lists))
            if lists:
                out[-1] += text if out[-1].endswith(" ") else f" {text}"
            elif heading:
                out += [f"h{heading}. {text}", ""]
            else:
                out += [text, ""]
        elif kind in ("code_block", "fence", "html_block"):
            out += [escape(line) for line in token.content.splitlines() if line.strip()]
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(line.rstrip() for line in out) + "\n"


def inline(token: Token, in_list: bool = False) -> str:
    """One ``inline`` token as wiki text: bold, italic and links kept, all its text escaped."""
    parts: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            parts.append("\x00*")
        elif kind in ("em_open", "em_close"):
            parts.append("\x00_")
        elif kind == "link_open":
            parts.append(f"\x00[{_url(str(child.attrGet('href') or ''))}\x01")
        elif kind == "link_close":
            parts.append("\x00]")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" " if in_list else "\n")
        elif kind in ("text", "code_inline", "html_inline", "image"):
            parts.append(escape(child.content))
    return _marks("".join(parts))


def _url(href: str) -> str:
    if not href.startswith(("https://", "http://")):
        return ""
    return quote(clean(href), safe=":/?&=#%~.,;@!$'()*+-_")


def _marks(text: str) -> str:
    """Place the effect marks: a ``*``/``_`` pair only around non-blank text, with the spaces
    moved outside (Jira reads ``* x *`` as no effect); a link as ``[text|url]``."""
    text = re.sub(r"\x00\[([^\x01]*)\x01(.*?)\x00\]",
                  lambda m: f"[{m.group(2) or m.group(1)}|{m.group(1)}]" if m.group(1) else m.group(2), text)
    before = None
    while before != text:  # innermost pairs first, then the ones around them
        before = text
        for mark in ("_", "*"):
            text = re.sub(rf"\x00\{mark}([^\x00]*?)\x00\{mark}", partial(_effect, mark), text)
    return text.replace("\x00*", "").replace("\x00_", "").replace("\x00[", "").replace("\x00]", "").replace("\x01", "")


def _effect(mark: str, match: re.Match[str]) -> str:
    body = match[1]
    core = body.strip()
    if not core:
        return body
    lead = body[: len(body) - len(body.lstrip())]
    trail = body[len(body.rstrip()):]
    return f"{lead}{mark}{core}{mark}{trail}"
