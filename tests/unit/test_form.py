"""The one table of fields: every part of the case a person fills in is on exactly one step."""

from __future__ import annotations

from collections import Counter
from typing import Any, get_args

from pydantic import BaseModel

from tui.domain.field_paths import field_type
from tui.domain.form import FORM, STEP_IDS, FieldKind, spec_for, step_for
from tui.domain.models import Escalation

# Set elsewhere than in a form: the file format's version, the creation time, the overrides (their
# own dialog: each needs a reason) and the brief's text as edited by hand (the Brief step's editor).
NOT_IN_FORMS = {"schema_version", "created", "severity_override", "target_override", "edited_brief"}


def leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if path in NOT_IN_FORMS:
            continue
        kind: Any = field_type(path)
        if isinstance(kind, type) and issubclass(kind, BaseModel) and not getattr(info.annotation, "__origin__", None):
            paths += leaf_paths(kind, f"{path}.")
        else:
            paths.append(path)
    return paths


def test_every_field_a_person_fills_in_is_on_exactly_one_step() -> None:
    in_form = Counter(spec.path for spec in FORM)
    assert [path for path, count in in_form.items() if count > 1] == []
    assert sorted(set(leaf_paths(Escalation)) - set(in_form)) == []
    assert sorted(set(in_form) - set(leaf_paths(Escalation))) == []
    assert {spec.step for spec in FORM} == set(STEP_IDS)


def test_a_list_row_belongs_to_the_step_of_its_list() -> None:
    assert step_for("tried.2.result") == "intake"
    assert step_for("context.0.reference") == "context"
    assert spec_for("reproduction.steps.1") is not None
    assert step_for("no.such.field") == STEP_IDS[0]


def test_a_list_of_records_has_a_column_for_each_field_of_its_records_and_nothing_else_has_columns() -> None:
    for spec in FORM:
        item = get_args(field_type(spec.path))[0] if spec.kind is FieldKind.LIST else None
        if isinstance(item, type) and issubclass(item, BaseModel):
            assert sorted(column.name for column in spec.columns) == sorted(item.model_fields), spec.path
        else:
            assert spec.columns == (), spec.path


def test_every_field_a_quality_check_points_at_is_on_a_step() -> None:
    """Enter on a failed check jumps to its field: each field a check names must be on a form."""
    from support import EXAMPLE_NAMES, NOW, example

    from tui.domain.models import Nature, Target, TargetOverride
    from tui.domain.quality import check_quality
    from tui.domain.triage import assess

    cases = [Escalation(), *(example(name) for name in EXAMPLE_NAMES)]
    for target in Target:  # every team's own checks
        case = Escalation(summary="x", problem={"nature": Nature.BUG})
        case.target_override = TargetOverride(value=target, reason="checking its checks")
        cases.append(case)
    seen = set()
    for case in cases:
        for result in check_quality(case, assess(case, now=NOW), now=NOW).results:
            seen.add(result.field)
            assert spec_for(result.field) is not None, (result.id, result.field)
    assert len(seen) > 20  # the cases above reach most checks
