"""Sent cards follow their escalation: each lark_app / slack_app card whose escalation changed in a
way the team would see (taken, acknowledged, a question, severity, resolved, an approval…) is
rebuilt for the case as it is now and updated in place.

A reconciliation rather than a hook: the store lists the cards behind (`cards_behind`), so no code
path that logs an event has to remember the card, and a crash between the event and the update
only delays it to the next run. The outbox worker runs it after each delivery round.

What an answer does: updated → the card's newest event is written down; a wait (rate limit, the
service down) → tried again on the next run; refused (older than 14 days, recalled, deleted, not
ours) → not followed past this change, with why kept as the send's last error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tui.send.card_status import CardStatus, card_status
from tui.send.config import DestinationConfig, SecretMissing, masked
from tui.send.model import Brief, JsonValue, Outcome, OutcomeKind

if TYPE_CHECKING:
    import httpx

    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import RuleSettings
    from tui.store.drafts import DraftStore
    from tui.store.outbox import CardBehind, OutboxItem


@dataclass(slots=True)
class CardReport:
    """What one run did: cards updated, cards no longer followed, and cards left for the next run."""

    updated: int = 0
    stopped: int = 0
    waiting: int = 0
    notes: list[str] = field(default_factory=list)  # why a card waits or stopped (secrets masked)


def sync_cards(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
               client: httpx.Client, now: datetime, *, rules: RuleSettings | None = None,
               redaction: RedactionOptions | None = None, zone: tzinfo = UTC) -> CardReport:
    """Bring every sent card that is behind its escalation up to date (one update each)."""
    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import DEFAULT_RULES
    from tui.store.drafts import DraftStoreError

    report = CardReport()
    options = redaction or RedactionOptions()
    for card in store.cards_behind():
        item = card.item
        config = destinations.get(item.destination)
        if config is None or config.type != item.type:
            continue  # the destination is gone from this config: another process may still know it
        try:
            outcome = _update(store, card, config, env, client, now, rules or DEFAULT_RULES, options, zone)
        except (SecretMissing, DraftStoreError, KeyError, ValueError) as error:
            report.waiting += 1
            report.notes.append(f"card of send {item.id} not updated: {error}")
            continue
        message = masked(outcome.message, config, env)
        if outcome.kind is OutcomeKind.DELIVERED:
            store.card_followed(item.id, card.newest, now)
            report.updated += 1
        elif outcome.kind is OutcomeKind.PERMANENT:
            store.card_followed(item.id, card.newest, now,
                                error=f"the card is no longer updated as the escalation changes: {message}")
            report.stopped += 1
            report.notes.append(f"card of send {item.id}: {message}")
        else:  # a wait, or an update that may have landed: updating again later does no harm
            report.waiting += 1
            report.notes.append(f"card of send {item.id} waits: {message}")
    return report


def _update(store: DraftStore, card: CardBehind, config: DestinationConfig, env: Mapping[str, str],
            client: httpx.Client, now: datetime, rules: RuleSettings, options: RedactionOptions,
            zone: tzinfo) -> Outcome:
    from tui.send.plan import guard

    item = card.item
    status = card_status([stored.event for stored in store.timeline(item.draft_id)], zone)
    brief = brief_now(store, item, config, now, rules, options)
    if item.type == "lark_app":
        from tui.send import lark_app

        assert isinstance(config, lark_app.Config)
        lark_card = guard(lark_app.card_for(brief, config, status.line, buttons=status.buttons), options)
        return lark_app.update_card(client, config, env, item.remote_id, lark_card, now)
    from tui.send import slack_app

    assert isinstance(config, slack_app.Config)
    blocks = guard(_slack_blocks(slack_app.blocks_for(brief, config, status.line), status), options)
    text = guard(slack_app.fallback_for(brief, status.line), options)
    assert isinstance(blocks, list)
    assert isinstance(text, str)
    return slack_app.update_message(client, config, env, item.remote_id, blocks, text)


def _slack_blocks(blocks: list[JsonValue], status: CardStatus) -> list[JsonValue]:
    if status.buttons:
        return blocks
    return [block for block in blocks if not (isinstance(block, dict) and block.get("type") == "actions")]


def brief_now(store: DraftStore, item: OutboxItem, config: DestinationConfig, now: datetime, rules: RuleSettings,
              options: RedactionOptions) -> Brief:
    """The brief as the case stands now (its severity and target as changed since), every finding
    masked: an update can only show less than the send did."""
    from tui.domain.triage import assess
    from tui.send.plan import CaseToSend, masked_brief

    esc = store.load(item.draft_id)
    assessment = assess(esc, rules, now)
    today = (item.delivered_at or now).date()
    return masked_brief(CaseToSend(item.draft_id, item.version or 1, esc, assessment, today), config, options)


def follow_answers(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
                   stop: threading.Event, *, rules: RuleSettings | None = None,
                   redaction: RedactionOptions | None = None, poll: float = 0.25,
                   clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """Until `stop` is set: each time an answer is recorded (by this process or another sharing the
    store), bring the cards up to date; and every 10 seconds follow the Lark approvals of gated cases
    (`follow_approvals`: each read at most once a minute). Meant for its own thread, so no reply waits
    for it."""
    import httpx

    from tui.send.approval_follow import follow_approvals
    from tui.send.lark_follow import follow_up
    from tui.store.drafts import DraftStoreError

    seen = -1
    approvals_at = clock()
    with httpx.Client(follow_redirects=False) as client:
        while not stop.wait(0 if seen < 0 else poll):
            try:
                changed = False
                if clock() >= approvals_at:  # each case's approval is read at most once a minute anyway
                    approvals_at = clock() + timedelta(seconds=10)
                    report = follow_approvals(store, destinations, env, client, clock(), rules=rules,
                                              redaction=redaction)
                    changed = bool(report.decided)  # a decision shows on the card
                latest = store.answers_latest()
                if latest != seen or changed:
                    seen = latest
                    sync_cards(store, destinations, env, client, clock(), rules=rules, redaction=redaction)
                    follow_up(store, destinations, env, client, clock(), rules=rules, redaction=redaction)
            except DraftStoreError:
                continue  # busy or unreadable for now: the next answer tries again
