"""Delivering the outbox: claim what is due, send each once, write down how it went.

Several processes may share the outbox (the app and `escalate-tui outbox --flush`): an item is
claimed with a lease first, so only one of them attempts it at a time. A few threads send at once;
each outcome is one short write.

What an outcome does to an item:
- delivered → ``delivered``, with a "Sent" event on the escalation's timeline;
- retry → ``pending`` again after a backoff (exponential, full jitter, never sooner than the
  service's Retry-After), until `max_attempts`, then ``failed`` saying so;
- permanent, a destination gone from the config, a secret not set → ``failed`` with what to fix;
- uncertain (the request may have landed), or an item found ``sending`` by a holder that is gone:
  a type that can look for an earlier copy (`DEDUP`) is tried again with `unclear` set, so it looks
  first; any other becomes ``uncertain`` and is never sent again until a person answers.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tui.send.config import DestinationConfig, SecretMissing, masked
from tui.send.kinds import Kind, load_kind
from tui.send.model import Outcome, OutcomeKind, Payload

if TYPE_CHECKING:
    import httpx

    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import RuleSettings
    from tui.send.card_sync import CardReport
    from tui.store.drafts import DraftStore
    from tui.store.outbox import OutboxItem

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Backoff:
    """How long to wait before attempt n+1: a random time up to min(cap, base · 2ⁿ⁻¹) ("full jitter"),
    never less than the service asked for."""

    base: float = 2.0
    cap: float = 300.0
    max_attempts: int = 12  # with the defaults, about a quarter of an hour of trying before a send fails

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        return max(rng.uniform(0, ceiling), retry_after or 0.0)


@dataclass(slots=True)
class Report:
    """What one run of the worker did."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    given_back: int = 0  # claimed, then returned unsent because the worker was stopped
    changed: list[OutboxItem] = field(default_factory=list)
    cards: CardReport | None = None  # the sent cards brought up to date after the deliveries

    @property
    def attempts(self) -> int:
        return self.delivered + self.retried + self.failed + self.uncertain


def lease_for(destinations: Mapping[str, DestinationConfig]) -> timedelta:
    """How long a claim lasts: longer than the slowest attempt can take (httpx's timeout is per phase:
    connecting, writing and reading each get it)."""
    slowest = max((config.timeout for config in destinations.values()), default=10.0)
    return timedelta(seconds=4 * slowest + 10)


def deliver_due(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
                client: httpx.Client, *, now: Clock = utc_now, stop: threading.Event | None = None,
                on_change: Callable[[OutboxItem], None] | None = None, until_empty: bool = False,
                workers: int = 8, batch: int = 32, backoff: Backoff | None = None, lease: timedelta | None = None,
                kinds: Callable[[str], Kind] = load_kind, rng: random.Random | None = None,
                poll: float = 1.0, cards: bool = True, rules: RuleSettings | None = None,
                redaction: RedactionOptions | None = None) -> Report:
    """Deliver every send due now. With `until_empty`, also wait for the ones in backoff (and for claims
    held elsewhere to finish or run out) until the outbox has nothing left to send, or `stop` is set.
    Items claimed but not yet attempted when `stop` is set are given back, unsent. Then, unless
    stopped or `cards` is off, the sent cards behind their escalation are updated (`sync_cards`, with
    the config's `rules` and `redaction`)."""
    run = _Run(store, destinations, env, client, now, stop or threading.Event(), on_change, backoff or Backoff(),
               lease or lease_for(destinations), kinds, rng or random.Random())
    in_flight: set[Future[None]] = set()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox") as pool:
        try:
            while not run.stop.is_set():
                room = max(batch, 2 * workers) - len(in_flight)
                # Claims are written in batches: a claim per finished send would double the writes.
                wanted = room >= workers or not in_flight
                claimed = store.claim_sends(run.holder, now(), run.lease, limit=room) if wanted else []
                in_flight |= {pool.submit(run.attempt, item) for item in claimed}
                if in_flight:
                    done, in_flight = wait(in_flight, timeout=poll, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                    continue
                if not until_empty:
                    break
                due = store.next_send_due()
                if due is None:
                    break
                run.stop.wait(min(max((due - now()).total_seconds(), 0.01), poll))
        finally:
            if in_flight:  # stopped by an error or Ctrl-C: what has not started is given back unsent
                run.stop.set()
                wait(in_flight)
    if cards and not run.stop.is_set():
        run.report.cards = _sync(store, destinations, env, client, now(), rules, redaction)
    return run.report


def _sync(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
          client: httpx.Client, now: datetime, rules: RuleSettings | None,
          redaction: RedactionOptions | None) -> CardReport | None:
    """Cards follow their escalation; a store that cannot be read now leaves them for the next run."""
    from tui.send.approval_follow import follow_approvals
    from tui.send.card_sync import sync_cards
    from tui.send.lark_follow import follow_up
    from tui.store.drafts import DraftStoreError

    try:
        follow_approvals(store, destinations, env, client, now, rules=rules, redaction=redaction)
        cards = sync_cards(store, destinations, env, client, now, rules=rules, redaction=redaction)
        follow_up(store, destinations, env, client, now, rules=rules, redaction=redaction)  # Lark pages and tasks
        return cards
    except DraftStoreError:
        return None


class _Run:
    def __init__(self, store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
                 client: httpx.Client, now: Clock, stop: threading.Event,
                 on_change: Callable[[OutboxItem], None] | None, backoff: Backoff, lease: timedelta,
                 kinds: Callable[[str], Kind], rng: random.Random) -> None:
        self.store, self.destinations, self.env, self.client = store, destinations, env, client
        self.now, self.stop, self.on_change, self.backoff, self.lease = now, stop, on_change, backoff, lease
        self.kinds, self.rng = kinds, rng
        self.holder = f"{_holder()}{uuid.uuid4().hex[:8]}"
        self.report = Report()
        self._lock = threading.Lock()
        self._failing: set[str] = set()  # destinations with sends waiting out a backoff
        self._answered: set[str] = set()  # destinations that took a send in this run

    def attempt(self, item: OutboxItem) -> None:
        if self.stop.is_set():
            if self.store.release_send(item.id, self.holder, self.now()):
                with self._lock:
                    self.report.given_back += 1
            return
        config = self.destinations.get(item.destination)
        if config is None:
            self._fail(item, f"the destination {item.destination!r} is no longer in the config: add it back and "
                             f"retry the send, or leave it")
            return
        if config.type != item.type:
            self._fail(item, f"the destination {item.destination!r} is now a {config.type} destination, and this "
                             f"send was made for {item.type}: send the escalation again")
            return
        try:
            kind = self.kinds(item.type)
        except (KeyError, ImportError):
            self._fail(item, f"this version of escalate-tui cannot send to {item.type} destinations")
            return
        if item.unclear and not kind.DEDUP:
            self._uncertain(item, config, "an earlier attempt was cut off (the sender stopped while it was sending)")
            return
        payload = Payload(item.destination, item.type, item.body, item.idempotency_key, item.title)
        try:
            outcome = kind.deliver(self.client, payload, config, self.env, self.now(), item.unclear)
        except SecretMissing as error:
            self._fail(item, f"{error}: set it, then retry the send (escalate-tui outbox retry {item.id})")
            return
        self._record(item, kind, config, outcome)

    def _record(self, item: OutboxItem, kind: Kind, config: DestinationConfig, outcome: Outcome) -> None:
        message = self._masked(outcome.message, config)
        if outcome.kind is OutcomeKind.DELIVERED:
            self._done(self.store.send_delivered(item.id, self.holder, self.now(), outcome.remote_id,
                                                 outcome.remote_url, message), "delivered")
            self._answers_again(item.destination)
        elif outcome.kind is OutcomeKind.PERMANENT:
            self._fail(item, message)
        elif outcome.kind is OutcomeKind.UNCERTAIN and not kind.DEDUP:
            self._uncertain(item, config, message)
        elif item.attempts >= self.backoff.max_attempts:
            self._fail(item, f"gave up after {item.attempts} attempts; the last: {message}")
        else:
            unclear = item.unclear or outcome.kind is OutcomeKind.UNCERTAIN
            delay = self.backoff.delay(item.attempts, outcome.retry_after, self.rng)
            moment = self.now()
            with self._lock:
                self._failing.add(item.destination)
            held = moment + timedelta(seconds=outcome.retry_after) if outcome.retry_after else None
            self._done(self.store.send_again(item.id, self.holder, moment, message, moment + timedelta(seconds=delay),
                                             unclear, held), "retried")

    def _answers_again(self, destination: str) -> None:
        """A send got through after others to the same destination had to wait: the others need not
        wait out the rest of their backoff (the store keeps any wait the destination asked for)."""
        with self._lock:
            first = destination not in self._answered  # sends from before this run may be waiting too
            self._answered.add(destination)
            if not (first or destination in self._failing):
                return
            self._failing.discard(destination)
        self.store.hurry_sends(destination, self.now())

    def _masked(self, message: str, config: DestinationConfig) -> str:
        return masked(message, config, self.env)

    def _fail(self, item: OutboxItem, message: str) -> None:
        self._done(self.store.send_failed(item.id, self.holder, self.now(), message), "failed")

    def _uncertain(self, item: OutboxItem, config: DestinationConfig, why: str) -> None:
        message = (f"may have been delivered ({why}): check {config.name} for {item.title!r}, then say whether it "
                   f"arrived: escalate-tui outbox resolve {item.id} --arrived, or --not-arrived to send it again")
        self._done(self.store.send_uncertain(item.id, self.holder, self.now(), message), "uncertain")

    def _done(self, item: OutboxItem | None, counter: str) -> None:
        if item is None:
            return  # the claim ran out and another holder has it now: its outcome is theirs to write
        with self._lock:
            setattr(self.report, counter, getattr(self.report, counter) + 1)
            self.report.changed.append(item)
        if self.on_change is not None:
            self.on_change(item)


def _holder() -> str:
    from tui.store.outbox import holder_name

    return holder_name()
