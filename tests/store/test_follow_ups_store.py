"""Which Lark follow-ups are still owed: a page per delivered card of a destination that publishes one,
a task per take clicked on such a card; each done once, and only on open escalations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Customer, Escalation, Reporter, Severity, Target
from tui.store.drafts import DraftStore

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
LEASE = timedelta(seconds=30)
OPEN_ID = "ou_7d8a6e6df7621556ce0d21922b676706"


def sent_card(store: DraftStore, destination: str = "eng-lark", kind: str = "lark_app") -> tuple[int, int]:
    draft_id = store.create(Escalation(summary="Checkout returns HTTP 500", customer=Customer(name="Acme"),
                                       reporter=Reporter(name="Dana")), NOW)
    store.escalate(draft_id, "Brief", Severity.HIGH, Target.ENGINEERING, "Dana", NOW)
    store.enqueue(draft_id, destination, kind, "ESC", {"card": 1}, f"k{draft_id}", 1, NOW)
    [claimed] = store.claim_sends("me", NOW, LEASE)
    store.send_delivered(claimed.id, "me", NOW, f"om_{draft_id}")
    sent_event = next(stored for stored in store.timeline(draft_id) if stored.event.kind is EventKind.SENT)
    return draft_id, sent_event.id


def page(kind: EventKind, follows: int) -> Event:
    return Event(kind=kind, at=LATER, destination="eng-lark", link="wikcnKQ1k3p", follows=follows, text="doxcn1")


def test_a_delivered_card_owes_a_page_until_it_is_published(store: DraftStore) -> None:
    draft_id, sent_id = sent_card(store)
    [due] = store.follow_ups_due(["eng-lark"], [])
    assert (due.what, due.source.id, due.item.destination, due.started) == ("page", sent_id, "eng-lark", None)
    assert store.follow_ups_due(["other-lark"], []) == []
    created = store.log_follow_up(draft_id, page(EventKind.PAGE_CREATED, sent_id))
    [due] = store.follow_ups_due(["eng-lark"], [])
    assert due.started == created  # the node made before is filled, not made again
    store.log_follow_up(draft_id, page(EventKind.PAGE_PUBLISHED, sent_id))
    assert store.follow_ups_due(["eng-lark"], []) == []


def test_the_same_step_is_written_down_once(store: DraftStore) -> None:
    draft_id, sent_id = sent_card(store)
    assert store.log_follow_up(draft_id, page(EventKind.PAGE_CREATED, sent_id)) is not None
    assert store.log_follow_up(draft_id, page(EventKind.PAGE_CREATED, sent_id)) is None
    kinds = [stored.event.kind for stored in store.timeline(draft_id)]
    assert kinds.count(EventKind.PAGE_CREATED) == 1


def test_a_take_on_the_card_owes_a_task_for_the_clicker(store: DraftStore) -> None:
    draft_id, _ = sent_card(store)
    store.log(draft_id, Event(kind=EventKind.TAKEN, at=LATER, who="Ann", link=f"om_{draft_id}"))  # no id: by hand
    taken = store.log(draft_id, Event(kind=EventKind.TAKEN, at=LATER, who="Kim", who_id=OPEN_ID,
                                      link=f"om_{draft_id}"))
    [due] = store.follow_ups_due([], ["eng-lark"])
    assert (due.what, due.source.id, due.source.event.who_id) == ("task", taken.id, OPEN_ID)
    store.log_follow_up(draft_id, Event(kind=EventKind.FOLLOW_UP_FAILED, at=LATER, destination="eng-lark",
                                        follows=taken.id, reason="no permission"))
    assert store.follow_ups_due([], ["eng-lark"]) == []


def test_a_take_on_another_card_or_a_closed_case_owes_nothing(store: DraftStore) -> None:
    draft_id, _ = sent_card(store)
    store.log(draft_id, Event(kind=EventKind.TAKEN, at=LATER, who="Kim", who_id=OPEN_ID, link="om_elsewhere"))
    assert [due.what for due in store.follow_ups_due(["eng-lark"], ["eng-lark"])] == ["page"]
    store.log(draft_id, Event(kind=EventKind.RESOLVED, at=LATER, who="Dana", text="fixed"))
    assert store.follow_ups_due(["eng-lark"], ["eng-lark"]) == []
