"""A secret in the case: no file the app names carries it."""

from __future__ import annotations

from pathlib import Path

from support import SIZE, app_for

from tui.domain.models import Escalation

KEY = "AKIAIOSFODNN7EXAMPLE"


async def test_the_brief_file_saved_for_a_new_case_is_named_without_the_secret(tmp_path: Path) -> None:
    app = app_for(Escalation(summary=f"Key {KEY} leaked in a public repo"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [path.name for path in tmp_path.glob("*.toml")] == ["brief-2026-11-19-key-leaked-in-a-public-repo.toml"]
