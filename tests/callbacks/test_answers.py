"""Reading an answer out of Lark's and Slack's click payloads; what is not ours is left alone."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import lark_click, slack_click

from tui.callbacks.answers import Answer, from_lark, from_slack


def test_a_lark_take_from_the_sample_payload() -> None:
    assert from_lark(lark_click()) == Answer(
        source="lark", event_id="73e4b7c2f0d84c2aa1f1b0e6a8c1d042", escalation_id=42, action="take",
        who="ou_7d8a6e6df7621556ce0d21922b676706", message_ref="om_x100b4f1c8e3a52a0e3a0c1f0d9e7b6a5",
        who_id="ou_7d8a6e6df7621556ce0d21922b676706")


def test_a_slack_take_from_the_sample_payload() -> None:
    assert from_slack(slack_click()) == Answer(
        source="slack", event_id="1503435956.000247:1503435958.114931:W111", escalation_id=42, action="take",
        who="kim.lee", message_ref="1503435956.000247", who_id="W111")


def test_a_lark_clicker_shown_by_name_keeps_their_open_id_for_a_task() -> None:
    payload = lark_click()
    payload["event"]["operator"]["name"] = "Kim Lee"
    answer = from_lark(payload)
    assert answer is not None
    assert (answer.who, answer.who_id) == ("Kim Lee", "ou_7d8a6e6df7621556ce0d21922b676706")


def test_an_id_that_is_not_an_id_is_not_kept() -> None:
    payload = lark_click()
    payload["event"]["operator"] = {"open_id": "ou_x\x1b[2J", "name": "Kim"}
    answer = from_lark(payload)
    assert answer is not None
    assert answer.who_id == ""


@pytest.mark.parametrize("action", ["acknowledge", "take", "need_info"])
def test_each_action_is_read(action: str) -> None:
    lark, slack = from_lark(lark_click(action)), from_slack(slack_click(action))
    assert lark is not None
    assert slack is not None
    assert (lark.action, slack.action) == (action, action)


def test_lark_without_a_header_still_gives_one_id_per_click() -> None:
    payload = lark_click()
    del payload["header"]
    answer = from_lark(payload)
    assert answer is not None
    assert answer.event_id == "c-295ee57216a5dc9de90fefd0aadb4b1d7d337bc7"  # the click's own token


def test_a_need_info_question_is_read_and_made_safe() -> None:
    lark = lark_click("need_info")
    lark["event"]["action"]["form_value"] = {"question": "Which \x1b]52;c;aGk=\x07region?\u202e"}
    slack = slack_click("need_info")
    slack["state"] = {"values": {"ask": {"escalate_tui.question": {"type": "plain_text_input",
                                                                   "value": "Which region?"}}}}
    lark_answer, slack_answer = from_lark(lark), from_slack(slack)
    assert lark_answer is not None
    assert slack_answer is not None
    assert lark_answer.question == "Which ]52;c;aGk=region?"
    assert slack_answer.question == "Which region?"


def test_a_name_is_preferred_to_an_id_and_kept_on_one_line() -> None:
    payload = slack_click()
    payload["user"] = {"id": "W111", "name": "Kim\nLee\x1b[2J"}
    answer = from_slack(payload)
    assert answer is not None
    assert answer.who == "Kim Lee[2J"


def _lark(edit: str) -> dict[str, Any]:
    payload = lark_click()
    value = payload["event"]["action"]["value"]
    if edit == "no marker":
        del value["escalate_tui"]
    elif edit == "other app":
        payload["event"]["action"]["value"] = {"action": "ack", "brief": "42"}
    elif edit == "unknown action":
        value["action"] = "close"
    elif edit == "id not a number":
        value["escalation"] = "42; DROP TABLE drafts"
    elif edit == "id zero":
        value["escalation"] = "0"
    elif edit == "no operator":
        del payload["event"]["operator"]
    elif edit == "another event":
        payload["header"]["event_type"] = "im.message.receive_v1"
    return payload


@pytest.mark.parametrize("edit", ["no marker", "other app", "unknown action", "id not a number", "id zero",
                                  "no operator", "another event"])
def test_lark_payloads_that_are_not_ours(edit: str) -> None:
    assert from_lark(_lark(edit)) is None


def _slack(edit: str) -> dict[str, Any]:
    payload = slack_click()
    first = payload["actions"][0]
    if edit == "other app":
        first.update(action_id="esc_ack", block_id="esc_42")
    elif edit == "unknown action":
        first["action_id"] = "escalate_tui.close"
    elif edit == "value and block disagree":
        first["value"] = "43"
    elif edit == "not block_actions":
        payload["type"] = "view_submission"
    elif edit == "no actions":
        payload["actions"] = []
    elif edit == "no user":
        del payload["user"]
    return payload


@pytest.mark.parametrize("edit", ["other app", "unknown action", "value and block disagree", "not block_actions",
                                  "no actions", "no user"])
def test_slack_payloads_that_are_not_ours(edit: str) -> None:
    assert from_slack(_slack(edit)) is None


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=30)


@settings(max_examples=100, deadline=None)
@given(payload=st.dictionaries(st.sampled_from(["schema", "header", "event", "type", "actions", "user", "container",
                                                "state"]), JSON, max_size=8))
def test_any_json_is_read_or_refused_never_a_crash(payload: dict[str, Any]) -> None:
    for parse in (from_lark, from_slack):
        answer = parse(payload)
        assert answer is None or answer.escalation_id > 0
