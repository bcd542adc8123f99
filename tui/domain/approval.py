"""Which escalations need a human gate before they can be resolved: a Leadership decision on an
exception to policy, or a Security sign-off.

The seed asks for "a real approval for leadership exceptions / policy overrides / security sign-off"
instead of an ad-hoc "reply yes". A case says it needs one by what it asks for: the ask kind
"approve", or the policy-exception flag; and by whom it goes to. An approval asked of Engineering or
Product is an ordinary ask, not a gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.domain.models import AskKind, Escalation, Target

if TYPE_CHECKING:
    from tui.domain.triage import Assessment

_ASK_LIMIT = 120


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
