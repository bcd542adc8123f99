"""The lark_app destination against a loopback Lark: the card and its buttons, the tenant token
(fetched once, renewed before it expires or when refused), uuid dedup, card updates, and Lark's
error codes turned into a wait or a fix. No secret shows in any message or shown request."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from chat_support import briefs, check_lark_app, check_lark_card, example_brief
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark_double import APP_ID, APP_SECRET, CHAT, LarkDouble, Scripted

from tui.send import lark_app
from tui.send.config import SecretMissing, parse_destinations
from tui.send.kinds import load_kind
from tui.send.model import Brief, Outcome, OutcomeKind, Payload

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
ENV = {"LARK_APP_SECRET": APP_SECRET}


def config(api_url: str | None = None, **options: Any) -> lark_app.Config:
    table = {"name": "eng-lark", "type": "lark_app", "app_id": APP_ID, "app_secret_env": "LARK_APP_SECRET",
             "domain": "lark", "receive_id": CHAT, **options}
    if api_url:
        table["api_url"] = api_url
    return lark_app.Config.model_validate(table)


def deliver(client: httpx.Client, lark: LarkDouble, brief: Brief | None = None, now: datetime = NOW,
            unclear: bool = False, **options: Any) -> tuple[Outcome, Payload]:
    cfg = config(lark.url, **options)
    payload = lark_app.build(brief or example_brief(), cfg)
    outcome = lark_app.deliver(client, payload, cfg, ENV, now, unclear=unclear)
    no_secret(outcome.message, lark)
    return outcome, payload


def no_secret(text: str, lark: LarkDouble | None = None) -> None:
    assert APP_SECRET not in text
    for token in lark.issued_tokens if lark else []:
        assert token not in text


def card_of(payload: Payload) -> dict[str, Any]:
    return check_lark_app(payload.body)


# --- config ----------------------------------------------------------------------------------

def test_the_type_is_known_and_read_from_the_config() -> None:
    assert load_kind("lark_app") is lark_app
    found, problems = parse_destinations([{"name": "eng", "type": "lark_app", "app_id": APP_ID,
                                           "app_secret_env": "LARK_APP_SECRET", "domain": "feishu",
                                           "receive_id": CHAT}])
    assert problems == []
    assert lark_app.base_url(found[0]) == "https://open.feishu.cn/open-apis"  # type: ignore[arg-type]
    assert lark_app.base_url(config()) == "https://open.larksuite.com/open-apis"


def test_an_app_secret_written_in_the_config_is_refused_with_how_to_move_it() -> None:
    _, problems = parse_destinations([{"name": "eng", "type": "lark_app", "app_id": APP_ID, "domain": "lark",
                                       "app_secret": APP_SECRET, "receive_id": CHAT}])
    assert problems
    assert "app_secret_env" in problems[0][1]
    assert APP_SECRET not in problems[0][1]


def test_api_url_must_be_https_unless_it_is_this_machine() -> None:
    _, problems = parse_destinations([{"name": "eng", "type": "lark_app", "app_id": APP_ID, "domain": "lark",
                                       "app_secret_env": "S", "receive_id": CHAT,
                                       "api_url": "http://lark.example.com/open-apis"}])
    assert "only https" in problems[0][1]
    assert config("http://127.0.0.1:9/open-apis").api_url


# --- the card --------------------------------------------------------------------------------

def test_the_card_has_three_callback_buttons_carrying_the_escalation() -> None:
    payload = lark_app.build(example_brief(escalation_id=42), config())
    assert payload.body["receive_id"] == CHAT
    assert payload.body["uuid"] == payload.idempotency_key
    card = card_of(payload)
    actions = [element for element in card["elements"] if element["tag"] == "action"]
    assert len(actions) == 1
    buttons = actions[0]["actions"]
    assert [button["text"]["content"] for button in buttons] == ["Acknowledge", "Take", "Need info"]
    assert [button["value"] for button in buttons] == [
        {"escalate_tui": 1, "action": action, "escalation": "42"} for action in ("acknowledge", "take", "need_info")]
    assert "ESC-42" in json.dumps(card, ensure_ascii=False)


def test_a_long_key_becomes_a_uuid_lark_takes() -> None:
    assert lark_app.uuid_for("esc42-v3-eng") == "esc42-v3-eng"
    long = lark_app.uuid_for("k" * 51)
    assert len(long) <= 50
    assert long == lark_app.uuid_for("k" * 51)
    assert long != lark_app.uuid_for("k" * 52)


def _fits(brief: Brief, status: str) -> None:
    payload = lark_app.build(brief, config())
    card = card_of(payload)  # checks the 30 KB, the update_multi and the buttons
    assert brief.reference in json.dumps(card, ensure_ascii=False)
    updated = lark_app.card_for(brief, config(), status)
    check_lark_card(updated, callbacks=True)
    content = json.dumps(updated, ensure_ascii=False, separators=(",", ":"))
    assert len(json.dumps({"content": content}, ensure_ascii=False).encode()) <= 30 * 1024


QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=QUIET)
@given(brief=briefs(), status=st.text(max_size=300))
def test_any_brief_makes_a_valid_card_within_30_kb(brief: Brief, status: str) -> None:
    _fits(brief, status)


def test_the_updated_card_shows_the_state_as_plain_text_above_the_brief() -> None:
    card = lark_app.card_for(example_brief(), config(), "Taken by <at id=all></at> Ana\x1b[2J at 10:42")
    first = card["elements"][0]
    assert first["text"]["tag"] == "plain_text"
    assert first["text"]["content"].startswith("Taken by <at id=all></at> Ana")
    assert "\x1b" not in first["text"]["content"]
    assert card["config"]["update_multi"] is True
    resolved = lark_app.card_for(example_brief(), config(), "Resolved", buttons=False)
    assert all(element["tag"] != "action" for element in resolved["elements"])


# --- the dry run -----------------------------------------------------------------------------

def test_the_dry_run_shows_a_token_placeholder_and_fetches_nothing() -> None:
    cfg = config()
    payload = lark_app.build(example_brief(), cfg)
    sent = lark_app.request(payload, cfg, ENV, NOW)
    shown = sent.shown()
    assert shown.startswith("POST https://open.larksuite.com/open-apis/im/v1/messages?receive_id_type=chat_id")
    assert "Authorization: Bearer ‹token›" in shown
    assert APP_SECRET not in shown
    with pytest.raises(SecretMissing, match="LARK_APP_SECRET"):
        lark_app.request(payload, cfg, {}, NOW)


# --- sending ---------------------------------------------------------------------------------

def test_the_card_is_posted_and_its_message_id_kept(client: httpx.Client, lark: LarkDouble) -> None:
    outcome, payload = deliver(client, lark)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.remote_id in lark.messages
    posted = lark.messages[outcome.remote_id]
    assert posted.content == payload.body["content"]
    assert lark.auth_seen == ["Bearer t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1001"]


def test_sending_again_with_the_same_uuid_posts_nothing_new(client: httpx.Client, lark: LarkDouble) -> None:
    first, _ = deliver(client, lark)
    again, _ = deliver(client, lark, unclear=True)
    assert again.kind is OutcomeKind.DELIVERED
    assert again.remote_id == first.remote_id
    assert len(lark.messages) == 1
    assert lark.calls["POST /im/v1/messages"] == 2


def test_the_token_is_fetched_once_and_renewed_ten_minutes_before_it_expires(client: httpx.Client,
                                                                              lark: LarkDouble) -> None:
    deliver(client, lark, example_brief(escalation_id=1))
    deliver(client, lark, example_brief(escalation_id=2), now=NOW + timedelta(seconds=7200 - 601))
    assert lark.issued == 1
    outcome, _ = deliver(client, lark, example_brief(escalation_id=3), now=NOW + timedelta(seconds=7200 - 600))
    assert outcome.kind is OutcomeKind.DELIVERED
    assert lark.issued == 2
    assert len(lark.messages) == 3


def test_a_refused_token_is_renewed_once_and_the_send_made_again(client: httpx.Client, lark: LarkDouble) -> None:
    deliver(client, lark, example_brief(escalation_id=1))
    lark.revoke_tokens()  # Lark no longer takes the cached token
    outcome, _ = deliver(client, lark, example_brief(escalation_id=2))
    assert outcome.kind is OutcomeKind.DELIVERED
    assert lark.issued == 2
    assert lark.calls["POST /im/v1/messages"] == 3
    assert len(lark.messages) == 2


def test_a_token_refused_twice_stops_with_what_to_check(client: httpx.Client, lark: LarkDouble) -> None:
    refused = Scripted(400, {"code": 99991663, "msg": "Invalid access token for authorization.", "data": {}})
    lark.then("POST /im/v1/messages", refused, refused, refused)
    outcome, _ = deliver(client, lark)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "published" in outcome.message
    assert lark.issued == 2
    assert lark.calls["POST /im/v1/messages"] == 2


def test_wrong_app_credentials_name_the_variable_without_the_secret(client: httpx.Client, lark: LarkDouble) -> None:
    cfg = config(lark.url)
    payload = lark_app.build(example_brief(), cfg)
    outcome = lark_app.deliver(client, payload, cfg, {"LARK_APP_SECRET": "wrong-secret-value-123"}, NOW, False)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "$LARK_APP_SECRET" in outcome.message
    assert "wrong-secret-value-123" not in outcome.message
    assert lark.calls["POST /im/v1/messages"] == 0


@pytest.mark.parametrize(("status", "code", "headers", "wait"), [
    (429, 99991400, {"x-ogw-ratelimit-reset": "7"}, 7.0),
    (400, 230020, {}, None),
    (400, 11232, {"Retry-After": "3"}, 3.0),
    (503, 0, {}, None),
])
def test_rate_limits_are_waited_out(client: httpx.Client, lark: LarkDouble, status: int, code: int,
                                    headers: dict[str, str], wait: float | None) -> None:
    lark.then("POST /im/v1/messages", Scripted(status, {"code": code, "msg": "request trigger frequency limit",
                                                        "data": {}}, headers))
    outcome, _ = deliver(client, lark)
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after == wait
    assert lark.messages == {}


@pytest.mark.parametrize(("code", "fix"), [
    (99991672, "im:message:send_as_bot"),
    (230027, "publish a new version"),
    (230003, "Permissions & Scopes"),
    (230006, "Bot capability"),
    (230099, "fault in escalate-tui"),
])
def test_permission_errors_stop_and_say_what_to_fix(client: httpx.Client, lark: LarkDouble, code: int,
                                                    fix: str) -> None:
    lark.then("POST /im/v1/messages", Scripted(400, {"code": code, "msg": "Access denied.", "data": {}}))
    outcome, _ = deliver(client, lark)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert fix in outcome.message
    assert f"code {code}" in outcome.message
    assert "'eng-lark'" in outcome.message


def test_a_chat_without_the_bot_says_to_add_it(client: httpx.Client, lark: LarkDouble) -> None:
    outcome, _ = deliver(client, lark, receive_id="oc_elsewhere")
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "add the bot to the group" in outcome.message
    assert "'oc_elsewhere'" in outcome.message


def test_no_answer_at_all_is_tried_again(client: httpx.Client) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cfg = config(f"http://127.0.0.1:{port}/open-apis")
    outcome = lark_app.deliver(client, lark_app.build(example_brief(), cfg), cfg, ENV, NOW, False)
    assert outcome.kind is OutcomeKind.RETRY
    assert "eng-lark" in outcome.message


# --- updating the card -----------------------------------------------------------------------

def test_the_sent_card_is_updated_in_place(client: httpx.Client, lark: LarkDouble) -> None:
    sent, _ = deliver(client, lark)
    cfg = config(lark.url)
    card = lark_app.card_for(example_brief(), cfg, "Taken by Ana Lima at 10:42")
    outcome = lark_app.update_card(client, cfg, ENV, sent.remote_id, card, now=NOW)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.remote_id == sent.remote_id
    updated = json.loads(lark.messages[sent.remote_id].updates[-1])
    assert updated["elements"][0]["text"]["content"] == "Taken by Ana Lima at 10:42"
    assert lark.issued == 1  # the send's token served the update
    assert len(lark.messages) == 1


@pytest.mark.parametrize(("flag", "words"), [("too_old", "more than 14 days old"), ("recalled", "recalled")])
def test_a_card_lark_will_not_change_says_why(client: httpx.Client, lark: LarkDouble, flag: str,
                                              words: str) -> None:
    sent, _ = deliver(client, lark)
    setattr(lark.messages[sent.remote_id], flag, True)
    cfg = config(lark.url)
    outcome = lark_app.update_card(client, cfg, ENV, sent.remote_id, lark_app.card_for(example_brief(), cfg, "x"),
                                   now=NOW)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert words in outcome.message
    no_secret(outcome.message, lark)


def test_a_huge_brief_is_cut_to_fit_30_kb_and_says_where_the_rest_is() -> None:
    brief = example_brief()
    huge = Brief(brief.escalation_id, brief.version, brief.esc, brief.assessment,
                 brief.markdown + "\n\n## Context\n\n" + "Log line with 中文 & <tags>\n" * 3000, brief.today)
    payload = lark_app.build(huge, config())
    size = len(json.dumps(payload.body, ensure_ascii=False, separators=(",", ":")).encode())
    assert 25 * 1024 < size <= 30 * 1024
    assert "cut to fit: ask the sender for the full brief ESC-42" in payload.body["content"]
    card_of(payload)
    emails = [f"person{number}@acme.example" for number in range(50)]
    crowded = lark_app.build(huge, config(mention_emails=emails))
    sent = lark_app.with_mentions(crowded.body, ["ou_" + "f" * 64] * 50)
    assert len(json.dumps(sent, ensure_ascii=False, separators=(",", ":")).encode()) <= 30 * 1024


def test_secrets_lark_echoes_back_are_masked(client: httpx.Client, lark: LarkDouble) -> None:
    token = "t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1001"  # the first token the double issues
    lark.then("POST /im/v1/messages", Scripted(400, {"code": 230027, "data": {},
                                                     "msg": f"no permission for {token} ({APP_SECRET})\x1b]52;c;"}))
    outcome, _ = deliver(client, lark)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert lark.issued_tokens == [token]
    assert "‹$tenant_access_token›" in outcome.message
    assert "‹$LARK_APP_SECRET›" in outcome.message
    assert "\x1b" not in outcome.message


# --- mentions --------------------------------------------------------------------------------

ANA = "ou_7d8a6e6df7621556ce0d21922b676706"


def test_configured_people_are_mentioned_and_the_unknown_named(client: httpx.Client, lark: LarkDouble) -> None:
    lark.people = {"ana@acme.example": ANA}
    outcome, payload = deliver(client, lark, mention_emails=["ana@acme.example", "nobody@acme.example"])
    assert outcome.kind is OutcomeKind.DELIVERED
    assert "nobody@acme.example" in outcome.message
    assert "ana@acme.example" not in outcome.message
    card = json.loads(lark.messages[outcome.remote_id].content)
    assert card["elements"][0] == {"tag": "div", "text": {"tag": "lark_md", "content": f"<at id={ANA}></at>"}}
    check_lark_card({**card, "elements": card["elements"][1:]}, callbacks=True)
    assert card["elements"][1:] == json.loads(payload.body["content"])["elements"]
    assert lark.calls["POST /contact/v3/users/batch_get_id"] == 1
    assert lark.issued == 1


def test_an_odd_id_from_the_lookup_is_not_written_into_the_card(client: httpx.Client, lark: LarkDouble) -> None:
    lark.people = {"ana@acme.example": "ou_x></at><at id=all>"}
    outcome, payload = deliver(client, lark, mention_emails=["ana@acme.example"])
    assert outcome.kind is OutcomeKind.DELIVERED
    assert lark.messages[outcome.remote_id].content == payload.body["content"]


def test_a_lookup_without_the_contact_scope_stops_before_posting(client: httpx.Client, lark: LarkDouble) -> None:
    lark.then("POST /contact/v3/users/batch_get_id",
              Scripted(400, {"code": 99991672, "msg": "Access denied.", "data": {}}))
    outcome, _ = deliver(client, lark, mention_emails=["ana@acme.example"])
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "contact:user.id:readonly" in outcome.message
    assert lark.messages == {}
