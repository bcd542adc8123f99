"""The outbox screen (F8): a send that may have landed is answered by the agent, a stopped one retried,
against a real receiver on 127.0.0.1 and a real drafts database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from outbox_support import queue_sends, webhook_config
from receiver import Answer, receiving
from support import SIZE, app_for, drafts_open

from tui.config import Settings
from tui.domain.lifecycle import EventKind
from tui.send.outbox_worker import deliver_due
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState


async def wait_for(pilot: Any, condition: Any, what: str, tries: int = 250) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def settings(url: str) -> Settings:
    return Settings.model_validate({"reporter": {"name": "Dana"},
                                    "destinations": [{"name": "eng-hook", "type": "webhook", "url": url}]})


@pytest.mark.slow
async def test_a_send_that_may_have_landed_is_sent_again_only_when_the_agent_says_so(tmp_path: Path) -> None:
    with receiving(script=[Answer(drop=True)]) as receiver:
        config = webhook_config(receiver.url)
        with DraftStore.open_default(tmp_path) as store, httpx.Client() as client:
            [item_id] = queue_sends(store, config, 1)
            deliver_due(store, {config.name: config}, {}, client)
            assert store.send(item_id).state is OutboxState.UNCERTAIN
        app = app_for(None, autosave=True, data_dir=tmp_path, settings=settings(receiver.url))
        async with app.run_test(size=SIZE) as pilot:
            await drafts_open(pilot)
            assert receiver.arrived.total() == 1  # starting the app re-posts nothing
            await pilot.press("f8")
            await pilot.pause()
            assert "MAY HAVE LANDED" in str(app.screen.query_one("#outbox-sends").get_row_at(0))
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"nothing in the channel", "enter")
            store = app.autosaver.store
            await wait_for(pilot, lambda: store.send(item_id).state is OutboxState.DELIVERED, "the second send")
        assert receiver.arrived.total() == 2
        answered = store.send(item_id)
        assert (answered.answered_by, answered.answer) == ("Dana", "nothing in the channel")


@pytest.mark.slow
async def test_an_arrived_answer_records_the_delivery_without_sending(tmp_path: Path) -> None:
    with receiving(script=[Answer(drop=True)]) as receiver:
        config = webhook_config(receiver.url)
        with DraftStore.open_default(tmp_path) as store, httpx.Client() as client:
            [item_id] = queue_sends(store, config, 1)
            deliver_due(store, {config.name: config}, {}, client)
        app = app_for(None, autosave=True, data_dir=tmp_path, settings=settings(receiver.url))
        async with app.run_test(size=SIZE) as pilot:
            await drafts_open(pilot)
            await pilot.press("f8")
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*"seen in the channel", "enter")
            await pilot.pause()
            store = app.autosaver.store
            item = store.send(item_id)
            assert item.state is OutboxState.DELIVERED
            assert "delivered" in str(app.screen.query_one("#outbox-sends").get_row_at(0))
            kinds = [stored.event.kind for stored in store.timeline(item.draft_id)]
        assert receiver.arrived.total() == 1
        assert kinds.count(EventKind.SENT) == 1
