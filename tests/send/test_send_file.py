"""The `file` destination: the Markdown export written once, whole, private, never over another file."""

from __future__ import annotations

import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from tests.send.brief_cases import make_brief
from tui.send import file as file_kind
from tui.send.config import parse_destinations
from tui.send.kinds import load_kind
from tui.send.model import OutcomeKind
from tui.store.atomic import TEMP_SUFFIX

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def config(folder: Path, **extra: object) -> file_kind.Config:
    return file_kind.Config.model_validate({"name": "exports", "type": "file", "folder": str(folder), **extra})


def deliver(payload, cfg):
    with httpx.Client() as client:
        return file_kind.deliver(client, payload, cfg, {}, NOW, unclear=False)


def test_the_file_type_follows_the_kind_contract(tmp_path: Path) -> None:
    assert load_kind("file") is file_kind
    found, problems = parse_destinations([{"name": "exports", "type": "file", "folder": str(tmp_path)}])
    assert problems == []
    assert isinstance(found[0], file_kind.Config)
    assert file_kind.DEDUP is True


def test_a_send_writes_the_brief_under_a_name_with_reference_and_version(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    brief = make_brief(version=3)
    payload = file_kind.build(brief, cfg)
    assert payload.body["name"] == "escalation-2026-11-19-data-export-drops-rows-for-acme-corp-esc-42-v3.md"
    assert payload.body["markdown"] == brief.markdown
    outcome = deliver(payload, cfg)
    written = tmp_path / payload.body["name"]
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.remote_url == str(written)
    assert written.read_text(encoding="utf-8") == brief.markdown
    if sys.platform != "win32":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [written.name]  # no temporary file left


def test_the_request_shows_the_file_and_the_exact_text(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    payload = file_kind.build(make_brief(), cfg)
    request = file_kind.request(payload, cfg, {}, NOW)
    assert request.method == "WRITE"
    assert request.url == (tmp_path / payload.body["name"]).as_uri()
    assert request.body == make_brief().markdown.encode()
    assert request.shown().startswith(f"WRITE {request.url}\n")


def test_sending_again_is_idempotent_and_never_overwrites_another_file(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    payload = file_kind.build(make_brief(), cfg)
    first = deliver(payload, cfg)
    again = deliver(payload, cfg)
    assert again.kind is OutcomeKind.DELIVERED
    assert again.remote_url == first.remote_url
    assert len(list(tmp_path.iterdir())) == 1

    # a different file under the name stays, and the brief takes the next free name
    other = tmp_path / "mine.md"
    other.write_text("my own notes\n", encoding="utf-8")
    named = config(tmp_path, file_name="mine.md")
    payload = file_kind.build(make_brief(), named)
    outcome = deliver(payload, named)
    assert other.read_text(encoding="utf-8") == "my own notes\n"
    assert outcome.remote_url == str(tmp_path / "mine-2.md")
    assert deliver(payload, named).remote_url == str(tmp_path / "mine-2.md")
    assert sorted(p.name for p in tmp_path.iterdir())[-2:] == ["mine-2.md", "mine.md"]


def test_a_name_pattern_fills_in_its_places_and_refuses_a_folder(tmp_path: Path) -> None:
    cfg = config(tmp_path, file_name="{reference}-v{version}-{slug}.md")
    assert file_kind.build(make_brief(version=2), cfg).body["name"] == \
        "ESC-42-v2-data-export-drops-rows-for-acme-corp.md"
    with pytest.raises(ValidationError, match="file name alone"):
        config(tmp_path, file_name="../{slug}.md")
    with pytest.raises(ValidationError, match="places in braces"):
        config(tmp_path, file_name="{customer}.md")


def test_a_missing_folder_is_a_permanent_error_that_says_what_to_do(tmp_path: Path) -> None:
    cfg = config(tmp_path / "nowhere")
    outcome = deliver(file_kind.build(make_brief(), cfg), cfg)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert str(tmp_path / "nowhere") in outcome.message
    assert "does not exist" in outcome.message
    assert "exports" in outcome.message


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_that_cannot_be_written_is_a_permanent_error_with_the_reason(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        cfg = config(locked)
        outcome = deliver(file_kind.build(make_brief(), cfg), cfg)
    finally:
        locked.chmod(0o700)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert str(locked) in outcome.message
    assert "Permission denied" in outcome.message
    assert list(locked.iterdir()) == []


def test_a_full_disk_leaves_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.store.atomic as atomic

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    cfg = config(tmp_path)
    outcome = deliver(file_kind.build(make_brief(), cfg), cfg)
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "No space left on device" in outcome.message
    assert not [p for p in tmp_path.iterdir() if not p.name.endswith(TEMP_SUFFIX)]
    assert list(tmp_path.iterdir()) == []
