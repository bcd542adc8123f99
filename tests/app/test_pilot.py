"""The app driven with the keyboard in-process (Textual's Pilot), as an agent would use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, example, toasts
from textual.widgets import Input

from tui.domain.intake import parse_summary
from tui.domain.models import Escalation, Severity


async def test_typing_a_count_updates_the_model_and_the_verdict() -> None:
    app = app_for(Escalation(summary="Webhooks time out"))
    async with app.run_test(size=SIZE) as pilot:
        verdict = app.screen.query_one("#verdict")
        assert "HANDLE IN SUPPORT" in str(verdict.render())
        await app.focus_field("breadth.customer_count")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"4")
        await pilot.pause()
        assert app.escalation.breadth.customer_count == 4
        assert "ESCALATE" in str(verdict.render())
        assert "4 customers have reported the same issue" in str(verdict.render())


@pytest.mark.slow
async def test_a_bad_number_is_explained_and_nothing_is_lost() -> None:
    app = app_for(Escalation(summary="x", customer={"arr": 5000}))
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("customer.arr")
        await pilot.pause()
        field = app.screen.query_one("#f-customer-arr", Input)
        await pilot.press("end", *"x")
        await pilot.pause()
        assert field.value == "5000x"  # the text stays as typed
        assert app.escalation.customer.arr == 5000  # the model keeps the last good value
        label = app.screen.query_one("#label-f-customer-arr")
        assert label.has_class("-invalid")
        assert "whole number" in str(label.render())
        await pilot.press("backspace")
        await pilot.pause()
        assert not label.has_class("-invalid")  # fixed: the reason goes away


@pytest.mark.slow
async def test_f_keys_switch_steps_and_each_step_opens() -> None:
    app = app_for(parse_summary("SSO login loop affecting all Enterprise customers", now=NOW).escalation)
    async with app.run_test(size=SIZE) as pilot:
        for key, mode in (("f3", "context"), ("f4", "impact"), ("f5", "repro"), ("f6", "brief"), ("f2", "intake")):
            await pilot.press(key)
            await pilot.pause()
            assert app.step == mode
        await pilot.press("ctrl+pagedown")
        assert app.step == "context"


@pytest.mark.slow
async def test_impact_panel_shows_severity_as_a_word_and_override_needs_a_reason() -> None:
    esc = example("export-missing-rows")
    app = app_for(esc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        panel = str(app.screen.query_one("#assessment").render())
        assert "CRITICAL" in panel
        assert "Engineering" in panel
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#override-severity").value = "high"
        await pilot.press("ctrl+s")  # no reason yet: refused
        await pilot.pause()
        assert app.escalation.severity_override is None
        app.screen.query_one("#override-reason", Input).focus()
        await pilot.press(*"only one report")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.escalation.severity_override is not None
        assert app.escalation.severity_override.value is Severity.HIGH
        assert "overridden: only one report" in str(app.screen.query_one("#assessment").render())


@pytest.mark.slow
async def test_brief_exports_markdown_with_the_keyboard(tmp_path: Path) -> None:
    esc = example("api-500-acme")
    app = app_for(esc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.3)
        await pilot.press("ctrl+o")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "acme.md")
        await pilot.press("enter")
        await pilot.pause()
    text = (tmp_path / "acme.md").read_text(encoding="utf-8")
    assert text.startswith("## ESCALATION: API returning 500 errors intermittently for Acme Corp\n")
    assert "**Severity:** High" in text
    assert "**Target team:** Engineering" in text


@pytest.mark.slow
async def test_failed_check_jumps_to_the_field_that_fixes_it() -> None:
    app = app_for(Escalation(summary="Export fails", problem={"nature": "data_loss"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        checklist = app.screen.query_one("#checklist")
        checklist.focus()
        target = next(i for i in range(checklist.option_count)
                      if checklist.get_option_at_index(i).id == "ask.deadline")  # the check's id
        checklist.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        assert app.step == "repro"
        assert app.focused is not None
        assert app.focused.id == "f-ask-deadline"


async def test_help_lists_keys_with_their_ids() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "Intake: say what is wrong" in screen_text
        assert "app.help" in screen_text
        assert "step.intake" in screen_text
        await pilot.press("escape")


@pytest.mark.slow
async def test_keys_can_be_remapped_from_the_config_keymap() -> None:
    from tui.config import Settings

    settings = Settings.model_validate({"keymap": {"step.context": "f9"}})
    app = app_for(Escalation(), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.step == "context"
        await pilot.press("f2")
        await pilot.press("f3")  # the old key no longer does it
        await pilot.pause()
        assert app.step == "intake"


@pytest.mark.slow
async def test_palette_runs_step_actions_by_name(tmp_path: Path) -> None:
    app = app_for(example("churn-audit-log"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"brief: export", "enter")
        await pilot.pause(0.3)
        assert app.step == "brief"
        assert app.screen.query_one("#export-path", Input)


@pytest.mark.slow
async def test_the_brief_preview_scrolls_to_the_last_of_hundreds_of_context_items() -> None:
    from tui.domain.models import ContextItem

    esc = example("api-500-acme")
    esc.context = [ContextItem(title=f"Ticket number {i}", reference=f"#{40000 + i}") for i in range(400)]
    app = app_for(esc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.4)  # the preview is drawn after a short quiet period
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "ESCALATION: API returning 500 errors" in shown
        app.screen.query_one("#brief-preview").focus()
        await pilot.press("end")
        await pilot.pause()
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Ticket number 399" in shown
        assert "Ticket number 398" in shown  # items of one list follow each other, one line each


@pytest.mark.slow
async def test_enter_on_the_brief_step_at_once_jumps_to_the_first_failed_check() -> None:
    app = app_for(Escalation(summary="Export fails", problem={"nature": "data_loss"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        checklist = app.screen.query_one("#checklist")
        first = checklist.get_option_at_index(0).id
        await pilot.press("enter")  # no arrow key first: a check is highlighted from the start
        await pilot.pause()
        assert app.step != "brief"
        assert app.focused is not None
        assert first is not None
        assert getattr(app.focused, "path", "").startswith(app.quality.results[[r.id for r in app.quality.results]
                                                                              .index(first)].field)


async def test_a_failing_background_task_is_reported_by_name_and_the_app_goes_on() -> None:
    app = app_for(Escalation(summary="x"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        def broken() -> None:
            raise OSError("disk went away")

        worker = app.run_worker(broken, thread=True, name="writing the report", exit_on_error=False)
        while worker.is_running or not worker.is_finished:
            await pilot.pause(0.05)
        await pilot.pause()
        shown = toasts(app)
        assert "Something went wrong while writing the report: disk went away" in shown
        assert app.is_running


@pytest.mark.slow
async def test_the_brief_can_be_copied_as_plain_text_for_tools_that_show_markdown_as_typed() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("alt+y")
        await pilot.pause()
        copied = app.clipboard
        assert copied.startswith("ESCALATION: API returning 500 errors intermittently for Acme Corp\n")
        assert "**" not in copied
        assert "\\" not in copied
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("## ESCALATION: ")


@pytest.mark.slow
async def test_shift_tab_from_the_first_field_wraps_to_the_last_and_shows_it() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("shift+tab")  # wraps to the last stop: the checklist beside the form
        await pilot.press("shift+tab")  # the form's last field, far below the fold
        await pilot.pause()
        focused = app.focused
        assert focused is not None
        assert getattr(focused, "path", "") == "reporter.team"
        assert focused.region.height > 0  # scrolled into view
        assert app.screen.region.contains_region(focused.region)
        assert app.screen.query_one("#label-f-reporter-team").has_class("-focused")


@pytest.mark.slow
async def test_the_status_line_shows_the_case_the_decision_the_cadence_and_the_file_on_every_step(
        tmp_path: Path) -> None:
    from support import example_path

    app = app_for(example("export-missing-rows"), brief_path=example_path("export-missing-rows"))
    async with app.run_test(size=(160, 40)) as pilot:
        for key in ("f2", "f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await pilot.pause()
            status = str(app.screen.query_one("#status").render())
            for part in ("Globex Logistics", "Data export is", "ESCALATE", "CRITICAL",
                         "Engineering", "check-in 2 h · customer 2–4 h", "export-missing-rows.toml"):
                assert part in status, (key, part, status)


async def test_a_step_in_the_top_bar_opens_with_a_click() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one("#step-bar")
        text = str(bar.render())
        await pilot.click("#step-bar", offset=(text.index("F4 Impact") + 3, 0))
        await pilot.pause()
        assert app.step == "impact"
