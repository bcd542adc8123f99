"""GitHub: the issue body and labels, the exact request, each answer GitHub gives, and the look
through the newest issues that stops a second one after an attempt that may have landed."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema
import pytest
from pydantic import ValidationError
from tracker_support import (  # noqa: F401
    DROP,
    NOW,
    Reply,
    Seen,
    Service,
    client_fixture,
    load_json,
    make_brief,
    service_fixture,
)

from tui.domain.models import Severity, Target
from tui.send import github
from tui.send.model import OutcomeKind

ENV = {"GITHUB_TOKEN": "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"}
ISSUE_BODY = jsonschema.Draft4Validator(load_json("github-issues-create-request.json")["schema"])


def config(**options: Any) -> github.Config:
    return github.Config.model_validate({"name": "eng-github", "type": "github", "repo": "acme/platform",
                                         "token_env": "GITHUB_TOKEN", **options})


def test_the_issue_matches_githubs_schema_and_carries_reference_marker_and_labels() -> None:
    cfg = config(target_labels={"engineering": "team: engineering"}, assignees=["octocat"])
    payload = github.build(make_brief(severity=Severity.HIGH, target=Target.ENGINEERING), cfg)
    ISSUE_BODY.validate(payload.body)
    assert payload.body["title"].startswith("ESC-42 [High] ")
    assert payload.body["body"].splitlines()[0] == f"<!-- escalate-tui:{payload.idempotency_key} -->"
    assert "ESC-42" in payload.body["body"].splitlines()[1]
    assert "### Impact" in payload.body["body"]
    assert payload.body["labels"] == ["escalation", "severity: high", "team: engineering"]
    assert payload.body["assignees"] == ["octocat"]


def test_a_long_brief_is_cut_at_a_line_within_65536_characters_and_keeps_its_marker() -> None:
    brief = make_brief()
    long = brief.markdown + "\n".join(f"- line {n} " + "word " * 30 for n in range(3000))
    payload = github.build(type(brief)(42, 1, brief.esc, brief.assessment, long, brief.today), config())
    body = payload.body["body"]
    assert len(body) <= 65_536
    assert body.splitlines()[0].startswith("<!-- escalate-tui:")
    assert body.endswith("full brief is in the Markdown export)")
    assert body.splitlines()[-2].endswith("word ")  # whole lines only


def test_severity_labels_follow_the_mapping() -> None:
    cfg = config(severity_names={"critical": "P1"}, labels=[])
    assert github.build(make_brief(severity=Severity.CRITICAL), cfg).body["labels"] == ["P1"]
    assert github.build(make_brief(severity=Severity.MEDIUM), cfg).body["labels"] == ["severity: medium"]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="token_env"):
        config(token="ghp_0123456789abcdefghijklmnopqrstuvwxyzAB")
    with pytest.raises(ValidationError, match="repo"):
        config(repo="not a repo")
    with pytest.raises(ValidationError, match="https"):
        config(api_url="http://github.acme.example/api/v3")


def test_the_request_has_githubs_headers_and_the_dry_run_masks_the_token() -> None:
    payload = github.build(make_brief(), config())
    sent = github.request(payload, config(), ENV, NOW)
    assert (sent.method, sent.url) == ("POST", "https://api.github.com/repos/acme/platform/issues")
    assert sent.headers["Authorization"] == f"Bearer {ENV['GITHUB_TOKEN']}"
    assert sent.headers["Accept"] == "application/vnd.github+json"
    assert sent.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert json.loads(sent.body) == payload.body
    assert ENV["GITHUB_TOKEN"] not in sent.shown()
    assert "Authorization: Bearer ‹$GITHUB_TOKEN›" in sent.shown()


# --- against a loopback GitHub -----------------------------------------------------------------


def on(running: Service, **options: Any) -> github.Config:
    return config(api_url=running.url, **options)


def issue(number: int, body: str) -> dict[str, Any]:
    return {"id": 1000 + number, "node_id": "I_x", "number": number, "body": body, "state": "open",
            "html_url": f"https://github.com/acme/platform/issues/{number}"}


def test_a_created_issue_is_delivered_with_its_number_and_page(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: Reply(201, issue(7, seen.json()["body"]))
    cfg = on(service)
    outcome = github.deliver(client, github.build(make_brief(), cfg), cfg, ENV, NOW, unclear=False)
    assert (outcome.kind, outcome.remote_id, outcome.remote_url) == (
        OutcomeKind.DELIVERED, "7", "https://github.com/acme/platform/issues/7")
    assert service.seen[0].path == "/repos/acme/platform/issues"
    assert service.seen[0].headers["x-github-api-version"] == "2022-11-28"


RESET = int(NOW.timestamp()) + 120


@pytest.mark.parametrize(("reply", "kind", "words", "wait"), [
    (Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
     OutcomeKind.PERMANENT, ["GITHUB_TOKEN", "expired"], None),
    (Reply(403, {"message": "Resource not accessible by personal access token"}),
     OutcomeKind.PERMANENT, ["Issues write permission", "acme/platform", "Resource not accessible"], None),
    (Reply(404, {"message": "Not Found"}), OutcomeKind.PERMANENT, ["acme/platform was not found"], None),
    (Reply(410, {"message": "Issues are disabled for this repo"}), OutcomeKind.PERMANENT,
     ["issues are turned off in acme/platform"], None),
    (Reply(422, {"message": "Validation Failed",
                 "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"},
                            {"resource": "Label", "code": "invalid", "message": "Label name is too long"}]}),
     OutcomeKind.PERMANENT, ["Validation Failed", "Issue title missing_field", "Label name is too long"], None),
    (Reply(403, {"message": "API rate limit exceeded"}, {"x-ratelimit-remaining": "0",
                                                         "x-ratelimit-reset": str(RESET)}),
     OutcomeKind.RETRY, ["rate limit"], 120),
    (Reply(403, {"message": "You have exceeded a secondary rate limit"}, {"retry-after": "60"}),
     OutcomeKind.RETRY, ["rate limit"], 60),
    (Reply(429, {"message": "slow down"}, {"retry-after": "30"}), OutcomeKind.RETRY, ["rate limit"], 30),
    (Reply(502, b"Bad Gateway"), OutcomeKind.RETRY, ["502"], None),
])
def test_each_refusal_says_what_to_do(service: Service, client: httpx.Client, reply: Reply, kind: OutcomeKind,
                                      words: list[str], wait: float | None) -> None:
    service.answer = lambda seen: reply
    cfg = on(service)
    outcome = github.deliver(client, github.build(make_brief(), cfg), cfg, ENV, NOW, unclear=False)
    assert outcome.kind is kind
    for word in words:
        assert word in outcome.message
    assert outcome.retry_after == wait
    assert ENV["GITHUB_TOKEN"] not in outcome.message


class FakeGitHub:
    """Creates issues and lists them newest first, as the REST API does."""

    def __init__(self, drop_first: bool, others: int = 3) -> None:
        self.issues = [issue(n, f"unrelated issue {n}") for n in range(1, others + 1)]
        self.drop_first = drop_first
        self.created = 0

    def __call__(self, seen: Seen) -> Reply | str:
        if seen.method == "GET":
            return Reply(200, list(reversed(self.issues)))
        self.created += 1
        self.issues.append(issue(len(self.issues) + 1, seen.json()["body"]))
        if self.drop_first and self.created == 1:
            return DROP
        return Reply(201, self.issues[-1])


def test_after_a_dropped_answer_the_retry_finds_the_issue_and_creates_none(service: Service,
                                                                            client: httpx.Client) -> None:
    service.answer = FakeGitHub(drop_first=True)
    cfg = on(service)
    payload = github.build(make_brief(), cfg)
    assert github.deliver(client, payload, cfg, ENV, NOW, unclear=False).kind is OutcomeKind.UNCERTAIN
    again = github.deliver(client, payload, cfg, ENV, NOW, unclear=True)
    assert (again.kind, again.remote_id) == (OutcomeKind.DELIVERED, "4")
    assert len(service.creates("POST")) == 1
    listing = service.creates("GET")[0]
    assert urlsplit(listing.path).path == "/repos/acme/platform/issues"
    assert parse_qs(urlsplit(listing.path).query) == {"state": ["all"], "sort": ["created"],
                                                      "direction": ["desc"], "per_page": ["50"]}


def test_when_the_marker_is_absent_the_retry_creates_exactly_one(service: Service, client: httpx.Client) -> None:
    service.answer = FakeGitHub(drop_first=False)
    cfg = on(service)
    outcome = github.deliver(client, github.build(make_brief(), cfg), cfg, ENV, NOW, unclear=True)
    assert (outcome.kind, outcome.remote_id) == (OutcomeKind.DELIVERED, "4")
    assert [seen.method for seen in service.seen] == ["GET", "POST"]


def test_a_marker_quoted_inside_another_issue_is_not_taken_for_the_send(service: Service,
                                                                         client: httpx.Client) -> None:
    cfg = on(service)
    payload = github.build(make_brief(), cfg)
    fake = FakeGitHub(drop_first=False)
    fake.issues.append(issue(9, f"someone quoted \\{github.marker(payload.idempotency_key)} here"))
    service.answer = fake
    outcome = github.deliver(client, payload, cfg, ENV, NOW, unclear=True)
    assert (outcome.kind, outcome.remote_id) == (OutcomeKind.DELIVERED, "5")
    assert len(service.creates("POST")) == 1


def test_a_listing_that_fails_creates_nothing(service: Service, client: httpx.Client) -> None:
    service.answer = lambda seen: Reply(500, {"message": "Server Error"}) if seen.method == "GET" else Reply(201, {})
    cfg = on(service)
    outcome = github.deliver(client, github.build(make_brief(), cfg), cfg, ENV, NOW, unclear=True)
    assert outcome.kind is OutcomeKind.RETRY
    assert "could not check" in outcome.message
    assert service.creates("POST") == []


def test_a_missing_token_variable_is_named(client: httpx.Client) -> None:
    outcome = github.deliver(client, github.build(make_brief(), config()), config(), {}, NOW, unclear=False)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "GITHUB_TOKEN" in outcome.message
