"""Marking the case escalated on the Brief step: the brief handed over is kept as version 1, the
clocks start, and a later edit of the brief is kept as version 2 when the agent leaves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, drafts_open, example, toasts

from tui.domain.lifecycle import EventKind, Status
from tui.domain.models import Severity, SeverityOverride
from tui.store.drafts import DraftStore
from tui.widgets.status_line import StatusLine


@pytest.mark.slow
async def test_ctrl_e_on_the_brief_step_escalates_and_keeps_the_brief_as_version_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = app_for(example("api-500-acme"), autosave=True, data_dir=data)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await drafts_open(pilot)
        await pilot.press("f6", "ctrl+e")
        await pilot.pause()
        question = app.export_screenshot().replace("&#160;", " ")
        assert "Mark this case escalated to" in question
        assert "version 1" in question
        handed_over = app.brief_text()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        draft_id = app.autosaver.draft_id
        assert draft_id is not None
        assert f"Escalation #{draft_id} handed to" in toasts(app)
        assert app.escalation_record is not None
        assert app.escalation_record.status is Status.ESCALATED
        status = str(app.screen.query_one(StatusLine).render())
        assert f"ESCALATED #{draft_id}" in status
        assert "in 4 h: internal check-in" in status  # High: the internal clock runs 4 hours

        await app.focus_field("summary")
        await pilot.press("end", *" and EU")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()

    with DraftStore(data / "drafts.sqlite3") as store:
        record = store.record(draft_id)
        assert record.status is Status.ESCALATED
        assert record.internal_due is not None
        assert record.internal_due > NOW
        assert record.internal_due - NOW <= timedelta(days=3)
        first, second = store.versions(draft_id)
        assert first.text == handed_over
        assert "and EU" in second.text
        assert "and EU" not in first.text
        kinds = [stored.event.kind for stored in store.timeline(draft_id)]
        assert kinds == [EventKind.CREATED, EventKind.ESCALATED, EventKind.VERSION_SAVED]


@pytest.mark.slow
async def test_escape_on_the_question_leaves_the_case_a_draft(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = app_for(example("api-500-acme"), autosave=True, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f6", "ctrl+e")
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        app.autosaver.flush()
        draft_id = app.autosaver.draft_id
    assert draft_id is not None
    with DraftStore(data / "drafts.sqlite3") as store:
        assert store.record(draft_id).status is Status.DRAFT
        assert store.versions(draft_id) == []


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_an_override_on_an_escalated_case_is_logged_as_a_change_with_its_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = app_for(example("api-500-acme"), autosave=True, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f6", "ctrl+e")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        before = app.escalation_record.severity
        new = next(level for level in Severity if level is not before)
        app.edit("severity_override", SeverityOverride(value=new, reason="two more enterprise accounts hit it"))
        app.autosaver.flush()
        draft_id = app.autosaver.draft_id
    with DraftStore(data / "drafts.sqlite3") as store:
        assert store.record(draft_id).severity is new
        change = store.timeline(draft_id)[-1].event
        assert change.kind is EventKind.SEVERITY_CHANGED
        assert (change.previous, change.severity) == (before.value, new)
        assert change.reason == "two more enterprise accounts hit it"
