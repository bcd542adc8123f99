"""Each chat destination against a loopback server that answers as its service does: the outcome
says what happened, and no secret appears in any message or shown request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from chat_support import Reply, Seen, Service, example_brief

from tui.send import discord, lark, slack, teams
from tui.send.model import Outcome, OutcomeKind

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
TOKEN = "T0001/B0002/xoxSECRETtoken"
SIGNING = "lark-signing-secret-value"
MODULES = {"slack": slack, "lark": lark, "teams": teams, "discord": discord}


def send(kind: str, answer: Callable[[Seen], Reply], client: httpx.Client, timeout: float = 5.0,
         **options: Any) -> tuple[Outcome, list[Seen]]:
    module = MODULES[kind]
    config = module.Config.model_validate(
        {"name": "team", "type": kind, "webhook_url_env": "HOOK", "timeout": timeout, **options})
    payload = module.build(example_brief(), config)
    with Service(answer) as service:
        env = {"HOOK": f"{service.url}/hook/{TOKEN}", "LARK_SECRET": SIGNING}
        outcome = module.deliver(client, payload, config, env, NOW, unclear=False)
        shown = module.request(payload, config, env, NOW).shown()
    for secret in (TOKEN, SIGNING):
        assert secret not in outcome.message
        assert secret not in shown
    return outcome, service.seen


def always(reply: Reply) -> Callable[[Seen], Reply]:
    return lambda _seen: reply


# --- Slack ---------------------------------------------------------------------------------

def test_slack_ok_is_delivered_and_the_body_arrived_as_json(client: httpx.Client) -> None:
    outcome, seen = send("slack", always(Reply(200, "ok")), client)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert seen[0].path == f"/hook/{TOKEN}"
    assert seen[0].headers["content-type"].startswith("application/json")
    assert json.loads(seen[0].body)["blocks"][0]["type"] == "header"


@pytest.mark.parametrize(("status", "code", "fix"), [
    (404, "no_service", "create a new incoming webhook and put its URL in $HOOK"),
    (403, "invalid_token", "create a new incoming webhook"),
    (410, "channel_is_archived", "archived"),
    (404, "channel_not_found", "no longer exists"),
    (403, "action_prohibited", "admin"),
    (400, "invalid_blocks", "fault in escalate-tui"),
    (400, "invalid_payload", "fault in escalate-tui"),
    (500, "no_active_hooks", "create a new incoming webhook"),  # the code counts, not the status
])
def test_slack_error_codes_are_permanent_and_say_what_to_fix(client: httpx.Client, status: int, code: str,
                                                            fix: str) -> None:
    outcome, _ = send("slack", always(Reply(status, code)), client)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert fix in outcome.message
    assert "'team'" in outcome.message


def test_slack_429_waits_as_asked(client: httpx.Client) -> None:
    outcome, _ = send("slack", always(Reply(429, "rate_limited", {"Retry-After": "7"})), client)
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after == 7.0


def test_slack_5xx_is_tried_again(client: httpx.Client) -> None:
    outcome, _ = send("slack", always(Reply(503, "service unavailable")), client)
    assert outcome.kind is OutcomeKind.RETRY


# --- Lark ----------------------------------------------------------------------------------

def lark_bot(secret: str | None) -> Callable[[Seen], Reply]:
    """A custom bot: always HTTP 200; checks the signature as Lark documents it when it has a secret."""
    def answer(seen: Seen) -> Reply:
        body = json.loads(seen.body)
        if len(seen.body) > 20 * 1024:
            return Reply(200, {"code": 9499, "msg": "Bad Request", "data": {}})
        if secret is not None:
            timestamp = body.get("timestamp", "")
            expected = base64.b64encode(hmac.new(f"{timestamp}\n{secret}".encode(), b"",
                                                 hashlib.sha256).digest()).decode()
            fresh = timestamp.isdigit() and abs(int(timestamp) - NOW.timestamp()) <= 3600
            if body.get("sign") != expected or not fresh:
                return Reply(200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"})
        if body.get("msg_type") != "interactive":
            return Reply(200, {"code": 9499, "msg": "Bad Request", "data": {}})
        return Reply(200, {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"})
    return answer


def test_lark_signed_request_is_accepted_by_a_bot_that_checks_signatures(client: httpx.Client) -> None:
    outcome, seen = send("lark", lark_bot(SIGNING), client, secret_env="LARK_SECRET")
    assert outcome.kind is OutcomeKind.DELIVERED
    assert json.loads(seen[0].body)["timestamp"] == str(int(NOW.timestamp()))


def test_lark_unsigned_request_to_a_signing_bot_says_to_set_the_secret(client: httpx.Client) -> None:
    outcome, _ = send("lark", lark_bot(SIGNING), client)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "19021" in outcome.message
    assert "secret_env" in outcome.message


def test_lark_wrong_secret_points_at_the_variable_and_the_clock(client: httpx.Client) -> None:
    outcome, _ = send("lark", lark_bot("another-secret"), client, secret_env="LARK_SECRET")
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "$LARK_SECRET" in outcome.message
    assert "clock" in outcome.message


@pytest.mark.parametrize(("code", "fix"), [(19022, "IP allow-list"), (19024, "custom keywords"),
                                           (9499, "fault in escalate-tui"), (19001, "$HOOK")])
def test_lark_error_codes_in_an_http_200_are_permanent(client: httpx.Client, code: int, fix: str) -> None:
    outcome, _ = send("lark", always(Reply(200, {"code": code, "msg": "x", "data": {}})), client)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert fix in outcome.message


def test_lark_rate_limit_code_is_tried_again(client: httpx.Client) -> None:
    outcome, _ = send("lark", always(Reply(200, {"code": 11232, "msg": "frequency limited psm"})), client)
    assert outcome.kind is OutcomeKind.RETRY


@pytest.mark.parametrize("reply", [Reply(502, "<html>bad gateway</html>"), Reply(200, "<html>proxy page</html>")])
def test_lark_5xx_or_an_answer_that_is_not_json_is_tried_again(client: httpx.Client, reply: Reply) -> None:
    outcome, _ = send("lark", always(reply), client)
    assert outcome.kind is OutcomeKind.RETRY


# --- Teams ---------------------------------------------------------------------------------

def test_teams_202_is_delivered_with_where_to_look_if_the_card_does_not_show(client: httpx.Client) -> None:
    outcome, seen = send("teams", always(Reply(202)), client)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert "run history" in outcome.message
    assert json.loads(seen[0].body)["attachments"][0]["content"]["version"] == "1.5"


@pytest.mark.parametrize(("reply", "kind"), [
    (Reply(429, "", {"Retry-After": "3"}), OutcomeKind.RETRY),
    (Reply(500, "oops"), OutcomeKind.RETRY),
    (Reply(400, "{\"error\":{\"code\":\"InvalidRequestContent\"}}"), OutcomeKind.PERMANENT),
    (Reply(401, ""), OutcomeKind.PERMANENT),
    (Reply(404, ""), OutcomeKind.PERMANENT),
])
def test_teams_answers_by_status(client: httpx.Client, reply: Reply, kind: OutcomeKind) -> None:
    outcome, _ = send("teams", always(reply), client)
    assert outcome.kind is kind
    if reply.status == 429:
        assert outcome.retry_after == 3.0


# --- Discord -------------------------------------------------------------------------------

def test_discord_waits_for_the_message_and_keeps_its_id(client: httpx.Client) -> None:
    message = {"id": "1180000000000000001", "channel_id": "222", "guild_id": "111", "content": ""}
    outcome, seen = send("discord", always(Reply(200, message)), client)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.remote_id == "1180000000000000001"
    assert outcome.remote_url == "https://discord.com/channels/111/222/1180000000000000001"
    assert seen[0].path.endswith("?wait=true")


@pytest.mark.parametrize(("status", "body", "fix"), [
    (400, {"code": 50035, "message": "Invalid Form Body", "errors": {"embeds": {"0": {"title": {"_errors": [
        {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}]}}}}},
     "embeds.0.title: Must be 256 or fewer in length."),
    (400, {"code": 50006, "message": "Cannot send an empty message"}, "empty"),
    (401, {"code": 50027, "message": "Invalid Webhook Token"}, "$HOOK"),
    (404, {"code": 10015, "message": "Unknown Webhook"}, "deleted"),
])
def test_discord_json_errors_are_permanent_with_what_to_fix(client: httpx.Client, status: int, body: dict[str, Any],
                                                           fix: str) -> None:
    outcome, _ = send("discord", always(Reply(status, body)), client)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert fix in outcome.message


def test_discord_429_waits_as_asked(client: httpx.Client) -> None:
    reply = Reply(429, {"message": "You are being rate limited.", "retry_after": 1.5, "global": False},
                  {"Retry-After": "2"})
    outcome, _ = send("discord", always(reply), client)
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after == 2.0


def test_discord_429_without_a_header_uses_the_body(client: httpx.Client) -> None:
    reply = Reply(429, {"message": "You are being rate limited.", "retry_after": 1.5, "global": False})
    outcome, _ = send("discord", always(reply), client)
    assert outcome.retry_after == 1.5


# --- every service: a broken connection or a slow answer may have landed ----------------------

@pytest.mark.parametrize("kind", MODULES)
def test_a_connection_dropped_after_the_body_was_read_is_uncertain(client: httpx.Client, kind: str) -> None:
    outcome, seen = send(kind, always(Reply(drop=True)), client)
    assert outcome.kind is OutcomeKind.UNCERTAIN
    assert len(seen) == 1


@pytest.mark.parametrize("kind", MODULES)
def test_an_answer_slower_than_the_timeout_is_uncertain(client: httpx.Client, kind: str) -> None:
    outcome, _ = send(kind, always(Reply(200, "ok", delay=0.6)), client, timeout=0.2)
    assert outcome.kind is OutcomeKind.UNCERTAIN
    assert "0.2 s" in outcome.message


@pytest.mark.parametrize("kind", MODULES)
def test_nothing_listening_is_tried_again_later(client: httpx.Client, kind: str) -> None:
    module = MODULES[kind]
    config = module.Config.model_validate({"name": "team", "type": kind, "webhook_url_env": "HOOK"})
    payload = module.build(example_brief(), config)
    with Service(always(Reply())) as service:
        url = f"{service.url}/hook/{TOKEN}"
    outcome = module.deliver(client, payload, config, {"HOOK": url}, NOW, unclear=False)
    assert outcome.kind is OutcomeKind.RETRY
    assert TOKEN not in outcome.message
