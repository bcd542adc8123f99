"""`escalate-tui send`: the dry run prints exactly what would leave and writes nothing; a send hands the
case over, delivers once and says so per destination; mistakes exit 2 naming what to fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from receiver import receiving
from support import example_path

from tui.cli import main
from tui.store.drafts import DraftStore

SECRET = "whsec-cli-3e9a"
AWS_KEY = "AKIA" + "Q3EXAMPLE7KEY2ZX"


def setup(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str]]:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    config = tmp_path / "config.toml"
    config.write_text(f'[[destinations]]\nname = "eng-hook"\ntype = "webhook"\nurl = "{url}"\n'
                      'secret_env = "HOOK_SECRET"\ntargets = ["engineering"]\n\n'
                      f'[[destinations]]\nname = "sec-hook"\ntype = "webhook"\nurl = "{url}"\n'
                      'targets = ["security"]\n', encoding="utf-8")
    brief = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), brief)
    return brief, config, ["--data-dir", str(tmp_path / "data"), "--config", str(config)]


def test_a_dry_run_shows_the_proposed_request_masks_the_secret_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with receiving(secret=SECRET) as receiver:
        brief, _, options = setup(tmp_path, receiver.url, monkeypatch)
        text = brief.read_text(encoding="utf-8").replace("Since 12 Nov,", f"Since 12 Nov (key {AWS_KEY}),", 1)
        brief.write_text(text, encoding="utf-8")
        assert main(["send", str(brief), "--dry-run", "--json", *options]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [entry["destination"] for entry in result["destinations"]] == ["eng-hook"]  # routed by target
    request = result["destinations"][0]["request"]
    assert request.startswith(f"POST {receiver.url}")
    assert AWS_KEY not in request
    assert SECRET not in request
    assert "[redacted AWS access key]" in request
    [finding] = result["findings"]
    assert (finding["kind"], finding["field"], finding["masked"]) == ("AWS access key", "problem.description", True)
    assert receiver.arrived.total() == 0
    with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:
        assert store.recent() == []  # no draft stored, no version kept, nothing queued
        assert store.sends() == []


def test_sending_escalates_the_case_delivers_once_and_a_second_send_finds_it_in_the_outbox(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with receiving(secret=SECRET) as receiver:
        brief, _, options = setup(tmp_path, receiver.url, monkeypatch)
        assert main(["send", str(brief), "--to", "eng-hook", "--json", *options]) == 0  # no terminal: no question
        first = json.loads(capsys.readouterr().out)
        assert main(["send", str(brief), "--to", "eng-hook", "--json", *options]) == 0
        second = json.loads(capsys.readouterr().out)
    assert [entry["state"] for entry in first["destinations"]] == ["delivered"]
    assert second["destinations"][0]["outbox_id"] == first["destinations"][0]["outbox_id"]
    assert receiver.arrived.total() == 1
    assert receiver.bad_signatures == 0
    with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:
        assert store.record(first["case"]).status.value == "escalated"
        assert "Sent to eng-hook" in [stored.event.describe() for stored in store.timeline(first["case"])][-1]


@pytest.mark.parametrize(("extra", "said"), [
    (["--to", "nowhere"], "there is no destination called 'nowhere'"),
    (["--keep", "no-such-finding=because"], "--keep names no finding of this case"),
    (["--keep", "no reason"], "--keep takes KEY=REASON"),
])
def test_mistakes_exit_2_naming_what_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], extra: list[str], said: str) -> None:
    with receiving() as receiver:
        brief, _, options = setup(tmp_path, receiver.url, monkeypatch)
        assert main(["send", str(brief), "--dry-run", *extra, *options]) == 2
    assert said in capsys.readouterr().err
    assert receiver.arrived.total() == 0
