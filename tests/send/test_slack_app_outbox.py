"""A slack_app send through the real outbox worker and drafts database: a post whose answer is lost is
found in the channel on the next attempt, so the team sees one message and the outbox keeps its ts."""

from __future__ import annotations

import httpx
from outbox_support import NOW, brief_of, escalation
from slack_double import CHANNEL, TOKEN, SlackDouble

from tui.domain.lifecycle import EventKind
from tui.send import slack_app
from tui.send.outbox_worker import Backoff, deliver_due
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

FAST = Backoff(base=0.05, cap=0.2, max_attempts=4)


def test_a_lost_answer_leaves_one_message_and_the_outbox_keeps_its_ts(store: DraftStore) -> None:
    with SlackDouble(drop_after_post=1) as slack, httpx.Client() as client:
        config = slack_app.Config.model_validate({"name": "eng-slack", "type": "slack_app", "channel": CHANNEL,
                                                  "bot_token_env": "SLACK_BOT_TOKEN", "api_url": slack.url,
                                                  "workspace_url": "https://acme.slack.com"})
        draft_id = escalation(store)
        payload = slack_app.build(brief_of(draft_id), config)
        item, _ = store.enqueue(draft_id, payload.destination, "slack_app", payload.title, payload.body,
                                payload.idempotency_key, 1, NOW)
        report = deliver_due(store, {config.name: config}, {"SLACK_BOT_TOKEN": TOKEN}, client, backoff=FAST,
                             until_empty=True, poll=0.05)
    [message] = slack.messages[CHANNEL]
    assert len(slack.calls("chat.postMessage")) == 1
    assert len(slack.calls("conversations.history")) == 1
    assert (report.retried, report.delivered) == (1, 1)
    sent = store.send(item.id)
    assert sent.state is OutboxState.DELIVERED
    assert sent.remote_id == f"{CHANNEL}:{message['ts']}"
    assert sent.remote_url.startswith(f"https://acme.slack.com/archives/{CHANNEL}/p")
    events = [entry.event for entry in store.timeline(draft_id) if entry.event.kind is EventKind.SENT]
    assert [(event.destination, event.link) for event in events] == [("eng-slack", sent.remote_url)]
    assert TOKEN not in sent.last_error
