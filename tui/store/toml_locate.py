"""Problems in a TOML file a person edits, each pointing at the line to fix.

`locate` is a small scanner, not a parser: it runs on text tomllib has already accepted and
follows only table headers, array-of-tables occurrences, keys (bare, quoted, dotted) and the
extent of each value, so text inside a multi-line string or array is never taken for a key or
a header. Paths use pydantic's ``loc`` shape: names, and 0-based indexes into arrays.

"""

from __future__ import annotations

import bisect
import contextlib
import re
import sys
import tomllib
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

# Runs of characters are matched with regular expressions, not stepped through one by one: a
# key or a value may be megabytes long.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")
_NEWLINE = re.compile("\n")
_BASIC_STOP = re.compile(r'[\\"]')
_LITERAL_STOP = re.compile("'")
_DECIMAL = re.compile(r"[+-]?[0-9][0-9_]*")


def locate(text: str, loc: Sequence[str | int]) -> int:
    """The 1-based line where `loc` is defined; else where its nearest defined parent is
    (usually the table header); else 1."""
    return nearest_line(key_lines(text), tuple(loc))


def nearest_line(found: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of `path`, else of its nearest defined parent, else 1."""
    return next((found[path[:size]] for size in range(len(path), 0, -1) if path[:size] in found), 1)


def key_lines(text: str) -> dict[KeyPath, int]:
    """Every key path the text defines, mapped to the 1-based line that first defines it."""
    scanner = _Scanner(text)
    with contextlib.suppress(IndexError, ValueError, RecursionError):  # keep what was found so far
        scanner.document()
    return scanner.found


def long_integers(text: str) -> list[tuple[KeyPath, int, int]]:
    """Each integer in `text` with more digits than Python reads (tomllib stops at the first with a
    bare ValueError): its key path, its 1-based line and its number of digits."""
    scanner = _Scanner(text)
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        scanner.document()
    return scanner.long_integers


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[KeyPath, int] = {}
        self.long_integers: list[tuple[KeyPath, int, int]] = []
        self.arrays: dict[KeyPath, int] = {}  # array-of-tables path -> tables seen so far
        self._newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def line(self) -> int:
        return bisect.bisect_left(self._newlines, self.pos) + 1

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def record(self, path: KeyPath) -> None:
        self.found.setdefault(path, self.line())

    # --- structure ----------------------------------------------------------------------

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table)
            if self.pos == start:  # never loop without progress, whatever the text
                self.pos += 1

    def header(self) -> KeyPath:
        is_array = self.peek(2) == "[["
        self.pos += 2 if is_array else 1
        parts = self.key()
        self.skip()
        self.pos += 2 if is_array else 1
        path: KeyPath = ()
        for index, part in enumerate(parts):
            path = (*path, part)
            if index < len(parts) - 1 and path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        if is_array:
            self.record(path)
            count = self.arrays.get(path, 0)
            self.arrays[path] = count + 1
            path = (*path, count)
        self.record(path)
        return path

    def keyval(self, base: KeyPath) -> None:
        path = base
        for part in self.key():
            path = (*path, part)
            self.record(path)
        self.skip()
        if self.peek() == "=":
            self.pos += 1
            self.value(path)

    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip()
            char = self.peek()
            if char in ('"', "'"):
                start = self.pos
                self.string()
                parts.append(_unquote(self.text[start : self.pos]))
            else:
                bare = _BARE_KEY.match(self.text, self.pos)
                if bare is None:
                    return parts
                self.pos = bare.end()
                parts.append(bare.group())
            self.skip()
            if self.peek() != ".":
                return parts
            self.pos += 1

    def value(self, path: KeyPath) -> None:
        self.skip()
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            start = self.pos
            scalar = _SCALAR.match(self.text, self.pos)
            self.pos = scalar.end() if scalar else self.pos
            self.check_integer(path, start)

    def array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while self.pos < len(self.text):
            self.skip(newlines=True)
            char = self.peek()
            if char == "]":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                index += 1
                continue
            start = self.pos
            self.record((*path, index))
            self.value((*path, index))
            if self.pos == start:
                self.pos += 1

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while self.pos < len(self.text):
            self.skip(newlines=True)
            char = self.peek()
            if char == "}":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            start = self.pos
            self.keyval(path)
            if self.pos == start:
                self.pos += 1

    def check_integer(self, path: KeyPath, start: int) -> None:
        limit = sys.get_int_max_str_digits()
        if not limit or self.pos - start <= limit:
            return
        scalar = self.text[start : self.pos].strip()
        if _DECIMAL.fullmatch(scalar):
            digits = len(scalar.lstrip("+-").replace("_", ""))
            if digits > limit:
                line = bisect.bisect_left(self._newlines, start) + 1
                self.long_integers.append((path, line, digits))

    # --- lexical ------------------------------------------------------------------------

    def string(self) -> None:
        quote = self.peek()
        delimiter = quote * 3 if self.peek(3) == quote * 3 else quote
        self.pos += len(delimiter)
        escapes = quote == '"'
        stop = _BASIC_STOP if escapes else _LITERAL_STOP
        while self.pos < len(self.text):
            found = stop.search(self.text, self.pos)  # only a backslash or a quote can end or escape
            self.pos = found.start() if found else len(self.text)
            if found is None:
                return
            if escapes and self.text[self.pos] == "\\":
                self.pos += 2
            elif self.text.startswith(delimiter, self.pos):
                self.pos += len(delimiter)
                if len(delimiter) == 3:  # up to two quotes may sit just before the closing three
                    while self.peek() == quote:
                        self.pos += 1
                return
            else:
                self.pos += 1

    def skip(self, newlines: bool = False) -> None:
        """Skip spaces and tabs, comments, and (when asked) line breaks."""
        blank = " \t\r\n" if newlines else " \t"
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            elif char in blank:
                self.pos += 1
            else:
                return


def _unquote(raw: str) -> str:
    """A quoted key as the name it stands for (escapes decoded by tomllib itself)."""
    try:
        return str(tomllib.loads(f"k = {raw}")["k"])
    except (tomllib.TOMLDecodeError, KeyError):
        return raw[1:-1]
