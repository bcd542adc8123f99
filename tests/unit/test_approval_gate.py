"""The approval gate: which cases need one, and how it holds back resolving until it is decided."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from tui.domain.approval import gate_reason, needs_approval
from tui.domain.lifecycle import Approval, Event, EventKind, Status, TransitionError, apply, replay
from tui.domain.models import Escalation, Severity, Target
from tui.domain.triage import assess

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def case(**parts: dict) -> Escalation:
    return Escalation.model_validate({"summary": "Refund beyond the 30-day window", **parts})


def test_a_policy_exception_goes_to_leadership_and_needs_its_approval() -> None:
    esc = case(flags={"policy_exception": True}, customer={"name": "Acme"},
               ask={"kind": "approve", "text": "Approve a refund of 3 months"})
    assessment = assess(esc, now=NOW)
    assert assessment.target.effective is Target.LEADERSHIP
    assert needs_approval(esc, assessment) == ("Leadership must approve the exception to policy: "
                                               "Approve a refund of 3 months")


def test_a_security_sign_off_needs_approval() -> None:
    esc = case(problem={"nature": "security"}, ask={"kind": "approve", "text": "Sign off the\nhotfix rollout"})
    assessment = assess(esc, now=NOW)
    assert assessment.target.effective is Target.SECURITY
    assert needs_approval(esc, assessment) == "Security must sign off: Sign off the hotfix rollout"


def test_an_approval_asked_of_leadership_without_the_flag_is_still_a_gate() -> None:
    assert gate_reason(case(ask={"kind": "approve"}), Target.LEADERSHIP) == "Leadership is asked to approve"


@pytest.mark.parametrize(("parts", "target"), [
    ({"flags": {"policy_exception": True}}, Target.ENGINEERING),  # overridden away from Leadership
    ({"ask": {"kind": "approve"}}, Target.PRODUCT),  # a product decision is an ordinary ask
    ({"ask": {"kind": "investigate"}}, Target.SECURITY),  # Security investigates: nothing to sign off
    ({"flags": {"churn_threat": True}, "ask": {"kind": "decide"}}, Target.LEADERSHIP),
    ({}, Target.L2),
])
def test_other_cases_need_no_gate(parts: dict, target: Target) -> None:
    assert gate_reason(case(**parts), target) is None


def test_the_target_override_decides_too() -> None:
    esc = case(flags={"policy_exception": True},
               target_override={"value": "engineering", "reason": "it is a bug after all"})
    assert needs_approval(esc, assess(esc, now=NOW)) is None


def test_a_very_long_ask_is_cut_in_the_reason() -> None:
    reason = gate_reason(case(ask={"kind": "approve", "text": "x" * 500}), Target.SECURITY)
    assert reason is not None
    assert len(reason) < 160
    assert reason.endswith("…")


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def escalated() -> list[Event]:
    return [Event(kind=EventKind.ESCALATED, at=NOW, who="Ana", severity=Severity.HIGH, target=Target.LEADERSHIP)]


def requested(minutes: int = 1) -> Event:
    return Event(kind=EventKind.APPROVAL_REQUESTED, at=at(minutes), who="Ana", reason="refund exception")


def decided(kind: EventKind, minutes: int = 2) -> Event:
    return Event(kind=kind, at=at(minutes), who="Vera (VP Support)", reason="one-off, key account")


RESOLVED = Event(kind=EventKind.RESOLVED, at=at(3), who="Ana", text="refund issued")


def test_resolving_is_refused_while_the_approval_waits() -> None:
    waiting = replay([*escalated(), requested()])
    assert waiting.approval is Approval.NEEDED
    with pytest.raises(TransitionError, match=r"waits for an approval \(refund exception\).*Resolved"):
        apply(waiting, RESOLVED)


def test_resolving_is_allowed_once_approved() -> None:
    state = replay([*escalated(), requested(), decided(EventKind.APPROVED), RESOLVED])
    assert state.status is Status.RESOLVED
    assert state.approval is Approval.APPROVED


def test_a_rejection_keeps_the_case_open_and_can_be_asked_again() -> None:
    rejected = replay([*escalated(), requested(), decided(EventKind.REJECTED)])
    assert rejected.status is Status.ESCALATED
    assert rejected.approval is Approval.REJECTED
    again = apply(rejected, requested(5))
    assert again.approval is Approval.NEEDED


def test_de_escalating_is_not_held_back_by_the_gate() -> None:
    state = apply(replay([*escalated(), requested()]),
                  Event(kind=EventKind.DE_ESCALATED, at=at(3), de_escalation="workaround"))
    assert state.status is Status.DE_ESCALATED


def test_a_decision_needs_a_request_and_a_request_its_decision() -> None:
    with pytest.raises(TransitionError, match="no approval is waiting"):
        apply(replay(escalated()), decided(EventKind.APPROVED))
    with pytest.raises(TransitionError, match="was approved already"):
        apply(replay([*escalated(), requested(), decided(EventKind.APPROVED)]), decided(EventKind.REJECTED, 3))
    with pytest.raises(TransitionError, match="already requested"):
        apply(replay([*escalated(), requested()]), requested(2))
    with pytest.raises(TransitionError, match="still a draft"):
        apply(replay([]), requested())


def test_a_case_without_a_gate_resolves_as_before() -> None:
    assert replay([*escalated(), RESOLVED]).status is Status.RESOLVED


@pytest.mark.parametrize("kind", [EventKind.APPROVAL_REQUESTED, EventKind.APPROVED, EventKind.REJECTED])
@pytest.mark.parametrize("missing", ["who", "reason"])
def test_who_and_why_are_both_required(kind: EventKind, missing: str) -> None:
    values = {"who": "Vera", "reason": "policy allows it once", missing: "  \t"}
    with pytest.raises(ValidationError, match=missing):
        Event(kind=kind, at=NOW, **values)


def test_the_timeline_says_who_and_why() -> None:
    assert requested().describe() == "Approval requested by Ana: refund exception"
    assert decided(EventKind.APPROVED).describe() == "Approved by Vera (VP Support): one-off, key account"
    assert decided(EventKind.REJECTED).describe() == "Rejected by Vera (VP Support): one-off, key account"


def test_the_events_survive_the_store_round_trip() -> None:
    event = decided(EventKind.REJECTED)
    assert Event.from_data(event.kind.value, event.at, event.who, event.data()) == event
