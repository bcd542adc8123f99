"""Fixtures every test shares: an isolated home (config, data, working folder) and nothing read
from the environment the tests run in. Shared helpers live in `support.py` beside this file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in its own folder, with its own config and data folders and no settings from the
    environment it runs in."""
    for name in list(os.environ):
        if name.startswith("ESCALATE_TUI_") or name in ("NO_COLOR", "VISUAL", "EDITOR"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path
