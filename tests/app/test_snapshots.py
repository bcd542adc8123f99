"""What each step looks like at 120×40 with a complete example (reviewed SVGs in __snapshots__).

Regenerate after an intended change with `pytest tests/app/test_snapshots.py --snapshot-update`
and review the SVGs before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.app import make_app
from tui.store.brief_file import load_brief

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def example_app():
    return make_app(load_brief(ROOT / "examples" / "export-missing-rows.toml"), clock=lambda: NOW)


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6"])
def test_each_step_at_120_by_40(snap_compare, key: str) -> None:
    async def settle(pilot) -> None:
        await pilot.press(key)
        await pilot.pause(0.4)  # the brief preview redraws after a short quiet period

    assert snap_compare(example_app(), terminal_size=(120, 40), run_before=settle)


def test_help_screen(snap_compare) -> None:
    async def open_help(pilot) -> None:
        await pilot.app.screen.form_completed.wait()  # the first field's editor is focused; help lists its keys
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(example_app(), terminal_size=(120, 40), run_before=open_help)
