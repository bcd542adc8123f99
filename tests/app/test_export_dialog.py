"""The export dialog with paths that cannot be written: the reason is shown as plain text, the
dialog stays open with the path as typed, and nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SIZE, app_for, example, toasts
from textual.widgets import Input, Static

from tui.screens.export import ExportScreen


async def _export_to(path: str) -> tuple[str, str, bool]:
    """The dialog's message, the path left in its input, and whether it is still open."""
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ExportScreen("## brief\n"))
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = path
        await pilot.press("enter")
        await pilot.pause()
        still_open = isinstance(app.screen, ExportScreen)
        message = str(app.screen.query_one("#export-message", Static).render()) if still_open else ""
        return message, path_input.value, still_open


async def test_a_file_name_too_long_is_explained_and_the_dialog_stays_open(tmp_path: Path) -> None:
    path = str(tmp_path / ("a" * 300 + ".md"))
    message, typed, still_open = await _export_to(path)
    assert still_open
    assert typed == path
    assert message.endswith("file name too long: 303 characters, the limit is 255 bytes")


async def test_a_path_with_markup_is_shown_as_it_was_typed(tmp_path: Path) -> None:
    path = f"{tmp_path}/[/]x[bold].md"  # the folder "[" does not exist
    message, _, still_open = await _export_to(path)
    assert still_open
    assert message == f"Could not write {path}: No such file or directory"


@pytest.mark.slow
async def test_an_existing_file_with_markup_in_its_name_is_named_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x[bold]y[i].md"
    path.write_text("keep me", encoding="utf-8")
    message, _, still_open = await _export_to(str(path))
    assert still_open
    assert message == "x[bold]y[i].md already exists. Press enter again to replace it."
    assert path.read_text(encoding="utf-8") == "keep me"


@pytest.mark.slow
async def test_exporting_to_a_link_says_so_and_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    target = tmp_path / "shared" / "brief.md"
    target.parent.mkdir()
    target.write_text("old brief", encoding="utf-8")
    link = tmp_path / "brief.md"
    link.symlink_to(target)
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.push_screen(ExportScreen("## brief\n"))
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(link)
        await pilot.press("enter")
        await pilot.pause()
        message = str(app.screen.query_one("#export-message", Static).render())
        assert message == f"brief.md is a link to {target}, which exists. Press enter again to replace that file."
        await pilot.press("enter")
        await pilot.pause()
        assert f"Exported to {target} (through the link {link})" in toasts(app)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "## brief\n"
