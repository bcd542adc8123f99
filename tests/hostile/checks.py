"""What every output of the hostile-input suite is checked for, and how a run of the CLI is captured.

* `unsafe_characters`: C0/C1 control characters (but a line break, and a tab where allowed) and bidi
  embeddings, overrides and isolates: a terminal obeys the first, a reader is fooled by the second.
* `markdown_outline`: a Markdown document's structure as markdown-it-py reads it (the blocks, the
  headings, the inline markup), without the words.
* `plain_outline`: the lines of a plain-text brief that read as a section heading or as its title,
  homoglyphs and invisible characters seen through.
* `run_cli`: `tui.cli.main` run in-process, its exit status, output and any exception.
"""

from __future__ import annotations

import re
import traceback
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from markdown_it import MarkdownIt

from tui.render import plain

NOW_ISO = "2026-11-19T10:00:00+00:00"  # the suite's clock (a Thursday), as in tests/support.py

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_characters(text: str, *, allow_tab: bool = False) -> list[str]:
    """Each control character or bidi override in `text`, with a little of what surrounds it."""
    found = []
    for match in _UNSAFE.finditer(text):
        start = max(0, match.start() - 20)
        found.append(f"U+{ord(match.group()):04X} in {text[start:match.end() + 20]!r}")
        if len(found) == 3:
            break
    if not allow_tab and "\t" in text:
        at = text.index("\t")
        found.append(f"U+0009 in {text[max(0, at - 20):at + 20]!r}")
    return found


# --- Markdown ---------------------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_QUIET = {"text", "softbreak"}


def markdown_outline(text: str, *, ignore_autolinks: bool = False) -> list[str]:
    """The document's structure: every block token, each heading's text (the title's only up to its
    colon) and the inline markup of each paragraph; not the words themselves."""
    outline = []
    heading = ""
    for token in _MARKDOWN.parse(text):
        if token.type != "inline":
            outline.append(f"{token.type} {token.tag}".rstrip())
            heading = token.tag if token.type == "heading_open" else ""
            continue
        if heading:
            title = token.content.split(":", 1)[0] if heading == "h2" else token.content
            outline.append(f"{heading} text: {title}")
        marks = []
        for child in token.children or []:
            if child.type in _QUIET:
                continue
            if ignore_autolinks and child.type in ("link_open", "link_close") and child.markup == "autolink":
                continue
            marks.append(child.type)
        if marks:
            outline.append("inline: " + " ".join(marks))
    return outline


def outline_difference(expected: Sequence[str], seen: Sequence[str]) -> str:
    """The first place two outlines part, in a few lines."""
    for index, (want, got) in enumerate(zip(expected, seen, strict=False)):
        if want != got:
            return f"at block {index}: expected {want!r}, got {got!r} (then {list(seen[index + 1:index + 3])})"
    if len(expected) != len(seen):
        longer = seen if len(seen) > len(expected) else expected
        extra = list(longer[min(len(expected), len(seen)):][:3])
        return f"{len(seen)} blocks instead of {len(expected)}; {'extra' if longer is seen else 'missing'}: {extra}"
    return ""


# --- plain text -------------------------------------------------------------------------------

PLAIN_HEADINGS = frozenset((*plain.SECTIONS, *plain.NOTE_SECTIONS, "REPRODUCTION STEPS (FOR BUGS)"))
PLAIN_TITLES = (plain.TITLE_PREFIX.strip(), plain.NOTE_TITLE_PREFIX.strip())

# Letters of other scripts drawn like Latin capitals (the common ones), and apostrophe look-alikes.
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **dict(zip("АВЕКМНОРСТУХІЅЈԁ", "ABEKMHOPCTYXISJD", strict=True)),
        **dict(zip("αеорсух", "aeopcyx", strict=True)),
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\uff07": "'",
    }
)


def skeleton(line: str) -> str:
    """What a line reads as: compatibility forms folded (full-width letters, no-break spaces), look-alike
    letters made Latin, invisible characters dropped, single spaces. Case is kept: the headings are the
    lines in capitals."""
    folded = unicodedata.normalize("NFKC", line).translate(_LOOKALIKES)
    visible = "".join(char for char in folded if unicodedata.category(char) not in ("Cf", "Cc"))
    return " ".join(visible.split())


def plain_outline(text: str) -> list[str]:
    """The lines that read as a section heading (by name) or as the title; a line indented by two
    spaces reads as text, as the plain renderer intends."""
    outline = []
    for line in text.splitlines():
        if line.startswith("  "):
            continue
        seen = skeleton(line)
        if seen in PLAIN_HEADINGS:
            outline.append(seen)
        elif seen.startswith(PLAIN_TITLES):
            outline.append("title")
    return outline


# --- running the CLI --------------------------------------------------------------------------


class Run(NamedTuple):
    code: int | None
    out: str
    err: str
    crash: str  # the exception's traceback when main raised one, else ""


def run_cli(args: Sequence[str], capsys: Any) -> Run:
    """`tui.cli.main(args)` in-process, as a shell would see it."""
    from tui.cli import main

    capsys.readouterr()
    crash = ""
    code: int | None
    try:
        code = main(list(args))
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    except Exception:
        code = None
        crash = traceback.format_exc(limit=-3)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, crash)


class AppStart:
    """Stands in for the app's `make_app` so that `main([ARG])` goes through everything the real start
    does up to building the app (reading the file, the summary, the config), and says whether it got
    that far."""

    return_code: int | None = 0  # as a Textual app that ended normally

    def __init__(self) -> None:
        self.built = False

    def __call__(self, escalation: Any, **options: Any) -> AppStart:
        self.built = True
        return self

    def run(self) -> None:
        return None


def run_app_start(args: Sequence[str], capsys: Any, monkeypatch: Any) -> tuple[Run, bool]:
    """`escalate-tui ARGS` up to the app itself: the run, and whether the app would have been built."""
    import gc

    import tui.app
    from tui import gc_pause

    start = AppStart()
    monkeypatch.setattr(tui.app, "make_app", start)
    try:
        return run_cli(args, capsys), start.built
    finally:
        if not gc.isenabled():  # the start pauses the collector; the app's first screen would resume it
            gc_pause.resume()
            gc.unfreeze()  # what `resume` froze is the test session's, not an app's start-up


class Failure(NamedTuple):
    cause: str
    case: str  # the payload and field, or the malformed file's label
    command: str
    seen: str


def common_failures(run: Run, case: str, command: str, allowed_codes: Iterable[int], *,
                    allow_tab: bool = False) -> list[Failure]:
    """What no command may ever do: crash, print a traceback, exit with another status, or print a
    control character or bidi override."""
    failures = []
    if run.crash:
        last = run.crash.strip().splitlines()[-1]
        failures.append(Failure(f"crash: {last.split(':', 1)[0]}", case, command, _cut(run.crash, 600)))
    elif run.code not in set(allowed_codes):
        failures.append(Failure(f"exit status {run.code}, expected {sorted(set(allowed_codes))}", case, command,
                                _cut(run.err or run.out, 300)))
    if "Traceback" in run.err or "Traceback (most recent call last)" in run.out:
        failures.append(Failure("traceback printed", case, command, _cut(run.err, 300)))
    for stream, text in (("stdout", run.out), ("stderr", run.err)):
        unsafe = unsafe_characters(text, allow_tab=allow_tab)
        if unsafe:
            failures.append(Failure(f"control character or bidi override on {stream}", case, command,
                                    "; ".join(unsafe)))
    return failures


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def report(failures: Sequence[Failure], tried: int, what: str) -> str:
    """The failures grouped by cause and command, a few cases of each: an assertion message."""
    groups: dict[tuple[str, str], list[Failure]] = defaultdict(list)
    for failure in failures:
        groups[(failure.cause, failure.command)].append(failure)
    lines = [f"{len(failures)} failures in {tried} {what}:"]
    for (cause, command), members in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(f"- {cause} [{command}] × {len(members)}")
        for failure in members[:3]:
            lines.append(f"    {failure.case}: {failure.seen}")
    return "\n".join(lines)
