"""The Context step's search with one slow source and one failing one: the others' results show at once,
the failure is said on its own line, typing in the query never waits, and the slow one's results join
when they come."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import github_double
import pytest
import zendesk_double
from github_double import GitHubDouble
from http_double import Reply, Seen
from support import SIZE, drafts_open, from_summary
from textual.widgets import Input, Static
from zendesk_double import ZendeskDouble

from tui.config import default_settings
from tui.screens.context_search import ContextSearchScreen

SLOW = 1.5  # seconds the slow Zendesk takes to answer


class SlowZendesk(ZendeskDouble):
    def answer(self, seen: Seen) -> Reply:
        time.sleep(SLOW)
        return super().answer(seen)


def settings_for(workspace: Path, zendesk: ZendeskDouble, github: GitHubDouble) -> Any:
    settings = default_settings()
    settings.sources = [
        {"name": "local files", "type": "local", "folder": str(workspace)},
        {"name": "zendesk", "type": "zendesk", "base_url": zendesk.url, "email": zendesk_double.EMAIL,
         "api_token_env": "ZENDESK_TOKEN", "comments_for": 0, "timeout": 10},
        {"name": "github", "type": "github", "repo": github_double.REPO, "api_url": github.url,
         "token_env": "GITHUB_TOKEN", "timeout": 5},
    ]
    return settings


def progress(screen: ContextSearchScreen) -> str:
    return str(screen.query_one("#context-progress", Static).render())


@pytest.mark.slow
async def test_a_slow_source_delays_nobody_and_a_failing_one_says_why(
        workspace: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ZENDESK_TOKEN", zendesk_double.TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", "wrong-token")
    with SlowZendesk() as zendesk, GitHubDouble() as github:
        github.then(Reply(401, {"message": "Bad credentials"}))
        app = from_summary("Export missing rows", autosave=True, data_dir=tmp_path / "data",
                           settings=settings_for(workspace, zendesk, github))
        async with app.run_test(size=SIZE) as pilot:
            await drafts_open(pilot)
            started = time.monotonic()
            await pilot.press("f3", "ctrl+f")
            screen = app.screen
            assert isinstance(screen, ContextSearchScreen)
            for _ in range(100):
                if "found" in screen.states.get("local files", "") and "github" in screen.states \
                        and "searching" not in screen.states["github"]:
                    break
                await pilot.pause(0.02)
            assert time.monotonic() - started < SLOW  # the others did not wait for Zendesk
            assert screen.states["zendesk"] == "searching…"
            assert "CSV export missing rows" in [item.title for item in screen.items]
            assert "github: not answered: " in progress(screen)
            assert "401" in screen.states["github"]
            assert "$GITHUB_TOKEN" in screen.states["github"]
            await pilot.press(*" now")  # typing while a source is still out
            assert screen.query_one(Input).value == "Export missing rows now"
            for _ in range(200):
                if "found" in screen.states["zendesk"]:
                    break
                await pilot.pause(0.02)
            assert "found" in screen.states["zendesk"]
            assert any(item.provenance.source == "zendesk" for item in screen.items)
            assert any(item.provenance.source == "local files" for item in screen.items)
