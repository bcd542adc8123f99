"""The approval gate on the queue: a gated case reads "Approval needed" until `g` records who decided
and why; the row and the timeline follow, and F1 says what g does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, toasts
from test_queue import highlight, open_queue, rows, settled
from textual.widgets import Static

from tui.domain.lifecycle import Approval, EventKind
from tui.domain.models import Ask, AskKind, Customer, Escalation, Flags, Reporter, Severity, Target
from tui.screens.approval import ApprovalScreen
from tui.store.drafts import DraftStore

REFUND = "Refund beyond the 30-day window"


def gated_case(data: Path) -> int:
    at = NOW - timedelta(hours=1)
    with DraftStore(data / "drafts.sqlite3") as store:
        draft_id = store.create(Escalation(summary=REFUND, customer=Customer(name="Acme Corp"),
                                           reporter=Reporter(name="Dana"), flags=Flags(policy_exception=True),
                                           ask=Ask(kind=AskKind.APPROVE, text="Approve a 3-month refund")), at)
        store.escalate(draft_id, f"Brief: {REFUND}", Severity.HIGH, Target.LEADERSHIP, "Dana", at)
        return draft_id


@pytest.mark.slow
async def test_g_records_the_decision_with_who_and_why(tmp_path: Path) -> None:
    draft_id = gated_case(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        assert rows(screen)[0]["status"] == "Approval needed · Escalated"
        await highlight(pilot, screen, REFUND)
        await pilot.press("g")
        await settled(pilot)
        assert isinstance(app.screen, ApprovalScreen)
        shown = " ".join(str(static.render()) for static in app.screen.query(Static))
        assert "Approval needed: Leadership must approve the exception to policy: Approve a 3-month refund" in shown
        await pilot.press("ctrl+s")  # nobody named yet: refused in words, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, ApprovalScreen)
        assert "Say who decided" in str(app.screen.query_one("#approval-problem").render())
        app.screen.query_one("#approval-who").focus()
        await pilot.press(*"Vera Lin", "tab", *"one-off for a key account", "enter")
        await settled(pilot)
        assert app.screen is screen
        assert f"Logged on #{draft_id}: Approved by Vera Lin: one-off for a key account" in toasts(app)
        assert rows(screen)[0]["status"] == "Escalated"
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        assert store.record(draft_id).approval is Approval.APPROVED
        decision = store.timeline(draft_id)[-1].event
    assert (decision.kind, decision.who, decision.reason) == (EventKind.APPROVED, "Vera Lin",
                                                              "one-off for a key account")


@pytest.mark.slow
async def test_f1_on_the_queue_tells_what_g_does(tmp_path: Path) -> None:
    gated_case(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await pilot.press("f1")
        await pilot.pause()
        shown = " ".join(str(static.render()) for static in app.screen.query(Static))
        assert "g records an approval's decision (approved or rejected, by whom and why)" in shown
        assert "queue.approval" in app.export_screenshot()  # the key's row in the bindings table


@pytest.mark.slow
async def test_r_on_a_case_waiting_for_approval_says_so_before_the_checklist(tmp_path: Path) -> None:
    draft_id = gated_case(tmp_path)
    app = app_for(autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await highlight(pilot, screen, REFUND)
        await pilot.press("r")
        await settled(pilot)
        assert app.screen is screen  # no closing checklist to walk for nothing
        shown = " ".join(toasts(app).split())
        assert f"#{draft_id} cannot be resolved yet: it waits for an approval" in shown
        assert "Press g to record the decision." in shown
