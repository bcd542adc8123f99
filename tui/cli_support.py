"""What every command of the CLI shares: the user's errors, the exit codes, the clock, JSON output,
the common options, and reading a brief file and the settings. Nothing here imports Textual."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.text_safety import quoted, visible

if TYPE_CHECKING:  # types only: the modules themselves load lazily, per command
    from tui.config import Settings
    from tui.domain.models import Escalation
    from tui.domain.settings import RuleSettings
    from tui.domain.triage import Assessment
    from tui.store.drafts import DraftStore

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# An argument's bytes that are not UTF-8 reach Python as lone surrogates, which no file can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What JSON may carry raw but a terminal obeys: DEL, the C1 controls, bidi overrides (C0 is escaped anyway).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class UserError(Exception):
    """A problem the user can fix; printed as-is, exit code 2."""


# The clock's range: the follow-up plan counts up to two weeks ahead of it, and every date-time must
# stay within years 1 to 9999 in UTC and in its own offset.
EARLIEST_NOW = datetime(1, 1, 2, tzinfo=UTC)
LATEST_NOW = datetime(9999, 12, 1, tzinfo=UTC)


def _now(text: str | None = None) -> datetime:
    if text is None:
        return datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"--now: {quoted(text)} is not an ISO date-time such as 2026-11-19T10:00+00:00") from None
    out_of_range = UserError(f"--now {quoted(text)} is out of the range the app can compute with: "
                             f"from {EARLIEST_NOW.isoformat()} to {LATEST_NOW.isoformat()}")
    try:
        moment = moment if moment.tzinfo else moment.astimezone()
    except (OverflowError, OSError, ValueError):
        raise out_of_range from None
    if not EARLIEST_NOW <= moment <= LATEST_NOW:
        raise out_of_range
    return moment


def _argument_text(text: str | None, what: str) -> str | None:
    """`text` with the bytes that were not UTF-8 replaced by U+FFFD, saying so on stderr."""
    if text is None:
        return None
    fixed, count = _SURROGATE.subn("\ufffd", text)
    if count:
        bytes_were = "1 byte was" if count == 1 else f"{count:,} bytes were"
        print(f"escalate-tui: the {what} is not valid UTF-8: {bytes_were} replaced with \ufffd "
              "(check the terminal's text encoding)", file=sys.stderr)
    return fixed


def json_text(data: object) -> str:
    """`data` as indented JSON, non-ASCII text kept as it is but every control character escaped
    (they can only occur inside strings, where \\uXXXX means the same character)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", metavar="ISO", help="clock for SLA, time in queue and cadence (default: now)")


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="config file (default: $ESCALATE_TUI_CONFIG or the per-user config path)",
    )


DEMO = {"on": False}  # set by `--demo` for this process: every command's settings are the demo's


def _settings(config: Path | None) -> Settings:
    """The settings in `config` (or the default config file), each problem with it as a warning; with
    `--demo`, the demo's (`tui.config.for_demo`)."""
    from tui.config import for_demo, load_settings

    settings, problems = load_settings(config)
    for problem in problems:
        print(f"warning: {visible(str(problem))}", file=sys.stderr)
    if problems:
        print("warning: using the default settings for what could not be read.", file=sys.stderr)
    return for_demo(settings) if DEMO["on"] else settings


def _rules(config: Path | None) -> RuleSettings:
    return _settings(config).rules


def _load(path: Path, notes: list[str] | None = None) -> Escalation:
    """The brief file at `path`; what was read but not kept goes to `notes`, or, without, to stderr."""
    from tui.store.brief_file import BriefFileError, load_brief

    warnings: list[str] = []
    try:
        esc = load_brief(path, warnings)
    except BriefFileError as error:
        raise UserError(str(error)) from None
    if notes is None:
        for warning in warnings:
            print(f"warning: {visible(warning)}", file=sys.stderr)
    else:
        notes.extend(warnings)
    return esc


def brief_markdown(esc: Escalation, assessment: Assessment, now: datetime) -> str:
    """The brief as `escalate-tui render` prints it: the text edited by hand when the case holds one,
    else the Markdown the case makes."""
    if esc.edited_brief is not None:
        return esc.edited_brief
    from tui.render.markdown import render_markdown

    return render_markdown(esc, assessment, now.date())


def _exists(path: Path) -> bool:
    """Whether `path` exists; UserError when it cannot even be looked up (a name too long)."""
    from tui.store.os_errors import why

    try:
        return path.exists()
    except OSError as error:
        raise UserError(f"{path}: {why(error, path)}") from None


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[DraftStore]:
    """The drafts database, its problems as UserError; a database moved aside is said on stderr."""
    from tui.store.drafts import DraftStore, DraftStoreError
    from tui.store.escalations import EscalationError

    try:
        store = DraftStore.open_default(args.data_dir)
    except DraftStoreError as error:
        raise UserError(str(error)) from None
    if store.moved_aside is not None:
        print(f"warning: {visible(store.moved_aside.sentence())}", file=sys.stderr)
    try:
        with store:
            yield store
    except (DraftStoreError, EscalationError) as error:
        raise UserError(str(error)) from None
