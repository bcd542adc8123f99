"""The app starts the long connections once its drafts are open, tells their state changes, and stops
them on quit."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SIZE, app_for, drafts_open, toasts

from tui.app import ConnectionChanged
from tui.callbacks.longconn import State
from tui.config import default_settings


async def test_a_connection_that_cannot_start_is_said_and_state_changes_are_told_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_SLACK_TOKEN", raising=False)
    settings = default_settings()
    settings.callbacks = settings.callbacks.model_copy(update={"connect": ["slack"],
                                                               "slack_app_token_env": "NO_SUCH_SLACK_TOKEN"})
    app = app_for(None, autosave=True, data_dir=tmp_path, settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await drafts_open(pilot)
        for _ in range(100):
            if "NO_SUCH_SLACK_TOKEN" in toasts(app):
                break
            await pilot.pause(0.05)
        assert "slack_app_token_env names NO_SUCH_SLACK_TOKEN, which is not set" in toasts(app)
        assert app.connections == []
        for state in (State("connected"), State("connected"), State("failed", "Slack refused the token")):
            app.post_message(ConnectionChanged("Slack", state))
        await pilot.pause(0.2)
        assert toasts(app).count("Slack: connected") == 1
        assert "Slack: not connected: Slack refused the token" in toasts(app)


@pytest.mark.slow
async def test_the_queue_shows_where_each_connection_stands_and_follows_its_changes(tmp_path: Path) -> None:
    app = app_for(None, autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f7")
        await pilot.pause(0.2)
        answers = app.screen.query_one("#queue-answers")
        assert not answers.display  # no connection configured: no line
        app.post_message(ConnectionChanged("Lark", State("connected")))
        app.post_message(ConnectionChanged("Slack", State("failed", "[bold]refused[/] the token")))
        await pilot.pause(0.2)
        assert answers.display
        line = str(answers.render())
        assert "Answers: Lark: connected · Slack: not connected: [bold]refused[/] the token" in line
        app.post_message(ConnectionChanged("Lark", State("reconnecting", "the connection closed")))
        await pilot.pause(0.2)
        assert "Lark: reconnecting (the connection closed)" in str(answers.render())
