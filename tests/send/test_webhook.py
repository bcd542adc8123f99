"""The webhook type: its body follows the schema shipped with it, its signature verifies as documented,
and its settings never hold a secret."""

from __future__ import annotations

import hashlib
import hmac
import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outbox_support import NOW, SECRET, brief_of

from tui.send import webhook
from tui.send.config import SecretMissing, parse_destinations

SCHEMA = json.loads(resources.files("tui.send").joinpath("webhook-schema.json").read_text(encoding="utf-8"))
CONFIG = webhook.Config.model_validate({"name": "eng-hook", "type": "webhook", "url": "https://hooks.example/in",
                                        "secret_env": "HOOK_SECRET"})


@pytest.mark.parametrize("example", ["api-500-acme.toml", "churn-audit-log.toml", "export-missing-rows.toml",
                                     "sso-login-loop-enterprise.toml"])
def test_real_payloads_follow_the_shipped_schema(example: str) -> None:
    payload = webhook.build(brief_of(42, 3, example), CONFIG)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(payload.body)
    assert payload.body["reference"] == "ESC-42"
    assert payload.body["version"] == 3


def test_the_schema_requires_what_a_receiver_relies_on() -> None:
    body = webhook.build(brief_of(42), CONFIG).body
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for name in ("schema", "reference", "severity", "brief_markdown"):
        assert not validator.is_valid({key: value for key, value in body.items() if key != name})
    assert not validator.is_valid({**body, "severity": "p1"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=st.text(max_size=300), customer=st.text(max_size=80))
def test_any_text_gives_a_valid_body_without_control_characters(summary: str, customer: str) -> None:
    brief = brief_of(7)
    esc = brief.esc.model_copy(update={"summary": summary, "customer": brief.esc.customer.model_copy(
        update={"name": customer})})
    payload = webhook.build(type(brief)(7, 1, esc, brief.assessment, brief.markdown, brief.today), CONFIG)
    jsonschema.Draft202012Validator(SCHEMA).validate(payload.body)
    for text in (payload.body["summary"], payload.body["customer"]["name"], payload.title):
        assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in text)


def test_the_same_send_always_has_the_same_key_and_another_version_another() -> None:
    assert webhook.build(brief_of(42), CONFIG).idempotency_key == webhook.build(brief_of(42), CONFIG).idempotency_key
    assert webhook.build(brief_of(42), CONFIG).idempotency_key != webhook.build(brief_of(42, 2), CONFIG).idempotency_key


def test_a_receiver_verifies_the_signature_as_the_docs_say() -> None:
    payload = webhook.build(brief_of(42), CONFIG)
    request = webhook.request(payload, CONFIG, {"HOOK_SECRET": SECRET}, NOW)
    timestamp = request.headers["X-Escalate-Timestamp"]
    assert timestamp == str(int(NOW.timestamp()))
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Escalate-Signature"] == f"sha256={expected}"
    assert request.headers["X-Escalate-Delivery"] == payload.idempotency_key
    assert json.loads(request.body) == payload.body
    assert SECRET not in request.shown()
    assert "‹$HOOK_SECRET›" not in request.shown()  # the key itself never appears, only its signature


def test_a_url_kept_in_the_environment_is_masked_in_the_dry_run() -> None:
    config = webhook.Config.model_validate({"name": "ops", "type": "webhook", "url_env": "OPS_HOOK"})
    url = "https://hooks.example/in/T0KEN-abcdef123456"
    shown = webhook.request(webhook.build(brief_of(1), config), config, {"OPS_HOOK": url}, NOW).shown()
    assert url not in shown
    assert shown.startswith("POST ‹$OPS_HOOK›")
    with pytest.raises(SecretMissing, match="OPS_HOOK"):
        webhook.request(webhook.build(brief_of(1), config), config, {}, NOW)


@pytest.mark.parametrize(("table", "says"), [
    ({"url": "https://a.example/h", "secret": "s3cr3t"}, "secret_env"),
    ({"url": "https://a.example/h?token=abc123"}, "url_env"),
    ({}, "exactly one of url"),
    ({"url": "https://a.example/h", "url_env": "HOOK"}, "exactly one of url"),
    ({"url": "http://hooks.example/h"}, "only https"),
    ({"url": "https://a.example/h", "headers": {"Authorization": "Bearer abc"}}, "secret_headers_env"),
    ({"url": "https://a.example/h", "headers": {"X-Escalate-Delivery": "x"}}, "sets it itself"),
])
def test_settings_that_would_leak_or_cannot_work_are_refused(table: dict[str, object], says: str) -> None:
    found, problems = parse_destinations([{"name": "hook", "type": "webhook", **table}])
    assert found == []
    assert says in " ".join(message for _, message in problems)
