"""Text that came from a brief, a file, a paste or a server is hostile until made safe.

A terminal obeys control characters: ESC starts sequences that retitle the window, write the
clipboard (OSC 52), plant hyperlinks or wipe the screen, and U+009B (CSI) does the same in one
byte. Bidirectional overrides make text read differently from what it is. None of them has a
place in an escalation, so the model drops them as it stores text (`strip_unsafe`), and anything
else shown or printed — a file name, a config key, an error — is made visible (`visible`).
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, except tab and newline; the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, tab and newline included: for text shown on one line.
_UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n?")
_NAMES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\e"}

LONG = 60  # characters of a quoted name or value kept in a message


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `strip_unsafe` would drop (a CR counts)."""
    return "\r" in text or _UNSAFE.search(text) is not None


def strip_unsafe(text: str) -> str:
    """`text` without control characters or bidi overrides; CR LF and a lone CR become LF, tabs stay."""
    if text.isprintable():
        return text  # the common case: nothing to drop (a newline or tab is not printable)
    return _UNSAFE.sub("", _LINE_BREAKS.sub("\n", text))


def visible(text: str, keep_newlines: bool = False) -> str:
    """`text` for one line of a message (several with `keep_newlines`): each control character or bidi
    override written as an escape (``\\e``, ``\\x9b``, ``\\u202e``) so it is seen, never obeyed."""
    if text.isprintable():
        return text
    if keep_newlines:
        return "\n".join(_UNSAFE_IN_LINE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE_IN_LINE.sub(_escape, text)


def shorten(text: str, limit: int = LONG) -> str:
    """`text`, cut after `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def quoted(text: str, limit: int = LONG) -> str:
    """A name or value from the user's input, quoted for a message: visible, and never too long."""
    return f"'{visible(shorten(text, limit))}'"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMES.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
