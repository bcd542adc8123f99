"""Themes, NO_COLOR and a broken config, as the agent meets them in the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import app_for, example, toasts

from tui.config import load_settings


def screen_text(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def test_picking_a_theme_is_saved_and_the_users_comments_survive(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# my team settings\n[ui]\ntheme = "escalate-dark"  # default for now\n', encoding="utf-8")
    settings, _ = load_settings(config)
    app = app_for(settings=settings, config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "escalate-dark"
        app.theme = "escalate-high-contrast"  # what the palette's theme picker does
        await pilot.pause()
        await app.workers.wait_for_complete()
    text = config.read_text(encoding="utf-8")
    assert "# my team settings" in text
    assert 'theme = "escalate-high-contrast"' in text
    assert load_settings(config)[0].ui.theme == "escalate-high-contrast"


async def test_all_three_shipped_themes_are_offered() -> None:
    app = app_for()
    async with app.run_test(size=(120, 40)):
        assert {"escalate-dark", "escalate-light", "escalate-high-contrast"} <= set(app.available_themes)


@pytest.mark.slow
async def test_no_color_still_shows_severity_as_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(example("export-missing-rows"))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.no_color
        await pilot.press("f4")
        await pilot.pause()
        assert "CRITICAL" in screen_text(app)


async def test_broken_config_is_named_and_the_app_starts_on_defaults() -> None:
    config = Path("config.toml")  # the test runs in its own folder
    config.write_text('[ui]\ntheme = "escalate-light"\n[rules]\nhigh_value_ar = 5\n', encoding="utf-8")
    settings, problems = load_settings(config)
    app = app_for(settings=settings, startup_problems=[str(p) for p in problems])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        shown = toasts(app)
        assert "config.toml:4: rules.high_value_ar: unknown field; did you mean 'high_value_arr'?" in shown
        assert app.theme == "escalate-light"  # the good part of the file still applies


async def test_a_theme_file_in_the_themes_folder_beside_the_config_is_offered_and_used(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "night-shift"\n', encoding="utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "night-shift.toml").write_text(
        'name = "night-shift"\ndark = true\nprimary = "#336699"\n[variables]\nseverity-critical = "#FF0000"\n',
        encoding="utf-8")
    settings, problems = load_settings(config)
    assert problems == []
    app = app_for(settings=settings, config_path=config)
    async with app.run_test(size=(120, 40)):
        assert "night-shift" in app.available_themes
        assert app.theme == "night-shift"


async def test_an_unknown_keymap_id_is_named_with_its_line_and_the_id_meant(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "escalate-dark"\n\n[keymap]\nnext_step = "f12"\n"step.intake" = "f9"\n',
                      encoding="utf-8")
    settings, problems = load_settings(config)
    app = app_for(settings=settings, config_path=config, startup_problems=[str(p) for p in problems])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        shown = toasts(app)
        assert f"{config}:5: keymap.next_step" in shown
        assert 'did you mean "step.next"?' in shown
        await pilot.press("f3", "f9")  # the known id is still remapped
        await pilot.pause()
        assert app.step == "intake"
