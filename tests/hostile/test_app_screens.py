"""A hostile brief in the app: every text field holds escapes and Rich/Textual markup, and every step
shows it as text. What is drawn is read back two ways — the screen as an SVG screenshot exports it,
and every widget's own rendered lines — and checked: no control character, no bidi override, no link
or click action the app did not put there; the markup visible as typed; the app still running.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from hostile.checks import unsafe_characters
from hostile.generators import hostile_brief_data, toml_text
from support import SIZE, app_for, drafts_open
from textual.geometry import Region
from textual.widgets import Input, Static

from tui.app import EscalateApp
from tui.store.brief_file import load_brief

STEP_KEYS = ("f2", "f3", "f4", "f5", "f6", "f2")
# Markup the screen must show as typed (the parts of hostile_brief_data's values a person would read).
LITERAL = ("[@click=app.quit]CLICKME[/]", "[bold]Acme[/bold]", "[/api/v2/orders]")


def hostile_brief(folder: Path) -> Path:
    path = folder / "[@click=app.quit]brief[red].toml"
    path.write_text(toml_text(hostile_brief_data()), encoding="utf-8")
    return path


# --- reading what is drawn --------------------------------------------------------------------

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>')
_CELL = 12.2  # the width of a cell in Rich's SVG export


def screen_lines(app: EscalateApp) -> list[str]:
    """The screen as a person sees it, one string per row (from the SVG screenshot)."""
    rows: dict[int, dict[int, str]] = {}
    for x, row, text in _TEXT.findall(app.export_screenshot(simplify=True)):
        column = round(float(x) / _CELL)
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ").rstrip("\n")):
            rows.setdefault(int(row), {})[column + offset] = char
    return ["".join(cells.get(i, " ") for i in range(max(cells) + 1)) for _, cells in sorted(rows.items())]


def drawn_problems(app: EscalateApp) -> list[str]:
    """Every control character, bidi override, or link or click action not the app's own, in the
    lines each widget of the screen renders."""
    problems = []
    for row, line in enumerate(screen_lines(app)):
        problems += [f"screen row {row}: {found}" for found in unsafe_characters(line, allow_tab=False)]
    for widget in app.screen.query("*"):
        width, height = widget.size
        if not widget.display or not width or not height:
            continue
        for strip in widget.render_lines(Region(0, 0, width, height)):
            text = strip.text
            problems += [f"{type(widget).__name__}#{widget.id}: {found}" for found in unsafe_characters(text)]
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                click = (style.meta or {}).get("@click")
                action = str(click[0] if isinstance(click, tuple) else click)
                own = widget.id == "step-bar" and action.startswith("app.go")  # the step bar's own links
                if (click and not own) or style.link:
                    problems.append(f"{type(widget).__name__}#{widget.id}: {segment.text!r} is a link or an action "
                                    f"({click or style.link})")
    return problems


async def tour(app: EscalateApp, pilot: Any) -> tuple[list[str], str]:
    """Visit every step; what was wrong on any of them, and every line seen."""
    problems: list[str] = []
    seen: list[str] = []
    for key in STEP_KEYS:
        await pilot.press(key)
        await app.case_screen.pane.complete()
        await pilot.pause(0.2 if key == "f6" else None)  # the brief's preview is drawn a moment after it shows
        assert app.is_running, f"the app stopped on {key}"
        problems += [f"{app.step}: {problem}" for problem in drawn_problems(app)]
        seen += screen_lines(app)
    return problems, "\n".join(seen)


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_hostile_brief_is_shown_as_text_on_every_step(tmp_path: Path) -> None:
    path = hostile_brief(tmp_path)
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        problems, seen = await tour(app, pilot)
        assert app.is_running
    assert not problems, "\n".join(problems[:20])
    missing = [text for text in LITERAL if text not in seen]
    assert not missing, f"markup not shown as typed: {missing}"


@pytest.mark.slow  # the quick run keeps the tour of every step
async def test_quitting_with_unsaved_changes_names_the_hostile_file_as_text(tmp_path: Path) -> None:
    path = hostile_brief(tmp_path)
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("customer.plan")
        await pilot.press(*"x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        seen = "\n".join(screen_lines(app))
        assert "[@click=app.quit]brief[red].toml has changes" in seen, seen
        assert not drawn_problems(app), "\n".join(drawn_problems(app)[:10])
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.is_running


@pytest.mark.slow  # the quick run keeps the tour of every step
async def test_clicking_text_that_reads_as_a_click_action_does_not_quit(tmp_path: Path) -> None:
    path = hostile_brief(tmp_path)
    app = app_for(load_brief(path), brief_path=path)
    async with app.run_test(size=SIZE) as pilot:
        clicked = []
        for key in ("f2", "f6"):
            await pilot.press(key)
            await pilot.pause(0.3)
            lines = screen_lines(app)
            # The customer's name in the status line, and the description (its field, or the preview).
            spots = [(row, match) for row, line in enumerate(lines) for match in re.finditer(r"CLICKME|\]quit\[", line)]
            for row, match in spots[:3]:
                await pilot.click(offset=(match.start() + 1, row))
                await pilot.pause()
                clicked.append(match.group())
                assert app.is_running, f"clicking {match.group()!r} on row {row} of {key} quit the app"
        assert "CLICKME" in clicked, clicked
        assert "]quit[" in clicked, clicked


@pytest.mark.slow  # the quick run keeps the tour of every step
async def test_export_messages_show_the_path_as_typed(tmp_path: Path) -> None:
    folder = tmp_path / "[/]folder[bold]"  # "[" then "]folder[bold]" inside it
    folder.mkdir(parents=True)
    (tmp_path / "[bold]old.md").write_text("old\n", encoding="utf-8")
    attempts = (
        (str(folder), f"{folder} is a folder"),
        (str(tmp_path / "[bold]old.md"), "[bold]old.md already exists"),
        (str(tmp_path / "missing[/]dir" / "x.md"), "Could not write"),
    )
    app = app_for(load_brief(hostile_brief(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        for typed, message in attempts:
            await pilot.press("ctrl+o")
            await pilot.pause()
            app.screen.query_one("#export-path", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running, f"exporting to {typed!r} stopped the app"
            shown = str(app.screen.query_one("#export-message", Static).render())
            assert message in shown, f"exporting to {typed!r} says {shown!r}"
            assert not drawn_problems(app)
            await pilot.press("escape")
            await pilot.pause()


@pytest.mark.slow  # the quick run keeps the tour of every step
async def test_hostile_settings_are_warned_about_as_text(tmp_path: Path) -> None:
    from tui.config import load_settings

    config = tmp_path / "config" / "escalate-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[ui]\ntheme = "\\u001b]0;pwned\\u0007[bold]dark[/]"\n'
        '[keymap]\n"\\u001b]52;c;cm0gLXJmIH4=\\u0007[@click=app.quit]x[/]" = "f12"\n'
        '[rules]\n"\\u001b]0;pwned\\u0007" = 1\n',
        encoding="utf-8",
    )
    settings, problems = load_settings(config)
    app = app_for(load_brief(hostile_brief(tmp_path)), settings=settings, config_path=config,
                  startup_problems=[str(problem) for problem in problems])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.3)
        toasts = list(app.screen.query("Toast"))
        assert toasts, "the bad settings are not mentioned"
        assert not drawn_problems(app), "\n".join(drawn_problems(app)[:10])
        assert app.is_running


@pytest.mark.slow  # the quick run keeps the tour of every step
async def test_a_hostile_draft_is_offered_as_text_when_the_app_starts_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = app_for(load_brief(hostile_brief(tmp_path)), data_dir=data, autosave=True)
    async with first.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await first.focus_field("customer.plan")
        await pilot.press(*"x")  # an edit, so the draft is kept
        await pilot.pause()
        await pilot.press("ctrl+q")

    second = app_for(data_dir=data, offer_resume=True, autosave=True)
    async with second.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.pause()
        seen = "\n".join(screen_lines(second))
        assert "[/api/v2/orders]" in seen, seen
        assert not drawn_problems(second), "\n".join(drawn_problems(second)[:10])
        await pilot.press("enter")
        await pilot.pause()
        assert second.is_running


@pytest.mark.slow  # a dialog's worth more of the tour
async def test_the_send_dialog_and_the_outbox_show_a_hostile_brief_as_text(tmp_path: Path) -> None:
    from tui.config import Settings

    path = hostile_brief(tmp_path)
    out = tmp_path / "sent"
    out.mkdir()
    settings = Settings.model_validate({"destinations": [
        {"name": "[@click=app.quit]files[/]", "type": "file", "folder": str(out)}]})
    app = app_for(load_brief(path), brief_path=path, autosave=True, data_dir=tmp_path / "data", settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await drafts_open(pilot)
        await pilot.press("f6")
        await pilot.pause(0.3)
        await pilot.press("alt+s")
        for _ in range(100):
            if getattr(app.screen, "plan", None) is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        problems = drawn_problems(app)
        seen = "\n".join(screen_lines(app))
        await pilot.press("space")  # a Security case: the one destination (all but Security) is picked by hand
        await pilot.pause(0.3)
        await pilot.press("alt+s")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(100):
            if "delivered" in "\n".join(screen_lines(app)):
                break
            await pilot.pause(0.05)
        problems += drawn_problems(app)
        await pilot.press("escape")
        await pilot.press("f8")
        await pilot.pause(0.3)
        problems += drawn_problems(app)
        seen += "\n".join(screen_lines(app))
        assert app.is_running
    assert not problems, "\n".join(problems[:20])
    assert "[@click=app.quit]files[/]" in seen  # the destination's name as written
    assert len(list(out.glob("*.md"))) == 1
