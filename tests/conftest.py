"""Fixtures every test shares: an isolated home (config, data, working folder) and nothing read
from the environment the tests run in. Shared helpers live in `support.py` beside this file."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

# lark-oapi leaves coroutines of its own unawaited when a long connection stops; the app silences
# them (tui.callbacks.lark_longconn), and so must the process-wide filters here, because the
# garbage collector reports them after the test that caused them has ended.
warnings.filterwarnings("ignore", message=r"coroutine '(ExpiringCache|Client|FeishuChannel)\._",
                        category=RuntimeWarning)


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


def _user_data_folders() -> list[Path]:
    """Where the person running the tests keeps their drafts (before any test changes the environment)."""
    from platformdirs import user_data_path

    folders = [user_data_path("escalate-tui")]
    if os.environ.get("ESCALATE_TUI_DATA_DIR"):
        folders.append(Path(os.environ["ESCALATE_TUI_DATA_DIR"]).expanduser())
    return folders


def _contents(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {str(path): (path.stat().st_size, path.stat().st_mtime_ns) for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(autouse=True, scope="session")
def users_data_untouched() -> Iterator[None]:
    """The tests never write to the drafts of whoever runs them, whatever their environment says."""
    folders = _user_data_folders()
    before = {folder: _contents(folder) for folder in folders}
    yield
    for folder in folders:
        assert _contents(folder) == before[folder], f"the tests wrote to the user's data folder {folder}"
