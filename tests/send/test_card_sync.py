"""Sent cards follow their escalation: through the real outbox worker, drafts database and loopback
Lark and Slack, a change the team would see updates the card once; a card Lark or Slack will no
longer change is left alone with why; a closed case's card loses its buttons."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
from chat_support import Reply
from lark_double import APP_ID, APP_SECRET, CHAT, LarkDouble, Scripted
from outbox_support import NOW, brief_of, escalation
from slack_double import CHANNEL, TOKEN, SlackDouble

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Severity
from tui.send import lark_app, slack_app
from tui.send.card_sync import sync_cards
from tui.send.config import DestinationConfig
from tui.send.outbox_worker import deliver_due
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

ENV = {"LARK_APP_SECRET": APP_SECRET, "SLACK_BOT_TOKEN": TOKEN}
LATER = NOW + timedelta(minutes=65)


def lark_config(lark: LarkDouble) -> lark_app.Config:
    return lark_app.Config.model_validate({"name": "eng-lark", "type": "lark_app", "app_id": APP_ID,
                                           "app_secret_env": "LARK_APP_SECRET", "domain": "lark",
                                           "receive_id": CHAT, "api_url": lark.url})


def slack_config(slack: SlackDouble) -> slack_app.Config:
    return slack_app.Config.model_validate({"name": "eng-slack", "type": "slack_app", "channel": CHANNEL,
                                            "bot_token_env": "SLACK_BOT_TOKEN", "api_url": slack.url})


def sent_card(store: DraftStore, client: httpx.Client, config: DestinationConfig) -> tuple[int, int]:
    """An escalation with its card sent through the outbox: (escalation, outbox item)."""
    draft_id = escalation(store)
    kind = lark_app if config.type == "lark_app" else slack_app
    payload = kind.build(brief_of(draft_id), config)  # type: ignore[arg-type]
    item, _ = store.enqueue(draft_id, payload.destination, config.type, payload.title, payload.body,
                            payload.idempotency_key, 1, NOW)
    deliver_due(store, {config.name: config}, ENV, client, now=lambda: NOW)
    assert store.send(item.id).state is OutboxState.DELIVERED
    return draft_id, item.id


def updates(lark: LarkDouble) -> list[dict[str, Any]]:
    return [json.loads(content) for message in lark.messages.values() for content in message.updates]


def texts(card: Any) -> list[str]:
    if isinstance(card, dict):
        return [text for key, value in card.items()
                for text in ([value] if key in ("content", "text") and isinstance(value, str) else texts(value))]
    if isinstance(card, list):
        return [text for value in card for text in texts(value)]
    return []


def has_buttons(card: dict[str, Any]) -> bool:
    return any(element.get("tag") == "action" for element in card["elements"])


def test_a_take_updates_the_lark_card_once_with_who_took_it(store: DraftStore, client: httpx.Client,
                                                            lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, item_id = sent_card(store, client, config)
    assert updates(lark) == []  # nothing changed since it was sent
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=NOW + timedelta(minutes=5), who="Kim"))
    report = sync_cards(store, {config.name: config}, ENV, client, LATER)
    assert (report.updated, report.stopped, report.waiting) == (1, 0, 0)
    [card] = updates(lark)
    assert "Taken by Kim · 10:05 UTC" in texts(card)
    assert has_buttons(card)
    assert store.card_event(item_id) == taken.id
    sync_cards(store, {config.name: config}, ENV, client, LATER)
    assert lark.calls["PATCH /im/v1/messages/:id"] == 1


def test_the_outbox_worker_brings_cards_up_to_date_after_its_deliveries(store: DraftStore, client: httpx.Client,
                                                                       lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, _ = sent_card(store, client, config)
    store.change(draft_id, Event(kind=EventKind.SEVERITY_CHANGED, at=NOW + timedelta(minutes=3), who="Dana",
                                 severity=Severity.CRITICAL, previous="high", reason="every customer"), NOW)
    report = deliver_due(store, {config.name: config}, ENV, client, now=lambda: LATER)
    assert report.cards is not None
    assert report.cards.updated == 1
    [card] = updates(lark)
    assert any("Severity High → Critical" in text for text in texts(card))


def test_a_card_older_than_14_days_is_not_tried_again(store: DraftStore, client: httpx.Client,
                                                      lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, item_id = sent_card(store, client, config)
    for message in lark.messages.values():
        message.too_old = True
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=NOW + timedelta(minutes=5), who="Kim"))
    report = sync_cards(store, {config.name: config}, ENV, client, LATER)
    assert (report.updated, report.stopped) == (0, 1)
    assert store.card_event(item_id) == taken.id
    assert "14 days" in store.send(item_id).last_error
    assert APP_SECRET not in store.send(item_id).last_error
    sync_cards(store, {config.name: config}, ENV, client, LATER)
    assert lark.calls["PATCH /im/v1/messages/:id"] == 1


def test_a_rate_limited_update_waits_for_the_next_run(store: DraftStore, client: httpx.Client,
                                                      lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, item_id = sent_card(store, client, config)
    store.log(draft_id, Event(kind=EventKind.ACKNOWLEDGED, at=NOW + timedelta(minutes=5), who="Kim"))
    lark.then("PATCH /im/v1/messages/:id", Scripted(429, {"code": 99991400, "msg": "request trigger frequency limit"},
                                                         {"x-ogw-ratelimit-reset": "1"}))
    assert sync_cards(store, {config.name: config}, ENV, client, LATER).waiting == 1
    assert store.card_event(item_id) is None
    assert sync_cards(store, {config.name: config}, ENV, client, LATER).updated == 1
    [card] = updates(lark)
    assert "Acknowledged by Kim · 10:05 UTC" in texts(card)


def test_a_resolved_case_s_lark_card_has_no_buttons(store: DraftStore, client: httpx.Client,
                                                    lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, _ = sent_card(store, client, config)
    store.log(draft_id, Event(kind=EventKind.RESOLVED, at=NOW + timedelta(hours=2), who="Dana", text="fixed"))
    sync_cards(store, {config.name: config}, ENV, client, LATER)
    [card] = updates(lark)
    assert "Resolved · 12:00 UTC" in texts(card)
    assert not has_buttons(card)


def test_a_slack_message_shows_the_question_and_loses_its_buttons_when_resolved(store: DraftStore,
                                                                                client: httpx.Client) -> None:
    with SlackDouble() as slack:
        config = slack_config(slack)
        draft_id, item_id = sent_card(store, client, config)
        store.log(draft_id, Event(kind=EventKind.NEED_INFO, at=NOW + timedelta(minutes=5), who="Kim",
                                  text="Which <!channel> region?"))
        sync_cards(store, {config.name: config}, ENV, client, LATER)
        [message] = slack.messages[CHANNEL]
        assert "Need info from Kim: Which <!channel> region?" in texts(message["blocks"])
        status = next(block for block in message["blocks"] if "Need info" in json.dumps(block))
        assert status["text"]["type"] == "plain_text"  # a question cannot ping the channel
        assert any(block["type"] == "actions" for block in message["blocks"])
        store.log(draft_id, Event(kind=EventKind.RESOLVED, at=NOW + timedelta(hours=1), who="Dana"))
        sync_cards(store, {config.name: config}, ENV, client, LATER)
        [message] = slack.messages[CHANNEL]
        assert not any(block["type"] == "actions" for block in message["blocks"])
        assert message["text"].endswith("Resolved · 11:00 UTC")
        assert len(slack.calls("chat.update")) == 2
        assert store.card_event(item_id) is not None


def test_a_deleted_slack_message_is_no_longer_followed(store: DraftStore, client: httpx.Client) -> None:
    with SlackDouble() as slack:
        config = slack_config(slack)
        draft_id, item_id = sent_card(store, client, config)
        slack.scripted["chat.update"] = [Reply(200, {"ok": False, "error": "message_not_found"})]
        store.log(draft_id, Event(kind=EventKind.TAKEN, at=NOW + timedelta(minutes=5), who="Kim"))
        assert sync_cards(store, {config.name: config}, ENV, client, LATER).stopped == 1
        assert "gone from the channel" in store.send(item_id).last_error
        assert store.cards_behind() == []


def test_a_missing_secret_leaves_the_card_for_a_process_that_has_it(store: DraftStore, client: httpx.Client,
                                                                    lark: LarkDouble) -> None:
    config = lark_config(lark)
    draft_id, item_id = sent_card(store, client, config)
    store.log(draft_id, Event(kind=EventKind.TAKEN, at=NOW + timedelta(minutes=5), who="Kim"))
    report = sync_cards(store, {config.name: config}, {}, client, LATER)
    assert report.waiting == 1
    assert "LARK_APP_SECRET" in report.notes[0]
    assert [card.item.id for card in store.cards_behind()] == [item_id]
