"""A case opened from a brief file keeps one draft tied to that file; nothing typed is lost between them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import SIZE, app_for, drafts_open, example_path

from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore


def brief_copy(tmp_path: Path) -> Path:
    path = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), path)
    return path



async def leave_an_edit_unsaved_to_the_file(path: Path, data: Path, plan: str) -> None:
    """Open the brief file, change its plan, and leave as after kill -9: the draft holds the edit,
    the file does not, and nobody was asked."""
    app = app_for(load_brief(path), brief_path=path, data_dir=data, autosave=True)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await app.focus_field("customer.plan")
        await pilot.press("ctrl+u", *plan)
        await pilot.pause()
        app.autosaver.flush()  # type: ignore[union-attr]
        app.exit()


@pytest.mark.slow
async def test_edits_to_a_file_not_saved_to_it_are_offered_when_the_file_is_opened_again(tmp_path: Path) -> None:
    path, data = brief_copy(tmp_path), tmp_path / "data"
    await leave_an_edit_unsaved_to_the_file(path, data, "Enterprise Annual")

    second = app_for(load_brief(path), brief_path=path, data_dir=data, autosave=True)
    async with second.run_test(size=SIZE, notifications=True) as pilot:
        await drafts_open(pilot)
        assert "never saved to it" in second.export_screenshot().replace("&#160;", " ")
        await pilot.press("enter")  # carry on with the edits
        await pilot.pause()
        assert second.escalation.customer.plan == "Enterprise Annual"
        assert second.file_has_unsaved_changes
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_brief(path).customer.plan == "Enterprise Annual"
        assert not second.file_has_unsaved_changes

    with DraftStore(data / "drafts.sqlite3") as store:
        assert [row.file for row in store.recent()] == [path]  # one draft for the file, not one per opening


@pytest.mark.slow
async def test_choosing_the_file_as_saved_puts_the_drafts_edits_away_not_out(tmp_path: Path) -> None:
    path, data = brief_copy(tmp_path), tmp_path / "data"
    await leave_an_edit_unsaved_to_the_file(path, data, "Trial")

    second = app_for(load_brief(path), brief_path=path, data_dir=data, autosave=True)
    async with second.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f")  # open the file as saved
        await pilot.pause()
        await second.workers.wait_for_complete()
        assert second.escalation.customer.plan == "Business Annual"
    with DraftStore(data / "drafts.sqlite3") as store:
        assert store.recent() == []  # archived: kept in the database, no longer offered
        assert store.load(1).customer.plan == "Trial"


@pytest.mark.slow
async def test_quitting_with_changes_not_in_the_file_asks_and_can_save_them(tmp_path: Path) -> None:
    path = brief_copy(tmp_path)
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("customer.plan")
        await pilot.press("ctrl+u", *"Premium")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert "not saved to it" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q", "s")  # save and quit
        await pilot.pause()
    assert load_brief(path).customer.plan == "Premium"


async def test_quitting_with_nothing_changed_asks_nothing(tmp_path: Path) -> None:
    path = brief_copy(tmp_path)
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_the_resume_list_names_each_drafts_file_and_drafts_can_be_archived_or_deleted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = brief_copy(tmp_path)
    with DraftStore(data / "drafts.sqlite3") as store:
        from support import NOW

        kept = store.create(load_brief(path), NOW, file=path)
        archived = store.create(load_brief(example_path("churn-audit-log")), NOW)
        deleted = store.create(load_brief(example_path("sso-login-loop-enterprise")), NOW)
    app = app_for(data_dir=data, autosave=True, offer_resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        listing = app.screen.query_one("#resume-list")
        shown = " ".join(str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count))
        assert f"file {path}" in shown
        assert "no brief file" in shown
        order = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = order.index(str(archived))
        await pilot.press("a")
        listing.highlighted = [listing.get_option_at_index(i).id for i in range(listing.option_count)].index(
            str(deleted))
        await pilot.press("d")
        assert listing.option_count == 2  # asked once: not deleted yet
        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [str(kept)]
        await pilot.press("enter")
        await pilot.pause()
        assert app.brief_path == path
    with DraftStore(data / "drafts.sqlite3") as store:
        assert [row.id for row in store.recent()] == [kept]
        assert store.load(archived).summary  # archived, still there


async def test_temporary_files_of_a_killed_save_are_cleared_when_the_app_starts(tmp_path: Path) -> None:
    import os
    import time

    from tui.store.atomic import TEMP_SUFFIX

    path = brief_copy(tmp_path)
    left = tmp_path / f".acme.toml.k1ll3d{TEMP_SUFFIX}"
    left.write_text("half a brief")
    yesterday = time.time() - 86_400
    os.utime(left, (yesterday, yesterday))
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the clean-up waits for the first frame and then a moment more
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if not left.exists():
                break
    assert not left.exists()
    assert path.exists()
