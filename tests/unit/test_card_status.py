"""The line a sent card shows: who has the case, what was asked, what changed, the approval gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Severity, Target
from tui.send.card_status import card_status

T0 = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)


def ev(minutes: int, kind: EventKind, **values: object) -> Event:
    return Event(kind=kind, at=T0 + timedelta(minutes=minutes), **values)


ESCALATED = ev(0, EventKind.ESCALATED, who="Dana", severity=Severity.HIGH, target=Target.ENGINEERING)


def test_a_fresh_escalation_shows_nothing_and_keeps_its_buttons() -> None:
    status = card_status([ESCALATED])
    assert (status.line, status.buttons) == ("", True)


def test_taken_after_acknowledged_names_the_owner() -> None:
    events = [ESCALATED, ev(3, EventKind.ACKNOWLEDGED, who="Ana"), ev(5, EventKind.TAKEN, who="Kim")]
    assert card_status(events).line == "Taken by Kim · 09:05 UTC"


def test_a_question_after_the_take_is_shown_and_gone_once_answered_by_a_take() -> None:
    asked = [ESCALATED, ev(2, EventKind.NEED_INFO, who="Kim", text="Which region?")]
    assert card_status(asked).line == "Need info from Kim: Which region?"
    assert card_status([*asked, ev(9, EventKind.TAKEN, who="Kim")]).line == "Taken by Kim · 09:09 UTC"


def test_severity_target_and_approval_are_added_to_the_line() -> None:
    events = [ESCALATED, ev(1, EventKind.TAKEN, who="Kim"),
              ev(2, EventKind.SEVERITY_CHANGED, who="Dana", severity=Severity.CRITICAL, previous="high", reason="x"),
              ev(3, EventKind.TARGET_CHANGED, who="Dana", target=Target.SECURITY, previous="engineering", reason="y"),
              ev(4, EventKind.APPROVAL_REQUESTED, who="Dana", reason="sign-off")]
    assert card_status(events).line == ("Taken by Kim · 09:01 UTC · Severity High → Critical · Now with "
                                        f"{Target.SECURITY.label} · Approval needed")
    decided = [*events, ev(6, EventKind.APPROVED, who="Vera", reason="ok")]
    assert card_status(decided).line.endswith("Approved by Vera")


def test_closed_cases_lose_their_buttons_and_a_reopened_one_gets_them_back() -> None:
    resolved = [ESCALATED, ev(1, EventKind.TAKEN, who="Kim"), ev(30, EventKind.RESOLVED, who="Dana")]
    assert (card_status(resolved).line, card_status(resolved).buttons) == ("Resolved · 09:30 UTC", False)
    back = [ESCALATED, ev(1, EventKind.DE_ESCALATED, who="Dana", de_escalation="workaround")]
    assert (card_status(back).line, card_status(back).buttons) == ("De-escalated · 09:01 UTC", False)
    reopened = [*resolved, ev(40, EventKind.REOPENED, who="Dana", reason="again")]
    assert (card_status(reopened).line, card_status(reopened).buttons) == ("Reopened · 09:40 UTC", True)
