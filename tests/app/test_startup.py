"""What start-up leaves behind: the collector back on, the draft untouched, every field filled in."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea

from tui import gc_pause
from tui.app import make_app
from tui.domain.intake import parse_summary

SIZE = (120, 40)
SUMMARY = "Data export is missing rows — 3 customers reported this week"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


@pytest.mark.usefixtures("collector_restored")
async def test_garbage_collection_paused_for_start_up_is_back_on_once_the_screen_is_up() -> None:
    gc_pause.pause()
    assert not gc.isenabled()
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # a long session must not grow without bound


@pytest.mark.usefixtures("collector_restored")
def test_a_collector_someone_else_switched_off_is_left_off() -> None:
    gc.disable()
    gc_pause.pause()
    gc_pause.resume()
    assert not gc.isenabled()


async def test_opening_a_draft_shows_every_stored_value_without_editing_it() -> None:
    escalation = parse_summary(SUMMARY).escalation
    escalation.problem.description = "Exports stop at 10,000 rows."
    escalation.problem.bug_confirmed = True
    escalation.breadth.named_customers = ["Acme Corp", "Globex"]
    escalation.tried = [{"action": "Re-ran the export", "result": "Same rows missing"}]
    app = make_app(escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#f-summary", Input).value == SUMMARY
        assert screen.query_one("#f-breadth-customer-count", Input).value == "3"
        assert screen.query_one("#f-problem-description", TextArea).text == "Exports stop at 10,000 rows."
        assert screen.query_one("#f-problem-bug-confirmed", Checkbox).value is True
        assert screen.query_one("#f-problem-nature", Select).value == "data_loss"
        tried = [cell.value for cell in screen.query("#f-tried Input")]
        assert tried == ["Re-ran the export", "Same rows missing"]
        assert "ESCALATE" in str(screen.query_one("#verdict").render())
        assert app.revision == 0  # showing a draft is not an edit: nothing to autosave
