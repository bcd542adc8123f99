"""The customer update dialog by keyboard: pick a kind, edit the draft, mark it as sent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from support import NOW, SIZE, example, fixed_clock
from textual import events
from textual.app import App
from textual.widgets import Input, TextArea

from tui.domain.lifecycle import Event, EventKind, Status
from tui.domain.models import Severity, Target
from tui.screens.customer_update import CustomerUpdateScreen
from tui.screens.question import QuestionScreen
from tui.store.escalations import Record, StoredEvent

ESCALATED = NOW - timedelta(hours=3)


class Host(App[None]):
    """Just enough app for a dialog: its clock is the tests' fixed one."""

    clock = staticmethod(fixed_clock)


def record(status: Status = Status.ESCALATED) -> Record:
    return Record(7, "API returning 500 errors intermittently for Acme Corp", "Acme Corp", Severity.HIGH,
                  Target.ENGINEERING, status, "", "", ESCALATED, ESCALATED, None, None, None, None, None)


def timeline(*updates: str) -> list[StoredEvent]:
    events = [Event(kind=EventKind.ESCALATED, at=ESCALATED, who="Priya", severity=Severity.HIGH,
                    target=Target.ENGINEERING)]
    events += [Event(kind=EventKind.UPDATE_LOGGED, at=ESCALATED + timedelta(minutes=n), who="Priya", text=text)
               for n, text in enumerate(updates, 1)]
    return [StoredEvent(n, 7, event) for n, event in enumerate(events, 1)]


async def open_dialog(pilot: Any, results: list[Event | None], *updates: str,
                      status: Status = Status.ESCALATED) -> CustomerUpdateScreen:
    screen = CustomerUpdateScreen(example("api-500-acme"), record(status), timeline(*updates), NOW, "Priya")
    pilot.app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


async def test_pick_a_kind_edit_it_and_mark_it_as_sent() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, results, "a lock in the order service")
        area = screen.query_one("#update-text", TextArea)
        assert area.text.startswith("Subject: Update on:")  # an open case starts on the interim draft
        assert "- a lock in the order service" in area.text
        await pilot.press("2")
        assert area.text.startswith("Subject: Status change on:")
        assert app.focused is area
        area.move_cursor((0, 0))
        await pilot.press(*"Hi! ")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(results) == 1
    sent = results[0]
    assert sent is not None
    assert sent.kind is EventKind.CUSTOMER_UPDATED
    assert sent.who == "Priya"
    assert sent.at == NOW
    assert sent.text.startswith("Hi! Subject: Status change on: API returning 500 errors")


async def test_a_closed_case_starts_on_the_resolution_draft() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, [], status=Status.RESOLVED)
        assert screen.query_one("#update-text", TextArea).text.startswith("Subject: Resolved:")


async def test_leaving_or_switching_kind_asks_before_dropping_edits() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, results)
        area = screen.query_one("#update-text", TextArea)
        await pilot.press("enter")  # the interim kind: into the editor
        await pilot.press("x")
        edited = area.text
        await pilot.press("shift+tab", "3")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape")  # keep my edits
        assert area.text == edited
        await pilot.press("escape")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape")  # keep editing
        assert app.screen is screen
        await pilot.press("escape", "d")
        await pilot.pause()
    assert results == [None]


async def test_an_unedited_draft_closes_at_once_and_logs_nothing() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, results)
        await pilot.press("escape")
        await pilot.pause()
    assert results == [None]


async def test_an_empty_update_is_not_marked_as_sent() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, results)
        screen.query_one("#update-text", TextArea).load_text("  \n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "The update is empty" in str(screen.query_one("#update-message").render())
    assert results == []


async def test_export_writes_the_edited_update(tmp_path: Path) -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, [])
        screen.query_one("#update-text", TextArea).load_text("Dear Acme, all good.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        name = Path(path_input.value).name
        assert name == "customer-update-2026-11-19-api-returning-500-errors-intermittently-for-acme.md"
        path_input.value = str(tmp_path / "update.md")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
    assert (tmp_path / "update.md").read_text(encoding="utf-8") == "Dear Acme, all good.\n"


async def test_a_paste_loses_its_control_characters() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(pilot, [])
        area = screen.query_one("#update-text", TextArea)
        area.load_text("")
        area.focus()
        app.post_message(events.Paste("Fixed\x1b]52;c;ZXZpbA==\x07 today"))
        await pilot.pause()
        assert area.text == "Fixed]52;c;ZXZpbA== today"
