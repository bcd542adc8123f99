"""Regular expressions compiled on first use, and skipped when a needed word is absent.

The intake parser holds dozens of large case-insensitive patterns. Compiling them all is work a
new draft would otherwise do before the first screen. A pattern is compiled when it is
first used, and not even then when the text lacks every one of its `needles`: words of which
each match must contain at least one. A summary names only a few of the things the parser looks
for, so most patterns are never compiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def fold(text: str) -> str:
    """`text` as the needles are compared with it: case folded, whitespace runs made one space.

    Case-insensitive matching pairs the dotted and dotless i with "i"; folding alone would not.
    """
    return " ".join(text.replace("İ", "i").replace("ı", "i").casefold().split())


class LazyPattern:
    __slots__ = ("_compiled", "flags", "needles", "pattern")

    def __init__(self, pattern: str, flags: int = 0, needles: tuple[str, ...] = ()) -> None:
        """`needles` (lower case, one space for any whitespace) must each be a part of every match
        of one of the pattern's branches; with none given, the pattern is always tried."""
        self.pattern = pattern
        self.flags = flags
        self.needles = needles
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def may_match(self, text: str) -> bool:
        """False only when no match is possible: the text holds none of the needles."""
        if not self.needles:
            return True
        folded = fold(text)
        return any(needle in folded for needle in self.needles)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos) if self.may_match(text) else None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos) if self.may_match(text) else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text) if self.may_match(text) else iter(())

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text) if self.may_match(text) else []

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self.compiled.sub(replacement, text, count=count)
