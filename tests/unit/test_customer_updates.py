"""Customer update drafts: built from the case and its log, in the customer's words, never leaking
severity names, team names or revenue, and promising the next update when the cadence says."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from support import NOW, example

from tui.domain.customer_updates import UpdateKind, draft_update
from tui.domain.lifecycle import DeEscalationReason, Event, EventKind
from tui.domain.models import Severity, Target


def _log(severity: Severity = Severity.HIGH, *updates: str) -> list[Event]:
    start = NOW - timedelta(hours=6)
    events = [Event(kind=EventKind.CREATED, at=start, who="Priya"),
              Event(kind=EventKind.ESCALATED, at=start, who="Priya", severity=severity, target=Target.ENGINEERING)]
    events += [Event(kind=EventKind.UPDATE_LOGGED, at=start + timedelta(minutes=10 * n), who="Priya", text=text)
               for n, text in enumerate(updates, 1)]
    return events


@pytest.fixture
def acme():
    esc = example("api-500-acme")
    esc.contract.customer_update_hours = None  # the table's cadence, unless a test sets the contract's
    return esc


def test_interim_quotes_the_latest_few_updates_newest_last(acme) -> None:
    events = _log(Severity.HIGH, "first note", "second note", "third note", "fourth note")
    text = draft_update(UpdateKind.INTERIM, acme, events, NOW)
    assert "first note" not in text
    assert text.index("second note") < text.index("third note") < text.index("fourth note")
    assert "We are still investigating" in text
    assert "Hello Acme Corp team," in text
    assert "Send batches of 250 line items or fewer" in text  # the workaround
    assert text.startswith("Subject: Update on: API returning 500 errors intermittently for Acme Corp\n")


def test_interim_quotes_only_what_is_new_since_the_last_customer_update(acme) -> None:
    events = [*_log(Severity.HIGH, "told them already"),
              Event(kind=EventKind.CUSTOMER_UPDATED, at=NOW - timedelta(hours=1), who="Priya", text="sent")]
    text = draft_update(UpdateKind.INTERIM, acme, events, NOW)
    assert "told them already" not in text
    assert "no new findings since our last update" in text
    events.append(Event(kind=EventKind.UPDATE_LOGGED, at=NOW, who="Priya", text="a lock in the order service"))
    assert "- a lock in the order service" in draft_update(UpdateKind.INTERIM, acme, events, NOW)


@pytest.mark.parametrize(("severity", "hours", "due"), [
    (Severity.CRITICAL, None, "Thursday 19 November, 14:00 UTC"),  # every 2-4 hours: at the latest 4
    (Severity.HIGH, None, "Thursday 19 November, 18:00 UTC"),  # every 4-8 hours
    (Severity.MEDIUM, None, "Monday 23 November, 10:00 UTC"),  # 2 business days from a Thursday
    (Severity.HIGH, 3, "Thursday 19 November, 13:00 UTC"),  # the contract's 3 hours come sooner
])
def test_the_next_update_follows_the_cadence_of_the_latest_severity(acme, severity, hours, due) -> None:
    acme.contract.customer_update_hours = hours
    events = [*_log(Severity.MEDIUM if severity is not Severity.MEDIUM else Severity.HIGH),
              Event(kind=EventKind.SEVERITY_CHANGED, at=NOW - timedelta(hours=1), who="Priya", severity=severity,
                    previous="medium" if severity is not Severity.MEDIUM else "high", reason="new facts")]
    for kind in (UpdateKind.INTERIM, UpdateKind.STATUS_CHANGE):
        assert f"We will send you our next update by {due}, or sooner" in draft_update(kind, acme, events, NOW)


def test_the_next_update_is_written_in_the_zone_of_now(acme) -> None:
    plus_one = NOW.astimezone(timezone(timedelta(hours=1)))
    text = draft_update(UpdateKind.INTERIM, acme, _log(Severity.HIGH), plus_one)
    assert "by Thursday 19 November, 19:00 UTC+01:00," in text


@pytest.mark.parametrize("kind", list(UpdateKind))
@pytest.mark.parametrize("severity", list(Severity))
def test_no_severity_names_team_names_or_revenue_reach_the_customer(acme, kind, severity) -> None:
    acme.customer.arr = 180000
    events = [*_log(severity, "the lock is held too long"),
              Event(kind=EventKind.TARGET_CHANGED, at=NOW, who="Priya", target=Target.LEADERSHIP,
                    previous="engineering", reason="the renewal"),
              Event(kind=EventKind.TAKEN, at=NOW, who="Sam")]
    text = draft_update(kind, acme, events, NOW)
    for leak in ("Critical", "High", "Medium", "critical", "ARR", "180", "Engineering", "Leadership", "L2",
                 "Support L2", "Integrations", "severity", "escalat", "Sam"):
        assert leak not in text, leak


def test_status_change_says_what_changed(acme) -> None:
    events = [*_log(Severity.MEDIUM, "found the slow query"),
              Event(kind=EventKind.SEVERITY_CHANGED, at=NOW, who="Priya", severity=Severity.CRITICAL,
                    previous="medium", reason="three more customers")]
    text = draft_update(UpdateKind.STATUS_CHANGE, acme, events, NOW)
    assert "- We have raised its priority. It has our most urgent attention" in text
    assert "- A workaround is available while we work on a fix: Send batches" in text
    assert "The latest from our investigation: found the slow query" in text
    assert "three more customers" not in text  # the internal reason stays internal

    lowered = [*events, Event(kind=EventKind.SEVERITY_CHANGED, at=NOW, who="Priya", severity=Severity.MEDIUM,
                              previous="critical", reason="only one report")]
    text = draft_update(UpdateKind.STATUS_CHANGE, acme, lowered, NOW)
    assert "we have adjusted its priority" in text
    assert "raised its priority" not in text


def test_resolution_says_what_was_wrong_and_thanks(acme) -> None:
    events = [*_log(Severity.HIGH),
              Event(kind=EventKind.RESOLVED, at=NOW, who="Priya", text="A lock was held for the whole batch.")]
    text = draft_update(UpdateKind.RESOLUTION, acme, events, NOW)
    assert "is resolved." in text
    assert "What was wrong: A lock was held for the whole batch." in text
    assert "Thank you for your patience" in text
    assert "next update" not in text


def test_resolution_by_workaround_tells_how_to_work_around_it(acme) -> None:
    events = [*_log(Severity.HIGH),
              Event(kind=EventKind.DE_ESCALATED, at=NOW, who="Priya", de_escalation=DeEscalationReason.WORKAROUND,
                    reason="Smaller batches avoid the lock.")]
    text = draft_update(UpdateKind.RESOLUTION, acme, events, NOW)
    assert "we have a way for you to work around" in text
    assert "What was wrong: Smaller batches avoid the lock." in text
    assert "How to work around it: Send batches of 250" in text


def test_resolution_before_the_case_is_closed_asks_for_the_cause(acme) -> None:
    text = draft_update(UpdateKind.RESOLUTION, acme, _log(Severity.HIGH), NOW)
    assert "What was wrong: [say in a sentence what caused it]" in text


def test_a_bare_case_still_gets_a_sensible_draft() -> None:
    from tui.domain.models import Escalation

    text = draft_update(UpdateKind.INTERIM, Escalation(), [], NOW)
    assert text.startswith("Subject: Update on: the issue you reported\n\nHello,\n")
    assert "by Monday 23 November, 10:00 UTC" in text  # no severity known: the slowest cadence
    assert text.endswith("Kind regards,\n")


def test_the_same_input_gives_the_same_text(acme) -> None:
    events = _log(Severity.CRITICAL, "one", "two")
    for kind in UpdateKind:
        assert draft_update(kind, acme, events, NOW) == draft_update(kind, acme, list(events), NOW)
