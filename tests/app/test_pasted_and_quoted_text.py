"""Pasted text and quoted names never carry escape sequences or markup to the screen."""

from __future__ import annotations

import pytest
from support import SIZE, app_for, example, toasts
from textual import events
from textual.widgets import Input, TextArea

from tui.domain.text_safety import has_unsafe

HOSTILE = "Rows \x1b]52;c;cm0gLXJmIH4=\x07missing \x1b[2J\u202eafter\x9b31m [bold]3.2[/bold] [@click=app.quit]x[/]"



@pytest.mark.slow
async def test_a_paste_into_a_field_or_the_brief_text_keeps_the_words_and_drops_the_escapes() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("customer.name")
        field = app.focused
        assert isinstance(field, Input)
        field.value = ""
        field.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        assert not has_unsafe(field.value)
        assert not has_unsafe(app.escalation.customer.name)
        assert "[bold]3.2[/bold]" in field.value  # brackets are text, kept as typed

        await app.focus_field("problem.description")
        area = app.focused
        assert isinstance(area, TextArea)
        area.post_message(events.Paste(f"line one\n{HOSTILE}"))
        await pilot.pause()
        assert not has_unsafe(area.text.replace("\n", ""))
        assert not has_unsafe(app.escalation.problem.description.replace("\n", ""))

        await pilot.press("f6", "ctrl+t")
        await pilot.pause()
        brief = app.screen.query_one("#brief-text", TextArea)
        brief.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        assert not has_unsafe(brief.text.replace("\n", ""))


async def test_notices_show_markup_and_escapes_as_text() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("Saved /tmp/[/]x[bold]y/\x1b]0;pwned\x07brief.toml", title="\x1b[2J")
        await pilot.pause()
        shown = toasts(app)
        assert "[/]x[bold]y/" in shown
        assert "\\e]0;pwned\\x07brief.toml" in shown
        assert not has_unsafe(shown.replace("\n", ""))
        assert app.is_running


async def test_several_lines_pasted_into_a_one_line_field_are_all_kept_joined() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("summary")
        field = app.focused
        assert isinstance(field, Input)
        field.value = ""
        field.post_message(events.Paste("Exports drop rows\nfor Globex and Initech\r\nsince 3.2"))
        await pilot.pause()
        assert field.value == "Exports drop rows for Globex and Initech since 3.2"
        assert app.escalation.summary == "Exports drop rows for Globex and Initech since 3.2"


@pytest.mark.slow
async def test_a_paste_into_a_dialog_keeps_the_words_and_drops_the_escapes() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "ctrl+o")  # the override dialog
        await pilot.pause()
        reason = app.screen.query_one("#override-reason", Input)
        reason.value = ""
        reason.focus()
        reason.post_message(events.Paste(f"Customer call\n{HOSTILE}"))
        await pilot.pause()
        assert not has_unsafe(reason.value)
        assert reason.value.startswith("Customer call Rows ")
        await pilot.press("escape", "f6", "ctrl+o")  # the export dialog
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        path.value = ""
        path.post_message(events.Paste("brief\x1b]0;x\x07.md"))
        await pilot.pause()
        assert path.value == "brief]0;x.md"
