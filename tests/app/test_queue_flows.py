"""From the queue to the flows that follow a case up: a customer update, a de-escalation, a resolution —
each logged on the escalation and seen in its row; and the app opening on the queue when there is one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from queue_support import escalated
from support import NOW, SIZE, app_for, drafts_open, toasts
from test_queue import highlight, open_queue, rows, settled

from tui.domain.lifecycle import EventKind, Status
from tui.domain.models import Severity
from tui.screens.closing import ClosingScreen
from tui.screens.customer_update import CustomerUpdateScreen
from tui.screens.queue import QueueScreen
from tui.store.drafts import DraftStore

LATE = "Checkout returns 500 for every card payment"


def two_cases(data: Path) -> dict[str, int]:
    with DraftStore(data / "drafts.sqlite3") as store:
        return {LATE: escalated(store, LATE, "Acme Corp", Severity.HIGH, ago=timedelta(hours=9)),
                "Export drops rows": escalated(store, "Export drops rows", "Initech", Severity.HIGH)}


@pytest.mark.slow
async def test_a_customer_update_sent_from_the_queue_restarts_the_customer_clock(tmp_path: Path) -> None:
    ids = two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        assert rows(screen)[0]["due"].startswith("OVERDUE")
        await highlight(pilot, screen, LATE)
        await pilot.press("c")
        await settled(pilot)
        assert isinstance(app.screen, CustomerUpdateScreen)
        await pilot.press("enter")  # the interim update, into its editor
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is screen
        assert f"Logged on #{ids[LATE]}: Customer updated" in toasts(app)
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        record = store.record(ids[LATE])
        last = store.timeline(ids[LATE])[-1].event
    assert last.kind is EventKind.CUSTOMER_UPDATED
    assert "Checkout returns 500" in last.text or "Acme" in last.text
    assert record.customer_due is not None
    assert record.customer_due > NOW  # the clock ran from the update, not from the escalation
    assert record.overdue(NOW) == ["internal"]  # only the check-in is still late


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_de_escalating_from_the_queue_walks_the_checklist_and_takes_the_row_away(tmp_path: Path) -> None:
    ids = two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await highlight(pilot, screen, LATE)
        await pilot.press("d")
        await settled(pilot)
        assert isinstance(app.screen, ClosingScreen)
        await pilot.press("down", "space", "tab", *"config flag turned off", "enter")
        await pilot.press("space", "space", "space", "space")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert [row["summary"] for row in rows(screen)] == ["Export drops rows"]
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        assert store.record(ids[LATE]).status is Status.DE_ESCALATED
        closing = store.timeline(ids[LATE])[-1].event
    assert closing.kind is EventKind.DE_ESCALATED
    assert len(closing.checklist) == 4


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_resolving_from_the_queue_records_the_cause(tmp_path: Path) -> None:
    ids = two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await highlight(pilot, screen, "Export drops rows")
        await pilot.press("r")
        await settled(pilot)
        assert isinstance(app.screen, ClosingScreen)
        await pilot.press(*"off-by-one in the paginator", "enter", "space", "space", "space", "space", "ctrl+s")
        await settled(pilot)
        assert [row["summary"] for row in rows(screen)] == [LATE]
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        record = store.record(ids["Export drops rows"])
        assert record.status is Status.RESOLVED
        assert store.timeline(record.id)[-1].event.text == "off-by-one in the paginator"


async def test_the_app_opens_on_the_queue_when_escalations_are_open(tmp_path: Path) -> None:
    two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path, offer_resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await settled(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("escape")  # back to the new case underneath
        await pilot.pause()
        assert not isinstance(app.screen, QueueScreen)


async def test_a_case_opened_with_a_summary_does_not_open_the_queue(tmp_path: Path) -> None:
    two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path, offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        assert not isinstance(app.screen, QueueScreen)


@pytest.mark.slow
async def test_f1_on_the_queue_explains_the_queue(tmp_path: Path) -> None:
    two_cases(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await pilot.press("f1")
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Queue: every escalation handed over" in shown
        assert "queue.de_escalate" in shown
