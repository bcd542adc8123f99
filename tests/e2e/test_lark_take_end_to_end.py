"""The issue's end-to-end case: `escalate-tui send` posts a card to a loopback Lark app, a "Take"
clicked on it reaches `escalate-tui listen` (a real process) as Lark sends it, the owner shows in
`escalate-tui due --json`, and the card at Lark is updated to say who took it."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "send"))
sys.path.insert(0, str(ROOT / "tests" / "callbacks"))

from lark_double import APP_ID, APP_SECRET, CHAT, LarkDouble  # noqa: E402
from payloads import lark_click  # noqa: E402
from support import example_path  # noqa: E402

from tui.cli import main  # noqa: E402
from tui.send import lark_app  # noqa: E402

VERIFICATION_TOKEN = "v_e2e_verification_token_4f2a"
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fresh_tokens() -> Iterator[None]:
    lark_app.forget_tokens()
    yield
    lark_app.forget_tokens()


def test_a_take_clicked_on_the_lark_card_sets_the_owner_and_updates_the_card(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    brief = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), brief)
    monkeypatch.setenv("LARK_APP_SECRET", APP_SECRET)
    with LarkDouble() as lark:
        config.write_text(f'[callbacks]\nlark_verification_token_env = "LARK_VERIFICATION_TOKEN"\n\n'
                          f'[[destinations]]\nname = "eng-lark"\ntype = "lark_app"\napp_id = "{APP_ID}"\n'
                          f'app_secret_env = "LARK_APP_SECRET"\ndomain = "lark"\napi_url = "{lark.url}"\n'
                          f'receive_id = "{CHAT}"\n', encoding="utf-8")
        options = ["--data-dir", str(data), "--config", str(config)]
        assert main(["send", str(brief), "--to", "eng-lark", "--json", "--yes", *options]) == 0
        sent = json.loads(capsys.readouterr().out)
        case, [result] = sent["case"], sent["destinations"]
        message_id = result["remote_id"]
        assert result["state"] == "delivered"
        assert lark.messages[message_id].updates == []

        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
               "LARK_APP_SECRET": APP_SECRET, "LARK_VERIFICATION_TOKEN": VERIFICATION_TOKEN}
        listen = subprocess.Popen([sys.executable, "-m", "tui", "listen", "--port", "0", *options],
                                  cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        try:
            assert listen.stderr is not None
            started = listen.stderr.readline()
            found = re.search(r"Listening on (http://127\.0\.0\.1:\d+) .*answers from Lark\.", started)
            assert found, started
            click = lark_click("take", str(case), event_id="e2e-take-0001")
            click["header"]["token"] = VERIFICATION_TOKEN
            click["event"]["context"]["open_message_id"] = message_id
            who = click["event"]["operator"]["open_id"]
            asked = time.monotonic()
            response = httpx.post(f"{found.group(1)}/lark", content=json.dumps(click).encode(),
                                  headers={"Content-Type": "application/json"}, timeout=5)
            assert response.status_code == 200
            assert time.monotonic() - asked < 3  # within Lark's limit, the card update not waited for
            assert " 200 recorded: Taken by " in listen.stderr.readline()
            deadline = time.monotonic() + 15
            while not lark.messages[message_id].updates and time.monotonic() < deadline:
                time.sleep(0.05)
            [update] = lark.messages[message_id].updates
            card = json.loads(update)
            status = card["elements"][0]
            assert (status["tag"], status["text"]["tag"]) == ("div", "plain_text")  # a name cannot format it
            assert status["text"]["content"].startswith(f"Taken by {who} · ")
            assert card["config"]["update_multi"] is True
            listen.send_signal(signal.SIGINT)
            assert listen.wait(timeout=10) == 0
        finally:
            if listen.poll() is None:
                listen.kill()
                listen.wait(5)
    assert main(["due", "--json", "--data-dir", str(data)]) in (0, 1)
    rows = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["owner"]) for row in rows] == [(case, who)]
    assert lark.calls["PATCH /im/v1/messages/:id"] == 1
