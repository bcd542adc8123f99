"""Problems in a TOML file a person edits: tomllib and pydantic errors worded for that person,
each pointing at the line to fix (found by `toml_locate`). Works for any pydantic model, so the
brief files and the config share it.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tui.domain.annotations import peel
from tui.domain.text_safety import quoted, shorten, visible
from tui.store.toml_locate import KeyPath, key_lines, long_integers, nearest_line

LARGEST_INTEGER = 2**63 - 1  # TOML integers are 64-bit
MOST = 50  # problems listed for one file; the rest are counted
FIELD_SHOWN = 80  # characters of a field's dotted path shown in a problem


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a file: ``path:line: field: message`` (line 0 when no line applies)."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # A field is a path of the file's own keys: it may hold control characters, or be megabytes long.
        where = visible(f"{self.path}:{self.line}" if self.line else str(self.path))
        field = visible(shorten(self.field, FIELD_SHOWN))
        return f"{where}: {field}: {self.message}" if self.field else f"{where}: {self.message}"


_SYNTAX_HINTS = {
    "Invalid value": 'text values need double quotes, e.g. name = "Acme Corp"',
    "Cannot overwrite a value": "a key or a [table] appears twice; keep one",
    "Cannot declare": "a key or a [table] appears twice; keep one",
}
_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def syntax_problem(error: tomllib.TOMLDecodeError, path: Path, text: str = "") -> Problem:
    """A tomllib error as a problem on the line the parser stopped at."""
    detail = str(error)
    match = _POSITION.search(detail)
    line, column = (int(match[1]), int(match[2])) if match and match[1] else (len(text.splitlines()) or 1, 0)
    detail = (detail[: match.start()] if match else detail) or "unreadable"
    message = f"this is not valid TOML: {detail[0].lower()}{detail[1:]}"
    if column:
        message += f" (column {column})"
    for start, hint in _SYNTAX_HINTS.items():
        if detail.startswith(start):
            message += f"; {hint}"
    return Problem(path, line, "", message)


def unreadable_problems(error: ValueError, path: Path, text: str) -> list[Problem]:
    """What made tomllib raise a bare ValueError (not a TOMLDecodeError): an integer with more
    digits than Python reads. One problem per such number, on its line."""
    found = long_integers(text)
    if not found:
        return [Problem(path, 1, "", f"cannot read this file: {error}")]
    problems = [
        Problem(path, line, dotted(loc), f"this number has {digits:,} digits, too many to read; "
                                         f"write a whole number of at most {LARGEST_INTEGER:,}")
        for loc, line, digits in found[:MOST]
    ]
    return _count_the_rest(problems, len(found), path)


DEEP = 100  # brackets open at once beyond which no brief or config means it


def too_deep_problem(path: Path, text: str) -> Problem:
    """Values nested past what the TOML reader can follow, on the line where the nesting gets deep.
    (Counts brackets, strings left aside: good enough to point at the place.)"""
    depth = 0
    in_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if in_string:
                in_string = "" if char == in_string else in_string
            elif char in "\"'":
                in_string = char
            elif char in "[{":
                depth += 1
                if depth > DEEP:
                    return Problem(path, number, "", f"values are nested more than {DEEP} deep; this is not a brief")
            elif char in "]}":
                depth = max(0, depth - 1)
    return Problem(path, 1, "", "values are nested too deeply to read")


_KEY_SEGMENT = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DEEP_KEY = re.compile(rf"^[ \t]*\[{{0,2}}[ \t]*(?:{_KEY_SEGMENT}[ \t]*\.[ \t]*){{{DEEP},}}", re.MULTILINE)


def deep_key_problem(path: Path, text: str) -> Problem | None:
    """A dotted key or table header of more than `DEEP` parts, which no brief or config has: the TOML
    reader takes time that grows with the square of the parts (seconds for a line of a few thousand),
    so such a file is refused before it is read."""
    found = _DEEP_KEY.search(text)
    if found is None:
        return None
    number = text.count("\n", 0, found.start()) + 1
    return Problem(path, number, "",
                   f"a key of more than {DEEP} dotted parts; nothing escalate-tui reads nests that deep")


def not_utf8_problem(error: UnicodeDecodeError, path: Path) -> Problem:
    """Where a file stops being UTF-8: the line, and the column counted in characters."""
    data, start = bytes(error.object), error.start  # after any byte-order mark
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    message = f"not UTF-8 text (byte 0x{data[start]:02x} at column {column}); save the file as UTF-8"
    return Problem(path, data.count(b"\n", 0, start) + 1, "", message)


def problems_from_validation(error: ValidationError, text: str, path: Path, model: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, in the order of their lines: the dotted field, its line in
    `text`, and what to write. At most MOST of them, then one that counts the rest."""
    found = key_lines(text)
    details = error.errors()
    located = sorted(((nearest_line(found, tuple(detail["loc"])), index) for index, detail in enumerate(details)))
    problems = []
    listed: set[str] = set()  # the lists of a table's fields already shown once
    for line, index in located[:MOST]:  # explaining one takes a while (it looks for a close name)
        loc = tuple(details[index]["loc"])
        message = _explain(details[index], loc, model)
        head, sep, fields = message.partition(_FIELDS_HERE)
        if sep and fields in listed:
            message = f"{head}{_FIELDS_HERE}as listed above"
        listed.add(fields)
        problems.append(Problem(path, line, dotted(loc), message))
    return _count_the_rest(problems, len(details), path)


def _count_the_rest(problems: list[Problem], total: int, path: Path) -> list[Problem]:
    if total <= len(problems):
        return problems
    left = total - len(problems)
    return [*problems, Problem(path, 0, "", f"… and {left:,} more problem{'s' if left > 1 else ''}")]


def dotted(loc: Sequence[str | int]) -> str:
    """``('tried', 1, 'result')`` as ``tried[2].result``: list items counted from 1, as people count."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _explain(detail: ErrorDetails, loc: KeyPath, model: type[BaseModel]) -> str:
    kind, value = detail["type"], detail.get("input")
    owner, annotation = _walk(model, loc)
    leaf = inner_type(annotation)
    got = f", not {_show(value)}"
    if kind == "extra_forbidden":
        return _unknown_field(str(loc[-1]), owner, model)
    if kind == "missing":
        return f"required here but missing; add a line {loc[-1]} = …"
    if kind == "enum" or (isinstance(leaf, type) and issubclass(leaf, Enum)):
        members: list[Enum] = list(leaf) if isinstance(leaf, type) and issubclass(leaf, Enum) else []
        allowed = ", ".join(str(member.value) for member in members) or "?"
        return f"{_show(value)} is not one of the allowed values: {allowed}"
    if kind.startswith("int") or kind in ("float_parsing", "float_type"):
        hint = " (write numbers without quotes)" if isinstance(value, str) else ""
        return f"expected a whole number such as 120000{hint}{got}"
    if kind == "greater_than_equal":
        return f"must be {detail.get('ctx', {}).get('ge')} or more{got}"
    if kind == "less_than_equal":
        return f"must be {detail.get('ctx', {}).get('le'):,} or less{got}"
    if kind == "value_error":
        return str(detail.get("ctx", {}).get("error", detail["msg"]))
    if kind.startswith("string_too_short"):
        return "must not be empty"
    if kind.startswith("string"):
        return f"expected text in double quotes{got}"
    if kind.startswith("bool"):
        return f"expected true or false{got}"
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return f"expected a date and time such as 2026-11-19T14:30:00+01:00{got}"
    if kind.startswith("date"):
        return f"expected a date such as 2026-11-19{got}"
    if kind == "list_type":
        if isinstance(leaf, type) and issubclass(leaf, BaseModel):
            return f"expected one [[{loc[-1]}]] table per item (double brackets){got}"
        return f'expected a list such as ["first", "second"]{got}'
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a table: put its fields under a [{dotted(loc)}] header{got}"
    message = str(detail["msg"])
    return message[:1].lower() + message[1:]


def _unknown_field(name: str, owner: type[BaseModel] | None, root: type[BaseModel]) -> str:
    message = "unknown field"
    if owner is not None and len(name) <= FIELD_SHOWN:  # no field is that long; comparing would take long
        close = difflib.get_close_matches(name, list(owner.model_fields), n=1, cutoff=0.6)
        if close:
            return f"{message}; did you mean '{close[0]}'?"
    home = _home_of(name, root)
    if home:
        return f"{message}; {quoted(name)} belongs in [{home}]"
    if owner is not None:
        return f"{message}{_FIELDS_HERE}{', '.join(owner.model_fields)}"
    return message


_FIELDS_HERE = "; the fields here are: "


def _home_of(name: str, model: type[BaseModel], prefix: str = "") -> str:
    """The table (dotted) where a field of this name lives, searching the whole model."""
    for field, info in model.model_fields.items():
        inner = inner_type(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if name in inner.model_fields:
                return prefix + field
            deeper = _home_of(name, inner, f"{prefix}{field}.")
            if deeper:
                return deeper
    return ""


def _walk(model: type[BaseModel], loc: KeyPath) -> tuple[type[BaseModel] | None, Any]:
    """The model owning the last name in `loc`, and that name's annotation (None if unknown)."""
    owner: type[BaseModel] | None = model
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        inner = inner_type(annotation)
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None, None
        owner = inner
        if part not in inner.model_fields:
            return owner, None
        annotation = inner.model_fields[part].annotation
    return owner, annotation


def inner_type(annotation: Any) -> Any:
    """The type a field holds, under Optional, Annotated, list and tuple."""
    return peel(annotation, containers=True)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = json.dumps(value[:40], ensure_ascii=False)
        return visible(shown if len(shown) <= 40 else shown[:36] + '…"')
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date | time):
        return value.isoformat()
    return repr(value)[:40]
