"""Briefs and exports are written whole, through links, private, and leave no temporary files behind."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tui.store.atomic import TEMP_SUFFIX, remove_stale_temps, write_text_atomic

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and permissions")


@posix_only
def test_writing_through_a_link_replaces_what_it_points_to_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "brief.md"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "brief.md"
    link.symlink_to(real)
    written = write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new\n"
    assert written == real
    assert sorted(p.name for p in real.parent.iterdir()) == ["brief.md"]


@posix_only
def test_a_link_to_a_file_not_there_yet_creates_that_file(tmp_path: Path) -> None:
    link = tmp_path / "brief.md"
    link.symlink_to(tmp_path / "target.md")
    write_text_atomic(link, "text\n")
    assert link.is_symlink()
    assert (tmp_path / "target.md").read_text() == "text\n"


@posix_only
def test_a_new_file_is_private_and_an_existing_one_keeps_its_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "export.md"
    write_text_atomic(fresh, "customer data\n")
    assert fresh.stat().st_mode & 0o777 == 0o600
    shared = tmp_path / "shared.md"
    shared.write_text("x")
    shared.chmod(0o640)
    write_text_atomic(shared, "y\n")
    assert shared.stat().st_mode & 0o777 == 0o640


def test_temporary_files_left_by_killed_writes_are_removed_once_old(tmp_path: Path) -> None:
    old = tmp_path / f".brief.md.abc123{TEMP_SUFFIX}"
    recent = tmp_path / f".brief.md.def456{TEMP_SUFFIX}"
    unrelated = tmp_path / ".notes.tmp"
    for path in (old, recent, unrelated):
        path.write_text("half a brief")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(unrelated, (an_hour_ago, an_hour_ago))
    write_text_atomic(tmp_path / "brief.md", "whole\n")
    assert not old.exists()
    assert recent.exists()  # maybe another instance's write, still going on
    assert unrelated.exists()  # not ours
    assert remove_stale_temps(tmp_path, older_than=0) == 1
    assert not recent.exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "broken \ud800 paste")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


@pytest.mark.parametrize("name", ["b" * 252 + ".md", "é" * 124 + ".md"])
def test_a_name_at_the_limit_can_be_written(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert len(os.fsencode(name)) <= 255
    write_text_atomic(path, "whole\n")
    assert path.read_text() == "whole\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
