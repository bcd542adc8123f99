"""The platforms' published test vectors, and what a forger or a replay cannot get past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.callbacks.signing import (
    LarkDecryptError,
    lark_bot_sign,
    lark_decrypt,
    lark_encrypt,
    lark_signature,
    lark_signature_ok,
    slack_problem,
    slack_signature,
    slack_signature_ok,
)

# python-slack-sdk tests/slack_sdk/signature/test_signature_verifier.py (from Slack's "verifying requests" guide)
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_TS = "1531420618"
SLACK_BODY = (b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
              b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
              b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRs"
              b"kXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
SLACK_EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
SLACK_NOW = datetime.fromtimestamp(int(SLACK_TS), UTC)


def test_slack_vector() -> None:
    assert slack_signature(SLACK_SECRET, SLACK_TS, SLACK_BODY) == SLACK_EXPECTED
    assert slack_signature_ok(SLACK_EXPECTED, SLACK_TS, SLACK_BODY, SLACK_SECRET, SLACK_NOW)


def test_slack_refuses_a_changed_body_another_secret_and_no_signature() -> None:
    assert slack_problem(SLACK_EXPECTED, SLACK_TS, SLACK_BODY + b"&x=1", SLACK_SECRET, SLACK_NOW) == (
        "a signature that does not match")
    assert not slack_signature_ok(SLACK_EXPECTED, SLACK_TS, SLACK_BODY, SLACK_SECRET + "x", SLACK_NOW)
    assert slack_problem("", SLACK_TS, SLACK_BODY, SLACK_SECRET, SLACK_NOW) == "unsigned"
    assert slack_problem(SLACK_EXPECTED, "", SLACK_BODY, SLACK_SECRET, SLACK_NOW) == "unsigned"
    not_a_number = slack_problem(SLACK_EXPECTED, "1e9", SLACK_BODY, SLACK_SECRET, SLACK_NOW)
    assert not_a_number == "a timestamp that is not a number"


@pytest.mark.parametrize(("seconds", "ok"), [(-300, True), (300, True), (-301, False), (301, False), (86400, False)])
def test_slack_five_minute_window(seconds: int, ok: bool) -> None:
    now = SLACK_NOW + timedelta(seconds=seconds)
    assert slack_signature_ok(SLACK_EXPECTED, SLACK_TS, SLACK_BODY, SLACK_SECRET, now) is ok
    if not ok:
        assert "5 minutes" in (slack_problem(SLACK_EXPECTED, SLACK_TS, SLACK_BODY, SLACK_SECRET, now) or "")


def test_lark_decrypt_vector() -> None:
    # open.feishu.cn event-subscription guide, "request URL configuration case"
    assert lark_decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key") == "hello world"


def test_lark_custom_bot_vector() -> None:
    assert lark_bot_sign("1599360473", "demo") == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8="


@pytest.mark.parametrize("encrypted", ["not base64!", "aGVsbG8=", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="])
def test_lark_decrypt_refuses_what_does_not_decrypt(encrypted: str) -> None:
    key = "another key" if encrypted.startswith("P37w") else "test key"
    with pytest.raises(LarkDecryptError):
        lark_decrypt(encrypted, key)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), key=st.text(min_size=1, max_size=40), iv=st.binary(min_size=16, max_size=16))
def test_lark_encrypt_then_decrypt_gives_the_text_back(text: str, key: str, iv: bytes) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")
    key = key.encode("utf-8", "replace").decode("utf-8")
    assert lark_decrypt(lark_encrypt(text, key, iv), key) == text


def test_lark_request_signature() -> None:
    body = b'{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}'
    # sha256 of the four parts concatenated, as the SDK's dispatcher computes it
    import hashlib

    expected = hashlib.sha256(b"1700000000" + b"nonce-1" + b"test key" + body).hexdigest()
    assert lark_signature("1700000000", "nonce-1", "test key", body) == expected
    assert lark_signature_ok(expected, "1700000000", "nonce-1", "test key", body)
    assert not lark_signature_ok(expected, "1700000001", "nonce-1", "test key", body)
    assert not lark_signature_ok(expected, "1700000000", "nonce-1", "test key", body + b" ")
    assert not lark_signature_ok("", "1700000000", "nonce-1", "test key", body)
