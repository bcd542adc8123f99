"""What each step looks like at 120×40 with a complete example (reviewed SVGs in __snapshots__).

Regenerate after an intended change with `pytest tests/app/test_snapshots.py --snapshot-update`
and review the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from support import SIZE, app_for, example


def example_app():
    return app_for(example("export-missing-rows"))


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6"])
def test_each_step_at_120_by_40(snap_compare, key: str) -> None:
    async def settle(pilot) -> None:
        await pilot.press(key)
        await pilot.pause(0.4)  # the brief preview redraws after a short quiet period

    assert snap_compare(example_app(), terminal_size=SIZE, run_before=settle)


def test_help_screen(snap_compare) -> None:
    async def open_help(pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(example_app(), terminal_size=SIZE, run_before=open_help)


@pytest.mark.parametrize("key", ["f2", "f6"])
def test_a_small_terminal_keeps_the_form_the_status_and_the_footer(snap_compare, key: str) -> None:
    async def settle(pilot) -> None:
        await pilot.press(key)
        await pilot.pause(0.4)

    assert snap_compare(example_app(), terminal_size=(80, 24), run_before=settle)
