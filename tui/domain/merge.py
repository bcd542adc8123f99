"""Three-way merge of two versions of one case, field by field.

Two app instances edited the same draft from a common version (`base`). Each field either one of
them changed is taken from that one; a field both changed to different values is a clash. A list
(what was tried, the repro steps…) is one field: merging inside lists would guess at which row is which;
so is an override, whose value and reason go together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.domain.models import Escalation

_WHOLE = frozenset({"severity_override", "target_override"})


@dataclass(frozen=True, slots=True)
class Merge:
    merged: Escalation | None  # None when there are clashes
    theirs: tuple[str, ...]  # the fields taken from the other version
    clashes: tuple[str, ...]  # the fields both changed, differently


def leaves(esc: Escalation) -> dict[str, Any]:
    """Every field of the case by its dotted path (lists whole)."""
    found: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and prefix.removesuffix(".") not in _WHOLE:
            for key, inner in value.items():
                walk(f"{prefix}{key}.", inner)
        else:
            found[prefix.removesuffix(".")] = value

    walk("", esc.model_dump())
    return found


def changed_fields(before: Escalation, after: Escalation) -> set[str]:
    old, new = leaves(before), leaves(after)
    return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}


def merge(base: Escalation, ours: Escalation, theirs: Escalation) -> Merge:
    """`ours` with the other version's changes since `base` added, when no field clashes."""
    mine, other = changed_fields(base, ours), changed_fields(base, theirs)
    our_values, their_values = leaves(ours), leaves(theirs)
    clashes = tuple(sorted(path for path in mine & other if our_values.get(path) != their_values.get(path)))
    taken = tuple(sorted(other - mine))
    if clashes:
        return Merge(None, taken, clashes)
    data = ours.model_dump()
    for path in taken:
        _put(data, path, their_values[path])
    return Merge(Escalation.model_validate(data), taken, ())


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        data = data[name]
    data[leaf] = value
