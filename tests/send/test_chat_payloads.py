"""The four chat payloads: each passes its service's checks, carries the reference, severity and
target, and keeps brief text as text, however long or odd the case is."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from chat_support import (
    assessment,
    briefs,
    check_discord,
    check_lark,
    check_slack,
    check_teams,
    example_brief,
)
from hypothesis import HealthCheck, given, settings

from tui.domain.models import Severity, Target
from tui.send import discord, lark, slack, teams
from tui.send.config import SecretMissing, parse_destinations
from tui.send.model import Brief

CHECKS = {"slack": check_slack, "lark": check_lark, "teams": check_teams, "discord": check_discord}
MODULES = {"slack": slack, "lark": lark, "teams": teams, "discord": discord}


def config(kind: str, **options: Any) -> Any:
    return MODULES[kind].Config.model_validate({"name": "team", "type": kind, "webhook_url_env": "HOOK", **options})


def text_of(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("kind", CHECKS)
def test_the_example_brief_passes_the_service_checks_and_names_the_case(kind: str) -> None:
    brief = example_brief()
    payload = MODULES[kind].build(brief, config(kind))
    CHECKS[kind](payload.body)
    shown = text_of(payload.body)
    assert "ESC-42" in shown
    assert "High" in shown
    assert "Engineering" in shown
    assert "Acme Corp" in shown
    assert "orders-service" in shown
    assert payload.destination == "team"
    assert payload.type == kind
    assert payload.idempotency_key == MODULES[kind].build(brief, config(kind)).idempotency_key
    assert MODULES[kind].DEDUP is False


@pytest.mark.parametrize("kind", CHECKS)
def test_the_webhook_url_is_read_from_the_environment_and_masked_when_shown(kind: str) -> None:
    url = "https://hooks.example.com/services/T000/B000/s3cretpart"
    module = MODULES[kind]
    payload = module.build(example_brief(), config(kind))
    sent = module.request(payload, config(kind), {"HOOK": url}, datetime(2026, 11, 19, tzinfo=UTC))
    assert sent.method == "POST"
    assert sent.url.startswith(url)
    assert sent.headers["Content-Type"].startswith("application/json")
    assert "s3cretpart" not in sent.shown()
    assert "‹$HOOK›" in sent.shown()
    assert "s3cretpart" not in payload.body_text()
    with pytest.raises(SecretMissing, match="HOOK"):
        module.request(payload, config(kind), {}, datetime(2026, 11, 19, tzinfo=UTC))


def test_a_webhook_url_written_in_the_config_is_refused() -> None:
    found, problems = parse_destinations([{"name": "a", "type": "slack", "webhook_url": "https://hooks.slack.com/x"}])
    assert not found
    assert "webhook_url_env" in problems[0][1]


def test_slack_writes_bold_labels_its_way_and_brief_text_cannot_mention_or_link() -> None:
    brief = example_brief()
    hostile = brief.markdown.replace("Acme Corp in the Mid", r"<!channel> \*\*x\*\* & Acme Corp in the Mid")
    body = slack.build(Brief(42, 3, brief.esc, brief.assessment, hostile, brief.today), config("slack")).body
    check_slack(body)
    impact = next(b["text"]["text"] for b in body["blocks"] if b.get("text", {}).get("text", "").startswith("*Impact*"))
    assert "*Customers affected:*" in impact
    assert "**" not in impact
    assert "&lt;!channel&gt;" in impact
    assert "&amp; Acme" in impact
    assert body["metadata"]["event_payload"] == {"escalation_id": 42, "version": 3, "reference": "ESC-42"}
    assert body["blocks"][-1]["type"] == "context"
    assert "ESC-42" in body["blocks"][-1]["elements"][0]["text"]


@pytest.mark.parametrize(("severity", "template"), [(Severity.CRITICAL, "red"), (Severity.HIGH, "orange"),
                                                    (Severity.MEDIUM, "yellow")])
def test_the_lark_header_colour_follows_severity(severity: Severity, template: str) -> None:
    brief = example_brief()
    judged = assessment(severity, Target.PRODUCT)
    body = lark.build(Brief(7, 1, brief.esc, judged, brief.markdown, brief.today), config("lark")).body
    assert body["card"]["header"]["template"] == template
    fields = [item["text"]["content"] for item in body["card"]["elements"][0]["fields"]]
    assert fields[:2] == [f"**Severity**\n{severity.label}", "**Target team**\nProduct"]
    sections = [e["content"].split("\n")[0] for e in body["card"]["elements"] if e["tag"] == "markdown"]
    assert sections[:4] == ["**Impact**", "**Issue Description**", "**What's Been Tried**", "**Reproduction Steps**"]
    assert "**What's Needed**" in sections


def test_lark_signature_matches_the_reference_vector() -> None:
    assert lark.sign("1599360473", "demo") == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8="


def test_a_signed_lark_request_carries_timestamp_and_sign_and_hides_the_secret() -> None:
    cfg = config("lark", secret_env="LARK_SECRET")
    payload = lark.build(example_brief(), cfg)
    now = datetime.fromtimestamp(1599360473, UTC)
    sent = lark.request(payload, cfg, {"HOOK": "https://open.larksuite.com/open-apis/bot/v2/hook/abc",
                                       "LARK_SECRET": "demo-secret-value"}, now)
    body = json.loads(sent.body)
    assert body["timestamp"] == "1599360473"
    expected = base64.b64encode(hmac.new(b"1599360473\ndemo-secret-value", b"", hashlib.sha256).digest()).decode()
    assert body["sign"] == expected
    check_lark(body, signed=True)
    assert "demo-secret-value" not in sent.shown()
    assert "demo-secret-value" not in payload.body_text()


def test_teams_card_has_facts_and_one_container_per_section() -> None:
    body = teams.build(example_brief(), config("teams")).body
    card = body["attachments"][0]["content"]
    facts = next(item for item in card["body"] if item["type"] == "FactSet")["facts"]
    assert facts[:2] == [{"title": "Severity", "value": "High"}, {"title": "Target team", "value": "Engineering"}]
    headings = [c["items"][0]["text"] for c in card["body"] if c["type"] == "Container"]
    assert headings[0] == "Impact"
    assert headings[-1] == "Supporting Context"


def test_discord_switches_mentions_off_and_colours_by_severity() -> None:
    brief = example_brief()
    critical = Brief(1, 1, brief.esc, assessment(Severity.CRITICAL, Target.SECURITY), brief.markdown, brief.today)
    body = discord.build(critical, config("discord", username="Escalations")).body
    assert body["allowed_mentions"] == {"parse": []}
    assert body["username"] == "Escalations"
    embed = body["embeds"][0]
    assert embed["color"] == discord.COLOURS[Severity.CRITICAL]
    assert "**Severity:** Critical" in embed["description"]
    assert "Issue Description" in embed["description"]
    assert next(f["name"] for f in embed["fields"]) == "Impact"


@pytest.mark.parametrize("kind", CHECKS)
def test_a_very_long_brief_is_cut_with_a_pointer_that_names_the_case(kind: str) -> None:
    brief = example_brief()
    long = brief.markdown.replace("### What's Been Tried", "### What's Been Tried\n" + "\n".join(
        f"{n}. tried a long thing with many words " * 4 for n in range(1, 400)))
    body = MODULES[kind].build(Brief(42, 3, brief.esc, brief.assessment, long, brief.today), config(kind)).body
    CHECKS[kind](body)
    assert "ask the sender for the full brief ESC-42" in text_of(body)
    assert "Supporting Context" in text_of(body)  # later sections still get their share


def _every_service_accepts(brief: Brief) -> None:
    for kind, check in CHECKS.items():
        payload = MODULES[kind].build(brief, config(kind))
        check(payload.body)
        assert brief.reference in text_of(payload.body)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(briefs())
def test_any_brief_renders_to_payloads_every_service_accepts(brief: Brief) -> None:
    _every_service_accepts(brief)
