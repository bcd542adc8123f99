"""Fixtures of the source tests: a workspace folder holding copies of the sample exports in `data/`, and
the place (workspace, drafts database) a source is opened on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.sources.model import Place

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    shutil.copy(DATA / "zendesk_tickets.csv", folder / "tickets.csv")
    shutil.copy(DATA / "accounts.csv", folder / "accounts.csv")
    shutil.copytree(DATA / "known-issues", folder / "known-issues")
    return folder


@pytest.fixture
def place(workspace: Path, tmp_path: Path) -> Place:
    return Place(workspace=workspace, database=tmp_path / "data" / "drafts.sqlite3")
