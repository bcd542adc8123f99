"""The hand-edited brief is part of the draft: autosaved, and back when the draft is resumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, drafts_open

from tui.domain.intake import parse_summary

SUMMARY = "Data export is missing rows — 3 customers reported this week"



@pytest.mark.slow
async def test_an_edited_brief_comes_back_when_its_draft_is_resumed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = app_for(parse_summary(SUMMARY, now=NOW).escalation, data_dir=data, autosave=True)
    async with first.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+t", *"URGENT ")  # edit the brief's text, at its start
        await pilot.pause()
        assert (first.final_text or "").startswith("URGENT ## ESCALATION:")
        await pilot.press("ctrl+q")  # quitting writes what is pending

    second = app_for(data_dir=data, offer_resume=True, autosave=True)
    async with second.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("enter")  # the most recent draft
        await pilot.pause()
        assert second.escalation.summary == SUMMARY
        assert (second.final_text or "").startswith("URGENT ## ESCALATION:")


async def test_a_brief_opened_for_editing_but_left_as_rendered_is_not_kept_as_text(tmp_path: Path) -> None:
    app = app_for(parse_summary(SUMMARY, now=NOW).escalation, data_dir=tmp_path / "data", autosave=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.final_text is None  # unchanged: later edits to the case still show in the brief
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.final_text is None


@pytest.mark.slow
async def test_editing_the_case_after_the_brief_text_says_so_and_the_edits_can_be_dropped(tmp_path: Path) -> None:
    app = app_for(parse_summary(SUMMARY, now=NOW).escalation, data_dir=tmp_path / "data", autosave=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+t", *"URGENT ", "ctrl+t")  # edit the text by hand, back to the preview
        await pilot.pause()
        brief = app.case_screen.pane
        assert not brief.has_class("-outdated")
        await app.focus_field("customer.name")
        await pilot.pause()
        await pilot.press(*"Globex")
        await pilot.press("f6")
        await pilot.pause()
        assert app.case_screen.pane.has_class("-outdated")
        note = str(app.screen.query_one("#outdated-note").render())
        assert "case changed after this brief was edited by hand" in note
        assert (app.final_text or "").startswith("URGENT ")  # still the agent's text until they say otherwise
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.final_text is None
        assert not app.case_screen.pane.has_class("-outdated")


@pytest.mark.slow
async def test_a_hand_edited_brief_is_saved_in_the_brief_file_and_rendered_from_it(tmp_path: Path) -> None:
    from tui.cli import main
    from tui.store.brief_file import load_brief

    app = app_for(parse_summary(SUMMARY, now=NOW).escalation)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+t", *"URGENT ", "ctrl+t", "ctrl+s")
        await pilot.pause()
        exported_text = app.final_text
    (saved,) = tmp_path.glob("brief-*.toml")
    assert load_brief(saved).edited_brief == exported_text
    out = tmp_path / "rendered.md"
    assert main(["render", str(saved), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == exported_text


@pytest.mark.slow
async def test_ctrl_k_in_the_brief_text_editor_drops_the_edits_rather_than_a_line(tmp_path: Path) -> None:
    app = app_for(parse_summary(SUMMARY, now=NOW).escalation)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+t", *"URGENT ")
        await pilot.pause()
        assert app.final_text is not None
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.final_text is None
        assert not app.case_screen.pane.has_class("-editing")
