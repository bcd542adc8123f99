"""`escalate-tui outbox`: listing, flushing, retrying and resolving from the command line, and the
restart fault test: the sender killed mid-queue and started again loses no send and makes none twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from outbox_support import NOW, SECRET, queue_sends, webhook_config
from receiver import Answer, Receiver, receiving

from tui.cli import main
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def write_config(path: Path, url: str, kind: str = "webhook", timeout: float = 5.0) -> Path:
    path.write_text(f'[[destinations]]\nname = "eng-hook"\ntype = "{kind}"\nurl = "{url}"\n'
                    f'secret_env = "HOOK_SECRET"\ntimeout = {timeout}\n', encoding="utf-8")
    return path


def test_flush_delivers_and_the_list_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    with receiving(secret=SECRET) as receiver:
        config = write_config(tmp_path / "config.toml", receiver.url)
        with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:
            ids = queue_sends(store, webhook_config(receiver.url, secret_env="HOOK_SECRET"), 3)
        code = main(["outbox", "--flush", "--data-dir", str(tmp_path / "data"), "--config", str(config)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Delivered 3; left in the outbox: nothing" in out
    assert receiver.arrived.total() == 3
    assert main(["outbox", "--json", "--data-dir", str(tmp_path / "data")]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(row["id"] for row in listed) == sorted(ids)
    assert {row["state"] for row in listed} == {"delivered"}


def test_failed_then_retried_and_uncertain_then_resolved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    with receiving(script=[Answer(drop=True)], default=Answer(410, body="this hook was removed")) as receiver:
        config = write_config(tmp_path / "config.toml", receiver.url)
        with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:
            ids = queue_sends(store, webhook_config(receiver.url), 2)
        os.environ["HOOK_SECRET"] = SECRET
        try:
            assert main(["outbox", "--flush", *data, "--config", str(config)]) == 1
        finally:
            del os.environ["HOOK_SECRET"]
    capsys.readouterr()
    with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:  # which of the two met the dropped connection
        states = {store.send(item_id).state: item_id for item_id in ids}
    first, second = states[OutboxState.UNCERTAIN], states[OutboxState.FAILED]
    assert main(["outbox", "--state", "failed", *data]) == 0
    listing = capsys.readouterr().out
    assert f"{second:>5}" in listing
    assert "refused it (410): this hook was removed" in listing
    assert main(["outbox", "retry", str(second), *data]) == 0
    assert "pending again" in capsys.readouterr().out
    assert main(["outbox", "retry", str(first), *data]) == 2
    assert "say whether it arrived" in capsys.readouterr().err

    assert main(["outbox", "resolve", str(first), "--arrived", *data]) == 2
    assert "--reason" in capsys.readouterr().err
    assert main(["outbox", "resolve", str(first), "--arrived", "--reason", "seen in #eng", "--as", "Dana", *data]) == 0
    with DraftStore(tmp_path / "data" / "drafts.sqlite3") as store:
        item = store.send(first)
        assert (item.state, item.answered_by, item.answer) == (OutboxState.DELIVERED, "Dana", "seen in #eng")
        assert store.send(second).state is OutboxState.PENDING


def test_an_empty_outbox_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "The outbox is empty.\n"


def _flush_process(command: list[str], data: Path, config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOOK_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*command, "outbox", "--flush", "--data-dir", str(data), "--config", str(config)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["webhook", "looking"])
def test_a_sender_killed_mid_queue_and_started_again_loses_none_and_sends_none_twice(tmp_path: Path,
                                                                                       kind: str) -> None:
    count = 60
    command = ([sys.executable, "-m", "tui"] if kind == "webhook"
               else [sys.executable, str(HERE / "flush_looking.py")])
    receiver = Receiver(secret=SECRET, default=Answer(delay=0.25)).start()  # slow: the kill lands mid-queue
    try:
        config = write_config(tmp_path / "config.toml", receiver.url, kind)
        data = tmp_path / "data"
        with DraftStore(data / "drafts.sqlite3") as store:
            ids = queue_sends(store, webhook_config(receiver.url, secret_env="HOOK_SECRET"), count, kind=kind)
        first = _flush_process(command, data, config)
        deadline = time.monotonic() + 30
        while receiver.arrived.total() < count // 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert 0 < receiver.arrived.total() < count, "the kill should land mid-queue"

        second = _flush_process(command, data, config)
        _, err = second.communicate(timeout=60)
        with DraftStore(data / "drafts.sqlite3") as store:
            items = [store.send(item_id) for item_id in ids]
            assert second.returncode in (0, 1), err.decode()
            assert all(times == 1 for times in receiver.arrived.values())  # never twice
            assert {item.state for item in items} <= {OutboxState.DELIVERED, OutboxState.UNCERTAIN}  # none lost
            uncertain = [item for item in items if item.state is OutboxState.UNCERTAIN]
            for item in items:
                if item.state is OutboxState.DELIVERED:
                    assert receiver.arrived[item.idempotency_key] == 1
            if kind == "looking":
                assert uncertain == []  # it looked before sending again
            else:
                assert uncertain, "the sends cut off by the kill wait for a person"
                for item in uncertain:  # the person checks the receiver and answers
                    store.resolve_send(item.id, receiver.arrived[item.idempotency_key] == 1, "Dana", "checked", NOW)
        third = _flush_process(command, data, config)
        third.communicate(timeout=60)
        assert sorted(receiver.arrived) == sorted(item.idempotency_key for item in items)
        assert set(receiver.arrived.values()) == {1}
        with DraftStore(data / "drafts.sqlite3") as store:
            assert {store.send(item_id).state for item_id in ids} == {OutboxState.DELIVERED}
    finally:
        receiver.stop()
