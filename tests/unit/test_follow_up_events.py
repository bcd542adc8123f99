"""The follow-up events a Lark app logs (a wiki page, a task for the owner): what the timeline says, what
each needs, and that they change nothing of the escalation's state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.domain.lifecycle import Event, EventKind, State, Status, apply

AT = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def test_each_follow_up_says_where_it_is() -> None:
    page = Event(kind=EventKind.PAGE_PUBLISHED, at=AT, destination="eng-lark", follows=3,
                 link="https://acme.larksuite.com/wiki/wikcnKQ1k3p")
    task = Event(kind=EventKind.TASK_CREATED, at=AT, destination="eng-lark", follows=5,
                 text="for Kim Lee, due 19 Nov 14:00 UTC", link="https://applink.larksuite.com/client/todo/x")
    failed = Event(kind=EventKind.FOLLOW_UP_FAILED, at=AT, destination="eng-lark", follows=5,
                   reason="add the scope task:task:write")
    assert page.describe() == "Wiki page published for eng-lark: https://acme.larksuite.com/wiki/wikcnKQ1k3p"
    assert task.describe() == ("Follow-up task for Kim Lee, due 19 Nov 14:00 UTC: "
                               "https://applink.larksuite.com/client/todo/x")
    assert failed.describe() == "Follow-up in eng-lark stopped: add the scope task:task:write"


@pytest.mark.parametrize("kind", [EventKind.PAGE_CREATED, EventKind.PAGE_PUBLISHED, EventKind.TASK_CREATED])
def test_a_follow_up_without_its_link_or_what_it_follows_is_refused(kind: EventKind) -> None:
    with pytest.raises(ValueError, match="follows"):
        Event(kind=kind, at=AT, destination="eng-lark", link="wikcn1", text="doxcn1")
    with pytest.raises(ValueError, match="link"):
        Event(kind=kind, at=AT, destination="eng-lark", follows=2, text="doxcn1")


def test_a_follow_up_changes_nothing_even_on_a_resolved_case() -> None:
    resolved = State(status=Status.RESOLVED)
    after = apply(resolved, Event(kind=EventKind.PAGE_PUBLISHED, at=AT, destination="eng-lark", follows=1,
                                  link="wikcn1"))
    assert after == resolved
