"""The app driven with the keyboard in-process (Textual's Pilot), as an agent would use it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import make_app
from tui.domain.intake import parse_summary
from tui.domain.models import Escalation, Severity
from tui.store.brief_file import load_brief

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SIZE = (120, 40)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_typing_a_count_updates_the_model_and_the_verdict() -> None:
    app = make_app(Escalation(summary="Webhooks time out"), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        verdict = app.screen.query_one("#verdict")
        assert "HANDLE IN SUPPORT" in str(verdict.render())
        app.focus_field("breadth.customer_count")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"4")
        await pilot.pause()
        assert app.escalation.breadth.customer_count == 4
        assert "ESCALATE" in str(verdict.render())
        assert "reported by 4 customers" in str(verdict.render())


async def test_a_bad_number_is_explained_and_nothing_is_lost() -> None:
    app = make_app(Escalation(summary="x", customer={"arr": 5000}), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        app.focus_field("customer.arr")
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


async def test_f_keys_switch_steps_and_each_step_opens() -> None:
    app = make_app(parse_summary("SSO login loop affecting all Enterprise customers", now=NOW).escalation,
                   clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        for key, mode in (("f3", "context"), ("f4", "impact"), ("f5", "repro"), ("f6", "brief"), ("f2", "intake")):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
        await pilot.press("ctrl+pagedown")
        assert app.current_mode == "context"


async def test_impact_panel_shows_severity_as_a_word_and_override_needs_a_reason() -> None:
    esc = load_brief(ROOT / "examples" / "export-missing-rows.toml")
    app = make_app(esc, clock=fixed_clock)
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


async def test_brief_exports_markdown_with_the_keyboard(tmp_path: Path) -> None:
    esc = load_brief(ROOT / "examples" / "api-500-acme.toml")
    app = make_app(esc, clock=fixed_clock)
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


async def test_failed_check_jumps_to_the_field_that_fixes_it() -> None:
    app = make_app(Escalation(summary="Export fails", problem={"nature": "bug"}), clock=fixed_clock)
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
        assert app.current_mode == "repro"
        assert app.focused is not None
        assert app.focused.id == "f-ask-deadline"


async def test_help_lists_keys_with_their_ids() -> None:
    app = make_app(Escalation(), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "Intake: say what is wrong" in screen_text
        assert "app.help" in screen_text
        assert "step.intake" in screen_text
        await pilot.press("escape")


async def test_keys_can_be_remapped_from_the_config_keymap() -> None:
    from tui.config import Settings

    settings = Settings.model_validate({"keymap": {"step.context": "f9"}})
    app = make_app(Escalation(), settings=settings, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.current_mode == "context"
        await pilot.press("f2")
        await pilot.press("f3")  # the old key no longer does it
        await pilot.pause()
        assert app.current_mode == "intake"


async def test_palette_runs_step_actions_by_name(tmp_path: Path) -> None:
    app = make_app(load_brief(ROOT / "examples" / "churn-audit-log.toml"), clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"brief: export", "enter")
        await pilot.pause(0.3)
        assert app.current_mode == "brief"
        assert app.screen.query_one("#export-path", Input)
