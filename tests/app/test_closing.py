"""De-escalating and resolving by keyboard: the reason or the cause is required, every checklist step
is ticked or skipped with a word, and resolving drafts the knowledge-base article."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from support import NOW, SIZE, example, fixed_clock
from textual.app import App
from textual.widgets import Input, TextArea

from tui.domain.lifecycle import ChecklistEntry, ClosingStep, DeEscalationReason, Event, EventKind, Status
from tui.domain.models import Severity, Target
from tui.screens.closing import ClosingScreen
from tui.screens.question import QuestionScreen
from tui.store.escalations import Record, StoredEvent

ESCALATED = NOW - timedelta(hours=3)


class Host(App[None]):
    """Just enough app for a dialog: its clock is the tests' fixed one."""

    clock = staticmethod(fixed_clock)


def _record() -> Record:
    return Record(7, "API returning 500 errors intermittently for Acme Corp", "Acme Corp", Severity.HIGH,
                  Target.ENGINEERING, Status.ESCALATED, "", "", ESCALATED, ESCALATED, None, None, None, None, None)


def _timeline() -> list[StoredEvent]:
    events = [Event(kind=EventKind.ESCALATED, at=ESCALATED, who="Priya", severity=Severity.HIGH,
                    target=Target.ENGINEERING),
              Event(kind=EventKind.LINKED, at=ESCALATED, who="Priya", linked=(3,))]
    return [StoredEvent(n, 7, event) for n, event in enumerate(events, 1)]


async def _open(pilot: Any, resolve: bool, results: list[Event | None]) -> ClosingScreen:
    screen = ClosingScreen(resolve, example("api-500-acme"), _record(), _timeline(), NOW, "Priya")
    pilot.app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


def _error(screen: ClosingScreen) -> str:
    return str(screen.query_one("#closing-error").render())


@pytest.mark.slow
async def test_de_escalating_needs_a_reason_and_every_step_decided() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, False, results)
        await pilot.press("ctrl+s")
        assert _error(screen) == "Pick why it goes back to support (arrows, then space)."
        assert getattr(app.focused, "id", None) == "reason"
        await pilot.press("down", "space")  # the second reason: a workaround
        await pilot.press("tab", *"smaller", "enter")  # the note, then on to the checklist
        await pilot.press("space")  # tell the team: done
        await pilot.press("ctrl+s")
        assert _error(screen) == "Tick “Update the ticket with the outcome” (space) or skip it with a word (s)."
        await pilot.press("s", "enter")  # skip the ticket, but say nothing: on to the next step
        await pilot.press("ctrl+s")
        assert _error(screen) == "Say in a word why “Update the ticket with the outcome” is skipped."
        assert isinstance(app.focused, Input)  # back in the missing word
        await pilot.press(*"none", "enter")
        await pilot.press("x", "space")  # tell the customer, record the learnings
        await pilot.press("ctrl+s")
        await pilot.pause()
    event = results[0]
    assert event is not None
    assert event.kind is EventKind.DE_ESCALATED
    assert event.de_escalation is DeEscalationReason.WORKAROUND
    assert event.reason == "smaller"
    assert (event.who, event.at) == ("Priya", NOW)
    assert event.checklist == (
        ChecklistEntry(step=ClosingStep.NOTIFY_TEAM, done=True),
        ChecklistEntry(step=ClosingStep.UPDATE_TICKET, done=False, note="none"),
        ChecklistEntry(step=ClosingStep.INFORM_CUSTOMER, done=True),
        ChecklistEntry(step=ClosingStep.RECORD_LEARNINGS, done=True),
    )


async def test_resolving_needs_the_cause_and_drafts_the_article() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, True, results)
        article = screen.query_one("#kb-article", TextArea)
        assert "## Cause\n\n_To fill in: the root cause._" in article.text
        assert "- escalation #3" in article.text
        await pilot.press("tab")  # away from the cause, then back by confirming
        await pilot.press("ctrl+s")
        assert _error(screen) == "Say what fixed it, or what caused it: the timeline and the article keep it."
        assert getattr(app.focused, "id", None) == "resolution"
        await pilot.press(*"a lock", "enter")
        assert "## Cause\n\na lock\n" in article.text
        await pilot.press("space", "space", "space", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
    event = results[0]
    assert event is not None
    assert event.kind is EventKind.RESOLVED
    assert event.text == "a lock"
    assert [entry.step for entry in event.checklist] == list(ClosingStep)
    assert all(entry.done for entry in event.checklist)


async def test_the_article_draft_exports_to_a_file(tmp_path: Path) -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, True, [])
        await pilot.press(*"a lock")
        await pilot.press("ctrl+o")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        assert Path(path_input.value).name.startswith("kb-article-2026-11-19-api-returning-500-errors")
        path_input.value = str(tmp_path / "kb.md")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
    written = (tmp_path / "kb.md").read_text(encoding="utf-8")
    assert written.startswith("# API returning 500 errors intermittently for Acme Corp\n\n## Problem\n")
    assert "## Cause\n\na lock\n" in written


async def test_cancel_asks_once_something_was_entered() -> None:
    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, False, results)
        await pilot.press("space")  # a reason picked
        await pilot.press("escape")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape")  # keep going
        assert app.screen is screen
        await pilot.press("escape", "d")
        await pilot.pause()
    assert results == [None]


async def test_keys_typed_in_one_burst_land_where_the_focus_has_moved() -> None:
    """A fast typist (or keys sent at once by the terminal): after enter in the note, and after each
    tick, the next key belongs to the next step, and ctrl+s comes last."""
    from test_keys_land import Key, terminal_sends

    results: list[Event | None] = []
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, False, results)
        terminal_sends(app, Key("down"), " ", Key("tab"), "flag off", Key("enter"), " ", "s", "later",
                       Key("enter"), "x ", " ", Key("ctrl+s"))
        await pilot.pause(0.5)
    event = results[0]
    assert event is not None
    assert event.reason == "flag off"
    assert [(entry.done, entry.note) for entry in event.checklist] == [
        (True, ""), (False, "later"), (True, ""), (True, "")]
