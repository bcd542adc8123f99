"""Make user text safe to place inside a brief, so it can never change the brief's structure.

Markdown (CommonMark, plus the GFM table and strikethrough markers). A character is escaped only
where a renderer could read it as markup, so that ``created_at``, ``Admin > Billing``, ``C# SDK``
or ``100%`` reach the reader as typed:

* Single-line values: control characters, tabs and line breaks become spaces, runs of whitespace
  collapse to one space, and the ends are trimmed.
* Always: a backtick and ``[`` (no code span, link or image can open), ``|`` (no table cell).
* ``*``, ``_`` and ``~`` runs unless they can neither open nor close emphasis or strikethrough: a run
  with a space on both sides, or an ``_`` run between two letters or digits (``created_at``). The
  ends of a value count as unknown neighbours, because the value sits next to fixed text or another
  value.
* ``<`` unless a space follows it (an HTML tag or an autolink starts right after the ``<``).
* ``\\`` before ASCII punctuation or at the end of a value (where it would escape what follows or
  break the line); ``&`` that starts an entity, also one finished by a ``;`` that follows the value.
* A trailing run of ``#`` after a space, which would otherwise close a heading and vanish.
* At the start of a line (list-item content, description lines): ``>`` (quote), a ``#`` run that
  ends the line or is followed by a space (heading), a leading ``-``, ``+`` or ``=`` (list, rule,
  setext underline) and the ``.``/``)`` after a leading run of digits (ordered list). Leading
  whitespace is gone already, so no line can become an indented code block.
* Multi-line text keeps its line breaks; each line is treated as a line start, runs of blank
  lines become a single paragraph break.

Plain text: single-line values are collapsed the same way; in multi-line text a line that reads
as a section heading (or as the ``ESCALATION:`` title) is indented by two spaces, whatever its case
and spacing and however it is spelt: with look-alike letters from other scripts, fullwidth forms,
invisible characters or odd spaces (see ``tui.render.lookalike``). Plain text is never escaped.

Markdown needs no such comparison: its structure comes only from ASCII markup (``#``, ``>``, ``-``,
``=``, digits with ``.``), which is escaped above, and no look-alike of those is markup.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tui.render.lookalike import reads_as, reads_as_any

# C0 and C1 control characters, DEL included (tab, CR and LF are among them).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that can be markup somewhere inside a line; `>` only at a line start (see guard_line_start).
_SPECIAL = re.compile(r"[\\`*_~\[|<&#]")
_MARKUP = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape the next character or end the line
    r"|[`\[|]"
    r"|<(?! )"
    r"|&(?=#?[A-Za-z0-9]+;|(?:#[0-9A-Za-z]|[A-Za-z][A-Za-z0-9])[A-Za-z0-9]*$)"  # no entity name is one letter
    r"|(?P<run>([*_~])\2*)"
    r"|(?P<closing>#+)$"
)
# A run of ASCII digits followed by the delimiter of an ordered-list marker.
_ORDERED = re.compile(r"[0-9]+(?=[.)])")
_HEADING = re.compile(r"#+(?: |$)")
# A letter or a digit, of any script: to CommonMark never whitespace nor punctuation.
_WORD_CHAR = re.compile(r"[^\W_]")
# An http(s) URL CommonMark accepts as an autolink (after whitespace has been collapsed).
_AUTOLINK = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)


def collapse(value: str) -> str:
    """One line of text: control characters and whitespace runs become single spaces, ends trimmed."""
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value  # fast path: no control character and no whitespace but single inner spaces
    return " ".join(_CONTROL.sub(" ", value).split())


def _inert(value: str, start: int, end: int) -> bool:
    """Whether the ``*``/``_``/``~`` run at value[start:end] can neither open nor close emphasis."""
    before = value[start - 1] if start else ""
    after = value[end] if end < len(value) else ""
    if before == " " and after == " ":
        return True
    return value[start] == "_" and bool(_WORD_CHAR.fullmatch(before)) and bool(_WORD_CHAR.fullmatch(after))


def _escape_markup(match: re.Match[str]) -> str:
    text = match.group()
    if match["run"] is not None and _inert(match.string, match.start(), match.end()):
        return text
    if match["closing"] is not None:
        start = match.start()
        if start and match.string[start - 1] != " ":
            return text  # "C#": a closing sequence needs a space before it
        return "\\" + text
    if match["run"] is not None:
        return "".join("\\" + char for char in text)
    return "\\" + text


def _escape(value: str) -> str:
    return _MARKUP.sub(_escape_markup, value) if _SPECIAL.search(value) else value


def guard_line_start(line: str) -> str:
    """Escape what would make already-escaped text start a list, a quote, a heading, a rule or a
    setext underline."""
    if not line:
        return line
    first = line[0]
    if first in "-+=>" or (first == "#" and _HEADING.match(line)):
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


def plain_block(value: str, headings: Collection[str], title_prefixes: Collection[str]) -> str:
    """Multi-line text for the plain brief; lines that look like a heading or a title are indented.

    The comparison is between what each reads as (`reads_as`): case, spacing, look-alike letters,
    typographic apostrophes and invisible characters make no difference.
    """
    reserved = reads_as_any(frozenset(headings))
    titles = tuple(reads_as(prefix) for prefix in title_prefixes)
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
        seen = reads_as(stripped)
        if seen in reserved or seen.startswith(titles):
            line = "  " + stripped
        out.append(line)
    return "\n".join(out)
