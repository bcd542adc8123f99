"""The GitHub source against a loopback GitHub: the issue search it sends, pages up to the limit
and the 1,000-result cap, pull requests left out, and partial results said in its note."""

from __future__ import annotations

import pytest
from conftest import PLACE, github_source
from github_double import REPO, GitHubDouble, result
from http_double import Reply

from tui.domain.models import ContextKind
from tui.sources import github
from tui.sources.config import parse_sources
from tui.sources.model import Query, SourceError


async def test_a_search_follows_pages_up_to_the_limit(github_api: GitHubDouble) -> None:
    items = await github_source(github_api, limit=200).search(Query("export  loses rows", limit=120))
    assert len(items) == 120
    assert items[0].reference == f"{REPO}#500"
    assert [(seen.arg("page"), seen.arg("per_page")) for seen in github_api.seen] == [("1", "100"), ("2", "100")]
    first = github_api.seen[0]
    assert first.arg("q") == f"repo:{REPO} is:issue export loses rows"
    assert first.arg("advanced_search") == "true"
    assert first.headers["authorization"] == f"Bearer {github_api.token}"
    assert first.headers["accept"] == "application/vnd.github+json"


async def test_an_issue_is_a_tracker_item_and_a_pull_request_is_left_out(github_api: GitHubDouble) -> None:
    github_api.results[0] = result(499, "Fix export paging", pull=True)
    items = await github_source(github_api).search(Query("export", limit=3))
    assert [item.reference for item in items] == [f"{REPO}#501", f"{REPO}#502", f"{REPO}#503"]
    item = items[0]
    assert item.kind is ContextKind.TRACKER
    assert item.provenance.url == f"https://github.com/{REPO}/issues/501"
    assert item.status == "open · bug · export"
    assert str(item.when) == "2025-03-26"
    assert item.excerpt.startswith("Steps: export 5010k rows")


async def test_a_partial_answer_and_the_result_cap_are_said_in_the_note(github_api: GitHubDouble) -> None:
    source = github_source(github_api)
    await source.search(Query("export", limit=5))
    assert source.note == ""
    github_api.incomplete, github_api.total = True, 4_812
    await source.search(Query("export", limit=5))
    assert "may be missing" in source.note
    assert "4,812 issues match and GitHub shows only the first 1,000" in source.note


async def test_the_search_never_pages_past_a_thousand_results(github_api: GitHubDouble) -> None:
    github_api.results = [result(1 + i, f"Sync issue {i}") for i in range(1100)]
    items = await github_source(github_api, limit=500).search(Query("sync", limit=500))
    assert len(items) == 500
    assert all(int(seen.arg("page")) * int(seen.arg("per_page")) <= 1000 for seen in github_api.seen)


async def test_a_public_repository_is_searched_without_a_token(github_api: GitHubDouble) -> None:
    github_api.token = None
    config = github.Config.model_validate({"name": "gh", "type": "github", "repo": REPO, "api_url": github_api.url})
    items = await github.open_source(config, {}, PLACE).search(Query("export", limit=2))
    assert len(items) == 2
    assert "authorization" not in github_api.seen[0].headers


async def test_a_rate_limit_reset_beyond_the_timeout_is_said_not_waited(github_api: GitHubDouble) -> None:
    github_api.then(Reply(403, {"message": "API rate limit exceeded"},
                          {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"}))
    with pytest.raises(SourceError, match="403 and asked to wait"):
        await github_source(github_api, timeout=1.0).search(Query("export", limit=2))


async def test_hostile_text_in_a_title_stays_plain(github_api: GitHubDouble) -> None:
    github_api.results[0]["title"] = "<img src=x onerror=alert(1)> [b]x[/b]\x9b31m\u2066done"
    github_api.results[0]["html_url"] = "javascript:alert(1)"
    item = (await github_source(github_api).search(Query("export", limit=1)))[0]
    assert item.title == "<img src=x onerror=alert(1)> [b]x[/b]31mdone"
    assert item.provenance.url == ""


@pytest.mark.parametrize(("table", "said"), [
    ({"repo": REPO, "token": "ghp_0123456789abcdefghijklmnopqrstuvwxyz"}, "token_env"),
    ({"repo": "northwind"}, "pattern"),
    ({"repo": "northwind/.."}, "owner/name"),
    ({"repo": "north wind/x"}, "pattern"),
    ({"repo": REPO, "api_url": "http://api.github.com"}, "only https"),
])
def test_settings_that_cannot_work_are_refused_with_the_reason(table: dict[str, str], said: str) -> None:
    sources, problems = parse_sources([{"name": "github", "type": "github", **table}])
    assert sources == []
    assert any(said in message for _, message in problems), problems
