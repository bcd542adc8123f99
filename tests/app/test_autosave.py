"""Autosave keeps up with steady typing, never overwrites another instance's edits, and says so,
lastingly, when it cannot save."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support import NOW, SIZE, drafts_open, from_summary, toasts
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import EscalateApp
from tui.domain.field_paths import set_field
from tui.store.drafts import DraftStore


def screen_text(app: EscalateApp) -> str:
    return app.export_screenshot().replace("&#160;", " ")


def stored_summary(data: Path) -> str:
    with DraftStore(data / "drafts.sqlite3") as store:
        rows = store.recent(1)
        return rows[0].summary if rows else ""


async def started_draft(pilot: object, app: EscalateApp) -> int:
    await drafts_open(pilot)
    await app.workers.wait_for_complete()
    assert app.autosaver is not None
    assert app.autosaver.draft_id is not None
    return app.autosaver.draft_id


def another_instance_saves(data: Path, draft_id: int, path: str, value: object) -> None:
    """A second escalate-tui on the same draft changes one field and saves it."""
    with DraftStore(data / "drafts.sqlite3") as other:
        opened = other.load_stored(draft_id)
        theirs = opened.escalation.model_copy(deep=True)
        set_field(theirs, path, value)
        other.save(draft_id, theirs, NOW, based_on=opened.revision)


async def type_into_summary_and_save(pilot: Pilot[None], app: EscalateApp, text: str) -> None:
    await app.focus_field("summary")
    await pilot.press("end", *text)
    assert app.autosaver is not None
    app.autosaver.save_now()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
async def test_steady_typing_is_saved_while_it_goes_on_not_only_after_a_pause(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = from_summary("Exports fail", data_dir=data, autosave=True)
    async with app.run_test(size=SIZE) as pilot:
        await started_draft(pilot, app)
        await app.focus_field("summary")
        typed = ""
        started = time.monotonic()
        while time.monotonic() - started < 2:  # keys without the pause a quiet-period-only autosave waits for
            typed += "x"
            await pilot.press("x")
            await pilot.pause(0.05)
        at_end = time.monotonic()
        saved = stored_summary(data)  # read at once, as if the app were killed now
        rate = len(typed) / (at_end - started)
        assert saved.startswith("Exports fail")
        assert typed.startswith(saved.removeprefix("Exports fail"))
        # At most about a second of typing may be missing; before, all of it was.
        assert len(saved) >= len("Exports fail") + len(typed) - 1.2 * rate, (saved, typed)


async def test_edits_another_instance_saved_to_other_fields_are_merged_not_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = from_summary("Exports fail for Acme", data_dir=data, autosave=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        draft_id = await started_draft(pilot, app)
        another_instance_saves(data, draft_id, "customer.plan", "Enterprise Annual")
        await type_into_summary_and_save(pilot, app, " nightly")
        assert app.escalation.customer.plan == "Enterprise Annual"  # shown here too
        assert app.case_screen.query_one("#f-customer-plan", Input).value == "Enterprise Annual"
        assert "merged" in toasts(app)
        assert "Plan" in toasts(app)
        with DraftStore(data / "drafts.sqlite3") as store:
            stored = store.load(draft_id)
        assert stored.summary == "Exports fail for Acme nightly"
        assert stored.customer.plan == "Enterprise Annual"


@pytest.mark.slow
async def test_when_both_instances_change_the_same_field_both_versions_are_kept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = from_summary("Exports fail for Acme", data_dir=data, autosave=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        draft_id = await started_draft(pilot, app)
        another_instance_saves(data, draft_id, "summary", "Exports fail for Acme (their words)")
        await type_into_summary_and_save(pilot, app, " (our words)")
        assert app.autosaver is not None
        assert app.autosaver.draft_id != draft_id
        assert "kept apart" in toasts(app) or "same fields" in toasts(app)
        with DraftStore(data / "drafts.sqlite3") as store:
            summaries = sorted(row.summary for row in store.recent())
        assert summaries == ["Exports fail for Acme (our words)", "Exports fail for Acme (their words)"]
        assert app.escalation.summary == "Exports fail for Acme (our words)"


@pytest.mark.slow
async def test_when_saving_fails_the_status_says_so_until_it_works_and_quitting_asks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = from_summary("Exports fail for Acme", data_dir=data, autosave=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started_draft(pilot, app)
        store = app.autosaver.store  # type: ignore[union-attr]
        assert store is not None
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full, as SQLite sees it
        await app.focus_field("problem.description")
        await pilot.press(*"Rows go missing")
        app.edit("problem.description", "Every nightly export since the release drops rows. " * 200)  # a paste
        app.autosaver.save_now()  # type: ignore[union-attr]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "disk is full" in toasts(app)
        await pilot.pause(0.3)
        for toast in app.screen.query("Toast"):
            toast.remove()
        await pilot.pause()
        assert "NOT SAVED" in str(app.case_screen.query_one("#status").render())  # the notice goes, the state stays
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert "not saved anywhere" in screen_text(app)
        await pilot.press("s")  # save to a brief file and quit
        await pilot.pause()
    saved = list(Path.cwd().glob("brief-*.toml"))
    assert len(saved) == 1
    assert "drops rows" in saved[0].read_text()
