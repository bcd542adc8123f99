"""Approval gates follow their Lark approval: for each open case waiting for an approval that was
sent to a lark_app destination with an ``approval_code``, open the approval instance if none is open
for the current request, else read its status (at most every `poll` seconds per case).

A reconciliation like `card_sync`: the store says what is pending and which instance holds it (an
``approval_opened`` event, written as soon as Lark names the instance), so a crash between two steps
only delays the next one. What each status does:
- APPROVED / REJECTED → the decision is logged (who: the approver's open_id; why: their comment);
- CANCELED / DELETED / TERMINATED → the gate stays, and ``approval_withdrawn`` says so once; no new
  instance is opened for the same request (the agent records the decision by hand, or rejects it
  and requests again, which opens a new one);
- PENDING (and anything else) → nothing.
A refusal that needs a person (a missing permission, a form the definition refuses) is logged once as
``send_failed`` for the destination and stops following the request.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tui.domain.approval import NOT_FOLLOWED
from tui.domain.lifecycle import Approval, Event, EventKind
from tui.send.config import DestinationConfig, SecretMissing, masked
from tui.send.model import Outcome, OutcomeKind

if TYPE_CHECKING:
    import httpx

    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import RuleSettings
    from tui.send import lark_app
    from tui.store.drafts import DraftStore
    from tui.store.escalations import StoredEvent
    from tui.store.outbox import OutboxItem

WHO = "Lark approval"  # who a decision is logged by when Lark names nobody
STOP_PREFIX = NOT_FOLLOWED  # how a send_failed of the approval starts
DEFAULT_POLL = 60.0


@dataclass(slots=True)
class ApprovalReport:
    """What one run did."""

    opened: int = 0
    decided: int = 0
    withdrawn: int = 0
    pending: int = 0
    stopped: int = 0
    waiting: int = 0
    notes: list[str] = field(default_factory=list)  # one line per case that waits or stopped (secrets masked)


@dataclass(frozen=True, slots=True)
class Following:
    """Where one case's approval stands in the store: its current request and its Lark instance."""

    request_id: int  # the id of the latest approval_requested event
    instance: str = ""  # the instance code, once opened
    link: str = ""
    withdrawn: bool = False  # the instance ended undecided
    stopped: bool = False  # opening it was refused for a reason a person must fix


def following(timeline: list[StoredEvent], destination: str) -> Following | None:
    """The current request's state for `destination` (None when no approval was ever requested)."""
    request = next((stored for stored in reversed(timeline)
                    if stored.event.kind is EventKind.APPROVAL_REQUESTED), None)
    if request is None:
        return None
    state = Following(request.id)
    for stored in timeline:
        event = stored.event
        if stored.id <= request.id or event.destination != destination:
            continue
        if event.kind is EventKind.APPROVAL_OPENED:
            state = Following(request.id, event.text, event.link)
        elif event.kind is EventKind.APPROVAL_WITHDRAWN and event.text == state.instance:
            state = Following(request.id, state.instance, state.link, withdrawn=True)
        elif event.kind is EventKind.SEND_FAILED and event.reason.startswith(STOP_PREFIX):
            state = Following(request.id, state.instance, state.link, state.withdrawn, stopped=True)
    return state


_LAST: dict[tuple[str, int, str], datetime] = {}  # (store, case, destination) → when Lark was last asked
_LAST_LOCK = threading.Lock()


def forget_polls() -> None:
    """Forget when each approval was last read (tests; `--check` asks at once anyway)."""
    with _LAST_LOCK:
        _LAST.clear()


def _due(key: tuple[str, int, str], now: datetime, poll: float) -> bool:
    with _LAST_LOCK:
        last = _LAST.get(key)
        if last is not None and now < last + timedelta(seconds=poll):
            return False
        _LAST[key] = now
        return True


def approval_destination(store: DraftStore, draft_id: int,
                         destinations: Mapping[str, DestinationConfig]) -> tuple[OutboxItem, lark_app.Config] | None:
    """The first delivered lark_app send of the case whose destination has an approval configured."""
    from tui.send import lark_app
    from tui.store.outbox import OutboxState

    for item in reversed(store.sends((OutboxState.DELIVERED,), draft_id=draft_id)):
        config = destinations.get(item.destination)
        if isinstance(config, lark_app.Config) and config.approval_code and item.type == "lark_app":
            return item, config
    return None


def follow_approvals(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
                     client: httpx.Client, now: datetime, *, poll: float = DEFAULT_POLL,
                     only: int | None = None, rules: RuleSettings | None = None,
                     redaction: RedactionOptions | None = None, zone: tzinfo = UTC) -> ApprovalReport:
    """Open or read the Lark approval of each case waiting for one (or only case `only`, at once)."""
    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import DEFAULT_RULES
    from tui.store.drafts import DraftStoreError
    from tui.store.escalations import EscalationError

    report = ApprovalReport()
    if not any(getattr(config, "approval_code", None) for config in destinations.values()):
        return report
    records = [store.record(only)] if only is not None else store.queue()
    for record in records:
        if record.approval is not Approval.NEEDED:
            continue
        found = approval_destination(store, record.id, destinations)
        if found is None:
            continue
        item, config = found
        if only is None and not _due((str(id(store)), record.id, config.name), now, poll):
            report.pending += 1
            continue
        try:
            _follow(store, item, config, env, client, now, rules or DEFAULT_RULES, redaction or RedactionOptions(),
                    zone, report)
        except (SecretMissing, DraftStoreError, EscalationError, KeyError, ValueError) as error:
            report.waiting += 1
            report.notes.append(f"#{record.id}: the Lark approval waits: {masked(str(error), config, env)}")
    return report


def _follow(store: DraftStore, item: OutboxItem, config: lark_app.Config, env: Mapping[str, str],
            client: httpx.Client, now: datetime, rules: RuleSettings, options: RedactionOptions, zone: tzinfo,
            report: ApprovalReport) -> None:
    from tui.send import lark_approval

    case = item.draft_id
    state = following(store.timeline(case), config.name)
    if state is None or state.stopped or state.withdrawn:
        return
    if not state.instance:
        _open(store, item, config, env, client, now, rules, options, state, report)
        return
    status = lark_approval.instance_status(client, config, env, now, state.instance)
    if isinstance(status, Outcome):
        _trouble(store, case, config, env, now, status, report)
        return
    if status.status in (lark_approval.APPROVED, lark_approval.REJECTED):
        approved = status.status == lark_approval.APPROVED
        said = "approved" if approved else "rejected"
        reason = status.comment or f"{said} in Lark approval {state.instance}"
        kind = EventKind.APPROVED if approved else EventKind.REJECTED
        store.log(case, Event(kind=kind, at=now, who=status.who or WHO, reason=reason))
        report.decided += 1
        report.notes.append(f"#{case}: {said} in Lark by {status.who or 'someone Lark did not name'}")
    elif status.status in lark_approval.WITHDRAWN:
        store.log(case, Event(
            kind=EventKind.APPROVAL_WITHDRAWN, at=now, who=WHO, text=state.instance, destination=config.name,
            reason=(f"Lark says {status.status}; the case still needs its approval: record the decision by "
                    "hand (approval --approved/--rejected), or reject it and request it again to open a new one")))
        report.withdrawn += 1
        report.notes.append(f"#{case}: the Lark approval {state.instance} was {status.status.lower()}")
    else:
        report.pending += 1


def _open(store: DraftStore, item: OutboxItem, config: lark_app.Config, env: Mapping[str, str],
          client: httpx.Client, now: datetime, rules: RuleSettings, options: RedactionOptions, state: Following,
          report: ApprovalReport) -> None:
    from tui.send import lark_approval
    from tui.send.card_sync import brief_now
    from tui.send.plan import guard

    case = item.draft_id
    brief = brief_now(store, item, config, now, rules, options)
    form = guard(lark_approval.form_for(brief, config), options)
    assert isinstance(form, str)
    made = lark_approval.create_instance(client, config, env, now, form,
                                         lark_approval.uuid_for(f"{item.idempotency_key}/approval/{state.request_id}"))
    if isinstance(made, Outcome):
        _trouble(store, case, config, env, now, made, report)
        return
    if isinstance(made, lark_approval.AlreadyCreated):
        # Opened before, but its code was never written down (a crash right after): Lark will not say it.
        _trouble(store, case, config, env, now, Outcome.permanent(
            f"lark_app destination {config.name!r}: Lark says this approval was opened already but not which "
            "instance it is, so escalate-tui cannot follow it: find it in Lark's approval app and record the "
            "decision by hand (escalate-tui approval ID --approved/--rejected --who … --reason …)"),
            report)
        return
    store.log(case, Event(kind=EventKind.APPROVAL_OPENED, at=now, who=WHO, text=made.code, link=made.link,
                          destination=config.name))
    report.opened += 1
    report.notes.append(f"#{case}: Lark approval {made.code} opened")


def _trouble(store: DraftStore, case: int, config: lark_app.Config, env: Mapping[str, str], now: datetime,
             outcome: Outcome, report: ApprovalReport) -> None:
    """A refusal a person must fix is logged once and stops following the request; anything else waits."""
    message = masked(outcome.message, config, env)
    if outcome.kind is OutcomeKind.PERMANENT:
        store.log(case, Event(kind=EventKind.SEND_FAILED, at=now, destination=config.name,
                              reason=STOP_PREFIX + message))
        report.stopped += 1
        report.notes.append(f"#{case}: {message}")
        return
    report.waiting += 1
    report.notes.append(f"#{case}: the Lark approval waits: {message}")
