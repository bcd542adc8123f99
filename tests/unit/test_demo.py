"""`--demo`: the app and every command work on the sample workspace, with drafts kept apart from real ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import build_app, enter_demo, main, parse_arguments
from tui.domain.models import Escalation
from tui.sources.sample import DEMO_SOURCE, sample_workspace
from tui.store.drafts import FILE_NAME


def data_home(tmp: Path) -> Path:
    return tmp / "data" / "escalate-tui"  # XDG_DATA_HOME, as tests/conftest.py sets it


def test_a_command_after_demo_keeps_its_database_in_the_demo_folder(isolated: Path, capsys) -> None:
    assert main(["--demo", "due", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) is not None
    assert (data_home(isolated) / "demo" / FILE_NAME).is_file()
    assert not (data_home(isolated) / FILE_NAME).exists()

    assert main(["due", "--json"]) == 0  # without --demo: the real database, beside the demo folder
    assert (data_home(isolated) / FILE_NAME).is_file()


def test_demo_with_a_data_dir_uses_a_demo_folder_inside_it(isolated: Path, capsys) -> None:
    chosen = isolated / "elsewhere"
    assert main(["--demo", "due", "--json", "--data-dir", str(chosen)]) == 0
    assert (chosen / "demo" / FILE_NAME).is_file()
    assert not (chosen / FILE_NAME).exists()


def test_the_app_opened_with_demo_saves_in_the_demo_folder_and_searches_only_the_sample(isolated: Path) -> None:
    config = isolated / "config.toml"
    config.write_text('[[sources]]\ntype = "zendesk"\nname = "ours"\n', encoding="utf-8")
    args, wants_command = parse_arguments(["--demo", "--config", str(config)])
    assert not wants_command
    enter_demo(args)
    app = build_app(args, Escalation(), None, [])
    assert app.autosaver is not None
    assert Path(app.autosaver.data_dir or "") == data_home(isolated) / "demo"
    assert app.settings.sources == [{"type": "local", "name": DEMO_SOURCE, "folder": str(sample_workspace())}]


def test_without_demo_the_app_keeps_the_configured_sources_and_the_usual_folder(isolated: Path) -> None:
    config = isolated / "config.toml"
    config.write_text('[[sources]]\ntype = "zendesk"\nname = "ours"\n', encoding="utf-8")
    args, _ = parse_arguments(["--config", str(config)])
    app = build_app(args, Escalation(), None, [])
    assert app.autosaver is not None
    assert app.autosaver.data_dir is None
    assert [table["name"] for table in app.settings.sources] == ["ours"]


def test_help_says_demo_drafts_stay_apart(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--demo" in text
    assert "separate demo/ folder" in text


def test_the_demo_sends_nowhere_but_the_markdown_file_and_opens_no_connection(tmp_path: Path) -> None:
    from tui.config import for_demo, load_settings

    config = tmp_path / "config.toml"
    config.write_text('[callbacks]\nconnect = ["slack"]\nslack_app_token_env = "SLACK_APP_TOKEN"\n\n'
                      '[[destinations]]\nname = "eng-slack"\ntype = "slack"\nwebhook_url_env = "ENG_SLACK"\n',
                      encoding="utf-8")
    settings, _ = load_settings(config)
    demo = for_demo(settings)
    assert demo.destinations == []
    assert demo.callbacks.connect == []
    assert [table["type"] for table in demo.sources] == ["local"]
