"""The `file` destination: the Markdown export written into a folder, the default destination.

A send writes a new file, whole or not at all, readable by its owner only. It never replaces a file:
a file of the same name with the same text is this send already done; one with other text keeps
its place and the brief goes under the next free name (``…-2.md``, ``…-3.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Self

from pydantic import Field, model_validator

from tui.domain.triage import VerdictKind
from tui.render.export_name import default_export_name
from tui.send.config import DestinationConfig
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, Payload, Request
from tui.store.atomic import create_text_atomic
from tui.store.os_errors import why

if TYPE_CHECKING:
    import httpx

DEDUP = True
MAX_OTHER_NAMES = 99  # "-2" … "-100": past that, something is wrong with the folder, not the name
PLACES = ("kind", "date", "slug", "reference", "version")
_SAMPLE = {"kind": "escalation", "date": "2026-01-31", "slug": "brief", "reference": "ESC-1", "version": "1"}


class Config(DestinationConfig):
    type: Literal["file"] = "file"
    folder: str = Field(default=".", min_length=1, description="Where the file goes; ~ is your home folder.")
    # not `name`: that is the destination's own name, which every type shares
    file_name: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="The file name, with {kind}, {date}, {slug}, {reference} and {version} filled in; "
                    "default: kind-date-slug-reference-vN.md.",
    )

    @model_validator(mode="after")
    def _check_name(self) -> Self:
        if self.file_name is not None:
            problem = name_problem(self.file_name)
            if problem:
                raise ValueError(f"file_name: {problem}")
        return self


def name_problem(pattern: str) -> str | None:
    """Why `pattern` cannot name a file in the folder, or None."""
    try:
        sample = pattern.format(**_SAMPLE)
    except (KeyError, IndexError, ValueError):
        return f"use only these places in braces: {', '.join('{' + place + '}' for place in PLACES)}"
    if "/" in sample or "\\" in sample or sample in (".", "..") or any(ord(c) < 32 for c in sample):
        return "it must be a file name alone, without a folder (set folder for that)"
    return None


def export_name(brief: Brief, config: Config) -> str:
    """The file's name: the export's usual name with the reference and version, or the pattern."""
    kind = "support-note" if brief.assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT else "escalation"
    day = brief.today.isoformat()
    standard = default_export_name(brief.esc.summary, day, kind)
    if config.file_name is None:
        return f"{standard.removesuffix('.md')}-{brief.reference.lower()}-v{brief.version}.md"
    slug = standard.removeprefix(f"{kind}-{day}-").removesuffix(".md")
    return config.file_name.format(kind=kind, date=day, slug=slug, reference=brief.reference, version=brief.version)


def build(brief: Brief, config: Config) -> Payload:
    name = export_name(brief, config)
    return Payload(destination=config.name, type="file", body={"name": name, "markdown": brief.markdown},
                   idempotency_key=idempotency_key(brief, config.name),
                   title=f"{brief.reference} v{brief.version} → {name}")


def _path(payload: Payload, config: Config) -> Path:
    return Path(config.folder).expanduser() / str(payload.body["name"])


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    path = _path(payload, config).absolute()
    return Request(method="WRITE", url=path.as_uri(), headers={}, body=str(payload.body["markdown"]).encode())


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    """Write the brief as a new file; the same text already there under the name counts as written."""
    first = _path(payload, config)
    text = str(payload.body["markdown"])
    folder = first.parent
    if not folder.is_dir():
        return Outcome.permanent(f"destination “{config.name}”: the folder {folder} does not exist; "
                                 "create it or change folder in the destination's settings")
    for path in _candidates(first):
        try:
            create_text_atomic(path, text)
        except FileExistsError:
            same = _holds(path, text)
            if same is None:
                return Outcome.permanent(f"destination “{config.name}”: {path} exists and cannot be read to "
                                         "compare it; move it away or change folder")
            if same:
                return Outcome.delivered(remote_id=path.name, remote_url=str(path), message="already written")
            continue
        except OSError as error:
            return Outcome.permanent(f"destination “{config.name}”: could not write {path}: {why(error, path)}")
        return Outcome.delivered(remote_id=path.name, remote_url=str(path))
    return Outcome.permanent(f"destination “{config.name}”: {first} and {MAX_OTHER_NAMES} other names for it are "
                             "taken by other files; clear the folder or change the file_name setting")


def _candidates(first: Path) -> list[Path]:
    stem, suffix = first.stem, first.suffix
    return [first, *(first.with_name(f"{stem}-{n}{suffix}") for n in range(2, MAX_OTHER_NAMES + 2))]


def _holds(path: Path, text: str) -> bool | None:
    """Whether the file at `path` holds exactly `text`; None when it cannot be read."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return None
