"""An escalation's life after the brief: its status, its append-only events, and its follow-up clocks.

Everything here is pure: the state of an escalation is what its events say, replayed in order, and
its clocks follow from that state, the cadence table and the contract. The store keeps the events;
screens and commands read the state and the clocks from here, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tui.domain.cadence import follow_up_plan
from tui.domain.models import SafeStr, Severity, Target
from tui.domain.timetext import moment


class Status(StrEnum):
    DRAFT = "draft"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    TAKEN = "taken"
    DE_ESCALATED = "de_escalated"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return "De-escalated" if self is Status.DE_ESCALATED else self.value.capitalize()

    @property
    def is_open(self) -> bool:
        """Handed over and not yet closed: on the queue, with clocks running."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.ESCALATED, Status.ACKNOWLEDGED, Status.TAKEN})
CLOSED_STATUSES = frozenset({Status.DE_ESCALATED, Status.RESOLVED})


class Approval(StrEnum):
    """Where an escalation's approval gate stands (see `approval.gate_reason`); NONE when it has none."""

    NONE = ""
    NEEDED = "needed"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"": "", "needed": "Approval needed", "approved": "Approved", "rejected": "Rejected"}[self.value]


class EventKind(StrEnum):
    CREATED = "created"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    TAKEN = "taken"
    NEED_INFO = "need_info"
    SEVERITY_CHANGED = "severity_changed"
    TARGET_CHANGED = "target_changed"
    UPDATE_LOGGED = "update_logged"
    CUSTOMER_UPDATED = "customer_updated"
    SNOOZED = "snoozed"
    DE_ESCALATED = "de_escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    LINKED = "linked"
    VERSION_SAVED = "version_saved"
    SENT = "sent"
    SEND_FAILED = "send_failed"
    FINDING_KEPT = "finding_kept"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAGE_CREATED = "page_created"
    PAGE_PUBLISHED = "page_published"
    TASK_CREATED = "task_created"
    FOLLOW_UP_FAILED = "follow_up_failed"
    APPROVAL_OPENED = "approval_opened"  # an approval system holds the request: text = its id there
    APPROVAL_WITHDRAWN = "approval_withdrawn"  # that request ended undecided (canceled, deleted)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EventKind.CREATED: "Created",
    EventKind.ESCALATED: "Escalated",
    EventKind.ACKNOWLEDGED: "Acknowledged",
    EventKind.TAKEN: "Taken",
    EventKind.NEED_INFO: "Need info",
    EventKind.SEVERITY_CHANGED: "Severity changed",
    EventKind.TARGET_CHANGED: "Target changed",
    EventKind.UPDATE_LOGGED: "Update logged",
    EventKind.CUSTOMER_UPDATED: "Customer updated",
    EventKind.SNOOZED: "Snoozed",
    EventKind.DE_ESCALATED: "De-escalated",
    EventKind.RESOLVED: "Resolved",
    EventKind.REOPENED: "Reopened",
    EventKind.LINKED: "Linked",
    EventKind.VERSION_SAVED: "Brief version saved",
    EventKind.SENT: "Sent",
    EventKind.SEND_FAILED: "Send failed",
    EventKind.FINDING_KEPT: "Kept unmasked",
    EventKind.APPROVAL_REQUESTED: "Approval requested",
    EventKind.APPROVED: "Approved",
    EventKind.REJECTED: "Rejected",
    EventKind.PAGE_CREATED: "Wiki page created",
    EventKind.PAGE_PUBLISHED: "Wiki page published",
    EventKind.TASK_CREATED: "Follow-up task created",
    EventKind.FOLLOW_UP_FAILED: "Follow-up failed",
    EventKind.APPROVAL_OPENED: "Approval opened",
    EventKind.APPROVAL_WITHDRAWN: "Approval withdrawn",
}


class DeEscalationReason(StrEnum):
    """The seed's reasons to take a case back into support."""

    ROOT_CAUSE_SUPPORTABLE = "root_cause_supportable"
    WORKAROUND = "workaround"
    RESOLVED_ITSELF = "resolved_itself"
    SEVERITY_CHANGED = "severity_changed"

    @property
    def label(self) -> str:
        return {
            "root_cause_supportable": "Root cause found, and support can resolve it",
            "workaround": "A workaround unblocks the customer",
            "resolved_itself": "It resolved itself (root cause still to be recorded)",
            "severity_changed": "New information changes the severity",
        }[self.value]


class ClosingStep(StrEnum):
    """The checklist both closing flows walk through."""

    NOTIFY_TEAM = "notify_team"
    UPDATE_TICKET = "update_ticket"
    INFORM_CUSTOMER = "inform_customer"
    RECORD_LEARNINGS = "record_learnings"

    @property
    def label(self) -> str:
        return {
            "notify_team": "Tell the team it was escalated to",
            "update_ticket": "Update the ticket with the outcome",
            "inform_customer": "Tell the customer",
            "record_learnings": "Record what was learned",
        }[self.value]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ChecklistEntry(_Frozen):
    """One closing step: done, or skipped with a word on why."""

    step: ClosingStep
    done: bool
    note: SafeStr = ""

    @model_validator(mode="after")
    def _skip_needs_a_word(self) -> Self:
        if not self.done and not self.note.strip():
            raise ValueError(f"skipping “{self.step.label}” needs a word on why")
        return self


def _aware_utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("the time has no time zone")
    return moment.astimezone(UTC)


class Event(_Frozen):
    """One entry of an escalation's log. Which fields are set depends on the kind; `check` in the
    validator says which each kind needs. Stored as it is, never changed afterwards."""

    kind: EventKind
    at: datetime
    who: SafeStr = ""
    severity: Severity | None = None  # after the event: escalated, severity_changed
    target: Target | None = None  # after the event: escalated, target_changed
    previous: SafeStr = ""  # the value before a change
    reason: SafeStr = ""  # why: a change, a snooze, a de-escalation's details
    text: SafeStr = ""  # what was said: an update, a customer update, a question, a learning
    until: datetime | None = None  # snoozed until
    de_escalation: DeEscalationReason | None = None
    checklist: tuple[ChecklistEntry, ...] = ()
    linked: tuple[int, ...] = ()  # other escalations this one is linked with
    version: int | None = Field(default=None, ge=1)  # the brief version handed over or saved
    link: SafeStr = ""  # where the event happened elsewhere: a message, a task, a page
    destination: SafeStr = ""  # where the brief was sent: a destination's name from the config
    who_id: SafeStr = ""  # the chat platform's id of who answered on a card (a Lark open_id, a Slack user id)
    follows: int | None = Field(default=None, ge=1)  # the event a follow-up is for: a send's page, a take's task

    @model_validator(mode="after")
    def _check(self) -> Self:
        object.__setattr__(self, "at", _aware_utc(self.at))
        if self.until is not None:
            object.__setattr__(self, "until", _aware_utc(self.until))
        needs = _NEEDS.get(self.kind, ())
        missing = [name for name in needs if getattr(self, name) in (None, "", ())]
        for name in ("who", "reason"):
            if name in needs and not getattr(self, name).strip():
                missing = sorted({*missing, name})
        if missing:
            raise ValueError(f"a “{self.kind.label}” event needs {', '.join(missing)}")
        if self.kind is EventKind.SNOOZED and self.until is not None and self.until <= self.at:
            raise ValueError("a snooze must end after it starts")
        return self

    def data(self) -> dict[str, Any]:
        """What the store keeps beside kind, time and who: only the fields this event sets."""
        return self.model_dump(mode="json", exclude={"kind", "at", "who"}, exclude_defaults=True)

    @classmethod
    def from_data(cls, kind: str, at: datetime, who: str, data: dict[str, Any]) -> Event:
        return cls.model_validate({**data, "kind": kind, "at": at, "who": who})

    def describe(self) -> str:
        """One line saying what happened, for the timeline."""
        return _describe(self)


_NEEDS: dict[EventKind, tuple[str, ...]] = {
    EventKind.ESCALATED: ("severity", "target"),
    EventKind.SEVERITY_CHANGED: ("severity", "previous", "reason"),
    EventKind.TARGET_CHANGED: ("target", "previous", "reason"),
    EventKind.UPDATE_LOGGED: ("text",),
    EventKind.CUSTOMER_UPDATED: ("text",),
    EventKind.SNOOZED: ("until", "reason"),
    EventKind.DE_ESCALATED: ("de_escalation",),
    EventKind.REOPENED: ("reason",),
    EventKind.LINKED: ("linked",),
    EventKind.VERSION_SAVED: ("version",),
    EventKind.SENT: ("destination",),
    EventKind.SEND_FAILED: ("destination", "reason"),
    EventKind.FINDING_KEPT: ("text", "reason"),
    # An approval is asked by someone for something, and decided by someone for a reason.
    EventKind.APPROVAL_REQUESTED: ("who", "reason"),
    EventKind.APPROVED: ("who", "reason"),
    EventKind.REJECTED: ("who", "reason"),
    EventKind.PAGE_CREATED: ("destination", "link", "follows", "text"),  # text: the page's docx document id
    EventKind.PAGE_PUBLISHED: ("destination", "link", "follows"),
    EventKind.TASK_CREATED: ("destination", "link", "follows", "text"),
    EventKind.FOLLOW_UP_FAILED: ("destination", "reason", "follows"),
    EventKind.APPROVAL_OPENED: ("text",),
    EventKind.APPROVAL_WITHDRAWN: ("text", "reason"),
}


def _label_of(value: str, kind: type[Severity] | type[Target]) -> str:
    try:
        return kind(value).label
    except ValueError:
        return value


def _describe(event: Event) -> str:
    kind = event.kind
    if kind is EventKind.ESCALATED:
        assert event.severity is not None
        assert event.target is not None
        version = f" (brief version {event.version})" if event.version else ""
        return f"Escalated to {event.target.label} as {event.severity.label}{version}"
    if kind is EventKind.SEVERITY_CHANGED:
        assert event.severity is not None
        return (f"Severity {_label_of(event.previous, Severity)} → {event.severity.label}: {event.reason}")
    if kind is EventKind.TARGET_CHANGED:
        assert event.target is not None
        return f"Target {_label_of(event.previous, Target)} → {event.target.label}: {event.reason}"
    if kind is EventKind.SNOOZED:
        assert event.until is not None
        return f"Snoozed until {moment(event.until.astimezone())}: {event.reason}"
    if kind is EventKind.DE_ESCALATED:
        assert event.de_escalation is not None
        details = f" — {event.reason}" if event.reason else ""
        return f"De-escalated: {event.de_escalation.label}{details}{_checklist_text(event.checklist)}"
    if kind is EventKind.RESOLVED:
        details = f": {event.text}" if event.text else ""
        return f"Resolved{details}{_checklist_text(event.checklist)}"
    if kind is EventKind.REOPENED:
        return f"Reopened: {event.reason}"
    if kind is EventKind.LINKED:
        others = ", ".join(f"#{number}" for number in event.linked)
        why = f" ({event.reason})" if event.reason else ""
        return f"Linked with {others}{why}"
    if kind is EventKind.VERSION_SAVED:
        return f"Brief version {event.version} saved"
    if kind is EventKind.SENT:
        where = f" ({event.link})" if event.link else ""
        version = f", brief version {event.version}" if event.version else ""
        return f"Sent to {event.destination}{where}{version}"
    if kind is EventKind.SEND_FAILED:
        return f"Sending to {event.destination} stopped: {event.reason}"
    if kind is EventKind.FINDING_KEPT:
        return f"Kept unmasked: {event.text} — {event.reason}"
    if kind is EventKind.APPROVAL_REQUESTED:
        return f"Approval requested by {event.who}: {event.reason}"
    if kind is EventKind.APPROVED:
        return f"Approved by {event.who}: {event.reason}"
    if kind is EventKind.REJECTED:
        return f"Rejected by {event.who}: {event.reason}"
    if kind is EventKind.PAGE_CREATED:
        return f"Wiki page created for {event.destination}, being filled: {event.link}"
    if kind is EventKind.PAGE_PUBLISHED:
        return f"Wiki page published for {event.destination}: {event.link}"
    if kind is EventKind.TASK_CREATED:
        return f"Follow-up task {event.text}: {event.link}"
    if kind is EventKind.FOLLOW_UP_FAILED:
        return f"Follow-up in {event.destination} stopped: {event.reason}"
    if kind is EventKind.APPROVAL_OPENED:
        where = f" ({event.link})" if event.link else ""
        return f"Approval opened in {event.who or 'an approval system'}: {event.text}{where}"
    if kind is EventKind.APPROVAL_WITHDRAWN:
        return f"Approval {event.text} withdrawn, still needed: {event.reason}"
    if kind is EventKind.NEED_INFO:
        return f"Need info: {event.text}" if event.text else "Need info"
    text = f": {event.text}" if event.text else ""
    return f"{kind.label}{text}"


def _checklist_text(entries: tuple[ChecklistEntry, ...]) -> str:
    if not entries:
        return ""
    parts = [f"{entry.step.label}: {'done' if entry.done else 'skipped'}{f' ({entry.note})' if entry.note else ''}"
             for entry in entries]
    return " [" + "; ".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class State:
    """What an escalation's events add up to."""

    status: Status = Status.DRAFT
    severity: Severity | None = None
    target: Target | None = None
    owner: str = ""  # who took it
    acknowledged_by: str = ""
    escalated_at: datetime | None = None
    internal_from: datetime | None = None  # the internal clock's start: escalation or the last logged update
    customer_from: datetime | None = None  # the customer clock's start: escalation or the last customer update
    snoozed_until: datetime | None = None
    closed_at: datetime | None = None
    linked: tuple[int, ...] = field(default=())
    approval: Approval = Approval.NONE
    approval_reason: str = ""  # what the approval was requested for


class TransitionError(ValueError):
    """An event that cannot happen in the escalation's current status."""


# Which statuses each event may follow; kinds not listed may happen at any status.
_ALLOWED_FROM: dict[EventKind, frozenset[Status]] = {
    EventKind.ESCALATED: frozenset({Status.DRAFT}),
    EventKind.ACKNOWLEDGED: OPEN_STATUSES,
    EventKind.TAKEN: OPEN_STATUSES,
    EventKind.NEED_INFO: OPEN_STATUSES,
    EventKind.SEVERITY_CHANGED: OPEN_STATUSES,
    EventKind.TARGET_CHANGED: OPEN_STATUSES,
    EventKind.UPDATE_LOGGED: OPEN_STATUSES | CLOSED_STATUSES,
    EventKind.CUSTOMER_UPDATED: OPEN_STATUSES | CLOSED_STATUSES,
    EventKind.SNOOZED: OPEN_STATUSES,
    EventKind.DE_ESCALATED: OPEN_STATUSES,
    EventKind.RESOLVED: OPEN_STATUSES,
    EventKind.REOPENED: CLOSED_STATUSES,
    EventKind.APPROVAL_REQUESTED: OPEN_STATUSES,
    EventKind.APPROVED: OPEN_STATUSES,
    EventKind.REJECTED: OPEN_STATUSES,
}


RECORD_ONLY = frozenset({EventKind.VERSION_SAVED, EventKind.SENT, EventKind.SEND_FAILED, EventKind.FINDING_KEPT,
                         EventKind.PAGE_CREATED, EventKind.PAGE_PUBLISHED, EventKind.TASK_CREATED,
                         EventKind.FOLLOW_UP_FAILED,
                         EventKind.APPROVAL_OPENED, EventKind.APPROVAL_WITHDRAWN})
"""Kinds that add to the log and change nothing of the state: any status takes them."""


def check_transition(state: State, kind: EventKind) -> None:
    """Raise TransitionError, in words, when `kind` cannot happen now."""
    allowed = _ALLOWED_FROM.get(kind)
    if allowed is None or state.status in allowed:
        _check_gate(state, kind)
        return
    if state.status is Status.DRAFT:
        raise TransitionError(f"it is still a draft: escalate it before “{kind.label}”")
    if state.status in CLOSED_STATUSES:
        raise TransitionError(f"it is {state.status.label.lower()}: reopen it before “{kind.label}”")
    raise TransitionError(f"it is already {state.status.label.lower()}")


def _check_gate(state: State, kind: EventKind) -> None:
    """A case waiting for an approval cannot be resolved (it would be resolved with the exception not
    yet granted); a decision needs a request, and a request waits for its decision. A rejection keeps
    the case open: it may then be resolved without the exception, or de-escalated, or asked again."""
    pending = state.approval is Approval.NEEDED
    what = f" ({state.approval_reason})" if state.approval_reason else ""
    if kind is EventKind.RESOLVED and pending:
        raise TransitionError(f"it waits for an approval{what}: record the decision before “Resolved”")
    if kind is EventKind.APPROVAL_REQUESTED and pending:
        raise TransitionError(f"an approval was already requested{what} and waits for its decision")
    if kind in (EventKind.APPROVED, EventKind.REJECTED) and not pending:
        decided = f" (it was {state.approval.label.lower()} already)" if state.approval else ""
        raise TransitionError(f"no approval is waiting for a decision{decided}: request one first")


def apply(state: State, event: Event) -> State:
    """The state after `event` (which must be allowed: see `check_transition`)."""
    check_transition(state, event.kind)
    kind, at = event.kind, event.at
    changes: dict[str, Any] = {}
    if kind is EventKind.ESCALATED:
        changes = dict(status=Status.ESCALATED, severity=event.severity, target=event.target, escalated_at=at,
                       internal_from=at, customer_from=at)
    elif kind is EventKind.ACKNOWLEDGED:
        changes = dict(acknowledged_by=event.who, status=Status.TAKEN if state.owner else Status.ACKNOWLEDGED)
    elif kind is EventKind.TAKEN:
        changes = dict(owner=event.who, status=Status.TAKEN)
    elif kind is EventKind.SEVERITY_CHANGED:
        changes = dict(severity=event.severity)
    elif kind is EventKind.TARGET_CHANGED:
        changes = dict(target=event.target)
    elif kind is EventKind.UPDATE_LOGGED:
        changes = dict(internal_from=at)
    elif kind is EventKind.CUSTOMER_UPDATED:
        changes = dict(customer_from=at)
    elif kind is EventKind.SNOOZED:
        changes = dict(snoozed_until=event.until)
    elif kind is EventKind.DE_ESCALATED:
        changes = dict(status=Status.DE_ESCALATED, closed_at=at)
    elif kind is EventKind.RESOLVED:
        changes = dict(status=Status.RESOLVED, closed_at=at)
    elif kind is EventKind.REOPENED:
        changes = dict(status=Status.ESCALATED, closed_at=None, internal_from=at, customer_from=at,
                       snoozed_until=None)
    elif kind is EventKind.LINKED:
        changes = dict(linked=tuple(sorted({*state.linked, *event.linked})))
    elif kind is EventKind.APPROVAL_REQUESTED:
        changes = dict(approval=Approval.NEEDED, approval_reason=event.reason)
    elif kind is EventKind.APPROVED:
        changes = dict(approval=Approval.APPROVED)
    elif kind is EventKind.REJECTED:
        changes = dict(approval=Approval.REJECTED)
    return replace(state, **changes) if changes else state


def replay(events: list[Event] | tuple[Event, ...]) -> State:
    """The state of an escalation with these events, oldest first. Events the log holds were allowed
    when they were appended; one that no longer fits (written by a newer version) is passed over."""
    state = State()
    for event in events:
        try:
            state = apply(state, event)
        except TransitionError:
            continue
    return state


@dataclass(frozen=True, slots=True)
class Clocks:
    """When an open escalation is next due: an internal check-in and a customer update."""

    internal_due: datetime
    customer_due: datetime
    snoozed_until: datetime | None

    @property
    def next_due(self) -> datetime:
        """The earlier of the two, pushed to the snooze's end while snoozed."""
        due = min(self.internal_due, self.customer_due)
        if self.snoozed_until is not None and self.snoozed_until > due:
            return self.snoozed_until
        return due


def clocks(state: State, contract_hours: int | None = None, zone: tzinfo | None = None) -> Clocks | None:
    """The follow-up clocks of an open escalation, None for a draft or a closed one.

    Each clock runs from its last touch with the interval of the current severity, so a severity
    change takes effect at once. Business days (Medium) are counted in `zone` (the local zone by
    default): a Friday evening there is followed by Monday."""
    if not state.status.is_open or state.severity is None:
        return None
    assert state.internal_from is not None
    assert state.customer_from is not None
    internal = follow_up_plan(state.severity, _local(state.internal_from, zone), contract_hours).internal
    customer = follow_up_plan(state.severity, _local(state.customer_from, zone), contract_hours).customer
    return Clocks(internal.latest.astimezone(UTC), customer.latest.astimezone(UTC), state.snoozed_until)


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def actor(*names: str) -> str:
    """Who an event is recorded as: the first name given (the reporter in the settings, then the one in
    the brief), else the account's login name."""
    for name in names:
        if name.strip():
            return name.strip()
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name: a container without a passwd entry
        return "unknown"
