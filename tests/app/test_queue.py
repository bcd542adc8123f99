"""The queue (F7): open escalations due first, overdue ones written OVERDUE, and the keys that follow
a case up — each one seen as the agent sees it, in the rows, the dialogs and the notices."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from queue_support import escalated
from support import NOW, SIZE, app_for, drafts_open, toasts
from textual.pilot import Pilot
from textual.widgets import DataTable

from tui.app import EscalateApp
from tui.autosave import Autosaver, OpenedDrafts
from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Severity, Target
from tui.screens.change_severity import ChangeSeverityScreen
from tui.screens.log_update import LogUpdateScreen
from tui.screens.queue import QueueScreen
from tui.screens.snooze import SnoozeScreen
from tui.screens.timeline import TimelineScreen
from tui.store.drafts import DraftStore

OVERDUE = "Checkout returns 500 for every card payment"  # Critical, escalated 3 h ago: its check-in is 1 h late


def four_cases(data: Path) -> dict[str, int]:
    """Four open escalations at NOW, by summary: one overdue, the others due later in different orders."""
    with DraftStore(data / "drafts.sqlite3") as store:
        return {
            "Export drops rows": escalated(store, "Export drops rows", "Initech [/b] [eu]", Severity.HIGH,
                                           ago=timedelta(hours=1)),
            OVERDUE: escalated(store, OVERDUE, "Acme Corp", Severity.CRITICAL, ago=timedelta(hours=3)),
            "Invoices show the wrong tax": escalated(store, "Invoices show the wrong tax", "Globex", Severity.MEDIUM,
                                                     Target.PRODUCT, ago=timedelta(minutes=30)),
            "SSO login loop": escalated(store, "SSO login loop", "Umbrella", Severity.HIGH, Target.SECURITY,
                                        ago=timedelta(hours=2)),
        }


async def settled(pilot: Pilot[None]) -> None:
    """Until every thread has finished and every row of the queue has arrived."""
    app = pilot.app
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not (isinstance(app.screen, QueueScreen) and app.screen.loading) and not app.workers:
            return
    raise AssertionError("the queue did not settle")


async def open_queue(pilot: Pilot[None]) -> QueueScreen:
    await drafts_open(pilot)
    await pilot.press("f7")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    return screen


def rows(screen: QueueScreen) -> list[dict[str, str]]:
    table = screen.query_one(DataTable)
    keys = [column.key.value for column in table.ordered_columns]
    return [dict(zip(keys, (cell.plain for cell in table.get_row_at(index)), strict=True))
            for index in range(table.row_count)]


def header(screen: QueueScreen) -> str:
    return str(screen.query_one("#queue-header").render())


def queue_app(data: Path) -> EscalateApp:
    app: EscalateApp = app_for(autosave=True, data_dir=data)
    return app


async def highlight(pilot: Pilot[None], screen: QueueScreen, summary: str) -> None:
    table = screen.query_one(DataTable)
    index = next(i for i, row in enumerate(rows(screen)) if row["summary"] == summary)
    table.move_cursor(row=index)
    await pilot.pause()


@pytest.mark.slow
async def test_rows_come_due_first_with_the_overdue_one_written_out_and_the_filter_narrows_them(
        tmp_path: Path) -> None:
    ids = four_cases(tmp_path)
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        shown = rows(screen)
        assert [row["summary"] for row in shown] == [OVERDUE, "SSO login loop", "Export drops rows",
                                                     "Invoices show the wrong tax"]
        first = shown[0]
        assert first["due"] == "OVERDUE 1 h: internal check-in"
        assert (first["id"], first["severity"], first["customer"], first["age"], first["status"]) == (
            str(ids[OVERDUE]), "Critical", "Acme Corp", "3 h", "Escalated")
        assert shown[1]["due"] == "in 2 h: internal check-in"
        assert shown[1]["target"] == "Security"
        assert shown[2]["customer"] == "Initech [/b] [eu]"  # typed text is shown as typed, never read as markup
        assert not any(row["due"].startswith("OVERDUE") for row in shown[1:])
        assert "4 open" in header(screen)

        await pilot.press("slash", *"sev:high")
        await pilot.pause(0.3)  # the queue narrows once typing pauses
        await settled(pilot)
        assert [row["summary"] for row in rows(screen)] == ["SSO login loop", "Export drops rows"]
        assert "2 of 4 open match" in header(screen)
        await pilot.press(*" umb", "enter")
        await settled(pilot)
        assert [row["summary"] for row in rows(screen)] == ["SSO login loop"]
        assert screen.query_one(DataTable).has_focus
        await pilot.press("slash", "ctrl+u", *"sev:x", "enter")
        await settled(pilot)
        assert "names no sev" in str(screen.query_one("#queue-problem").render())
        assert len(rows(screen)) == 4


@pytest.mark.slow
async def test_the_queue_waits_for_the_store_to_open_and_says_when_it_is_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow_disk = threading.Event()
    opening = Autosaver.open

    def open_slowly(saver: Autosaver) -> OpenedDrafts:
        slow_disk.wait(5)
        return opening(saver)

    monkeypatch.setattr(Autosaver, "open", open_slowly)
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.4)  # the database is being opened in the background
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert "opening the store" in header(screen)
        slow_disk.set()
        await drafts_open(pilot)
        await settled(pilot)
        assert "No open escalations" in header(screen)
        await pilot.press("u")
        assert "the queue is empty" in toasts(app)


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_following_a_case_up_an_update_a_severity_change_with_its_reason_and_a_snooze(tmp_path: Path) -> None:
    ids = four_cases(tmp_path)
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)

        await pilot.press("u")  # on the overdue case, at the top
        await settled(pilot)
        assert isinstance(app.screen, LogUpdateScreen)
        await pilot.press("enter")
        assert "Write the update first" in str(app.screen.query_one("#update-problem").render())
        await pilot.press(*"Outage", "enter")
        await settled(pilot)
        assert app.screen is screen
        assert f"Logged on #{ids[OVERDUE]}: Update logged: Outage" in toasts(app)
        assert rows(screen)[0]["summary"] == OVERDUE
        assert rows(screen)[0]["due"] == "in 1 h: customer update"  # the check-in clock restarted at NOW

        await highlight(pilot, screen, "SSO login loop")
        await pilot.press("s")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangeSeverityScreen)
        await pilot.press("enter", "down", "enter")  # open the list, High → Medium, pick it
        await pilot.press("tab", "enter")  # to the reason, left empty
        assert "Say why the severity changes" in str(dialog.query_one("#change-problem").render())
        assert app.screen is dialog
        await pilot.press(*"One admin", "enter")
        await settled(pilot)
        assert app.screen is screen
        assert "Severity High → Medium: One admin" in toasts(app)
        # Medium is followed up daily, on business days: the row moves down, below the High case.
        assert [(row["summary"], row["severity"]) for row in rows(screen)][1:3] == [
            ("Export drops rows", "High"), ("SSO login loop", "Medium")]
        assert rows(screen)[2]["id"] == str(screen.highlighted_id())  # the cursor went with it

        await highlight(pilot, screen, OVERDUE)
        await pilot.press("z")
        await settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, SnoozeScreen)
        await pilot.press(*"soon")
        assert "is not a time this understands" in str(dialog.query_one("#snooze-when").render())
        await pilot.press(*["backspace"] * 4, *"2h")
        assert "in 2 h" in str(dialog.query_one("#snooze-when").render())
        await pilot.press("enter")  # on to the reason
        await pilot.press("ctrl+s")
        assert "Say why the case can wait" in str(dialog.query_one("#snooze-problem").render())
        await pilot.press(*"Logs", "enter")
        await settled(pilot)
        snoozed = next(row for row in rows(screen) if row["summary"] == OVERDUE)
        assert snoozed["due"] == "snoozed 2 h"

        await highlight(pilot, screen, "Export drops rows")
        await pilot.press("t")
        await settled(pilot)
        assert isinstance(app.screen, ChangeSeverityScreen)
        await pilot.press("enter", "down", "down", "enter", "tab", *"Auth", "enter")  # Engineering → Security
        await settled(pilot)
        assert next(row for row in rows(screen) if row["summary"] == "Export drops rows")["target"] == "Security"
        assert "Target Engineering → Security: Auth" in toasts(app)

    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        kinds = [stored.event.kind for stored in store.timeline(ids[OVERDUE])]
        assert kinds[-2:] == [EventKind.UPDATE_LOGGED, EventKind.SNOOZED]
        assert store.timeline(ids[OVERDUE])[-2].event.who == "Dana"  # the reporter of the brief
        assert store.record(ids[OVERDUE]).snoozed_until == NOW + timedelta(hours=2)
        assert store.record(ids["SSO login loop"]).severity is Severity.MEDIUM
        override = store.load(ids["SSO login loop"]).severity_override
        assert override is not None
        assert override.reason == "One admin"  # the brief says what the record says


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_a_refusal_from_the_store_is_a_notice_and_the_closed_case_leaves_the_queue(tmp_path: Path) -> None:
    ids = four_cases(tmp_path)
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("z")
        await settled(pilot)
        with DraftStore(tmp_path / "drafts.sqlite3") as other:  # another instance resolves it meanwhile
            other.log(ids[OVERDUE], Event(kind=EventKind.RESOLVED, at=NOW, who="Lee"))
        await pilot.press(*"1h", "enter", *"Logs", "enter")
        await settled(pilot)
        assert app.screen is screen
        assert "Not logged" in toasts(app)
        assert "it is resolved: reopen it" in toasts(app)
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert OVERDUE not in [row["summary"] for row in rows(screen)]
        assert "3 open" in header(screen)


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_l_shows_the_timeline_and_enter_opens_the_case(tmp_path: Path) -> None:
    ids = four_cases(tmp_path)
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("l")
        await settled(pilot)
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        table = timeline.query_one(DataTable)
        what = [table.get_row_at(index)[2].plain for index in range(table.row_count)]
        assert what == ["Created", "Escalated to Engineering as Critical (brief version 1)"]
        assert table.get_row_at(0)[1].plain == "Dana"
        assert OVERDUE in str(timeline.query_one("#timeline-header").render())
        await pilot.press("escape")
        assert app.screen is screen

        await highlight(pilot, screen, "SSO login loop")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, QueueScreen)
        assert app.escalation.summary == "SSO login loop"
        assert app.autosaver is not None
        assert app.autosaver.draft_id == ids["SSO login loop"]
        app.show_case_timeline()  # the palette's "case: timeline"
        await settled(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "SSO login loop" in str(app.screen.query_one("#timeline-header").render())


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_two_thousand_rows_show_a_screenful_first_then_all_arrive(tmp_path: Path) -> None:
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        for number in range(2000):
            escalated(store, f"Case {number:04d}", "Acme", Severity.HIGH, ago=timedelta(minutes=number))
    app = queue_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        screen = QueueScreen()
        await app.push_screen(screen)  # mounted: what the first frame shows is there
        table = screen.query_one(DataTable)
        seen = [table.row_count]
        assert "2,000 open" in header(screen)
        while screen.loading:
            await asyncio.sleep(0.001)  # one turn of the event loop, as keys and redraws get
            seen.append(table.row_count)
        await settled(pilot)
        assert 40 <= seen[0] < 2000
        assert len(set(seen)) > 2  # the rest came in several steps, with the event loop turning between
        assert table.row_count == 2000
        shown = rows(screen)
        assert shown[0]["summary"] == "Case 1999"  # escalated longest ago: due first
        assert shown[-1]["summary"] == "Case 0000"
        await pilot.press("ctrl+end")
        assert table.cursor_row == 1999


@pytest.mark.slow
def test_the_queue_at_120_by_40(snap_compare, tmp_path: Path) -> None:
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        escalated(store, OVERDUE, "Acme Corp", Severity.CRITICAL, ago=timedelta(hours=3))
        escalated(store, "SSO login loop", "Umbrella", Severity.HIGH, Target.SECURITY, ago=timedelta(hours=2))
        escalated(store, "Export drops rows", "Initech", Severity.HIGH, ago=timedelta(hours=1))
        escalated(store, "Webhooks arrive twice", "Globex", Severity.CRITICAL, Target.L2, ago=timedelta(minutes=20))

    async def open_it(pilot: Pilot[None]) -> None:
        await open_queue(pilot)

    assert snap_compare(queue_app(tmp_path), terminal_size=SIZE, run_before=open_it)
