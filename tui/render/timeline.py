"""An escalation's timeline for the ticket's audit trail: plain text, Markdown or JSON.

The record and its events come from the store, but this module may not import it: the record is
anything with the queue row's attributes (`TimelineRecord`), the events are `Event`s or anything
carrying one in `.event` (the store's `StoredEvent`). Every text in them is hostile: made visible
in plain text, escaped in Markdown, kept as it is (and escaped by the JSON writer) in JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from tui.domain.due_words import due_words
from tui.domain.lifecycle import Event, Status
from tui.domain.models import Severity, Target
from tui.domain.text_safety import visible
from tui.domain.timetext import moment
from tui.render.escape import md_block, md_inline


class TimelineRecord(Protocol):
    """What the timeline reads of an escalation (the store's `Record` has it all)."""

    @property
    def id(self) -> int: ...
    @property
    def summary(self) -> str: ...
    @property
    def customer(self) -> str: ...
    @property
    def severity(self) -> Severity | None: ...
    @property
    def target(self) -> Target | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def owner(self) -> str: ...
    @property
    def acknowledged_by(self) -> str: ...
    @property
    def created(self) -> datetime: ...
    @property
    def escalated(self) -> datetime | None: ...
    @property
    def closed(self) -> datetime | None: ...
    @property
    def internal_due(self) -> datetime | None: ...
    @property
    def customer_due(self) -> datetime | None: ...
    @property
    def next_due(self) -> datetime | None: ...
    @property
    def snoozed_until(self) -> datetime | None: ...


class HoldsEvent(Protocol):
    @property
    def event(self) -> Event: ...


Events = Sequence[Event | HoldsEvent]


def _events(events: Events) -> list[Event]:
    return [item if isinstance(item, Event) else item.event for item in events]


def _local(value: datetime) -> str:
    return moment(value.astimezone())


def _header_fields(record: TimelineRecord, now: datetime) -> list[tuple[str, str]]:
    """(label, value) pairs of the header; values are raw text, made safe by each format."""
    owner = record.owner or "not taken yet"
    if record.acknowledged_by and record.acknowledged_by != record.owner:
        owner += f" (acknowledged by {record.acknowledged_by})"
    fields = [
        ("Customer", record.customer or "not given"),
        ("Status", record.status.label),
        ("Severity", record.severity.label if record.severity else "not set"),
        ("Target", record.target.label if record.target else "not set"),
        ("Owner", owner),
        ("Next due", _next_due(record, now)),
    ]
    return fields


def _next_due(record: TimelineRecord, now: datetime) -> str:
    if not record.status.is_open or record.internal_due is None or record.customer_due is None:
        return f"no follow-up clocks run ({record.status.label.lower()})"
    words = due_words(record.internal_due, record.customer_due, record.snoozed_until, now)
    times = (f"internal check-in by {_local(record.internal_due)}, "
             f"customer update by {_local(record.customer_due)}")
    if record.snoozed_until is not None and now < record.snoozed_until:
        times = f"snoozed until {_local(record.snoozed_until)}; {times}"
    return f"{words} — {times}"


def _title(record: TimelineRecord) -> str:
    return f"Escalation #{record.id}: {record.summary or 'no summary'}"


def timeline_text(record: TimelineRecord, events: Events, now: datetime) -> str:
    """The header and one line per event (local time, who, what); a multi-line text continues on
    indented lines. Control characters are shown as escapes, never sent to the terminal."""
    lines = [visible(_title(record)), ""]
    fields = _header_fields(record, now)
    width = max(len(label) for label, _ in fields) + 1
    lines += [f"{label + ':':<{width}} {visible(value)}" for label, value in fields]
    lines += ["", "Timeline:"]
    rows = [(_local(event.at), visible(event.who) or "unknown", event.describe())
            for event in _events(events)]
    if not rows:
        lines.append("  no events recorded")
    when_width = max((len(when) for when, _, _ in rows), default=0)
    who_width = min(max((len(who) for _, who, _ in rows), default=0), 24)
    for when, who, what in rows:
        first, *rest = what.split("\n") or [""]
        lines.append(f"  {when:<{when_width}}  {who:<{who_width}}  {visible(first)}")
        indent = " " * (4 + when_width + who_width + 2)
        lines += [f"{indent}{visible(line)}" if line.strip() else "" for line in rest]
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    """A single-line value in Markdown: control characters and bidi overrides shown, markup escaped."""
    return md_inline(visible(value))


def timeline_markdown(record: TimelineRecord, events: Events, now: datetime) -> str:
    """The same in Markdown: a heading, the header as a list and one list item per event. Every text
    from the store is escaped, so no summary or note can add a heading, a link or HTML."""
    out = [f"# Escalation #{record.id}: {_md(record.summary or 'no summary')}", ""]
    out += [f"- **{label}:** {_md(value)}" for label, value in _header_fields(record, now)]
    out += ["", "## Timeline", ""]
    items = _events(events)
    if not items:
        out.append("No events recorded.")
    for event in items:
        first, *rest = event.describe().split("\n")
        who = _md(event.who) or "unknown"
        out.append(f"- **{_md(_local(event.at))}** — {who}: {_md(first)}")
        more = md_block(visible("\n".join(rest), keep_newlines=True))
        if more:
            out += [f"  {line}" if line else "" for line in more.split("\n")]
    return "\n".join(out) + "\n"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def timeline_json(record: TimelineRecord, events: Events) -> dict[str, Any]:
    """The record's fields and every event (kind, time, who, what it says and its data), times in UTC
    ISO 8601; texts as stored (the JSON writer escapes control characters)."""
    return {
        "id": record.id,
        "summary": record.summary,
        "customer": record.customer,
        "status": record.status.value,
        "severity": None if record.severity is None else record.severity.value,
        "target": None if record.target is None else record.target.value,
        "owner": record.owner,
        "acknowledged_by": record.acknowledged_by,
        "created": _iso(record.created),
        "escalated": _iso(record.escalated),
        "closed": _iso(record.closed),
        "internal_due": _iso(record.internal_due),
        "customer_due": _iso(record.customer_due),
        "next_due": _iso(record.next_due),
        "snoozed_until": _iso(record.snoozed_until),
        "events": [
            {"kind": event.kind.value, "at": _iso(event.at), "who": event.who, "description": event.describe(),
             "data": event.data()}
            for event in _events(events)
        ],
    }
