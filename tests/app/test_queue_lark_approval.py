"""A gated case whose approval is held in Lark says so on the queue: `g` and `r` tell the agent the
approval is pending in Lark approval, not only that it is needed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, toasts
from test_queue import highlight, open_queue, settled
from test_queue_approval import REFUND, gated_case
from textual.widgets import Static

from tui.domain.lifecycle import Event, EventKind
from tui.screens.approval import ApprovalScreen
from tui.store.drafts import DraftStore

INSTANCE = "81D31358-93AF-92D6-7425-01A5D67C4E71"


def held_in_lark(data: Path) -> int:
    draft_id = gated_case(data)
    with DraftStore(data / "drafts.sqlite3") as store:
        store.log(draft_id, Event(kind=EventKind.APPROVAL_OPENED, at=NOW - timedelta(minutes=50),
                                  who="Lark approval", text=INSTANCE, destination="lead-lark"))
    return draft_id


@pytest.mark.slow
async def test_r_and_g_say_the_approval_is_pending_in_lark(tmp_path: Path) -> None:
    draft_id = held_in_lark(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await highlight(pilot, screen, REFUND)
        await pilot.press("r")
        await settled(pilot)
        assert app.screen is screen
        shown = " ".join(toasts(app).split())
        assert f"#{draft_id} cannot be resolved yet: it waits for an approval" in shown
        assert "pending in Lark approval. Press g to record the decision." in shown
        await pilot.press("g")
        await settled(pilot)
        assert isinstance(app.screen, ApprovalScreen)
        said = " ".join(str(static.render()) for static in app.screen.query(Static))
        assert ("Approval needed — pending in Lark approval: Leadership must approve the exception to policy: "
                "Approve a 3-month refund") in said
