"""The rendered brief taken apart for the chat services: its title, its bold label lines and its
sections, and each line's inline Markdown rewritten in a service's own syntax.

The brief's Markdown comes from `tui.render.markdown`, where every piece of user text is escaped:
the only markup left unescaped is the template's own (``**Label:**``, ``<https://…>`` autolinks,
headings and list markers). So a backslash escape always marks user text, and a chat service's
`Style` decides how that text is written so that it stays text there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tui.domain.text_safety import strip_unsafe

_TOKEN = re.compile(r"\\(?P<escaped>[!-/:-@\[-`{-~])|(?P<bold>\*\*)|<(?P<url>https?://[^\s<>]+)>", re.IGNORECASE)
_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?):\*\* ?(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class Section:
    heading: str  # as the brief names it: "Impact", "What's Been Tried"
    lines: tuple[str, ...]  # the body's Markdown lines, without blank lines at either end

    @property
    def markdown(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class Layout:
    title: str  # the title line's Markdown, without the "## "
    facts: tuple[tuple[str, str], ...]  # the bold label lines under the title: ("Severity", "High")
    sections: tuple[Section, ...]

    def section(self, heading: str) -> Section | None:
        return next((section for section in self.sections if section.heading == heading), None)


@dataclass(frozen=True, slots=True)
class Style:
    """How one service writes the brief's three kinds of inline content."""

    text: Callable[[str], str]  # plain text, markup characters in it already unescaped
    bold: Callable[[str], str]  # bold text, given already written by `text`
    link: Callable[[str], str]  # a URL, to show as a link
    escaped: Callable[[str], str] = str  # a markup character the brief escaped, before `text` sees it


PLAIN = Style(text=lambda value: value, bold=lambda value: value, link=lambda url: url)


def split(markdown: str) -> Layout:
    """The brief's parts. Lines before the first section that are not label lines are kept as a
    section with no heading, so nothing of the brief is lost."""
    title = ""
    facts: list[tuple[str, str]] = []
    preface: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for raw in strip_unsafe(markdown).split("\n"):
        line = raw.replace("\t", " ").rstrip()
        if line.startswith("## ") and not title and not sections:
            title = line[3:].strip()
        elif line.startswith("### "):
            sections.append((line[4:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        elif (label := _LABEL.match(line)) is not None:
            facts.append((label["label"], label["value"]))
        else:
            preface.append(line)
    found = [Section(heading, _trimmed(lines)) for heading, lines in sections]
    if any(line.strip() for line in preface):
        found.insert(0, Section("", _trimmed(preface)))
    return Layout(title, tuple(facts), tuple(found))


def convert(line: str, style: Style) -> str:
    """One line of the brief's Markdown written in `style`. A ``**`` left open is shown as text."""
    out: list[str] = []
    plain: list[str] = []  # text since the last bold mark or link
    bold_start: int | None = None  # where in `out` the open bold's text begins

    def flush() -> None:
        if plain:
            out.append(style.text("".join(plain)))
            plain.clear()

    position = 0
    for match in _TOKEN.finditer(line):
        plain.append(line[position:match.start()])
        position = match.end()
        if match["escaped"] is not None:
            plain.append(style.escaped(match["escaped"]))
        elif match["url"] is not None:
            flush()
            out.append(style.link(match["url"]))
        elif bold_start is None:
            flush()
            bold_start = len(out)
        else:
            flush()
            inner = "".join(out[bold_start:])
            del out[bold_start:]
            if inner:
                out.append(style.bold(inner))
            bold_start = None
    plain.append(line[position:])
    flush()
    if bold_start is not None:
        out.insert(bold_start, style.text("**"))
    return "".join(out)


def plain(line: str) -> str:
    """One line of the brief's Markdown as plain text: no marks, no escapes."""
    return convert(line, PLAIN)


def _trimmed(lines: list[str]) -> tuple[str, ...]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    kept: list[str] = []
    for line in lines[start:end]:
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)  # runs of blank lines become one
    return tuple(kept)
