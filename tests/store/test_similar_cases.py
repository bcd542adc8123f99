"""Similar cases: open escalations and recently closed ones that look like the case being written, found
however many older cases look like it too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Customer, Escalation, Problem, Reproduction, Severity, Target
from tui.store.drafts import DraftStore

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=90)


def export_case(customer: str, extra: str = "") -> Escalation:
    return Escalation(summary=f"Invoice export drops rows after the upgrade {extra}".strip(),
                      customer=Customer(name=customer),
                      problem=Problem(description="Nightly invoice export to S3 skips rows above ten thousand"),
                      reproduction=Reproduction(actual="S3 AccessDenied on bucket exports-eu"))


def stored(store: DraftStore, esc: Escalation, at: datetime, closed_at: datetime | None = None) -> int:
    draft_id = store.create(esc, at)
    store.escalate(draft_id, f"# {esc.summary}\n", Severity.HIGH, Target.ENGINEERING, "Dana", at)
    if closed_at is not None:
        store.log(draft_id, Event(kind=EventKind.RESOLVED, at=closed_at, who="Dana", text="patched"))
    return draft_id


def test_open_and_recently_closed_alike_cases_are_found_and_others_are_not(store: DraftStore) -> None:
    open_one = stored(store, export_case("Globex"), NOW - timedelta(days=2))
    recent = stored(store, export_case("Initech"), NOW - timedelta(days=40), closed_at=NOW - timedelta(days=30))
    stored(store, export_case("Hooli"), NOW - timedelta(days=400), closed_at=NOW - timedelta(days=390))
    store.create(export_case("Umbrella"), NOW)  # a draft, never handed over
    stored(store, Escalation(summary="SSO login loops for EU tenants", customer=Customer(name="Stark"),
                             problem=Problem(description="SAML assertion rejected after certificate rotation")),
           NOW - timedelta(days=1))
    found = store.similar(export_case("Acme"), exclude=None, closed_since=SINCE)
    assert sorted(item.record.id for item in found) == sorted([open_one, recent])
    assert {item.record.customer for item in found} == {"Globex", "Initech"}
    assert all(0.3 <= item.likeness <= 1 for item in found)


def test_the_case_itself_is_left_out(store: DraftStore) -> None:
    own = stored(store, export_case("Globex"), NOW)
    other = stored(store, export_case("Initech"), NOW)
    found = store.similar(store.load(own), exclude=own, closed_since=SINCE)
    assert [item.record.id for item in found] == [other]


def test_an_open_case_is_found_behind_many_old_closed_ones_that_match_better(store: DraftStore) -> None:
    for n in range(60):  # word for word the new case, all resolved long ago: they rank first in the index
        stored(store, export_case(f"Old customer {n}"), NOW - timedelta(days=700), NOW - timedelta(days=690))
    open_one = stored(store, export_case("Globex", "for EU tenants since Monday"), NOW - timedelta(days=1))
    found = store.similar(export_case("Acme"), exclude=None, closed_since=SINCE)
    assert [item.record.id for item in found] == [open_one]


def test_a_case_reopened_long_after_it_was_filed_is_found(store: DraftStore) -> None:
    old = stored(store, export_case("Globex"), NOW - timedelta(days=600), NOW - timedelta(days=590))
    store.log(old, Event(kind=EventKind.REOPENED, at=NOW - timedelta(days=1), who="Dana", reason="back again"))
    assert [item.record.id for item in store.similar(export_case("Acme"), None, SINCE)] == [old]
    store.log(old, Event(kind=EventKind.RESOLVED, at=NOW - timedelta(hours=5), who="Dana", text="patched again"))
    assert [item.record.id for item in store.similar(export_case("Acme"), None, SINCE)] == [old]
    assert store.similar(export_case("Acme"), None, NOW) == []  # closed before the window starts


def test_words_in_the_customer_names_alone_do_not_make_cases_alike(store: DraftStore) -> None:
    stored(store, Escalation(summary="Checkout times out", customer=Customer(name="Invoice Export Rows Upgrade")),
           NOW)
    assert store.similar(export_case("Acme"), None, SINCE) == []
