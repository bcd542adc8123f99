"""A secret in the case: the checklist refuses the brief and jumps to the text holding it, wherever
that is, and no file the app names carries it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import SIZE, app_for
from textual.widgets import TextArea

from tui.domain.models import Escalation, Target, TargetOverride

KEY = "AKIAIOSFODNN7EXAMPLE"


async def choose_the_secrets_check(app: Any, pilot: Any) -> None:
    await app.action_go("brief")
    await pilot.pause()
    checklist = app.screen.query_one("#checklist")
    assert "✗ must No passwords, keys or tokens" in str(checklist.get_option("secrets.none").prompt)
    checklist.focus()
    checklist.highlighted = checklist.get_option_index("secrets.none")
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow
async def test_enter_on_the_secrets_check_reaches_the_text_that_holds_the_secret() -> None:
    """Texts typed outside the forms included (a field of a form or a list item is reached as any
    failed check's field is)."""
    esc = Escalation(summary="Export fails", problem={"nature": "bug"},
                     edited_brief=f"## ESCALATION: Export fails\nkey {KEY}\n")
    esc.target_override = TargetOverride(value=Target.SECURITY, reason=f"their key {KEY} is public")
    app = app_for(esc)
    async with app.run_test(size=SIZE) as pilot:
        await choose_the_secrets_check(app, pilot)  # an override's reason: the override dialog, at the reason
        assert app.step == "impact"
        assert app.focused is not None
        assert app.focused.id == "override-reason"
        await pilot.press("escape")
        app.edit("target_override", None)

        await choose_the_secrets_check(app, pilot)  # the hand-edited brief: its text editor
        assert app.step == "brief"
        assert isinstance(app.focused, TextArea)
        assert KEY in app.focused.text


async def test_the_brief_file_saved_for_a_new_case_is_named_without_the_secret(tmp_path: Path) -> None:
    app = app_for(Escalation(summary=f"Key {KEY} leaked in a public repo"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [path.name for path in tmp_path.glob("*.toml")] == ["brief-2026-11-19-key-leaked-in-a-public-repo.toml"]
