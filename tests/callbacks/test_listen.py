"""`escalate-tui listen` driven over real HTTP on 127.0.0.1 as Lark and Slack drive it: answers land on
the timeline once, and anything unsigned, forged, replayed, malformed or oversized is turned away."""

from __future__ import annotations

import json
import socket
import statistics
from datetime import timedelta
from pathlib import Path

import pytest
from listen_support import (
    LARK_KEY,
    LARK_TOKEN,
    SLACK_SECRET,
    Listening,
    lark_request,
    listening,
    now,
    slack_request,
)
from payloads import lark_click, slack_click

from tui.callbacks.receiver import Secrets
from tui.callbacks.signing import slack_signature
from tui.domain.lifecycle import EventKind
from tui.domain.models import Escalation


@pytest.fixture
def listen(tmp_path: Path) -> Listening:
    with listening(tmp_path) as running:
        yield running


def kinds(listen: Listening) -> list[EventKind]:
    return [stored.event.kind for stored in listen.store.timeline(listen.escalation)]


# --- Slack ------------------------------------------------------------------------------

def test_a_signed_slack_take_makes_the_owner(listen: Listening) -> None:
    response = listen.post("/slack", *slack_request(slack_click("take", str(listen.escalation))))
    assert response.status_code == 200
    assert response.content == b""
    assert listen.store.record(listen.escalation).owner == "kim.lee"


def test_a_repeated_slack_delivery_is_recorded_once(listen: Listening) -> None:
    body, headers = slack_request(slack_click("acknowledge", str(listen.escalation)))
    assert [listen.post("/slack", body, headers).status_code for _ in range(3)] == [200, 200, 200]
    assert kinds(listen).count(EventKind.ACKNOWLEDGED) == 1
    assert listen.log.getvalue().count("duplicate: ESC-") == 2


@pytest.mark.parametrize("how", ["forged", "unsigned", "other secret", "body changed"])
def test_slack_requests_not_signed_by_slack_are_refused(listen: Listening, how: str) -> None:
    body, headers = slack_request(slack_click("take", str(listen.escalation)),
                                  secret="someone-else" if how == "other secret" else SLACK_SECRET)
    if how == "forged":
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    elif how == "unsigned":
        del headers["X-Slack-Signature"]
    elif how == "body changed":
        body = body.replace(b"take", b"need_info")
    assert listen.post("/slack", body, headers).status_code == 401
    assert listen.store.record(listen.escalation).owner == ""


@pytest.mark.parametrize("minutes", [6, -6, 60 * 24])
def test_a_replayed_slack_request_is_refused(listen: Listening, minutes: int) -> None:
    body, headers = slack_request(slack_click("take", str(listen.escalation)), sent=now() - timedelta(minutes=minutes))
    response = listen.post("/slack", body, headers)
    assert response.status_code == 401
    assert "5 minutes" in response.json()["error"]
    assert EventKind.TAKEN not in kinds(listen)


def test_slack_unknown_escalation_and_malformed_bodies_are_400(listen: Listening) -> None:
    assert listen.post("/slack", *slack_request(slack_click("take", "999"))).status_code == 400
    not_ours = slack_click()
    not_ours["actions"][0]["action_id"] = "esc_ack"
    assert listen.post("/slack", *slack_request(not_ours)).status_code == 400
    _, headers = slack_request({})
    garbage = b"payload=%7Bnot-json"
    headers["X-Slack-Signature"] = slack_signature(SLACK_SECRET, headers["X-Slack-Request-Timestamp"], garbage)
    assert listen.post("/slack", garbage, headers).status_code == 400


def test_without_a_slack_signing_secret_nothing_from_slack_is_taken(tmp_path: Path) -> None:
    with listening(tmp_path, Secrets(lark_encrypt_key=LARK_KEY)) as listen:
        response = listen.post("/slack", *slack_request(slack_click("take", str(listen.escalation))))
        assert response.status_code == 401
        assert "no Slack signing secret" in response.json()["error"]


# --- Lark -------------------------------------------------------------------------------

def test_an_encrypted_lark_challenge_is_answered(listen: Listening) -> None:
    challenge = {"challenge": "ajls384kdjx98XX", "token": LARK_TOKEN, "type": "url_verification"}
    response = listen.post("/lark", *lark_request(challenge, signed=False))
    assert response.status_code == 200
    assert response.json() == {"challenge": "ajls384kdjx98XX"}


def test_a_lark_challenge_with_the_wrong_token_or_key_is_refused(listen: Listening) -> None:
    wrong_token = {"challenge": "x", "token": "guess", "type": "url_verification"}
    assert listen.post("/lark", *lark_request(wrong_token, signed=False)).status_code == 401
    right_token = {"challenge": "x", "token": LARK_TOKEN, "type": "url_verification"}
    assert listen.post("/lark", *lark_request(right_token, key="another key", signed=False)).status_code == 401
    plain = json.dumps(right_token).encode()
    assert listen.post("/lark", plain, {"Content-Type": "application/json"}).status_code == 401


def test_a_signed_lark_take_is_recorded_with_a_toast(listen: Listening) -> None:
    response = listen.post("/lark", *lark_request(lark_click("take", str(listen.escalation))))
    assert response.status_code == 200
    assert response.json() == {"toast": {"type": "success", "content": f"Taken by ou_7d8a6e6df7621556ce0d21922b676706"
                                                                       f" on ESC-{listen.escalation}."}}
    assert listen.store.record(listen.escalation).owner == "ou_7d8a6e6df7621556ce0d21922b676706"


def test_a_repeated_lark_event_is_recorded_once(listen: Listening) -> None:
    body, headers = lark_request(lark_click("acknowledge", str(listen.escalation), event_id="ev-77"))
    first, second = listen.post("/lark", body, headers), listen.post("/lark", body, headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["toast"]["type"] == "info"
    assert kinds(listen).count(EventKind.ACKNOWLEDGED) == 1


@pytest.mark.parametrize("how", ["unsigned", "forged", "other key"])
def test_lark_clicks_not_signed_with_our_key_are_refused(listen: Listening, how: str) -> None:
    body, headers = lark_request(lark_click("take", str(listen.escalation)), signed=how != "unsigned",
                                 key="another key" if how == "other key" else LARK_KEY)
    if how == "forged":
        headers["X-Lark-Signature"] = "0" * 64
    assert listen.post("/lark", body, headers).status_code == 401
    assert EventKind.TAKEN not in kinds(listen)


def test_lark_unknown_escalation_and_refused_status(listen: Listening) -> None:
    unknown = listen.post("/lark", *lark_request(lark_click("take", "999")))
    assert unknown.status_code == 400
    assert unknown.json()["toast"]["content"] == "There is no escalation ESC-999 here."
    draft = listen.store.create(Escalation(summary="Not escalated yet"), now())
    refused = listen.post("/lark", *lark_request(lark_click("take", str(draft), event_id="ev-draft")))
    assert refused.status_code == 200
    assert refused.json()["toast"]["type"] == "warning"
    assert "still a draft" in refused.json()["toast"]["content"]


def test_lark_with_only_a_verification_token_checks_it(tmp_path: Path) -> None:
    with listening(tmp_path, Secrets(lark_verification_token=LARK_TOKEN)) as listen:
        click = lark_click("take", str(listen.escalation))
        good = json.dumps(click).encode()
        click["header"]["token"] = "guess"
        bad = json.dumps(click).encode()
        del click["header"]["token"]
        missing = json.dumps(click).encode()
        headers = {"Content-Type": "application/json"}
        assert [listen.post("/lark", body, headers).status_code for body in (bad, missing, good)] == [401, 401, 200]
        assert listen.store.record(listen.escalation).owner.startswith("ou_")


# --- the HTTP edges ---------------------------------------------------------------------

def test_an_oversized_body_is_refused_before_it_is_read(listen: Listening) -> None:
    host, port = listen.server.server_address[:2]
    with socket.create_connection((str(host), port), timeout=5) as raw:
        raw.sendall(b"POST /slack HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 10000000\r\n\r\npayload=")  # 10 MB announced, 8 bytes sent
        answer = b""
        while chunk := raw.recv(4096):  # the server closes the connection after its answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"over 64 KB" in answer


def test_other_paths_and_methods(listen: Listening) -> None:
    assert listen.post("/hook", b"{}", {}).status_code == 404
    assert listen.client.get(f"{listen.server.url}/lark").status_code == 405


def test_the_log_has_one_line_per_request_and_no_body_or_secret(listen: Listening) -> None:
    listen.post("/slack", *slack_request(slack_click("take", str(listen.escalation))))
    listen.post("/lark", *lark_request(lark_click("acknowledge", str(listen.escalation))))
    listen.post("/slack", *slack_request(slack_click(), signature="v0=" + "f" * 64))
    lines = listen.log.getvalue().splitlines()
    assert len(lines) == 3
    assert [line.split()[5] for line in lines] == ["200", "200", "401"]
    text = listen.log.getvalue()
    for never in (SLACK_SECRET, LARK_KEY, LARK_TOKEN, "c-295ee57216a5dc9de90fefd0aadb4b1d7d337bc7", "response_url",
                  "hooks.slack.com"):
        assert never not in text


def test_answers_come_well_within_three_seconds(listen: Listening) -> None:
    for number in range(20):
        listen.post("/slack", *slack_request(slack_click("acknowledge", str(listen.escalation),
                                                         action_ts=f"1.{number}")))
        listen.post("/lark", *lark_request(lark_click("acknowledge", str(listen.escalation), event_id=f"e{number}")))
    assert max(listen.timings) < 1.0  # Lark and Slack give up after 3 s
    print(f"answer times: median {statistics.median(listen.timings) * 1000:.1f} ms, "
          f"max {max(listen.timings) * 1000:.1f} ms over {len(listen.timings)}")


def test_a_body_that_never_arrives_is_given_up_on(listen: Listening, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.callbacks import receiver

    monkeypatch.setattr(receiver._Handler, "timeout", 0.3)
    host, port = listen.server.server_address[:2]
    with socket.create_connection((str(host), port), timeout=5) as raw:
        raw.sendall(b"POST /slack HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npayload=")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert listen.post("/slack", *slack_request(slack_click("take", str(listen.escalation)))).status_code == 200
