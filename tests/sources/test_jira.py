"""The Jira Cloud source against a loopback Jira: the JQL it sends, `nextPageToken` followed until
`isLast` or the limit, issues as tracker items with their ADF description as plain text."""

from __future__ import annotations

import pytest
from conftest import jira_source
from jira_double import JiraDouble

from tui.domain.models import ContextKind
from tui.sources.adf_text import adf_text
from tui.sources.config import parse_sources
from tui.sources.jira import jql_for, jql_string
from tui.sources.model import Query


async def test_a_search_follows_next_page_tokens_up_to_the_limit(jira_api: JiraDouble) -> None:
    items = await jira_source(jira_api, limit=100).search(Query("export drops rows", limit=60))
    assert [item.reference for item in items[:2]] == ["SUP-100", "SUP-101"]
    assert len(items) == 60
    assert [(seen.arg("maxResults"), seen.arg("nextPageToken")) for seen in jira_api.seen] == [
        ("50", ""), ("10", "page-50")]
    first = jira_api.seen[0]
    assert first.arg("jql") == '(project = SUP) AND text ~ "export drops rows" ORDER BY updated DESC'
    assert first.arg("fields") == "summary,status,priority,labels,updated,description"
    assert first.headers["authorization"].startswith("Basic ")


async def test_the_search_ends_on_the_last_page(jira_api: JiraDouble) -> None:
    items = await jira_source(jira_api, limit=500).search(Query("export", limit=500))
    assert len(items) == 70
    assert len(jira_api.seen) == 2


async def test_an_issue_is_a_tracker_item_with_its_link_status_day_and_description(jira_api: JiraDouble) -> None:
    item = (await jira_source(jira_api).search(Query("export", limit=1)))[0]
    assert item.kind is ContextKind.TRACKER
    assert item.title == "CSV export drops rows (0)"
    assert item.provenance.url == f"{jira_api.url}/browse/SUP-100"
    assert item.provenance.id == "10100"
    assert item.status == "In Progress"
    assert str(item.when) == "2025-03-17"
    assert item.excerpt == "Exports over 10k rows lose rows\nsince 2.14.\n@Priya to check the writer"


async def test_hostile_text_in_a_summary_stays_plain(jira_api: JiraDouble) -> None:
    jira_api.issues[0]["fields"]["summary"] = "[link=https://evil.example]click[/link]\x1b]8;;x\x07\nnext"
    item = (await jira_source(jira_api).search(Query("export", limit=1)))[0]
    assert item.title == "[link=https://evil.example]click[/link]]8;;x next"


def test_quotes_and_backslashes_cannot_end_the_jql_string() -> None:
    assert jql_string('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'
    assert jql_for('x" OR project = HR OR text ~ "y', "") == (
        'text ~ "x\\" OR project = HR OR text ~ \\"y" ORDER BY updated DESC')


def test_adf_text_skips_what_is_not_a_node_and_stops_at_absurd_depth() -> None:
    deep: dict[str, object] = {"type": "text", "text": "bottom"}
    for _ in range(500):
        deep = {"type": "blockquote", "content": [deep]}
    assert adf_text(deep) == ""
    assert adf_text({"type": "doc", "content": ["text", 3, {"type": "paragraph", "content": [
        {"type": "text", "text": "kept"}]}]}) == "kept"


@pytest.mark.parametrize(("table", "said"), [
    ({"base_url": "https://n.atlassian.net", "email": "a@n.example", "api_token": "x"}, "api_token_env"),
    ({"base_url": "http://n.atlassian.net", "email": "a@n.example", "api_token_env": "T"}, "only https"),
    ({"base_url": "https://n.atlassian.net", "api_token_env": "T"}, "email"),
])
def test_settings_that_cannot_work_are_refused_with_the_reason(table: dict[str, str], said: str) -> None:
    sources, problems = parse_sources([{"name": "jira", "type": "jira", **table}])
    assert sources == []
    assert any(said in str(where) + message for where, message in problems), problems
