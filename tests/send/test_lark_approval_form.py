"""The Lark approval's form and uuid: built from the brief as plain JSON string values within each
widget's limit, the uuid in Lark's 8-4-4-4-12 form and the same for the same request; and the
settings that say which widget gets what, refused with the key named when wrong."""

from __future__ import annotations

import json
import re

import pytest
from brief_cases import make_brief
from hypothesis import given, settings
from hypothesis import strategies as st
from lark_double import APP_ID, APPLICANT, APPROVAL_CODE, CHAT

from tui.domain.models import Escalation, Target
from tui.send import lark_app, lark_approval
from tui.send.config import parse_destinations

BASE = {"name": "lead-lark", "type": "lark_app", "app_id": APP_ID, "app_secret_env": "LARK_APP_SECRET",
        "domain": "lark", "receive_id": CHAT}
FORM = {"w_summary": {"type": "input", "field": "summary"}, "w_brief": {"type": "textarea", "field": "brief"},
        "w_reason": {"type": "input", "field": "reason"}, "w_ref": {"type": "input", "field": "reference"}}


def config(form: dict[str, dict[str, str]] | None = None) -> lark_app.Config:
    return lark_app.Config.model_validate({**BASE, "approval_code": APPROVAL_CODE,
                                           "approval_applicant_open_id": APPLICANT,
                                           "approval_form": form or FORM})


def exception_case(summary: str = "Refund beyond the 30-day window for Acme", **parts: object) -> Escalation:
    return Escalation.model_validate({"summary": summary, "flags": {"policy_exception": True},
                                      "customer": {"name": "Acme Corp"},
                                      "ask": {"kind": "approve", "text": "Approve a refund of 3 months"}, **parts})


def values(form: str) -> dict[str, str]:
    widgets = json.loads(form)
    assert all(set(widget) == {"id", "type", "value"} for widget in widgets)
    return {widget["id"]: widget["value"] for widget in widgets}


def test_each_widget_gets_its_brief_field_in_a_json_array_string() -> None:
    brief = make_brief(exception_case(), escalation_id=42, target=Target.LEADERSHIP)
    form = lark_approval.form_for(brief, config())
    assert isinstance(form, str)
    assert [(widget["id"], widget["type"]) for widget in json.loads(form)] == [
        ("w_summary", "input"), ("w_brief", "textarea"), ("w_reason", "input"), ("w_ref", "input")]
    got = values(form)
    assert got["w_summary"] == "Refund beyond the 30-day window for Acme"
    assert got["w_ref"] == "ESC-42"
    assert got["w_reason"] == "Leadership must approve the exception to policy: Approve a refund of 3 months"
    assert "Refund beyond the 30-day window for Acme" in got["w_brief"]
    assert "Approve a refund of 3 months" in got["w_brief"]


def test_the_other_fields_say_severity_target_customer_ask_and_impact() -> None:
    form = {name: {"type": "textarea", "field": name}
            for name in ("severity", "target", "customer", "ask", "impact")}
    esc = exception_case(breadth={"customer_count": 1, "named_customers": ["Acme Corp"]})
    brief = make_brief(esc, target=Target.LEADERSHIP)
    got = values(lark_approval.form_for(brief, config(form)))
    assert (got["severity"], got["target"], got["customer"]) == ("High", "Leadership", "Acme Corp")
    assert "Approve a refund of 3 months" in got["ask"]
    assert got["impact"]
    assert "###" not in got["impact"]
    assert "**" not in got["impact"]


def test_a_long_brief_is_cut_to_the_widget_limit_and_says_where_the_rest_is() -> None:
    story = "\n".join(f"Step {n}: the customer retried the refund and it failed again." for n in range(400))
    brief = make_brief(exception_case(problem={"description": story}), escalation_id=7)
    got = values(lark_approval.form_for(brief, config()))
    assert len(got["w_brief"]) <= lark_approval.LIMITS["textarea"]
    assert got["w_brief"].endswith("ask the sender for the full brief ESC-7)")
    long_summary = make_brief(exception_case(summary="Refund " * 100))
    assert len(values(lark_approval.form_for(long_summary, config()))["w_summary"]) <= lark_approval.LIMITS["input"]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_hostile_text_stays_a_plain_string_value(text: str) -> None:
    brief = make_brief(exception_case(summary=text, customer={"name": text}))
    form = {"a": {"type": "input", "field": "summary"}, "b": {"type": "textarea", "field": "customer"},
            "c": {"type": "textarea", "field": "brief"}}
    got = values(lark_approval.form_for(brief, config(form)))
    assert list(got) == ["a", "b", "c"]  # no widget added or lost, whatever the text holds
    for value in got.values():
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", value)
    assert "\n" not in got["a"]


def test_the_uuid_is_lark_shaped_and_the_same_for_the_same_request() -> None:
    first = lark_approval.uuid_for("ESC-42/v1/lead-lark/approval/17")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", first)
    assert lark_approval.uuid_for("ESC-42/v1/lead-lark/approval/17") == first
    assert lark_approval.uuid_for("ESC-42/v1/lead-lark/approval/18") != first


def problems(extra: dict[str, object]) -> list[tuple[tuple[str | int, ...], str]]:
    return parse_destinations([{**BASE, **extra}])[1]


def test_an_unknown_brief_field_is_refused_naming_the_widget() -> None:
    [(where, message)] = problems({"approval_code": APPROVAL_CODE, "approval_applicant_open_id": APPLICANT,
                                   "approval_form": {"widget1": {"type": "input", "field": "salary"}}})
    assert where == ("destinations", 0, "approval_form", "widget1", "field")
    assert "unknown brief field 'salary'" in message
    assert "summary" in message


@pytest.mark.parametrize(("extra", "key", "said"), [
    ({"approval_code": APPROVAL_CODE, "approval_applicant_open_id": APPLICANT,
      "approval_form": {"widget1": {"type": "date", "field": "summary"}}}, "type", "'input' or 'textarea'"),
    ({"approval_code": "not-a-code", "approval_applicant_open_id": APPLICANT,
      "approval_form": FORM}, "approval_code", "pattern"),
    ({"approval_code": APPROVAL_CODE, "approval_form": FORM}, None, "approval_applicant_open_id"),
    ({"approval_code": APPROVAL_CODE, "approval_applicant_open_id": APPLICANT}, None, "approval_form"),
    ({"approval_form": FORM}, None, "need approval_code"),
])
def test_approval_settings_that_cannot_work_are_refused(extra: dict[str, object], key: str | None, said: str) -> None:
    [(where, message)] = problems(extra)
    if key is not None:
        assert key in where
    assert said in message


def test_a_lark_app_without_approval_settings_still_works() -> None:
    configs, found = parse_destinations([BASE])
    assert found == []
    assert isinstance(configs[0], lark_app.Config)
    assert configs[0].approval_code is None
