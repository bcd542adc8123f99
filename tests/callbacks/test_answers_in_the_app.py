"""An answer recorded by another process (`escalate-tui listen`, a long connection) reaches the open app:
a notice names it, and the queue shows the new owner, with nothing pressed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from queue_support import escalated
from support import NOW, SIZE, app_for, drafts_open, toasts

import tui.app
from tui.callbacks.answers import Answer
from tui.callbacks.record import record_answer
from tui.domain.models import Severity
from tui.store.drafts import DraftStore


@pytest.mark.slow
async def test_a_take_recorded_elsewhere_is_told_and_the_queue_shows_the_owner(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.app, "ANSWERS_POLL", 0.1)
    with DraftStore.open_default(tmp_path) as store:
        case = escalated(store, "Checkout fails for EU tenants", "Acme", Severity.HIGH)
    app = app_for(None, autosave=True, data_dir=tmp_path, offer_resume=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await drafts_open(pilot)
        with DraftStore.open_default(tmp_path) as elsewhere:  # another process's connection to the same file
            recorded = record_answer(elsewhere, Answer("slack", "C1:1.2:U7", case, "take", "Kim Lee"),
                                     NOW + timedelta(minutes=5))
        assert recorded.ok
        for _ in range(100):
            if "Kim Lee" in toasts(app):
                break
            await pilot.pause(0.05)
        assert f"#{case}: Taken — Kim Lee" in toasts(app)
        await pilot.pause(0.2)
        table = app.screen.query_one("DataTable")
        assert "Kim Lee" in " ".join(str(cell) for cell in table.get_row_at(0))
