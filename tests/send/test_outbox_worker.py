"""The outbox worker against a real HTTP receiver on 127.0.0.1: what arrives, how often, and what the
outbox and the timeline say afterwards."""

from __future__ import annotations

import random
import time
from datetime import timedelta

import httpx
import looking_kind
import pytest
from outbox_support import NOW, SECRET, queue_sends, webhook_config
from receiver import Answer, receiving

from tui.domain.lifecycle import EventKind
from tui.send import webhook
from tui.send.kinds import Kind, load_kind
from tui.send.outbox_worker import Backoff, deliver_due
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

FAST = Backoff(base=0.05, cap=0.2, max_attempts=4)
ENV = {"HOOK_SECRET": SECRET}


def kinds(name: str) -> Kind:
    return looking_kind if name == "looking" else load_kind(name)  # type: ignore[return-value]


def test_every_send_arrives_once_signed_and_lands_on_the_timeline(store: DraftStore, client: httpx.Client) -> None:
    with receiving(secret=SECRET) as receiver:
        config = webhook_config(receiver.url, secret_env="HOOK_SECRET")
        ids = queue_sends(store, config, 12)
        report = deliver_due(store, {config.name: config}, ENV, client, backoff=FAST)
    assert report.delivered == 12
    assert receiver.bad_signatures == 0
    assert sorted(receiver.arrived.values()) == [1] * 12
    for item_id in ids:
        item = store.send(item_id)
        assert item.state is OutboxState.DELIVERED
        sent = [e.event for e in store.timeline(item.draft_id) if e.event.kind is EventKind.SENT]
        assert [(event.destination, event.version) for event in sent] == [("eng-hook", 1)]
    assert {body["schema"] for body in receiver.bodies} == {"escalate-tui.escalation/1"}


def test_a_429_waits_at_least_its_retry_after(store: DraftStore, client: httpx.Client) -> None:
    with receiving(script=[Answer(429, {"Retry-After": "1"}, "slow down")]) as receiver:
        config = webhook_config(receiver.url)
        [item_id] = queue_sends(store, config, 1)
        started = time.monotonic()
        report = deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True, poll=0.05)
    assert report.retried == 1
    assert report.delivered == 1
    assert receiver.times[0] - started >= 1.0  # the first POST was refused, the second arrived after the wait
    assert store.send(item_id).attempts == 2


def test_server_errors_back_off_then_succeed(store: DraftStore, client: httpx.Client) -> None:
    script = [Answer(503, body="maintenance"), Answer(502, body="bad gateway")]
    with receiving(script=script) as receiver:
        config = webhook_config(receiver.url)
        [item_id] = queue_sends(store, config, 1)
        report = deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True, poll=0.05)
    item = store.send(item_id)
    assert (report.retried, report.delivered) == (2, 1)
    assert (item.state, item.attempts) == (OutboxState.DELIVERED, 3)
    assert receiver.arrived[item.idempotency_key] == 1


class FirstShortThenLong(random.Random):
    """Backoff jitter as bad luck would have it: the first wait short, every other one long."""

    def __init__(self) -> None:
        super().__init__(0)
        self.waits = 0

    def uniform(self, a: float, b: float) -> float:
        self.waits += 1
        return 0.2 if self.waits == 1 else 45.0


def test_once_a_destination_answers_again_its_waiting_sends_go_at_once(store: DraftStore,
                                                                      client: httpx.Client) -> None:
    script = [Answer(503, body="down")] * 5
    with receiving(script=script) as receiver:
        config = webhook_config(receiver.url)
        queue_sends(store, config, 5)
        started = time.monotonic()
        report = deliver_due(store, {config.name: config}, {}, client, backoff=Backoff(base=45, cap=45),
                             rng=FirstShortThenLong(), until_empty=True, poll=0.05, workers=1)
        elapsed = time.monotonic() - started
    assert (report.retried, report.delivered) == (5, 5)
    assert elapsed < 10  # not the 45 s the other four were told to wait
    assert len(receiver.arrived) == 5


def test_a_wait_the_destination_asked_for_is_kept_even_after_it_answers(store: DraftStore,
                                                                         client: httpx.Client) -> None:
    script = [Answer(429, headers={"Retry-After": "30"}, body="slow down"), Answer(503, body="down")]
    with receiving(script=script) as receiver:
        config = webhook_config(receiver.url)
        first, second = queue_sends(store, config, 2)
        deliver_due(store, {config.name: config}, {}, client, backoff=Backoff(base=0.2, cap=0.2), workers=1,
                    rng=random.Random(1))
        time.sleep(0.3)
        deliver_due(store, {config.name: config}, {}, client, backoff=Backoff(base=0.2, cap=0.2), workers=1,
                    rng=random.Random(1))
    assert store.send(second).state is OutboxState.DELIVERED
    held = store.send(first)
    assert held.state is OutboxState.PENDING  # still waiting out the 30 s it was asked to wait
    assert (held.next_attempt - held.updated).total_seconds() >= 29


def test_a_refusal_stops_the_send_with_the_receivers_words(store: DraftStore, client: httpx.Client) -> None:
    with receiving(default=Answer(404, body="no such hook: rotate the URL")) as receiver:
        config = webhook_config(receiver.url)
        [item_id] = queue_sends(store, config, 1)
        report = deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True)
    item = store.send(item_id)
    assert report.failed == 1
    assert item.state is OutboxState.FAILED
    assert item.last_error == "the webhook eng-hook refused it (404): no such hook: rotate the URL"
    [failed] = [e.event for e in store.timeline(item.draft_id) if e.event.kind is EventKind.SEND_FAILED]
    assert failed.reason == item.last_error


def test_retries_are_bounded_and_the_failure_says_so(store: DraftStore, client: httpx.Client) -> None:
    with receiving(default=Answer(500, body="boom")) as receiver:
        config = webhook_config(receiver.url)
        [item_id] = queue_sends(store, config, 1)
        deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True, poll=0.05)
    item = store.send(item_id)
    assert item.state is OutboxState.FAILED
    assert item.last_error == "gave up after 4 attempts; the last: the webhook eng-hook answered 500: boom"


def test_a_dropped_connection_after_the_body_is_uncertain_and_never_reposted(store: DraftStore,
                                                                             client: httpx.Client) -> None:
    with receiving(script=[Answer(drop=True)]) as receiver:
        config = webhook_config(receiver.url)
        [item_id] = queue_sends(store, config, 1)
        deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True)
        deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True,
                    now=lambda: NOW + timedelta(days=2))
        item = store.send(item_id)
        assert item.state is OutboxState.UNCERTAIN
        assert "may have been delivered" in item.last_error
        assert f"escalate-tui outbox resolve {item_id} --arrived" in item.last_error
        assert receiver.arrived[item.idempotency_key] == 1

        store.resolve_send(item_id, False, "Dana", "not in the channel", NOW)  # a person says it did not land
        deliver_due(store, {config.name: config}, {}, client, backoff=FAST)
    assert store.send(item_id).state is OutboxState.DELIVERED
    assert receiver.arrived[item.idempotency_key] == 2  # sent again only because a person said so


def test_an_answer_slower_than_the_timeout_is_uncertain(store: DraftStore, client: httpx.Client) -> None:
    with receiving(script=[Answer(delay=1.5)]) as receiver:
        config = webhook_config(receiver.url, timeout=0.5)
        [item_id] = queue_sends(store, config, 1)
        report = deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True)
    item = store.send(item_id)
    assert report.uncertain == 1
    assert item.state is OutboxState.UNCERTAIN
    assert "did not answer within 0.5 s" in item.last_error


def test_a_type_that_can_look_finds_the_earlier_copy_instead_of_sending_again(store: DraftStore,
                                                                               client: httpx.Client) -> None:
    with receiving(script=[Answer(drop=True)]) as receiver:
        config = looking_kind.Config.model_validate({"name": "tracker", "type": "looking", "url": receiver.url})
        [item_id] = queue_sends(store, config, 1, kind="looking")
        report = deliver_due(store, {config.name: config}, {}, client, backoff=FAST, until_empty=True, kinds=kinds,
                             poll=0.05)
    item = store.send(item_id)
    assert item.state is OutboxState.DELIVERED
    assert (report.retried, report.delivered) == (1, 1)
    assert receiver.arrived[item.idempotency_key] == 1


def test_a_destination_gone_from_the_config_fails_saying_so(store: DraftStore, client: httpx.Client) -> None:
    config = webhook_config("http://127.0.0.1:9/hook")
    [item_id] = queue_sends(store, config, 1)
    deliver_due(store, {}, {}, client)
    assert store.send(item_id).last_error.startswith("the destination 'eng-hook' is no longer in the config")


def test_a_missing_secret_fails_naming_the_variable_and_retry_then_sends(store: DraftStore,
                                                                         client: httpx.Client) -> None:
    with receiving(secret=SECRET) as receiver:
        config = webhook_config(receiver.url, secret_env="HOOK_SECRET")
        [item_id] = queue_sends(store, config, 1)
        deliver_due(store, {config.name: config}, {}, client)
        item = store.send(item_id)
        assert item.state is OutboxState.FAILED
        assert "HOOK_SECRET, which is not set" in item.last_error
        assert receiver.arrived.total() == 0
        store.retry_send(item_id, NOW)
        deliver_due(store, {config.name: config}, ENV, client)
    assert store.send(item_id).state is OutboxState.DELIVERED
    assert receiver.arrived.total() == 1


def test_a_secret_in_an_error_is_masked_before_it_is_stored(store: DraftStore, client: httpx.Client) -> None:
    with receiving(default=Answer(400, body=f"bad request, your key {SECRET} is not allowed")) as receiver:
        config = webhook_config(receiver.url, secret_env="HOOK_SECRET")
        [item_id] = queue_sends(store, config, 1)
        deliver_due(store, {config.name: config}, ENV, client)
    item = store.send(item_id)
    assert SECRET not in item.last_error
    assert "‹$HOOK_SECRET›" in item.last_error


def test_a_stopped_worker_gives_back_what_it_had_not_started(store: DraftStore, client: httpx.Client) -> None:
    import threading

    stop = threading.Event()
    with receiving(default=Answer(delay=0.3)) as receiver:
        config = webhook_config(receiver.url)
        queue_sends(store, config, 10)
        seen: list[int] = []

        def first_done(item: object) -> None:
            seen.append(1)
            stop.set()

        report = deliver_due(store, {config.name: config}, {}, client, stop=stop, on_change=first_done, workers=2)
    counts = store.send_counts()
    assert report.given_back >= 1
    assert counts[OutboxState.SENDING] == 0
    assert counts[OutboxState.DELIVERED] == receiver.arrived.total() == report.delivered
    assert counts[OutboxState.PENDING] == 10 - report.delivered


@pytest.mark.parametrize("attempts", [1, 3, 8])
def test_backoff_never_comes_before_retry_after_nor_exceeds_its_ceiling(attempts: int) -> None:
    rng = random.Random(attempts)
    backoff = Backoff(base=2, cap=300)
    delays = [backoff.delay(attempts, None, rng) for _ in range(200)]
    assert max(delays) <= min(300, 2 * 2 ** (attempts - 1))
    assert len(set(delays)) > 100  # jittered, not in lockstep
    assert all(backoff.delay(attempts, 400, rng) >= 400 for _ in range(20))


def test_the_webhook_type_is_the_one_the_worker_loads() -> None:
    assert load_kind("webhook") is webhook
    assert webhook.DEDUP is False
