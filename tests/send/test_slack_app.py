"""The Slack app destination against a loopback Slack Web API: the message with its buttons passes
Block Kit's own checks, it is posted once (an attempt that may have landed is found by its metadata,
not posted again), people are mentioned by e-mail, the message can be updated, and Slack's refusals
say what to fix without ever showing the token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from chat_support import Reply, briefs, check_slack, example_brief, long_texts, no_control_characters
from hypothesis import HealthCheck, given, settings
from slack_double import CHANNEL, TOKEN, SlackDouble, error
from slack_sdk.models.blocks import Block
from support import NOW

from tui.send import slack_app
from tui.send.config import SecretMissing, parse_destinations
from tui.send.kinds import load_kind
from tui.send.model import Outcome, OutcomeKind

ENV = {"SLACK_BOT_TOKEN": TOKEN}
BUTTONS = [("escalate_tui.acknowledge", "Acknowledge", "primary"), ("escalate_tui.take", "Take", None),
           ("escalate_tui.need_info", "Need info", None)]


def config(api_url: str = "https://slack.com/api", **options: Any) -> slack_app.Config:
    return slack_app.Config.model_validate({"name": "eng", "type": "slack_app", "bot_token_env": "SLACK_BOT_TOKEN",
                                            "channel": CHANNEL, "api_url": api_url, **options})


@pytest.fixture
def slack() -> Iterator[SlackDouble]:
    with SlackDouble() as double:
        yield double


def deliver(double: SlackDouble, client: httpx.Client, unclear: bool = False, **options: Any) -> Outcome:
    chosen = config(double.url, **options)
    payload = slack_app.build(example_brief(), chosen)
    outcome = slack_app.deliver(client, payload, chosen, ENV, NOW, unclear)
    assert TOKEN not in outcome.message
    assert TOKEN not in slack_app.request(payload, chosen, ENV, NOW).shown()
    return outcome


def check_buttons(blocks: list[Any], escalation_id: int) -> None:
    actions = [block for block in blocks if block["type"] == "actions"]
    assert len(actions) == 1
    assert actions[0]["block_id"] == f"escalate_tui.{escalation_id}"
    assert [(b["action_id"], b["text"]["text"], b.get("style")) for b in actions[0]["elements"]] == BUTTONS
    assert {b["value"] for b in actions[0]["elements"]} == {str(escalation_id)}


# --- the message -------------------------------------------------------------------------------

def test_the_message_has_the_brief_the_three_buttons_and_the_send_key_in_its_metadata() -> None:
    brief = example_brief()
    payload = slack_app.build(brief, config())
    body = payload.body
    check_slack(body)
    check_buttons(body["blocks"], 42)
    assert body["channel"] == CHANNEL
    assert body["metadata"] == {"event_type": "escalate_tui_escalation",
                                "event_payload": {"escalation_id": 42, "version": 3, "key": payload.idempotency_key}}
    shown = json.dumps(body)
    for fact in ("ESC-42", "High", "Engineering", "Acme Corp"):
        assert fact in shown
    assert slack_app.DEDUP is True
    assert load_kind("slack_app") is slack_app


def _keeps_buttons_within_limits(brief: Any) -> None:
    chosen = config(mention_emails=[f"p{n}@example.com" for n in range(20)])
    body = slack_app.build(brief, chosen).body
    check_slack(body)
    check_buttons(body["blocks"], brief.escalation_id)
    assert body["blocks"][-1]["type"] == "context"
    mentioned = slack_app.with_mentions(body, [f"U{n:09d}" for n in range(20)])
    assert len(mentioned["blocks"]) <= 50
    assert sum(len(json.dumps(block)) for block in mentioned["blocks"]) < 40_000
    for block in mentioned["blocks"]:
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]


ODD = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@settings(ODD, max_examples=8)
@given(brief=briefs())
def test_odd_briefs_keep_their_buttons_within_block_kit_limits_even_with_mentions(brief: Any) -> None:
    _keeps_buttons_within_limits(brief)


@pytest.mark.slow
@settings(ODD, max_examples=100)
@given(brief=briefs())
def test_any_brief_keeps_its_buttons_within_block_kit_limits_even_with_mentions(brief: Any) -> None:
    _keeps_buttons_within_limits(brief)


@pytest.mark.slow
@settings(ODD, max_examples=8)
@given(brief=briefs(), line=long_texts)
def test_the_state_line_is_plain_text_above_the_buttons(brief: Any, line: str) -> None:
    blocks = slack_app.blocks_for(brief, config(), f"Taken by {line} at 14:02")
    check_slack({"blocks": blocks, "text": slack_app.fallback_for(brief, line)})
    check_buttons(blocks, brief.escalation_id)
    at = next(index for index, block in enumerate(blocks) if block["type"] == "actions")
    assert blocks[at - 1]["text"]["type"] == "plain_text"
    assert blocks[at - 1]["text"]["text"].startswith("Taken by")
    no_control_characters(blocks)


# --- posting -----------------------------------------------------------------------------------

def test_a_post_is_delivered_with_the_channel_and_ts_kept_and_a_permalink(slack: SlackDouble,
                                                                          client: httpx.Client) -> None:
    outcome = deliver(slack, client, workspace_url="https://acme.slack.com")
    assert outcome.kind is OutcomeKind.DELIVERED
    [posted] = slack.messages[CHANNEL]
    assert outcome.remote_id == f"{CHANNEL}:{posted['ts']}"
    assert outcome.remote_url == f"https://acme.slack.com/archives/{CHANNEL}/p{posted['ts'].replace('.', '')}"
    [call] = slack.calls("chat.postMessage")
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    check_buttons(posted["blocks"], 42)


def test_without_the_token_nothing_is_sent_and_the_variable_is_named(slack: SlackDouble,
                                                                      client: httpx.Client) -> None:
    chosen = config(slack.url)
    with pytest.raises(SecretMissing, match="SLACK_BOT_TOKEN"):
        slack_app.deliver(client, slack_app.build(example_brief(), chosen), chosen, {}, NOW, False)
    assert slack.seen == []


@pytest.mark.parametrize(("reply", "kind", "says"), [
    (error("invalid_auth"), OutcomeKind.PERMANENT, "$SLACK_BOT_TOKEN"),
    (error("token_revoked"), OutcomeKind.PERMANENT, "$SLACK_BOT_TOKEN"),
    (error("account_inactive"), OutcomeKind.PERMANENT, "$SLACK_BOT_TOKEN"),
    (error("missing_scope", needed="chat:write", provided="users:read"), OutcomeKind.PERMANENT,
     "lacks the chat:write scope"),
    (error("not_in_channel"), OutcomeKind.PERMANENT, "/invite"),
    (error("channel_not_found"), OutcomeKind.PERMANENT, "channel ID"),
    (error("is_archived"), OutcomeKind.PERMANENT, "archived"),
    (error("invalid_blocks"), OutcomeKind.PERMANENT, "fault in escalate-tui"),
    (error("msg_too_long"), OutcomeKind.PERMANENT, "fault in escalate-tui"),
    (error("fatal_error"), OutcomeKind.UNCERTAIN, "may have been posted"),
    (Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"}), OutcomeKind.RETRY, "slow down"),
    (Reply(503, b"<html>upstream down</html>"), OutcomeKind.RETRY, "503"),
])
def test_slack_refusals_say_what_to_do(slack: SlackDouble, client: httpx.Client, reply: Reply, kind: OutcomeKind,
                                       says: str) -> None:
    slack.scripted["chat.postMessage"] = [reply]
    outcome = deliver(slack, client)
    assert outcome.kind is kind
    assert says in outcome.message
    assert "'eng'" in outcome.message
    if reply.status == 429:
        assert outcome.retry_after == 7.0


def test_a_wrong_token_is_refused_by_the_service_and_not_repeated(slack: SlackDouble, client: httpx.Client) -> None:
    slack.token = "xoxb-another"
    outcome = deliver(slack, client)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "invalid_auth" in outcome.message
    assert slack.messages == {}


# --- an attempt that may have landed ------------------------------------------------------------

def test_a_cut_off_post_is_found_by_its_metadata_and_not_posted_again(slack: SlackDouble,
                                                                      client: httpx.Client) -> None:
    slack.drop_after_post = 1
    first = deliver(slack, client)
    assert first.kind is OutcomeKind.UNCERTAIN
    slack.post(CHANNEL, {"text": "someone else", "metadata": {"event_type": "escalate_tui_escalation",
                                                              "event_payload": {"key": "esc7-v1-eng"}}})
    again = deliver(slack, client, unclear=True)
    assert again.kind is OutcomeKind.DELIVERED
    assert len(slack.calls("chat.postMessage")) == 1
    first_ts = slack.messages[CHANNEL][0]["ts"]
    assert again.remote_id == f"{CHANNEL}:{first_ts}"
    [look] = slack.calls("conversations.history")
    assert "include_all_metadata=true" in look.path
    assert "oldest=" in look.path


def test_the_search_follows_pages_then_posts_when_the_message_is_not_there(slack: SlackDouble,
                                                                           client: httpx.Client) -> None:
    slack.page = 2
    for n in range(5):
        slack.post(CHANNEL, {"text": f"chatter {n}"})
    outcome = deliver(slack, client, unclear=True)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert len(slack.calls("conversations.history")) == 3
    assert len(slack.calls("chat.postMessage")) == 1


def test_a_found_message_on_a_later_page_is_not_posted_again(slack: SlackDouble, client: httpx.Client) -> None:
    slack.page = 2
    slack.drop_after_post = 1
    deliver(slack, client)
    for n in range(3):
        slack.post(CHANNEL, {"text": f"chatter {n}"})
    assert deliver(slack, client, unclear=True).kind is OutcomeKind.DELIVERED
    assert len(slack.calls("chat.postMessage")) == 1


@pytest.mark.parametrize(("options", "scripted"), [
    ({"channel": "#escalations"}, None),
    ({}, error("missing_scope", needed="channels:history")),
    ({}, error("not_in_channel")),
])
def test_when_the_channel_cannot_be_searched_a_person_looks_and_nothing_is_posted(
        slack: SlackDouble, client: httpx.Client, options: dict[str, Any], scripted: Reply | None) -> None:
    if scripted:
        slack.scripted["conversations.history"] = [scripted]
    outcome = deliver(slack, client, unclear=True, **options)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "look in" in outcome.message
    assert slack.calls("chat.postMessage") == []


def test_a_rate_limited_search_is_tried_again_later_without_posting(slack: SlackDouble,
                                                                    client: httpx.Client) -> None:
    slack.scripted["conversations.history"] = [Reply(429, {"ok": False, "error": "ratelimited"},
                                                     {"Retry-After": "30"})]
    outcome = deliver(slack, client, unclear=True)
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after == 30.0
    assert slack.calls("chat.postMessage") == []


# --- mentions ----------------------------------------------------------------------------------

def test_people_are_mentioned_by_email_and_an_unknown_one_is_only_noted(slack: SlackDouble,
                                                                         client: httpx.Client) -> None:
    outcome = deliver(slack, client, mention_emails=["dana@example.com", "nobody@example.com"])
    assert outcome.kind is OutcomeKind.DELIVERED
    assert "nobody@example.com" in outcome.message
    assert "dana@example.com" not in outcome.message
    blocks = slack.messages[CHANNEL][0]["blocks"]
    at = next(index for index, block in enumerate(blocks) if block["type"] == "actions")
    assert blocks[at - 1]["text"]["text"] == "For <@U0DANA>"
    assert sum("<@" in json.dumps(block) for block in blocks) == 1
    for block in blocks:
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]


def test_a_lookup_without_its_scope_still_posts_and_names_the_scope(slack: SlackDouble,
                                                                     client: httpx.Client) -> None:
    slack.scripted["users.lookupByEmail"] = [error("missing_scope", needed="users:read.email")]
    outcome = deliver(slack, client, mention_emails=["dana@example.com"])
    assert outcome.kind is OutcomeKind.DELIVERED
    assert "users:read.email" in outcome.message
    assert "<@" not in json.dumps(slack.messages[CHANNEL][0]["blocks"])


# --- updating ----------------------------------------------------------------------------------

def test_the_posted_message_is_updated_in_place_with_the_state(slack: SlackDouble, client: httpx.Client) -> None:
    chosen = config(slack.url)
    brief = example_brief()
    posted = deliver(slack, client)
    blocks = slack_app.blocks_for(brief, chosen, "Taken by Dana <!channel> at 14:02")
    outcome = slack_app.update_message(client, chosen, ENV, posted.remote_id, blocks,
                                       slack_app.fallback_for(brief, "Taken by Dana"))
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.remote_id == posted.remote_id
    [message] = slack.messages[CHANNEL]
    assert message["blocks"] == blocks
    assert "Taken by Dana <!channel> at 14:02" in json.dumps(message["blocks"])
    assert message["text"].endswith("Taken by Dana")
    assert TOKEN not in outcome.message


@pytest.mark.parametrize(("code", "says"), [
    ("cant_update_message", "not posted with this app's bot token"), ("message_not_found", "gone"),
    ("edit_window_closed", "no longer allows"), ("invalid_blocks", "fault in escalate-tui"),
    ("invalid_auth", "$SLACK_BOT_TOKEN"),
])
def test_an_update_slack_refuses_says_why(slack: SlackDouble, client: httpx.Client, code: str, says: str) -> None:
    slack.scripted["chat.update"] = [error(code)]
    outcome = slack_app.update_message(client, config(slack.url), ENV, f"{CHANNEL}:1795000001.000100", [], "x")
    assert outcome.kind is OutcomeKind.PERMANENT
    assert says in outcome.message


def test_an_update_without_a_message_reference_sends_nothing(slack: SlackDouble, client: httpx.Client) -> None:
    outcome = slack_app.update_message(client, config(slack.url), ENV, "", [], "x")
    assert outcome.kind is OutcomeKind.PERMANENT
    assert slack.seen == []


# --- settings ----------------------------------------------------------------------------------

def test_the_settings_refuse_an_inline_token_and_plain_http_to_another_host() -> None:
    found, problems = parse_destinations([
        {"name": "a", "type": "slack_app", "bot_token": "xoxb-1-2-abc", "channel": CHANNEL},
        {"name": "b", "type": "slack_app", "bot_token_env": "T", "channel": CHANNEL,
         "api_url": "http://slack.example.com/api"},
        {"name": "c", "type": "slack_app", "bot_token_env": "T", "channel": "#escalations",
         "mention_emails": ["dana@example.com"], "workspace_url": "https://acme.slack.com"},
    ])
    assert [chosen.name for chosen in found] == ["c"]
    assert "bot_token_env" in problems[0][1]
    assert "https" in problems[1][1]
    assert all("xoxb-1-2-abc" not in message for _, message in problems)
