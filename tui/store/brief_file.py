"""Brief files: one escalation as TOML a person can read, edit by hand and check.

Read with tomllib and validated by the pydantic model; written with tomlkit (imported only when
saving, to keep it off the startup path) in a fixed layout: a short comment, the top-level
values, then one table per part of the model in the model's order. Every field a person can
fill is written, empty or not; only unset values (None) are left out, as TOML has no null.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from tui.domain.models import Escalation
from tui.domain.text_safety import has_unsafe
from tui.store.os_errors import why
from tui.store.toml_problems import (
    Problem,
    deep_key_problem,
    dotted,
    inner_type,
    not_utf8_problem,
    problems_from_validation,
    syntax_problem,
    too_deep_problem,
    unreadable_problems,
)

if TYPE_CHECKING:
    from tomlkit.items import Item

HEADER = (
    "escalate-tui brief: one customer escalation, kept as TOML.",
    "Edit it by hand if you like: empty values are fields still to fill in.",
    "Run `escalate-tui check FILE` to validate it and see what is still missing.",
)
# Written, as comments, in place of a part that is empty or unset.
_NOTES = {
    "tried": 'No [[tried]] steps yet: add one [[tried]] table per step, with action = "…" and result = "…".',
    "context": "No [[context]] items yet: add [[context]] tables with kind, title, reference and excerpt.",
    "severity_override": 'To overrule the proposed severity, add [severity_override] with value and reason = "why".',
    "target_override": 'To overrule the proposed target team, add [target_override] with value and reason = "why".',
}
# Shown, commented out, for fields that are not set yet, so a person sees what to fill in.
_SAMPLES: dict[object, str] = {datetime: "2026-11-19T09:00:00+00:00", date: "2026-11-19", bool: "true"}
_INT_SAMPLES = {"arr": "120000", "arr_at_risk": "120000", "customer_count": "3", "user_count": "40"}
_INT64 = (-(2**63), 2**63 - 1)
_STRING_PLACE = Path("<string>")


class BriefFileError(Exception):
    """One or more problems in a brief file; str() is one ``path:line: field: message`` per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# --- reading --------------------------------------------------------------------------


def load_brief(path: Path, warnings: list[str] | None = None) -> Escalation:
    """The escalation in the brief file at `path`; BriefFileError says what is wrong and where.
    What was read but not kept (see `loads_brief`) is added to `warnings`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _single(path, "no such file; check the path, or create one with `escalate-tui new`") from None
    except IsADirectoryError:
        raise _single(path, "this is a folder, not a brief file") from None
    except OSError as error:
        raise _single(path, f"cannot read the file: {why(error, path)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefFileError([not_utf8_problem(error, path)]) from None
    return loads_brief(text, path, warnings)


def loads_brief(text: str, path: Path = _STRING_PLACE, warnings: list[str] | None = None) -> Escalation:
    """The escalation in TOML `text`; `path` only names the source in problems. Control characters
    and bidi overrides in its text are dropped (the model keeps none); `warnings` gets one line
    naming the fields that held them."""
    too_deep = deep_key_problem(path, text)
    if too_deep is not None:
        raise BriefFileError([too_deep])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BriefFileError([syntax_problem(error, path, text)]) from None
    except ValueError as error:
        raise BriefFileError(unreadable_problems(error, path, text)) from None
    except RecursionError:
        raise BriefFileError([too_deep_problem(path, text)]) from None
    try:
        esc = Escalation.model_validate(data)
    except ValidationError as error:
        raise BriefFileError(problems_from_validation(error, text, path, Escalation)) from None
    if warnings is not None:
        fields = _fields_with_unsafe_text(data)
        if fields:
            listed = ", ".join(fields[:5]) + (f" and {len(fields) - 5} more" if len(fields) > 5 else "")
            warnings.append(f"{path}: control characters or text-direction overrides were removed from {listed}; "
                            "they could act on your terminal. Save the brief to drop them from the file too.")
    return esc


def _fields_with_unsafe_text(data: Any, prefix: str = "") -> list[str]:
    """The dotted paths of the strings in `data` holding characters the model drops."""
    if isinstance(data, str):
        return [prefix or "the file"] if has_unsafe(data.replace("\r\n", "\n")) else []
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    found: list[str] = []
    for key, value in items:
        found += _fields_with_unsafe_text(value, f"{prefix}.{key}" if prefix else str(key))
    return found


def _single(path: Path, message: str) -> BriefFileError:
    return BriefFileError([Problem(path, 1, "", message)])


# --- writing --------------------------------------------------------------------------


def save_brief(esc: Escalation, path: Path) -> None:
    """Write the brief to `path` in one step: the old file stays whole until the new one is.
    BriefFileError when a value cannot be written; OSError when the file cannot be."""
    from tui.store.atomic import write_text_atomic

    write_text_atomic(Path(path), _dump(esc, Path(path)))


def dumps_brief(esc: Escalation) -> str:
    """The brief as TOML text, ending with a newline. BriefFileError (line 0) when a value
    cannot be written to TOML: an integer beyond 64 bits, or text with a lone surrogate."""
    return _dump(esc, _STRING_PLACE)


def _dump(esc: Escalation, path: Path) -> str:
    import tomlkit

    problems: list[Problem] = []
    doc = tomlkit.document()
    for line in HEADER:
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    tables: list[tuple[str, Any]] = []
    for name, info in Escalation.model_fields.items():
        value, inner = getattr(esc, name), inner_type(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            tables.append((name, value))
        elif value is not None:
            doc.add(name, _item(value, (name,), problems))
    for name, value in tables:  # after the plain values: below a [table] header they would land inside it
        doc.add(tomlkit.nl())
        if isinstance(value, BaseModel):
            doc.add(name, _table(value, (name,), problems))
        elif value:
            array = tomlkit.aot()
            for index, item in enumerate(value):
                array.append(_table(item, (name, index), problems))
            doc.add(name, array)
        elif name in _NOTES:
            doc.add(tomlkit.comment(_NOTES[name]))
    if problems:
        raise BriefFileError([Problem(path, 0, problem.field, problem.message) for problem in problems])
    text = tomlkit.dumps(doc)
    return text if text.endswith("\n") else text + "\n"


def _table(part: BaseModel, loc: tuple[str | int, ...], problems: list[Problem]) -> Any:
    import tomlkit

    table = tomlkit.table()
    for name, info in type(part).model_fields.items():
        value = getattr(part, name)
        if value is not None:
            table.add(name, _item(value, (*loc, name), problems))
            continue
        kind = inner_type(info.annotation)
        sample = _INT_SAMPLES.get(name, "1") if kind is int else _SAMPLES.get(kind)
        if sample:
            table.add(tomlkit.comment(f"{name} = {sample}"))
    return table


def _item(value: object, loc: tuple[str | int, ...], problems: list[Problem]) -> Item:
    import tomlkit

    if isinstance(value, Enum):
        item = _string(str(value.value))
        return item.comment("one of: " + ", ".join(str(member.value) for member in type(value)))
    if isinstance(value, str):
        if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
            problems.append(Problem(_STRING_PLACE, 0, dotted(loc), "contains a broken character (lone surrogate)"))
            return _string("")
        return _string(value)
    if isinstance(value, bool):
        return tomlkit.item(value)
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            message = f"{value:,} is too large for a brief file (TOML integers go from {_INT64[0]:,} to {_INT64[1]:,})"
            problems.append(Problem(_STRING_PLACE, 0, dotted(loc), message))
            return tomlkit.item(0)
        return tomlkit.item(value)
    if isinstance(value, datetime):
        try:
            return tomlkit.item(_toml_offset(value))
        except OverflowError:  # an odd offset, within a day of year 1 or 9999
            problems.append(Problem(_STRING_PLACE, 0, dotted(loc), f"{value} cannot be written with a TOML offset"))
            return tomlkit.item(value.replace(tzinfo=None))
    if isinstance(value, date):
        return tomlkit.item(value)
    if isinstance(value, list):
        array = tomlkit.array()
        for index, element in enumerate(value):
            array.append(_item(element, (*loc, index), problems))
        if value:
            array.multiline(True)
        return array
    raise TypeError(f"{dotted(loc)}: no TOML form for {type(value).__name__}")


def _toml_offset(moment: datetime) -> datetime:
    """The same instant with a fixed offset TOML can write (whole minutes; else UTC)."""
    offset = moment.utcoffset() or timedelta(0)
    if offset % timedelta(minutes=1):
        return moment.astimezone(UTC)
    return moment.replace(tzinfo=timezone(offset))


def _string(value: str) -> Item:
    """One-line text as a basic string; text with line breaks as a multi-line basic string."""
    import tomlkit
    from tomlkit.items import String, StringType, Trivia

    if "\n" not in value:
        return tomlkit.string(value)
    return String(StringType.MLB, value, "\n" + _escape_multiline(value), Trivia())


def _escape_multiline(value: str) -> str:
    """Escape for a multi-line basic string: line breaks stay real, everything else is safe."""
    out: list[str] = []
    quotes = 0
    for index, char in enumerate(value):
        if char == '"':
            quotes += 1
            last = index == len(value) - 1
            out.append('\\"' if quotes == 3 or last else '"')
            quotes = 0 if quotes == 3 else quotes
            continue
        quotes = 0
        if char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


# --- schema ---------------------------------------------------------------------------


def brief_json_schema() -> dict[str, Any]:
    """JSON Schema of a brief file (the TOML document's shape), for editors and scripts."""
    schema = Escalation.model_json_schema(mode="validation")
    schema["title"] = "escalate-tui brief file"
    schema["description"] = "One customer escalation, as saved by escalate-tui (TOML; this schema describes its shape)."
    return schema
