"""Read and write one field of an Escalation by its dotted path ("customer.arr").

The UI binds each input to a path and the quality checks name the path that fixes them, so
both speak the same language. A number in a path is an item of a list: "tried.2.action" is the
result column of the third thing tried, "reproduction.steps.0" the first step. Writes go through
pydantic's assignment validation: a value the model refuses raises `FieldError` with a message
fit to show beside the input. One item of a list is written in place, so the cost of an edit
does not grow with the length of the list.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from tui.domain.annotations import peel
from tui.domain.models import Escalation
from tui.domain.text_safety import strip_unsafe


class FieldError(ValueError):
    """The text typed for a field cannot be used; the message says what to type instead."""


def _split(path: str) -> tuple[list[str], str]:
    *parents, leaf = path.split(".")
    return parents, leaf


def _step(owner: Any, name: str) -> Any:
    return owner[int(name)] if name.isdigit() else getattr(owner, name)


def _owner(esc: Escalation, parents: list[str]) -> Any:
    owner: Any = esc
    for name in parents:
        owner = _step(owner, name)
    return owner


def get_field(esc: Escalation, path: str) -> Any:
    parents, leaf = _split(path)
    return _step(_owner(esc, parents), leaf)


def field_type(path: str) -> Any:
    """The innermost annotation of the field at `path` (Optional and Annotated peeled off); for
    a list item ("tried.0", "reproduction.steps.1") the type of the list's items."""
    kind: Any = Escalation
    for name in path.split("."):
        kind = peel(get_args(kind)[0]) if name.isdigit() else peel(kind.model_fields[name].annotation)
    return kind


def set_field(esc: Escalation, path: str, value: Any) -> None:
    """Assign `value` to the field at `path`, validated by the model (a list item of text is checked
    to be text and made safe as the model would)."""
    parents, leaf = _split(path)
    owner = _owner(esc, parents)
    if leaf.isdigit():
        owner[int(leaf)] = _list_item(path, value)
        return
    try:
        setattr(owner, leaf, value)
    except ValidationError as error:
        raise FieldError(_message(error)) from None


def _list_item(path: str, value: Any) -> Any:
    kind = field_type(path)
    if isinstance(value, str) and kind is str:
        return strip_unsafe(value)
    if isinstance(value, kind):
        return value
    if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(value, dict):
        try:
            return kind.model_validate(value)
        except ValidationError as error:
            raise FieldError(_message(error)) from None
    raise FieldError(f"expected {kind.__name__}, got {type(value).__name__}")


def blank_item(path: str) -> Any:
    """A new, empty item for the list at `path`: "" or a record with every field at its default."""
    kind = field_type(f"{path}.0")
    return kind() if isinstance(kind, type) and issubclass(kind, BaseModel) else ""


def is_blank_item(item: Any) -> bool:
    """Nothing typed in it: blank text, or a record whose text fields are all blank."""
    if isinstance(item, str):
        return not item.strip()
    if isinstance(item, BaseModel):
        texts = (value for value in item.__dict__.values() if isinstance(value, str) and not isinstance(value, Enum))
        return all(not text.strip() for text in texts)
    return item is None


def insert_item(esc: Escalation, path: str, index: int, item: Any) -> None:
    items: list[Any] = get_field(esc, path)
    items.insert(index, _list_item(f"{path}.{index}", item))


def remove_item(esc: Escalation, path: str, index: int) -> Any:
    items: list[Any] = get_field(esc, path)
    return items.pop(index)


def move_item(esc: Escalation, path: str, index: int, offset: int) -> int:
    """Move item `index` by `offset` places (kept within the list); its new index."""
    items: list[Any] = get_field(esc, path)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    return target


def parse_text(path: str, text: str) -> Any:
    """Turn what was typed into the field's type: '' clears optional numbers and dates."""
    kind = field_type(path)
    stripped = text.strip()
    if kind is str:
        return text
    if kind is int:
        if not stripped:
            return None
        cleaned = stripped.replace(",", "").replace("_", "").lstrip("$").removesuffix("k").removesuffix("K")
        try:
            number = int(cleaned)
        except ValueError:
            raise FieldError("type a whole number, e.g. 120000 (commas and a leading $ are fine)") from None
        return number * 1000 if stripped[-1:] in ("k", "K") else number
    if kind is datetime:
        return _parse_moment(stripped)
    if kind is date:
        if not stripped:
            return None
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            raise FieldError("type a date as YYYY-MM-DD, e.g. 2026-11-19") from None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(stripped)
    return text


def _parse_moment(text: str) -> datetime | None:
    if not text:
        return None
    candidate = text.replace(" ", "T", 1) if "T" not in text else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        raise FieldError("type a date and time as YYYY-MM-DD HH:MM (an offset such as +01:00 is optional)") from None


def format_value(value: Any) -> str:
    """The text an input shows for a stored value (the inverse of `parse_text`)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _message(error: ValidationError) -> str:
    detail = error.errors()[0]
    message = str(detail.get("ctx", {}).get("error", detail["msg"]))
    return message[:1].lower() + message[1:]
