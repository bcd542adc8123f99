"""`escalate-tui listen` as a person runs it: a real process on 127.0.0.1, secrets from the environment
variables the config names, an answer seen by `due`, and Ctrl-C stopping it cleanly."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from listen_support import SLACK_SECRET, escalated, slack_request
from payloads import slack_click

from tui.cli import main
from tui.store.drafts import DraftStore

ROOT = Path(__file__).resolve().parents[2]


def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[callbacks]\nslack_signing_secret_env = "TEST_SLACK_SIGNING_SECRET"\n', encoding="utf-8")
    return path


def test_listen_takes_an_answer_and_stops_on_ctrl_c(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    with DraftStore(data / "drafts.sqlite3") as store:
        draft_id = escalated(store)
    env = {**os.environ, "TEST_SLACK_SIGNING_SECRET": SLACK_SECRET, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "listen", "--port", "0", "--data-dir", str(data),
         "--config", str(config(tmp_path))],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        started = process.stderr.readline()
        found = re.search(r"Listening on (http://127\.0\.0\.1:\d+) .*answers from Slack\.", started)
        assert found, started
        body, headers = slack_request(slack_click("take", str(draft_id)))
        response = httpx.post(f"{found.group(1)}/slack", content=body, headers=headers, timeout=5)
        assert response.status_code == 200
        assert " 200 recorded: Taken by kim.lee" in process.stderr.readline()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr.read().strip() == "Stopped listening."
    finally:
        if process.poll() is None:
            process.kill()
    assert main(["due", "--json", "--data-dir", str(data)]) in (0, 1)
    rows = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["owner"]) for row in rows] == [(draft_id, "kim.lee")]
    assert SLACK_SECRET not in (tmp_path / "config.toml").read_text(encoding="utf-8")


def test_a_named_variable_that_is_not_set_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["listen", "--port", "0", "--data-dir", str(tmp_path / "data"), "--config", str(config(tmp_path))])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "escalate-tui: listen: [callbacks] slack_signing_secret_env names the environment variable "
        "TEST_SLACK_SIGNING_SECRET, which is not set (or empty); set it, or remove the setting")


def test_a_port_in_use_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SLACK_SIGNING_SECRET", SLACK_SECRET)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["listen", "--port", str(port), "--data-dir", str(tmp_path / "data"),
                     "--config", str(config(tmp_path))])
    assert code == 2
    assert f"cannot listen on 127.0.0.1 port {port}: Address already in use" in capsys.readouterr().err
