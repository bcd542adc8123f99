"""Fitting Markdown into a service's limit without breaking it: cut at a line, never inside a word
or a Markdown construct, and say where the rest is."""

from __future__ import annotations

import re

POINTER = "… (cut here: the full brief is in the Markdown export)"
ELLIPSIS = "…"

# What a cut must never fall inside, in any of the chat services' syntaxes: a backslash escape,
# bold (**…** or Slack's *…*), a code span, an autolink or Slack link (<…>), a Markdown link, an
# HTML entity.
_ATOMS = re.compile(
    r"\\."
    r"|\*\*[^\n]*?\*\*"
    r"|\*[^*\s][^*\n]*?\*"
    r"|`[^`\n]*`"
    r"|<[^<>\n]*>"
    r"|\[[^\]\n]*\]\([^)\n]*\)"
    r"|&#?[A-Za-z0-9]+;"
)

_MARKER = re.compile(r"^\s*(?:[-+*]|[0-9]+[.)])\s")
_WORD = re.compile(r"[^\W_]")


def fit(text: str, limit: int, pointer: str = POINTER) -> str:
    """`text` if it fits in `limit` characters; else its leading whole lines that fit, with `pointer`
    on a line of its own after them. Only when no whole line fits is the first one cut, at a space
    outside any Markdown construct, ending in ``…``. A word is never cut, so a text that is one word
    too long for the limit keeps only the pointer."""
    if len(text) <= limit:
        return text
    room = limit - len(pointer) - 1
    if room <= 0:
        return pointer if len(pointer) <= limit else ""
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        gap = 1 if kept else 0
        if used + gap + len(line) <= room:
            kept.append(line)
            used += gap + len(line)
            continue
        rest = room - used - gap
        if not any(part.strip() for part in kept):
            part = cut_line(line, rest)
            if part:
                kept.append(part)
        break
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, pointer])


def cut_line(line: str, room: int) -> str:
    """The longest start of `line` that ends at a space outside any Markdown construct and, with
    ``…`` after it, fits in `room` characters; empty when there is none."""
    if room <= len(ELLIPSIS):
        return ""
    inside = bytearray(len(line) + 1)
    for atom in _ATOMS.finditer(line):
        inside[atom.start() + 1:atom.end()] = b"\x01" * (atom.end() - atom.start() - 1)
    last = min(len(line) - 1, room - len(ELLIPSIS))
    for index in range(last, 0, -1):
        if line[index] == " " and not inside[index]:
            head = line[:index].rstrip()
            if _WORD.search(_MARKER.sub("", head)):
                return head + ELLIPSIS
    return ""
