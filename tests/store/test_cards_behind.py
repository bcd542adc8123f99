"""Which sent cards are behind their escalation: only delivered app cards, only for changes a team
would see on the card, and only until the card is brought up to date."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_support import escalated

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Severity
from tui.store.drafts import DraftStore
from tui.store.schema import why_unusable

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
DATA = Path(__file__).parent / "data"


def sent(store: DraftStore, draft_id: int, kind: str = "lark_app", remote_id: str = "om_1", key: str = "k1",
         deliver: bool = True) -> int:
    item, _ = store.enqueue(draft_id, "eng-lark", kind, "ESC", {"card": 1}, key, 1, NOW)
    if deliver:
        [claimed] = store.claim_sends("me", NOW, LEASE)
        assert store.send_delivered(claimed.id, "me", NOW, remote_id, "") is not None
    return item.id


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def behind(store: DraftStore) -> list[tuple[int, int]]:
    return [(card.item.id, card.newest) for card in store.cards_behind()]


def test_a_fresh_card_is_not_behind_and_a_take_puts_it_behind(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = sent(store, draft_id)
    assert behind(store) == []
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=at(5), who="Kim"))
    assert behind(store) == [(item_id, taken.id)]


@pytest.mark.parametrize("event", [
    Event(kind=EventKind.ACKNOWLEDGED, at=at(1), who="Kim"),
    Event(kind=EventKind.NEED_INFO, at=at(1), who="Kim", text="Which region?"),
    Event(kind=EventKind.SEVERITY_CHANGED, at=at(1), who="Dana", severity=Severity.CRITICAL, previous="high",
          reason="all customers"),
    Event(kind=EventKind.RESOLVED, at=at(1), who="Dana"),
    Event(kind=EventKind.APPROVAL_REQUESTED, at=at(1), who="Dana", reason="policy exception"),
])
def test_changes_the_team_sees_put_the_card_behind(store: DraftStore, event: Event) -> None:
    draft_id = escalated(store)
    item_id = sent(store, draft_id)
    store.log(draft_id, event)
    assert [card.item.id for card in store.cards_behind()] == [item_id]


def test_a_saved_version_a_send_or_a_note_does_not(store: DraftStore) -> None:
    draft_id = escalated(store)
    sent(store, draft_id)
    store.add_version(draft_id, "Brief, second take", "Dana", at(1))
    store.log(draft_id, Event(kind=EventKind.UPDATE_LOGGED, at=at(2), who="Dana", text="still failing"))
    store.log(draft_id, Event(kind=EventKind.FINDING_KEPT, at=at(3), who="Dana", text="IP", reason="public"))
    assert behind(store) == []


def test_only_delivered_app_cards_with_a_message_are_followed(store: DraftStore) -> None:
    draft_id = escalated(store)
    sent(store, draft_id, kind="webhook", key="hook")
    sent(store, draft_id, kind="slack_app", remote_id="", key="no-ts")
    sent(store, draft_id, kind="lark_app", key="pending", deliver=False)
    store.log(draft_id, Event(kind=EventKind.TAKEN, at=at(5), who="Kim"))
    assert behind(store) == []


def test_a_card_brought_up_to_date_is_behind_again_only_after_a_newer_change(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = sent(store, draft_id, kind="slack_app", remote_id="C1:1.2")
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=at(5), who="Kim"))
    store.card_followed(item_id, taken.id, at(6))
    assert behind(store) == []
    assert store.card_event(item_id) == taken.id
    store.card_followed(item_id, taken.id - 1, at(7))  # a slower sync of an older state never goes back
    assert store.card_event(item_id) == taken.id
    resolved = store.log(draft_id, Event(kind=EventKind.RESOLVED, at=at(9), who="Kim"))
    assert behind(store) == [(item_id, resolved.id)]


def test_a_card_given_up_keeps_why(store: DraftStore) -> None:
    draft_id = escalated(store)
    item_id = sent(store, draft_id)
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=at(5), who="Kim"))
    store.card_followed(item_id, taken.id, at(6), error="the card is more than 14 days old")
    assert behind(store) == []
    assert store.send(item_id).last_error == "the card is more than 14 days old"


def test_a_released_v6_database_gains_card_event_empty(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    shutil.copy(DATA / "released_v6_drafts.sqlite3", path)
    assert why_unusable(path) is None
    with DraftStore(path) as store:
        assert store.moved_aside is None
        assert all(store.card_event(item.id) is None for item in store.sends())
    raw = sqlite3.connect(path)
    try:
        assert "card_event" in {row[1] for row in raw.execute("PRAGMA table_info(outbox)")}
    finally:
        raw.close()


def test_a_v7_outbox_without_card_event_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE outbox DROP COLUMN card_event")
    raw.commit()
    raw.close()
    assert why_unusable(path) == "is missing parts of its layout (the columns card_event of its outbox)"
