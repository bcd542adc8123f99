"""The Send dialog driven with the keyboard, sending to a real receiver on 127.0.0.1 through the
outbox of a real drafts database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from outbox_support import queue_sends, webhook_config
from receiver import Receiver, receiving
from support import SIZE, app_for, drafts_open, example
from textual.widgets import SelectionList, TextArea

from tui.config import Settings
from tui.domain.lifecycle import EventKind, Status
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

AWS_KEY = "AKIA" + "Q3EXAMPLE7KEY2ZX"  # built here so no scanner takes the file for a leak


def settings_for(receiver: Receiver) -> Settings:
    return Settings.model_validate({
        "reporter": {"name": "Dana"},
        "destinations": [
            {"name": "eng-hook", "type": "webhook", "url": receiver.url, "targets": ["engineering"]},
            {"name": "sec-hook", "type": "webhook", "url": receiver.url, "targets": ["security"]},
        ],
    })


async def wait_for(pilot: Any, condition: Any, what: str, tries: int = 250) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def open_dialog(pilot: Any) -> Any:
    from tui.screens.send import SendScreen

    await drafts_open(pilot)
    await pilot.press("f6")
    await pilot.pause(0.2)
    await pilot.press("alt+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SendScreen), "the Send dialog")
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.plan is not None, "the dry run")
    return screen


@pytest.mark.slow
async def test_send_proposes_by_target_shows_the_request_and_delivers_once(tmp_path: Path) -> None:
    with receiving() as receiver:
        app = app_for(example("api-500-acme"), autosave=True, data_dir=tmp_path, settings=settings_for(receiver))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_dialog(pilot)
            destinations = screen.query_one("#send-destinations", SelectionList)
            assert destinations.selected == ["eng-hook"]  # an Engineering case: the Security hook is not proposed
            request = screen.query_one("#send-request", TextArea).text
            assert f"POST {receiver.url}" in request
            assert "X-Escalate-Delivery: esc1-v1-eng-hook" in request
            assert receiver.arrived == {}  # the dry run sends nothing

            await pilot.press("alt+s")  # the question
            await pilot.pause()
            await pilot.press("enter")
            await wait_for(pilot, lambda: "delivered" in str(screen.query_one("#send-status").render()),
                           "the delivery")
            draft_id = app.autosaver.draft_id
            store = app.autosaver.store
            assert store.record(draft_id).status is Status.ESCALATED  # sending a draft hands it over
            kinds = [stored.event.kind for stored in store.timeline(draft_id)]
            assert EventKind.SENT in kinds

            await pilot.press("alt+s")  # the same version again: the outbox already has it
            await pilot.pause()
            await pilot.press("enter")
            await wait_for(pilot, lambda: "already in the outbox" in str(screen.query_one("#send-status").render()),
                           "the second answer")
        assert receiver.arrived == {"esc1-v1-eng-hook": 1}


@pytest.mark.slow
async def test_a_secret_is_masked_unless_kept_with_a_reason_on_the_timeline(tmp_path: Path) -> None:
    esc = example("api-500-acme")
    esc.problem.description += f"\nThe connector logs show the key {AWS_KEY} in every failing call."
    with receiving() as receiver:
        app = app_for(esc, autosave=True, data_dir=tmp_path, settings=settings_for(receiver))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_dialog(pilot)
            request = screen.query_one("#send-request", TextArea)
            assert AWS_KEY not in request.text
            assert "[redacted AWS access key]" in request.text
            findings = screen.query_one("#send-findings", SelectionList)
            assert findings.option_count == 1
            assert findings.selected  # masked
            findings.focus()
            findings.highlighted = 0
            await pilot.press("space")
            await pilot.pause()
            await pilot.press(*"revoked test key")
            await pilot.press("enter")
            await wait_for(pilot, lambda: AWS_KEY in request.text, "the kept key in the dry run")
            await pilot.press("alt+s")
            await pilot.pause()
            await pilot.press("enter")
            await wait_for(pilot, lambda: "delivered" in str(screen.query_one("#send-status").render()),
                           "the delivery")
            events = app.autosaver.store.timeline(app.autosaver.draft_id)
        kept = [stored.event for stored in events if stored.event.kind is EventKind.FINDING_KEPT]
        assert len(kept) == 1
        assert kept[0].reason == "revoked test key"
        assert AWS_KEY not in kept[0].text  # the timeline names the finding, never its value
        assert AWS_KEY in str(receiver.bodies[0])


@pytest.mark.slow
async def test_escape_on_the_reason_keeps_the_finding_masked(tmp_path: Path) -> None:
    esc = example("api-500-acme")
    esc.problem.description += f"\nKey: {AWS_KEY}"
    with receiving() as receiver:
        app = app_for(esc, autosave=True, data_dir=tmp_path, settings=settings_for(receiver))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_dialog(pilot)
            findings = screen.query_one("#send-findings", SelectionList)
            findings.focus()
            findings.highlighted = 0
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause(0.2)
            assert screen.kept == {}
            assert findings.selected
            assert AWS_KEY not in screen.query_one("#send-request", TextArea).text


@pytest.mark.slow
async def test_sends_queued_before_a_restart_are_delivered_when_the_app_starts(tmp_path: Path) -> None:
    with receiving() as receiver:
        store = DraftStore.open_default(tmp_path)
        with store:
            queued = queue_sends(store, webhook_config(receiver.url), count=3)
        app = app_for(None, autosave=True, data_dir=tmp_path,
                      settings=Settings.model_validate({"destinations": [
                          {"name": "eng-hook", "type": "webhook", "url": receiver.url}]}))
        async with app.run_test(size=SIZE) as pilot:
            await drafts_open(pilot)
            await wait_for(pilot, lambda: sum(receiver.arrived.values()) == 3, "the queued sends")
            await wait_for(pilot, lambda: all(item.state is OutboxState.DELIVERED
                                              for item in app.autosaver.store.sends()), "the outbox to settle")
        assert len(queued) == 3
        assert sorted(receiver.arrived.values()) == [1, 1, 1]  # each once
