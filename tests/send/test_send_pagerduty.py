"""PagerDuty Events API v2: the trigger event against PagerDuty's OpenAPI, the routing key kept
out of the outbox and masked, and each answer PagerDuty gives."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest
from pydantic import ValidationError
from tracker_support import (  # noqa: F401
    DROP,
    NOW,
    Reply,
    Service,
    client_fixture,
    load_json,
    make_brief,
    service_fixture,
)

from tui.domain.models import ContextItem, Severity, Target
from tui.send import pagerduty
from tui.send.model import OutcomeKind

KEY = "e93facc04764012d7bfb002500d5d1a6"
ENV = {"PD_ROUTING_KEY": KEY}


EVENT = jsonschema.Draft4Validator(load_json("pagerduty-events-v2-trigger.schema.json"))


def config(**options: Any) -> pagerduty.Config:
    return pagerduty.Config.model_validate({"name": "oncall", "type": "pagerduty",
                                            "routing_key_env": "PD_ROUTING_KEY", **options})


def test_the_event_passes_pagerdutys_schema_once_the_key_is_added() -> None:
    payload = pagerduty.build(make_brief(severity=Severity.CRITICAL), config())
    sent = json.loads(pagerduty.request(payload, config(), ENV, NOW).body)
    EVENT.validate(sent)
    assert sent["routing_key"] == KEY
    assert sent["event_action"] == "trigger"
    assert sent["dedup_key"] == "escalate-tui-ESC-42"
    assert sent["payload"]["severity"] == "critical"
    assert sent["payload"]["source"] == "escalate-tui"
    assert sent["payload"]["summary"].startswith("ESC-42 [Critical] ")


def test_the_outbox_body_never_holds_the_routing_key_and_the_dry_run_masks_it() -> None:
    payload = pagerduty.build(make_brief(), config())
    assert "routing_key" not in payload.body
    sent = pagerduty.request(payload, config(), ENV, NOW)
    assert sent.url == "https://events.pagerduty.com/v2/enqueue"
    assert KEY not in sent.shown()
    assert '"routing_key": "‹$PD_ROUTING_KEY›"' in sent.shown()


def test_custom_details_hold_the_main_lines_and_the_brief() -> None:
    details = pagerduty.build(make_brief(), config()).body["payload"]["custom_details"]
    assert details["escalation"] == "ESC-42"
    assert details["target team"] == "Engineering"
    assert details["customers affected"]
    assert details["what is needed"]
    assert details["brief"].startswith("## ESCALATION: ")
    assert all("**" not in value for key, value in details.items() if key != "brief")


def test_the_dedup_key_is_the_same_for_every_version() -> None:
    first = pagerduty.build(make_brief(version=1), config()).body["dedup_key"]
    assert pagerduty.build(make_brief(version=3), config()).body["dedup_key"] == first


def test_links_are_the_cases_https_references() -> None:
    brief = make_brief()
    esc = brief.esc.model_copy(update={"context": [
        ContextItem(title="Ticket 4417", reference="https://acme.zendesk.com/agent/tickets/4417"),
        ContextItem(title="Internal note", reference="T-99"),
        ContextItem(title="Old wiki", reference="http://wiki.local/x"),
    ]})
    body = pagerduty.build(make_brief(esc), config()).body
    assert body["links"] == [{"href": "https://acme.zendesk.com/agent/tickets/4417", "text": "Ticket 4417"}]


def test_it_takes_only_critical_cases_unless_told_otherwise() -> None:
    assert config().takes(Target.ENGINEERING, Severity.CRITICAL)
    assert not config().takes(Target.ENGINEERING, Severity.HIGH)
    assert config(severities=["critical", "high"]).takes(Target.ENGINEERING, Severity.HIGH)


def test_severity_names_map_onto_pagerdutys_scale_only() -> None:
    cfg = config(severities=["high"], severity_names={"high": "critical"})
    assert pagerduty.build(make_brief(severity=Severity.HIGH), cfg).body["payload"]["severity"] == "critical"
    assert pagerduty.build(make_brief(severity=Severity.MEDIUM), cfg).body["payload"]["severity"] == "warning"
    with pytest.raises(ValidationError, match="severity_names"):
        config(severity_names={"critical": "sev1"})
    with pytest.raises(ValidationError, match="routing_key_env"):
        config(routing_key=KEY)


# --- against a loopback Events API ----------------------------------------------------------


def on(running: Service) -> pagerduty.Config:
    return config(api_url=running.url)


def test_an_accepted_event_is_delivered_with_its_dedup_key(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: Reply(202, {"status": "success", "message": "Event processed",
                                              "dedup_key": seen.json()["dedup_key"]})
    cfg = on(service)
    outcome = pagerduty.deliver(client, pagerduty.build(make_brief(), cfg), cfg, ENV, NOW, unclear=False)
    assert (outcome.kind, outcome.remote_id) == (OutcomeKind.DELIVERED, "escalate-tui-ESC-42")
    assert service.seen[0].path == "/v2/enqueue"
    assert service.seen[0].json()["routing_key"] == KEY


@pytest.mark.parametrize(("reply", "kind", "words", "wait"), [
    (Reply(400, {"status": "invalid event", "message": "Event object is invalid",
                 "errors": ["'payload.summary' is missing or blank"]}),
     OutcomeKind.PERMANENT, ["Event object is invalid", "'payload.summary' is missing", "PD_ROUTING_KEY"], None),
    (Reply(400, {"status": "invalid event", "message": "Event object is invalid",
                 "errors": [f"Invalid routing key {KEY}"]}),
     OutcomeKind.PERMANENT, ["Invalid routing key ‹$PD_ROUTING_KEY›"], None),
    (Reply(429, b""), OutcomeKind.RETRY, ["too many events"], 60),
    (Reply(429, b"", {"Retry-After": "120"}), OutcomeKind.RETRY, ["too many events"], 120),
    (Reply(500, b"Internal Server Error"), OutcomeKind.RETRY, ["500"], None),
])
def test_each_refusal_says_what_to_do(service: Service, client: httpx.Client, reply: Reply, kind: OutcomeKind,
                                      words: list[str], wait: float | None) -> None:
    service.answer = lambda seen: reply
    cfg = on(service)
    outcome = pagerduty.deliver(client, pagerduty.build(make_brief(), cfg), cfg, ENV, NOW, unclear=False)
    assert outcome.kind is kind
    for word in words:
        assert word in outcome.message
    assert outcome.retry_after == wait
    assert KEY not in outcome.message


def test_after_a_dropped_answer_the_repeat_carries_the_same_dedup_key(service: Service,
                                                                       client: httpx.Client) -> None:
    answers = iter([DROP, Reply(202, {"status": "success", "message": "Event processed",
                                      "dedup_key": "escalate-tui-ESC-42"})])
    service.answer = lambda seen: next(answers)
    cfg = on(service)
    payload = pagerduty.build(make_brief(), cfg)
    assert pagerduty.deliver(client, payload, cfg, ENV, NOW, unclear=False).kind is OutcomeKind.UNCERTAIN
    again = pagerduty.deliver(client, payload, cfg, ENV, NOW, unclear=True)
    assert again.kind is OutcomeKind.DELIVERED
    assert [seen.json()["dedup_key"] for seen in service.seen] == ["escalate-tui-ESC-42"] * 2
    assert pagerduty.DEDUP


def test_a_missing_key_variable_is_named(client: httpx.Client) -> None:
    outcome = pagerduty.deliver(client, pagerduty.build(make_brief(), config()), config(), {}, NOW, unclear=False)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "PD_ROUTING_KEY" in outcome.message


def test_the_schema_refuses_what_pagerduty_refuses() -> None:
    payload = pagerduty.build(make_brief(severity=Severity.CRITICAL), config())
    sent = json.loads(pagerduty.request(payload, config(), ENV, NOW).body)
    for broken in ({**sent, "payload": {**sent["payload"], "severity": "high"}},
                   {**sent, "payload": {**sent["payload"], "summary": "x" * 1025}},
                   {key: value for key, value in sent.items() if key != "routing_key"}):
        with pytest.raises(jsonschema.ValidationError):
            EVENT.validate(broken)
