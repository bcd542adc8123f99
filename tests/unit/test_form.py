"""The one table of fields: every part of the case a person fills in is on exactly one step."""

from __future__ import annotations

from collections import Counter
from typing import Any, get_args

from pydantic import BaseModel

from tui.domain.field_paths import field_type, get_field, set_field
from tui.domain.form import FORM, OUTSIDE_FORMS, STEP_IDS, FieldKind, label_of, spec_for, step_for
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
    key = "AKIAIOSFODNN7EXAMPLE"  # a secret anywhere is a check pointing at the text that holds it
    for path in ("summary", "tried", "reproduction.evidence", "context", "breadth.named_customers",
                 "target_override", "edited_brief"):
        case = Escalation(summary="x", problem={"nature": Nature.BUG})
        if path == "tried":
            case.tried = [{"action": "Called the API", "result": f"with {key}"}]
        elif path == "context":
            case.context = [{"title": "Ticket", "excerpt": f"their key {key}"}]
        elif path == "target_override":
            case.target_override = TargetOverride(value=Target.SECURITY, reason=f"key {key} leaked")
        elif path.endswith(("evidence", "customers")):
            get_field(case, path).append(f"key {key}")
        else:
            set_field(case, path, f"key {key}")
        cases.append(case)
    seen = set()
    for case in cases:
        for result in check_quality(case, assess(case, now=NOW), now=NOW).results:
            seen.add(result.field)
            outside = result.field.partition(".")[0] in OUTSIDE_FORMS  # the brief's text, an override's reason
            assert spec_for(result.field) is not None or outside, (result.id, result.field)
    assert len(seen) > 20  # the cases above reach most checks
    assert {"summary", "tried.0.result", "reproduction.evidence.0", "context.0.excerpt", "breadth.named_customers.0",
            "target_override.reason", "edited_brief"} <= seen


def test_texts_typed_outside_the_forms_are_named_and_belong_to_the_step_that_edits_them() -> None:
    assert (step_for("edited_brief"), label_of("edited_brief")) == ("brief", "Brief text (edited by hand)")
    assert (step_for("severity_override.reason"), label_of("severity_override.reason")) == (
        "impact", "Reason for the override")
    assert step_for("target_override.reason") == "impact"
    assert (step_for("reproduction.evidence.1"), label_of("reproduction.evidence.1")) == (
        "repro", "Evidence (exact errors, logs, screenshots)")
    assert set(OUTSIDE_FORMS) <= NOT_IN_FORMS
