"""Whatever an escalation holds, saving it and loading it back gives the same escalation, and
no text at all makes loading crash: it is an Escalation or a BriefFileError, nothing else."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from annotated_types import Ge, Le, MinLen
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from tui.domain.models import Customer, Escalation, Problem, TriedStep
from tui.domain.text_safety import strip_unsafe
from tui.store.brief_file import BriefFileError, dumps_brief, loads_brief
from tui.store.toml_locate import key_lines, locate
from tui.store.toml_problems import inner_type

TRICKY = [
    "",
    " ",
    'say "hi"',
    '"""',
    'ends with a quote"',
    'ends with two""',
    '""""""',
    "'''",
    "back\\slash",
    "trailing backslash\\",
    "\\\n",
    "line\nbreak",
    "\nstarts with a line break",
    "ends with a line break\n",
    "crlf\r\nline",
    "lone\rcarriage return",
    "tab\there",
    "nul\x00 bell\x07 esc\x1b[0m del\x7f",
    "unicode: é ß 中文 🚀 \u2028 \u0085 \ufeff",
    '[customer]\narr = "not a key, just text"',
    "# not a comment",
    "key = value",
]

text = st.one_of(
    st.text(),
    st.sampled_from(TRICKY),
    st.text(alphabet=st.sampled_from(list("\"'\\\n\r\t #=[]{}.,\x00\x7fé中🚀ab")), max_size=30),
)
offsets = st.one_of(
    st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    # Offsets with seconds or microseconds: TOML cannot write them, so the same instant is saved in UTC.
    st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)).map(timezone),
    st.just(UTC),
)
moments = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=offsets)
INT64_MAX = 2**63 - 1


def _ints(metadata: list[Any]) -> st.SearchStrategy[int]:
    low = next((item.ge for item in metadata if isinstance(item, Ge)), -(2**63))
    high = next((item.le for item in metadata if isinstance(item, Le)), INT64_MAX)
    return st.one_of(st.integers(low, min(high, max(low, 1000))), st.integers(low, high))


def _constraints(annotation: Any) -> list[Any]:
    """Bounds written inside a type alias (e.g. `Amount | None`) as well as on the field."""
    found: list[Any] = []
    for arg in get_args(annotation):
        if isinstance(arg, FieldInfo):
            found.extend(arg.metadata)
        found.extend(_constraints(arg))
    return found


def _for(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    """A strategy for one field, read off the model itself so new fields are covered too."""
    inner = inner_type(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        single = part(inner)
    elif isinstance(inner, type) and issubclass(inner, Enum):
        single = st.sampled_from(list(inner))
    elif inner is bool:
        single = st.booleans()
    elif inner is int:
        single = _ints([*metadata, *_constraints(annotation)])
    elif inner is datetime:
        single = moments
    elif inner is date:
        single = st.dates()
    elif inner is str:
        min_size = next((item.min_length for item in metadata if isinstance(item, MinLen)), 0)
        # What the model keeps must be long enough: no control characters, and a blank reason is empty.
        single = text.filter(lambda value: len(strip_unsafe(value).strip() and strip_unsafe(value)) >= min_size)
    else:
        raise AssertionError(f"no strategy for {annotation!r}")
    if get_origin(annotation) is list:
        return st.lists(single, max_size=4)
    if type(None) in get_args(annotation):
        return st.none() | single
    return single


def part(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    fields = {name: _for(info.annotation, info.metadata) for name, info in model.model_fields.items()}
    return st.fixed_dictionaries(fields).map(lambda values: model(**values))


escalations = part(Escalation)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(escalations)
def test_saving_then_loading_gives_the_same_escalation(esc: Escalation) -> None:
    text_out = dumps_brief(esc)
    assert text_out.endswith("\n")
    assert loads_brief(text_out) == esc


@settings(max_examples=100, deadline=None)
@given(st.lists(st.builds(TriedStep, action=text, result=text), min_size=1, max_size=4))
def test_every_key_of_a_saved_brief_is_located_on_its_own_line(tried: list[TriedStep]) -> None:
    esc = Escalation(summary="x", customer=Customer(name="Acme", arr=5), tried=tried)
    saved = dumps_brief(esc)
    lines = saved.split("\n")  # TOML breaks lines at \n only (not at \u2028 and friends)
    for index in range(len(tried)):
        for key in ("action", "result"):
            assert lines[locate(saved, ("tried", index, key)) - 1].startswith(f"{key} = ")
    assert lines[locate(saved, ("customer", "arr")) - 1] == "arr = 5"
    assert lines[locate(saved, ("tried", len(tried) - 1)) - 1] == "[[tried]]"


def test_a_multiline_value_is_written_readably_and_stays_exact() -> None:
    description = 'First line.\nSecond line with "quotes", a \\ and a tab\t.\n'
    esc = Escalation(problem=Problem(description=description))
    saved = dumps_brief(esc)
    assert 'description = """\nFirst line.\nSecond line with "quotes"' in saved
    assert tomllib.loads(saved)["problem"]["description"] == description


def test_an_offset_toml_cannot_write_is_saved_as_the_same_instant() -> None:
    odd = datetime(2026, 11, 19, 10, 0, 30, tzinfo=timezone(timedelta(seconds=30)))
    esc = Escalation(created=odd)
    back = loads_brief(dumps_brief(esc))
    assert back.created == odd
    assert back.created is not None
    assert back.created.utcoffset() == timedelta(0)


def test_microseconds_survive() -> None:
    moment = datetime(2026, 11, 19, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=5, minutes=45)))
    back = loads_brief(dumps_brief(Escalation(created=moment)))
    assert back.created == moment
    assert back.created is not None
    assert back.created.microsecond == 123456


@settings(max_examples=100, deadline=None)
@given(st.text())
@example("[[tried]]\nresult = 5\n")
@example("created = 9999-12-31T23:59:59\n")  # local time that may not fit once the zone is applied
@example("a = [" * 2000)
@example("a = " + "[" * 450 + "]" * 450)  # deep enough to strain a recursive scanner, yet valid TOML
@example("customer = { arr = 'lots' }")
def test_any_text_loads_or_says_what_is_wrong(source: str) -> None:
    outcome: Escalation | BriefFileError
    try:
        outcome = loads_brief(source, Path("x.toml"))
    except BriefFileError as error:
        outcome = error
    if isinstance(outcome, BriefFileError):
        assert outcome.problems
        assert all(problem.line >= 1 for problem in outcome.problems)
        assert str(outcome).startswith("x.toml:")
    else:
        assert isinstance(outcome, Escalation)


@settings(max_examples=120, deadline=None)
@given(st.text())
def test_the_locator_never_fails_on_any_text(source: str) -> None:
    assert isinstance(key_lines(source), dict)
    assert locate(source, ("customer", "arr")) >= 1
