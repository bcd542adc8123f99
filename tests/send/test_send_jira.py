"""Jira: the issue as Cloud (ADF) and Data Center (wiki markup) take it, the exact request, and
each answer Jira gives read as the agent needs it, including the search that stops a second issue."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema
import pytest
from pydantic import ValidationError
from tracker_support import DROP, NOW, Reply, Seen, Service, client_fixture, load_json, make_brief, service_fixture  # noqa: F401

from tui.domain.models import Severity
from tui.send import jira
from tui.send.model import OutcomeKind

ENV = {"JIRA_EMAIL": "dana@acme.example", "JIRA_API_TOKEN": "ATATT3xFfGF0-secret-token-value",
       "JIRA_PAT": "NjQ4MzA2NzQ5Njk3OpersonalAccessToken"}
ADF = jsonschema.Draft4Validator(load_json("atlaskit-adf-schema-v1-full.json"))


def cloud(**options: Any) -> jira.Config:
    values = {"name": "eng-jira", "type": "jira", "base_url": "https://acme.atlassian.net", "project": "SUP",
              "email_env": "JIRA_EMAIL", "api_token_env": "JIRA_API_TOKEN", **options}
    return jira.Config.model_validate(values)


def datacenter(**options: Any) -> jira.Config:
    values = {"name": "eng-jira-dc", "type": "jira", "base_url": "https://jira.acme.example", "project": "SUP",
              "flavor": "datacenter", "token_env": "JIRA_PAT", **options}
    return jira.Config.model_validate(values)


def test_a_cloud_issue_has_an_adf_description_the_official_schema_accepts() -> None:
    payload = jira.build(make_brief(severity=Severity.CRITICAL), cloud())
    fields = payload.body["fields"]
    ADF.validate(fields["description"])
    assert fields["project"] == {"key": "SUP"}
    assert fields["issuetype"] == {"name": "Bug"}
    assert fields["priority"] == {"name": "Highest"}
    assert fields["summary"].startswith("ESC-42 [Critical] ")
    assert "\n" not in fields["summary"]
    assert len(fields["summary"]) <= 255
    assert "ESC-42" in fields["labels"]
    assert "escalation" in fields["labels"]
    assert jira.marker(payload.idempotency_key) in fields["labels"]
    assert all(" " not in label for label in fields["labels"])


def test_the_adf_keeps_the_briefs_headings_lists_and_bold_labels() -> None:
    doc = jira.build(make_brief(), cloud()).body["fields"]["description"]
    kinds = [node["type"] for node in doc["content"]]
    headings = [node["content"][0]["text"] for node in doc["content"] if node["type"] == "heading"]
    assert headings[1:4] == ["Impact", "Issue Description", "What's Been Tried"]
    assert "bulletList" in kinds
    assert "orderedList" in kinds
    strong = [text["text"] for text in _texts(doc) if {"type": "strong"} in text.get("marks", [])]
    assert "Severity:" in strong
    assert "Customers affected:" in strong


def _texts(node: dict[str, Any]) -> list[dict[str, Any]]:
    if node.get("type") == "text":
        return [node]
    return [text for child in node.get("content", []) for text in _texts(child)]


def test_priority_names_follow_the_destinations_mapping_and_keep_defaults_for_the_rest() -> None:
    config = cloud(severity_names={"critical": "P1 - Blocker"})
    assert jira.build(make_brief(severity=Severity.CRITICAL), config).body["fields"]["priority"]["name"] == (
        "P1 - Blocker")
    assert jira.build(make_brief(severity=Severity.MEDIUM), config).body["fields"]["priority"]["name"] == "Medium"


def test_a_datacenter_issue_has_wiki_markup_with_the_case_text_escaped() -> None:
    esc = make_brief().esc.model_copy(update={"summary": "Export {code}fails{code} for [link|https://x.test]"})
    desc = esc.problem.model_copy(update={"description": "h1. injected\n*bold* and {noformat} and a \\ path"})
    esc = esc.model_copy(update={"problem": desc})
    description = jira.build(make_brief(esc), datacenter()).body["fields"]["description"]
    assert isinstance(description, str)
    assert "h3. Impact" in description
    assert "*Severity:*" in description
    assert "\\{code\\}fails\\{code\\}" in description
    assert "\\[link\\|https://x.test\\]" in description
    assert "{noformat}" not in description.replace("\\{noformat\\}", "")
    assert "\nh1. injected" not in description
    assert "&#104;1. injected" in description
    assert "\\*bold\\*" in description
    assert "&#92; path" in description


def test_a_config_without_what_its_flavor_signs_in_with_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="api_token_env"):
        cloud(api_token_env=None)
    with pytest.raises(ValidationError, match="token_env"):
        datacenter(token_env=None)
    with pytest.raises(ValidationError, match="api_token_env"):
        cloud(api_token="ATATT3xFfGF0-inline")
    with pytest.raises(ValidationError, match="https"):
        cloud(base_url="http://jira.acme.example")
    with pytest.raises(ValidationError, match="severity_names"):
        cloud(severity_names={"urgent": "Highest"})


def test_the_cloud_request_uses_basic_auth_and_the_dry_run_masks_token_and_encoded_pair() -> None:
    payload = jira.build(make_brief(), cloud())
    sent = jira.request(payload, cloud(), ENV, NOW)
    pair = base64.b64encode(b"dana@acme.example:ATATT3xFfGF0-secret-token-value").decode()
    assert sent.url == "https://acme.atlassian.net/rest/api/3/issue"
    assert sent.headers["Authorization"] == f"Basic {pair}"
    assert json.loads(sent.body) == payload.body
    shown = sent.shown()
    assert ENV["JIRA_API_TOKEN"] not in shown
    assert pair not in shown
    assert "Authorization: Basic ‹$base64(JIRA_EMAIL:JIRA_API_TOKEN)›" in shown


def test_the_datacenter_request_uses_the_personal_token_as_bearer() -> None:
    sent = jira.request(jira.build(make_brief(), datacenter()), datacenter(), ENV, NOW)
    assert sent.url == "https://jira.acme.example/rest/api/2/issue"
    assert sent.headers["Authorization"] == f"Bearer {ENV['JIRA_PAT']}"
    assert ENV["JIRA_PAT"] not in sent.shown()


# --- against a loopback Jira -------------------------------------------------------------------


def on(service: Service, **options: Any) -> jira.Config:
    return cloud(base_url=service.url, **options)


def created(seen: Seen) -> Reply:
    return Reply(201, {"id": "10000", "key": "SUP-24", "self": "https://acme.atlassian.net/rest/api/3/issue/10000"})


def test_a_created_issue_is_delivered_with_its_key_and_page(service: Service, client: httpx.Client) -> None:
    service.answer = created
    config = on(service)
    outcome = jira.deliver(client, jira.build(make_brief(), config), config, ENV, NOW, unclear=False)
    assert (outcome.kind, outcome.remote_id, outcome.remote_url) == (
        OutcomeKind.DELIVERED, "SUP-24", f"{service.url}/browse/SUP-24")
    assert service.seen[0].path == "/rest/api/3/issue"
    assert service.seen[0].headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize(("reply", "kind", "words"), [
    (Reply(400, {"errorMessages": ["Field 'priority' cannot be set."],
                 "errors": {"summary": "You must specify a summary of the issue."}}),
     OutcomeKind.PERMANENT, ["Field 'priority' cannot be set.", "summary: You must specify a summary"]),
    (Reply(401, b""), OutcomeKind.PERMANENT, ["JIRA_EMAIL and JIRA_API_TOKEN"]),
    (Reply(403, {"errorMessages": ["You do not have permission to create issues in this project."], "errors": {}}),
     OutcomeKind.PERMANENT, ["no permission to create issues in project SUP"]),
    (Reply(404, {"errorMessages": ["No project could be found with key 'SUP'."], "errors": {}}),
     OutcomeKind.PERMANENT, ["project SUP is not visible"]),
    (Reply(429, b"", {"Retry-After": "7"}), OutcomeKind.RETRY, ["429"]),
    (Reply(503, b"Service Unavailable"), OutcomeKind.RETRY, ["503"]),
])
def test_each_refusal_says_what_to_do(service: Service, client: httpx.Client, reply: Reply, kind: OutcomeKind,
                                      words: list[str]) -> None:
    service.answer = lambda seen: reply
    config = on(service)
    outcome = jira.deliver(client, jira.build(make_brief(), config), config, ENV, NOW, unclear=False)
    assert outcome.kind is kind
    for word in words:
        assert word in outcome.message
    assert all(value not in outcome.message for value in ENV.values())
    if reply.status == 429:
        assert outcome.retry_after == 7


def test_an_echoed_token_never_reaches_the_message(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: Reply(400, {"errorMessages": [f"bad header {seen.headers['authorization']}"],
                                              "errors": {}})
    config = on(service)
    outcome = jira.deliver(client, jira.build(make_brief(), config), config, ENV, NOW, unclear=False)
    pair = base64.b64encode(b"dana@acme.example:ATATT3xFfGF0-secret-token-value").decode()
    assert outcome.kind is OutcomeKind.PERMANENT
    assert pair not in outcome.message
    assert "‹$base64(JIRA_EMAIL:JIRA_API_TOKEN)›" in outcome.message


def test_a_missing_variable_is_a_permanent_outcome_naming_it(client: httpx.Client) -> None:
    outcome = jira.deliver(client, jira.build(make_brief(), cloud()), cloud(), {"JIRA_EMAIL": "x@y.z"}, NOW,
                           unclear=False)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "JIRA_API_TOKEN" in outcome.message


class FakeJira:
    """Creates issues and finds them by label, as Jira Cloud's create and search/jql do."""

    def __init__(self, drop_first: bool) -> None:
        self.issues: list[dict[str, Any]] = []
        self.drop_first = drop_first

    def __call__(self, seen: Seen) -> Reply | str:
        if seen.method == "GET":
            query = parse_qs(urlsplit(seen.path).query)
            label = query["jql"][0].removeprefix('labels = "').removesuffix('"')
            found = [{"id": issue["id"], "key": issue["key"]} for issue in self.issues if label in issue["labels"]]
            return Reply(200, {"issues": found, "isLast": True})
        key = f"SUP-{len(self.issues) + 1}"
        self.issues.append({"id": str(10000 + len(self.issues)), "key": key, "labels": seen.json()["fields"]["labels"]})
        if self.drop_first and len(self.issues) == 1:
            return DROP
        return Reply(201, {"id": self.issues[-1]["id"], "key": key, "self": f"/rest/api/3/issue/{key}"})


def test_after_a_dropped_answer_the_retry_finds_the_issue_and_creates_none(service: Service,
                                                                            client: httpx.Client) -> None:
    fake = FakeJira(drop_first=True)
    service.answer = fake
    config = on(service)
    payload = jira.build(make_brief(), config)
    first = jira.deliver(client, payload, config, ENV, NOW, unclear=False)
    assert first.kind is OutcomeKind.UNCERTAIN
    again = jira.deliver(client, payload, config, ENV, NOW, unclear=True)
    assert (again.kind, again.remote_id) == (OutcomeKind.DELIVERED, "SUP-1")
    assert len(service.creates("POST")) == 1
    search = service.creates("GET")[0]
    assert urlsplit(search.path).path == "/rest/api/3/search/jql"
    assert parse_qs(urlsplit(search.path).query)["jql"] == [f'labels = "{jira.marker(payload.idempotency_key)}"']


def test_when_the_marker_is_not_found_the_retry_creates_exactly_one(service: Service, client: httpx.Client) -> None:
    fake = FakeJira(drop_first=False)
    service.answer = fake
    config = on(service)
    payload = jira.build(make_brief(), config)
    outcome = jira.deliver(client, payload, config, ENV, NOW, unclear=True)
    assert (outcome.kind, outcome.remote_id) == (OutcomeKind.DELIVERED, "SUP-1")
    assert [seen.method for seen in service.seen] == ["GET", "POST"]


def test_datacenter_searches_with_the_v2_search(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: (Reply(200, {"startAt": 0, "maxResults": 50, "total": 1,
                                               "issues": [{"id": "1", "key": "SUP-9", "self": "x"}]})
                                   if seen.method == "GET" else created(seen))
    config = datacenter(base_url=service.url)
    outcome = jira.deliver(client, jira.build(make_brief(), config), config, ENV, NOW, unclear=True)
    assert (outcome.kind, outcome.remote_id) == (OutcomeKind.DELIVERED, "SUP-9")
    assert [urlsplit(seen.path).path for seen in service.seen] == ["/rest/api/2/search"]


def test_a_search_that_fails_creates_nothing_and_is_tried_later(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: Reply(503, b"") if seen.method == "GET" else created(seen)
    config = on(service)
    outcome = jira.deliver(client, jira.build(make_brief(), config), config, ENV, NOW, unclear=True)
    assert outcome.kind is OutcomeKind.RETRY
    assert "could not check" in outcome.message
    assert service.creates("POST") == []


def test_the_marker_is_the_same_for_the_same_send_and_differs_between_versions() -> None:
    one = jira.build(make_brief(version=1), cloud())
    assert one == jira.build(make_brief(version=1), cloud())
    assert jira.marker(one.idempotency_key) != jira.marker(jira.build(make_brief(version=2), cloud()).idempotency_key)
    assert dataclasses.replace(one).body == one.body
