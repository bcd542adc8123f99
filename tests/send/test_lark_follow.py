"""A Lark app's follow-ups through the real outbox worker, drafts database and loopback Lark: the brief
as a wiki page after the send, a task for whoever takes the case on the card, each once, with Lark's
errors waited out or explained."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from lark_double import APP_ID, APP_SECRET, CHAT, SPACE, LarkDouble, Scripted
from outbox_support import NOW, brief_of, escalation

from tui.callbacks.answers import Answer
from tui.callbacks.record import record_answer
from tui.domain.lifecycle import EventKind
from tui.render.markdown import SECTIONS
from tui.send import lark_app, lark_wiki
from tui.send.lark_follow import follow_up
from tui.send.outbox_worker import deliver_due
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

ENV = {"LARK_APP_SECRET": APP_SECRET}
OPEN_ID = "ou_7d8a6e6df7621556ce0d21922b676706"
LATER = NOW + timedelta(minutes=20)
NO_PERMISSION = Scripted(400, {"code": 99991672, "msg": "Access denied. One of the following scopes is required: "
                                                        "[task:task:write]", "data": {}})


def config_for(lark: LarkDouble, **extra: Any) -> lark_app.Config:
    return lark_app.Config.model_validate({
        "name": "eng-lark", "type": "lark_app", "app_id": APP_ID, "app_secret_env": "LARK_APP_SECRET",
        "domain": "lark", "receive_id": CHAT, "api_url": lark.url, "wiki_space_id": SPACE,
        "wiki_url_base": "https://acme.larksuite.com/wiki", "follow_up_task": True, **extra})


def send(store: DraftStore, client: httpx.Client, config: lark_app.Config) -> tuple[int, str]:
    """An escalation sent to the app through the outbox (which follows up after its round)."""
    draft_id = escalation(store)
    payload = lark_app.build(brief_of(draft_id), config)
    item, _ = store.enqueue(draft_id, payload.destination, "lark_app", payload.title, payload.body,
                            payload.idempotency_key, 1, NOW)
    deliver_due(store, {config.name: config}, ENV, client, now=lambda: NOW)
    sent = store.send(item.id)
    assert sent.state is OutboxState.DELIVERED
    return draft_id, sent.remote_id


def take(store: DraftStore, draft_id: int, message_id: str) -> None:
    answer = Answer("lark", "73e4b7c2f0d84c2aa1f1b0e6a8c1d042", draft_id, "take", "Kim Lee", "", message_id, OPEN_ID)
    assert record_answer(store, answer, LATER).outcome == "recorded"


def events(store: DraftStore, draft_id: int, kind: EventKind) -> list[Any]:
    return [stored.event for stored in store.timeline(draft_id) if stored.event.kind is kind]


def text_of(block: dict[str, Any]) -> str:
    body = block[lark_wiki._KEYS[block["block_type"]]]
    return "".join(element["text_run"]["content"] for element in body["elements"])


def run(store: DraftStore, client: httpx.Client, config: lark_app.Config) -> Any:
    return follow_up(store, {config.name: config}, ENV, client, LATER)


def test_a_send_publishes_the_brief_as_a_wiki_page_once(store: DraftStore, client: httpx.Client,
                                                        lark: LarkDouble) -> None:
    config = config_for(lark)
    draft_id, _ = send(store, client, config)
    [node] = lark.nodes
    assert node.title.startswith(f"ESC-{draft_id} · ")
    headings = [text_of(block) for block in node.blocks if block["block_type"] in (3, 4, 5)]
    assert headings[0].startswith("ESCALATION: ")
    assert headings[1:] == [name for name in SECTIONS if name in headings[1:]]
    [published] = events(store, draft_id, EventKind.PAGE_PUBLISHED)
    assert published.link == f"https://acme.larksuite.com/wiki/{node.node_token}"
    assert published.describe() in [stored.event.describe() for stored in store.timeline(draft_id)]
    calls = sum(lark.calls.values())
    for _ in range(2):
        assert run(store, client, config).pages == 0
    assert sum(lark.calls.values()) == calls


def test_a_take_gives_the_clicker_a_task_due_at_the_next_internal_check_in(store: DraftStore,
                                                                          client: httpx.Client,
                                                                          lark: LarkDouble) -> None:
    config = config_for(lark)
    draft_id, message_id = send(store, client, config)
    take(store, draft_id, message_id)
    report = run(store, client, config)
    assert report.tasks == 1
    [task] = lark.tasks.values()
    due = store.record(draft_id).internal_due
    assert due is not None
    assert task["members"] == [{"id": OPEN_ID, "type": "user", "role": "assignee"}]
    assert int(task["due"]["timestamp"]) == int(due.timestamp() * 1000)
    assert task["summary"].startswith(f"Follow up ESC-{draft_id}: ")
    assert "Next internal check-in: " in task["description"]
    [created] = events(store, draft_id, EventKind.TASK_CREATED)
    assert created.link == task["url"]
    assert "for Kim Lee, due " in created.describe()
    assert run(store, client, config).tasks == 0
    assert lark.calls["POST /task/v2/tasks"] == 1


def test_without_the_options_nothing_is_followed_up(store: DraftStore, client: httpx.Client,
                                                    lark: LarkDouble) -> None:
    config = config_for(lark, wiki_space_id=None, wiki_url_base=None, follow_up_task=False)
    draft_id, message_id = send(store, client, config)
    take(store, draft_id, message_id)
    run(store, client, config)
    assert (lark.nodes, lark.tasks) == ([], {})


def test_a_missing_scope_stops_the_task_and_names_the_scope(store: DraftStore, client: httpx.Client,
                                                            lark: LarkDouble) -> None:
    config = config_for(lark, wiki_space_id=None, wiki_url_base=None)
    draft_id, message_id = send(store, client, config)
    take(store, draft_id, message_id)
    lark.then("POST /task/v2/tasks", NO_PERMISSION)
    report = run(store, client, config)
    assert report.stopped == 1
    [failed] = events(store, draft_id, EventKind.FOLLOW_UP_FAILED)
    assert "task:task:write" in failed.reason
    assert APP_SECRET not in failed.reason
    run(store, client, config)
    assert lark.calls["POST /task/v2/tasks"] == 1


def test_a_rate_limited_page_waits_for_the_next_run(store: DraftStore, client: httpx.Client,
                                                    lark: LarkDouble) -> None:
    config = config_for(lark, follow_up_task=False)
    lark.then("POST /wiki/v2/spaces/:space/nodes",
              Scripted(429, {"code": 99991400, "msg": "request trigger frequency limit", "data": {}},
                       {"x-ogw-ratelimit-reset": "1"}))
    draft_id, _ = send(store, client, config)
    assert lark.nodes == []
    assert events(store, draft_id, EventKind.PAGE_PUBLISHED) == []
    assert run(store, client, config).pages == 1
    assert len(lark.nodes) == 1


def test_a_refused_token_is_renewed_once(store: DraftStore, client: httpx.Client, lark: LarkDouble) -> None:
    config = config_for(lark)
    draft_id, message_id = send(store, client, config)
    take(store, draft_id, message_id)
    lark.revoke_tokens()
    assert run(store, client, config).tasks == 1
    assert lark.issued == 2


def test_a_page_whose_filling_stopped_is_filled_not_made_again(store: DraftStore, client: httpx.Client,
                                                               lark: LarkDouble) -> None:
    config = config_for(lark, follow_up_task=False)
    lark.then("POST /docx/v1/documents/:doc/blocks/:doc/children",
              Scripted(503, {"code": 99991500, "msg": "service unavailable", "data": {}}))
    draft_id, _ = send(store, client, config)
    [node] = lark.nodes
    assert node.blocks == []
    [created] = events(store, draft_id, EventKind.PAGE_CREATED)
    assert created.link.endswith(node.node_token)
    assert run(store, client, config).pages == 1
    assert len(lark.nodes) == 1
    assert node.blocks


def test_a_batch_written_again_is_not_added_twice(store: DraftStore, client: httpx.Client, lark: LarkDouble) -> None:
    config = config_for(lark)
    node = lark_wiki.create_node(client, config, ENV, NOW, brief_of(1))
    assert isinstance(node, lark_wiki.Node)
    blocks = lark_wiki.blocks_for(brief_of(1))
    for _ in range(2):
        assert lark_wiki.fill(client, config, ENV, NOW, node.document_id, blocks, "esc1-v1-eng-lark").message
    assert lark.nodes[0].blocks == blocks


@pytest.mark.parametrize(("extra", "said"), [
    ({"wiki_space_id": "space one"}, "wiki_space_id"),
    ({"wiki_parent_node": "wikcn/../x"}, "wiki_parent_node"),
    ({"wiki_url_base": "http://acme.larksuite.com/wiki/"}, "https"),
    ({"wiki_space_id": None, "wiki_url_base": None, "wiki_parent_node": "wikcnA1"}, "need wiki_space_id"),
])
def test_wiki_settings_that_cannot_work_are_refused(lark: LarkDouble, extra: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        config_for(lark, **extra)
