"""Make user text safe to place inside a brief, so it can never change the brief's structure.

Markdown (CommonMark, plus the GFM table and strikethrough markers):

* Single-line values: control characters, tabs and line breaks become spaces, runs of whitespace
  collapse to one space, and the ends are trimmed.
* Everywhere: backslash-escape ``\\ ` * _ [ ] < > | ~ #`` and an ``&`` that starts an entity.
* At the start of a line (list-item content, description lines): also escape a leading ``-``,
  ``+`` or ``=``, and the ``.``/``)`` after a leading run of digits. Leading whitespace is gone
  already, so no line can become an indented code block.
* Multi-line text keeps its line breaks; each line is treated as a line start, runs of blank
  lines become a single paragraph break.
* Ordinary punctuation (``. , ' ! ( ) :`` mid-line) is left alone so the raw text stays readable.

Plain text: single-line values are collapsed the same way; in multi-line text a line that reads
as a section heading (or as the ``ESCALATION:`` title) is indented by two spaces.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# C0 and C1 control characters, DEL included (tab, CR and LF are among them).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters with inline or block meaning anywhere on a line, and `&` when it starts an entity.
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~#]|&(?=#?[A-Za-z0-9]+;)")
# A run of ASCII digits followed by the delimiter of an ordered-list marker.
_ORDERED = re.compile(r"[0-9]+(?=[.)])")
# An http(s) URL CommonMark accepts as an autolink (after whitespace has been collapsed).
_AUTOLINK = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)


def collapse(value: str) -> str:
    """One line of text: control characters and whitespace runs become single spaces, ends trimmed."""
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value  # fast path: no control character and no whitespace but single inner spaces
    return " ".join(_CONTROL.sub(" ", value).split())


def _escape(value: str) -> str:
    return _SPECIAL.sub(r"\\\g<0>", value) if _SPECIAL.search(value) else value


def guard_line_start(line: str) -> str:
    """Escape what would make already-escaped text start a list, a rule or a setext underline."""
    if not line:
        return line
    first = line[0]
    if first in "-+=":
        return "\\" + line
    if "0" <= first <= "9":
        digits = _ORDERED.match(line)
        if digits is not None:
            end = digits.end()
            return f"{line[:end]}\\{line[end:]}"
    return line


def md_inline(value: str) -> str:
    """A single-line value placed after fixed text on the same line."""
    return _escape(collapse(value))


def md_line(value: str) -> str:
    """A single-line value that starts a line or a list item's content."""
    return guard_line_start(_escape(collapse(value)))


def md_block(value: str) -> str:
    """Multi-line text as plain paragraphs: every line escaped as a line start."""
    out: list[str] = []
    gap = False
    for raw in value.splitlines():
        line = _CONTROL.sub(" ", raw).strip()
        if not line:
            gap = bool(out)
            continue
        if gap:
            out.append("")
            gap = False
        out.append(guard_line_start(_escape(line)))
    return "\n".join(out)


def md_reference(value: str) -> str:
    """A ticket id or link: an http(s) URL becomes an autolink, anything else escaped text."""
    ref = collapse(value)
    if _AUTOLINK.fullmatch(ref):
        return f"<{ref}>"
    return _escape(ref)


def plain_block(value: str, headings: Collection[str], title_prefix: str) -> str:
    """Multi-line text for the plain brief; lines that look like a heading or the title are indented.

    ``headings`` must be upper-case; ``title_prefix`` too. The comparison ignores case and
    surrounding whitespace, and treats a typographic apostrophe as a straight one.
    """
    out: list[str] = []
    gap = False
    for raw in value.splitlines():
        line = _CONTROL.sub(" ", raw).rstrip()
        stripped = line.strip()
        if not stripped:
            gap = bool(out)
            continue
        if gap:
            out.append("")
            gap = False
        shout = stripped.upper().replace("\u2019", "'")
        if shout in headings or shout.startswith(title_prefix):
            line = "  " + stripped
        out.append(line)
    return "\n".join(out)
