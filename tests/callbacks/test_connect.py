"""Which long connections `[callbacks] connect` builds, and what is said when one cannot be."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.callbacks.connect import configured_connections
from tui.cli import main
from tui.config import CallbackSettings

ENV = {"LARK_SECRET": "s3cret", "SLACK_APP": "xapp-1-A1-2-abc", "SLACK_BOT": "xoxb-1"}


def settings(**values: object) -> CallbackSettings:
    return CallbackSettings.model_validate(values)


def test_nothing_is_built_unless_named_in_connect(tmp_path: Path) -> None:
    full = settings(lark_app_id="cli_a1", lark_app_secret_env="LARK_SECRET", slack_app_token_env="SLACK_APP")
    assert configured_connections(full, ENV, tmp_path / "d.sqlite3", print) == ([], [])


def test_both_connections_are_built_from_complete_settings_without_importing_the_sdks(tmp_path: Path) -> None:
    full = settings(connect=["lark", "slack"], lark_app_id="cli_a1", lark_app_secret_env="LARK_SECRET",
                    lark_domain="feishu", slack_app_token_env="SLACK_APP", slack_bot_token_env="SLACK_BOT")
    connections, problems = configured_connections(full, ENV, tmp_path / "d.sqlite3", print)
    assert problems == []
    assert [(c.name, c.state.phase, c.running) for c in connections] == [("Lark", "stopped", False),
                                                                           ("Slack", "stopped", False)]


def test_incomplete_settings_are_said_naming_the_setting(tmp_path: Path) -> None:
    partial = settings(connect=["lark", "slack"], lark_app_secret_env="LARK_SECRET", slack_app_token_env="SLACK_BOT")
    connections, problems = configured_connections(partial, ENV, tmp_path / "d.sqlite3", print)
    assert connections == []
    assert problems == [
        "No Lark long connection: [callbacks] lark_app_id is empty; copy the App ID (cli_…) from the Lark console.",
        "No Slack Socket Mode connection: [callbacks] slack_app_token_env names SLACK_BOT, which does not hold an "
        "app-level token (xapp-…).",
    ]
    unset = settings(connect=["slack"], slack_app_token_env="NOT_SET_ANYWHERE")
    _, problems = configured_connections(unset, ENV, tmp_path / "d.sqlite3", print)
    assert problems == ["No Slack Socket Mode connection: [callbacks] slack_app_token_env names NOT_SET_ANYWHERE, "
                        "which is not set (or empty) in the environment."]


def test_listen_connect_without_connections_configured_says_what_to_set(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[callbacks]\n", encoding="utf-8")
    code = main(["listen", "--connect", "--config", str(config), "--data-dir", str(tmp_path / "data")])
    assert code != 0
    assert 'connect = ["lark"]' in capsys.readouterr().err
    assert main(["listen", "--data-dir", str(tmp_path / "data")]) != 0
    assert "--connect" in capsys.readouterr().err


def test_importing_the_app_imports_no_chat_sdk() -> None:
    import subprocess

    code = ("import sys, tui.app, tui.callbacks.connect, tui.callbacks.lark_longconn, tui.callbacks.slack_longconn;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('lark_oapi', 'slack_sdk')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout
    assert out.strip() == "[]"


MISSING = """
import json, sys, time
from pathlib import Path
sys.modules["lark_oapi"] = None  # as when the apps extra is not installed
sys.modules["slack_sdk"] = None
from tui.callbacks.connect import configured_connections
from tui.config import CallbackSettings
settings = CallbackSettings.model_validate({"connect": ["lark", "slack"], "lark_app_id": "cli_a1",
    "lark_app_secret_env": "LARK_SECRET", "slack_app_token_env": "SLACK_APP"})
env = {"LARK_SECRET": "s3cret", "SLACK_APP": "xapp-1-A1-2-abc"}
connections, problems = configured_connections(settings, env, Path(sys.argv[1]), lambda name, state: None)
for connection in connections:
    connection.start()
deadline = time.monotonic() + 10
while time.monotonic() < deadline and any(c.state.phase != "failed" for c in connections):
    time.sleep(0.02)
print(json.dumps([[c.name, c.state.phase, c.state.why] for c in connections]))
"""


def test_a_connection_whose_sdk_is_missing_fails_saying_what_to_install(tmp_path: Path) -> None:
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", MISSING, str(tmp_path / "d.sqlite3")], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parents[2], timeout=60).stdout
    install = "install the apps extra: pip install 'escalate-tui[apps]'"
    assert json.loads(out) == [["Lark", "failed", f"lark-oapi is not installed; {install}"],
                               ["Slack", "failed", f"slack_sdk is not installed; {install}"]]
