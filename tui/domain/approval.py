"""Which escalations need a human gate before they can be resolved: a Leadership decision on an
exception to policy, or a Security sign-off.

The seed asks for "a real approval for leadership exceptions / policy overrides / security sign-off"
instead of an ad-hoc "reply yes". A case says it needs one by what it asks for: the ask kind
"approve", or the policy-exception flag; and by whom it goes to. An approval asked of Engineering or
Product is an ordinary ask, not a gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.domain.lifecycle import Approval, Event, EventKind, replay
from tui.domain.models import AskKind, Escalation, Target

if TYPE_CHECKING:
    from tui.domain.triage import Assessment

_ASK_LIMIT = 120
NOT_FOLLOWED = "the approval is not followed: "  # how a send_failed that stops following one starts


def gate_reason(esc: Escalation, target: Target) -> str | None:
    """Why a case going to `target` needs an approval before it is resolved, in words; None when not."""
    asks_approval = esc.ask.kind is AskKind.APPROVE
    exception = esc.flags.policy_exception
    what = f": {_one_line(esc.ask.text)}" if asks_approval and esc.ask.text.strip() else ""
    if target is Target.LEADERSHIP and exception:
        return f"Leadership must approve the exception to policy{what}"
    if target is Target.LEADERSHIP and asks_approval:
        return f"Leadership is asked to approve{what}"
    if target is Target.SECURITY and (asks_approval or exception):
        return f"Security must sign off{what}"
    return None


def needs_approval(esc: Escalation, assessment: Assessment) -> str | None:
    """The reason the case, going where the rules (or the agent's override) send it, needs a gate."""
    return gate_reason(esc, assessment.target.effective)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _ASK_LIMIT else line[: _ASK_LIMIT - 1] + "…"


def gate_words(events: list[Event] | tuple[Event, ...]) -> str:
    """Where the gate stands, in words: "Approval needed — pending in Lark approval" while an approval
    system holds the current request, "Approval needed" when it is decided by hand, "Approved"…; ""
    for a case without a gate. `events` oldest first."""
    state = replay(events)
    if state.approval is not Approval.NEEDED:
        return state.approval.label
    asked = max((index for index, event in enumerate(events) if event.kind is EventKind.APPROVAL_REQUESTED),
                default=-1)
    where = ""
    for event in events[asked + 1:]:
        if event.kind is EventKind.APPROVAL_OPENED:
            where = f" — pending in {event.who or 'an approval system'}"
        elif event.kind is EventKind.APPROVAL_WITHDRAWN and where:
            where = f" — withdrawn in {event.who or 'the approval system'}: record the decision by hand"
        elif event.kind is EventKind.SEND_FAILED and event.reason.startswith(NOT_FOLLOWED):
            where = f" — {event.reason.split(':', 1)[0]}: record the decision by hand"
    return f"{Approval.NEEDED.label}{where}"
