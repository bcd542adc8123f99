"""Any escalation, however long or odd its text, becomes tracker and paging payloads that pass the
services' own schemas and stay within their limits, and no text from the case becomes structure."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_send_pagerduty import EVENT
from tracker_support import NOW, load_json, make_brief

from tui.domain.models import Severity, Target, TriedStep
from tui.send import github, jira, pagerduty

ADF = jsonschema.Draft4Validator(load_json("atlaskit-adf-schema-v1-full.json"))
ISSUE_BODY = jsonschema.Draft4Validator(load_json("github-issues-create-request.json")["schema"])
ENV = {"E": "dana@acme.example", "T": "token-value-123456", "P": "pat-value-123456", "G": "ghp_x", "K": "k" * 32}

JIRA_CLOUD = jira.Config.model_validate({"name": "j", "type": "jira", "base_url": "https://acme.atlassian.net",
                                         "project": "SUP", "email_env": "E", "api_token_env": "T"})
JIRA_DC = jira.Config.model_validate({"name": "jd", "type": "jira", "base_url": "https://jira.acme.example",
                                      "project": "SUP", "flavor": "datacenter", "token_env": "P"})
GITHUB = github.Config.model_validate({"name": "g", "type": "github", "repo": "acme/platform", "token_env": "G"})
PAGER = pagerduty.Config.model_validate({"name": "p", "type": "pagerduty", "routing_key_env": "K"})

UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINK = re.compile(r"\[(?:[^\]\\|]|\\.)*\|https?://[^\]\s|]*\]")
HOSTILE = ["{code}", "{noformat}", "[link|https://evil.test]", "<!-- x -->", "<script>", "*bold*", "_it_",
           "h1. heading", "# not a list", "- item", "1. item", "----", "\\", "\\\\", "|", "!image.png!", "\x1b[31m",
           "\x00", "\u202e", "\r\n", "\n\n", "`code`", "**", "&#123;", "&amp;", "??cite??", "é漢字🙂", " "]
pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
hostile_text = st.one_of(
    st.lists(pieces, max_size=30).map("".join),
    st.builds(lambda word, n: (word or "x") * n, st.text(min_size=1, max_size=3), st.integers(3_000, 12_000)),
)


def case(summary: str, description: str, tried: list[str], customer: str) -> Any:
    esc = make_brief().esc
    return esc.model_copy(update={
        "summary": summary,
        "problem": esc.problem.model_copy(update={"description": description}),
        "customer": esc.customer.model_copy(update={"name": customer}),
        "tried": [TriedStep(action=step) for step in tried] or esc.tried,
    })


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=hostile_text, description=hostile_text, tried=st.lists(hostile_text, max_size=4),
       customer=hostile_text, severity=st.sampled_from(Severity), target=st.sampled_from(Target))
def test_any_case_makes_valid_payloads_within_limits(summary: str, description: str, tried: list[str],
                                                     customer: str, severity: Severity, target: Target) -> None:
    check_payloads(summary, description, tried, customer, severity, target)


@pytest.mark.parametrize("text", [
    "".join(HOSTILE),
    "\n".join(HOSTILE),
    "{code}" * 2_000,
    "x" * 10_000,
    ("word " * 2_000 + "\n") * 4,
], ids=["all-hostile-on-one-line", "all-hostile-on-lines", "code-macros", "10k-character-word", "10k-lines"])
def test_hostile_and_huge_text_makes_valid_payloads(text: str) -> None:
    check_payloads(text, text, [text], text, Severity.CRITICAL, Target.ENGINEERING)


def check_payloads(summary: str, description: str, tried: list[str], customer: str, severity: Severity,
                   target: Target) -> None:
    brief = make_brief(case(summary, description, tried, customer), severity, target)

    fields = jira.build(brief, JIRA_CLOUD).body["fields"]
    ADF.validate(fields["description"])
    assert len(fields["summary"]) <= 255
    assert "\n" not in fields["summary"]
    assert not UNSAFE.search(fields["summary"])
    assert all(label and not re.search(r"\s", label) for label in fields["labels"])
    assert "ESC-42" in fields["summary"]

    wiki = jira.build(brief, JIRA_DC).body["fields"]["description"]
    assert len(wiki) <= 32_767
    # every macro brace and table bar from the case is escaped; only our own links hold a bare bar
    assert not re.search(r"(?<!\\)[{}|]", LINK.sub("", wiki))
    assert not re.search(r"^(h[1-6]|bq)\.", "\n".join(
        line for line in wiki.splitlines() if not line.startswith(("h2. ESCALATION", "h3. "))), re.MULTILINE)
    assert not UNSAFE.search(wiki.replace("\n", ""))

    issue = github.build(brief, GITHUB).body
    ISSUE_BODY.validate(issue)
    assert len(issue["body"]) <= 65_536
    assert issue["body"].startswith("<!-- escalate-tui:")
    assert "ESC-42" in issue["title"]

    event = json.loads(pagerduty.request(pagerduty.build(brief, PAGER), PAGER, ENV, NOW).body)
    EVENT.validate(event)
    assert len(event["payload"]["summary"]) <= 1024
    assert len(json.dumps(event).encode()) <= 512 * 1024
    assert "ESC-42" in event["payload"]["summary"]
