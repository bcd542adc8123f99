"""`escalate-tui send` to a lark_app destination at the loopback Lark: the dry run shows the card
with a token placeholder and sends nothing; a send posts one card and keeps its message id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lark_double import APP_ID, APP_SECRET, CHAT, LarkDouble
from support import example_path

from tui.cli import main


def setup(tmp_path: Path, lark: LarkDouble, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("LARK_APP_SECRET", APP_SECRET)
    config = tmp_path / "config.toml"
    config.write_text(f'[[destinations]]\nname = "eng-lark"\ntype = "lark_app"\napp_id = "{APP_ID}"\n'
                      f'app_secret_env = "LARK_APP_SECRET"\ndomain = "lark"\napi_url = "{lark.url}"\n'
                      f'receive_id = "{CHAT}"\n', encoding="utf-8")
    brief = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), brief)
    return brief, ["--data-dir", str(tmp_path / "data"), "--config", str(config)]


def test_dry_run_then_send_posts_one_card_and_keeps_its_message_id(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with LarkDouble() as lark:
        brief, options = setup(tmp_path, lark, monkeypatch)
        assert main(["send", str(brief), "--to", "eng-lark", "--dry-run", "--json", *options]) == 0
        request = json.loads(capsys.readouterr().out)["destinations"][0]["request"]
        assert sum(lark.calls.values()) == 0  # not even a token
        assert f"POST {lark.url}/im/v1/messages?receive_id_type=chat_id" in request
        assert "Authorization: Bearer ‹token›" in request
        assert APP_SECRET not in request
        assert main(["send", str(brief), "--to", "eng-lark", "--json", *options]) == 0
        first = json.loads(capsys.readouterr().out)["destinations"][0]
        assert main(["send", str(brief), "--to", "eng-lark", "--json", *options]) == 0
        second = json.loads(capsys.readouterr().out)["destinations"][0]
    assert first["state"] == "delivered"
    assert first["remote_id"] in lark.messages
    assert second["outbox_id"] == first["outbox_id"]
    assert len(lark.messages) == 1
    assert lark.issued == 1
