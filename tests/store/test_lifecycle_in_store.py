"""An escalation's life through the store: the brief handed over is frozen, later versions are kept,
transitions the status does not allow are refused in words, and a stale autosave never overwrites a
change made since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.domain.lifecycle import DeEscalationReason, Event, EventKind, Status
from tui.domain.merge import merge
from tui.domain.models import Customer, Escalation, Problem, Severity, Target
from tui.store.drafts import DraftConflict, DraftStore
from tui.store.escalations import EscalationError

T0 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
BRIEF = "# Exports stall at 10k rows\n\n**Severity:** High  \n\tCustomer: Acme — “Ünïcödé” 🚨\n\n- trailing space \n"


def case(store: DraftStore, summary: str = "Exports stall at 10k rows") -> int:
    return store.create(Escalation(summary=summary, customer=Customer(name="Acme")), T0)


def test_escalating_freezes_the_brief_handed_over_as_version_1_exactly(store: DraftStore) -> None:
    draft_id = case(store)
    assert store.escalate(draft_id, BRIEF, Severity.HIGH, Target.ENGINEERING, "Dana", T0) == 1
    [version] = store.versions(draft_id)
    assert (version.number, version.text, version.who, version.at) == (1, BRIEF, "Dana", T0)
    record = store.record(draft_id)
    assert (record.status, record.severity, record.target, record.escalated) == (
        Status.ESCALATED, Severity.HIGH, Target.ENGINEERING, T0)
    kinds = [stored.event.kind for stored in store.timeline(draft_id)]
    assert kinds == [EventKind.CREATED, EventKind.ESCALATED]
    assert store.timeline(draft_id)[1].event.version == 1


def test_later_versions_are_kept_and_an_unchanged_text_is_not_a_new_version(store: DraftStore) -> None:
    draft_id = case(store)
    assert store.add_version(draft_id, "# before escalating\n", "Dana", T0) is None  # a draft has no versions
    store.escalate(draft_id, BRIEF, Severity.HIGH, Target.ENGINEERING, "Dana", T0)
    second = BRIEF + "\nUpdate: reproduced on staging.\n"
    assert store.add_version(draft_id, second, "Sam", T0 + timedelta(hours=1)) == 2
    assert store.add_version(draft_id, second, "Sam", T0 + timedelta(hours=2)) is None
    assert store.add_version(draft_id, BRIEF, "Sam", T0 + timedelta(hours=3)) == 3  # back to the first text
    assert [(v.number, v.text, v.who) for v in store.versions(draft_id)] == [
        (1, BRIEF, "Dana"), (2, second, "Sam"), (3, BRIEF, "Sam")]
    saved = [stored.event.version for stored in store.timeline(draft_id)
             if stored.event.kind is EventKind.VERSION_SAVED]
    assert saved == [2, 3]


def test_resolving_a_draft_is_refused_in_words(store: DraftStore) -> None:
    draft_id = case(store)
    with pytest.raises(EscalationError, match=rf"escalation {draft_id} .*still a draft: escalate it before"):
        store.log(draft_id, Event(kind=EventKind.RESOLVED, at=T0, who="Dana"))
    assert store.record(draft_id).status is Status.DRAFT
    assert len(store.timeline(draft_id)) == 1


def test_escalating_twice_is_refused_and_the_first_version_stays(store: DraftStore) -> None:
    draft_id = case(store)
    store.escalate(draft_id, BRIEF, Severity.HIGH, Target.ENGINEERING, "Dana", T0)
    with pytest.raises(EscalationError, match="already escalated"):
        store.escalate(draft_id, "# another text\n", Severity.CRITICAL, Target.LEADERSHIP, "Sam", T0)
    assert [version.text for version in store.versions(draft_id)] == [BRIEF]
    assert store.record(draft_id).severity is Severity.HIGH
    assert len(store.timeline(draft_id)) == 2


def test_reopening_an_open_case_is_refused_and_a_closed_one_reopens(store: DraftStore) -> None:
    draft_id = case(store)
    store.escalate(draft_id, BRIEF, Severity.HIGH, Target.ENGINEERING, "Dana", T0)
    reopen = Event(kind=EventKind.REOPENED, at=T0 + timedelta(hours=1), who="Dana", reason="it came back")
    with pytest.raises(EscalationError, match="already escalated"):
        store.log(draft_id, reopen)
    store.log(draft_id, Event(kind=EventKind.DE_ESCALATED, at=T0 + timedelta(minutes=30), who="Dana",
                              de_escalation=DeEscalationReason.WORKAROUND))
    with pytest.raises(EscalationError, match="de-escalated: reopen it before"):
        store.log(draft_id, Event(kind=EventKind.SNOOZED, at=T0 + timedelta(minutes=40), who="Dana",
                                  until=T0 + timedelta(hours=5), reason="waiting"))
    store.log(draft_id, reopen)
    assert store.record(draft_id).status is Status.ESCALATED


def test_a_change_bumps_the_revision_so_a_stale_autosave_is_refused_and_the_merge_keeps_both(
        store: DraftStore) -> None:
    draft_id = case(store)
    store.escalate(draft_id, BRIEF, Severity.HIGH, Target.ENGINEERING, "Dana", T0)
    opened = store.load_stored(draft_id)  # what an autosaving editor was based on

    change = Event(kind=EventKind.SEVERITY_CHANGED, at=T0 + timedelta(hours=1), who="Sam", severity=Severity.CRITICAL,
                   previous="high", reason="a second region is down")
    _, revision = store.change(draft_id, change, T0 + timedelta(hours=1))
    assert revision == opened.revision + 1

    ours = opened.escalation.model_copy(update={"problem": Problem(description="Fails only above 10k rows")})
    with pytest.raises(DraftConflict) as refused:
        store.save(draft_id, ours, T0 + timedelta(hours=2), based_on=opened.revision)
    theirs = refused.value.stored
    assert theirs.revision == revision
    assert store.load(draft_id).problem.description == ""  # the stale save wrote nothing

    merged = merge(opened.escalation, ours, theirs.escalation)
    assert merged.clashes == ()
    assert merged.merged is not None
    store.save(draft_id, merged.merged, T0 + timedelta(hours=2), based_on=theirs.revision)
    after = store.load(draft_id)
    assert after.problem.description == "Fails only above 10k rows"
    assert after.severity_override is not None
    assert (after.severity_override.value, after.severity_override.reason) == (
        Severity.CRITICAL, "a second region is down")
    assert store.record(draft_id).severity is Severity.CRITICAL
