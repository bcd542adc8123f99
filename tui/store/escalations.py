"""The life of an escalation in SQLite: events, brief versions, the queue and similar cases.

Functions here take a connection already inside a transaction (`DraftStore` opens it); nothing else
in the app writes SQL. After every event the escalation's row is brought up to date from its whole
log (status, severity, owner, the clocks' due times), so the queue is one indexed query.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from tui.domain import similarity
from tui.domain.due_words import overdue_clocks
from tui.domain.lifecycle import (
    OPEN_STATUSES,
    RECORD_ONLY,
    Approval,
    Event,
    EventKind,
    State,
    Status,
    TransitionError,
    apply,
    clocks,
    replay,
)
from tui.domain.models import Severity, Target
from tui.store.schema import OPEN_SQL, search_row


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    escalation: int
    event: Event


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    at: datetime
    who: str
    text: str


@dataclass(frozen=True, slots=True)
class Record:
    """One escalation as the queue and `due` list it."""

    id: int
    summary: str
    customer: str
    severity: Severity | None
    target: Target | None
    status: Status
    owner: str
    acknowledged_by: str
    created: datetime
    escalated: datetime | None
    closed: datetime | None
    internal_due: datetime | None
    customer_due: datetime | None
    next_due: datetime | None
    snoozed_until: datetime | None
    approval: Approval = Approval.NONE

    def overdue(self, now: datetime) -> list[str]:
        """Which clocks have run out at `now`: "internal", "customer"; none while snoozed."""
        if not self.status.is_open:
            return []
        return overdue_clocks(self.internal_due, self.customer_due, self.snoozed_until, now)


@dataclass(frozen=True, slots=True)
class Similar:
    """A stored escalation that looks like the case being written."""

    record: Record
    likeness: float


class EscalationError(Exception):
    """An action the escalation's status or the store refuses; the message says why in words."""


_RECORD_COLUMNS = ("id, summary, customer, severity, target, status, owner, acknowledged_by, created, escalated,"
                   " closed, internal_due, customer_due, next_due, snoozed_until, approval")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def stamp(moment: datetime) -> str:
    """ISO 8601 in UTC, always with microseconds, so that text order is time order."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment} has no time zone; pass an aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _optional(kind: type[Severity] | type[Target], value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


def _record(row: tuple[Any, ...]) -> Record:
    (draft_id, summary, customer, severity, target, status, owner, acknowledged_by, created, escalated, closed,
     internal_due, customer_due, next_due, snoozed_until, approval) = row
    try:
        status_value = Status(status)
    except ValueError:
        status_value = Status.DRAFT
    try:
        approval_value = Approval(approval)
    except ValueError:  # a word from a newer version: shown as no gate rather than a wrong one
        approval_value = Approval.NONE
    return Record(int(draft_id), summary, customer, _optional(Severity, severity), _optional(Target, target),
                  status_value, owner, acknowledged_by, _time(created) or datetime.min.replace(tzinfo=UTC),
                  _time(escalated), _time(closed), _time(internal_due), _time(customer_due), _time(next_due),
                  _time(snoozed_until), approval_value)


def record(conn: sqlite3.Connection, draft_id: int) -> Record:
    row = conn.execute(f"SELECT {_RECORD_COLUMNS} FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    if row is None:
        raise KeyError(draft_id)
    return _record(row)


def events(conn: sqlite3.Connection, draft_id: int) -> list[StoredEvent]:
    rows = conn.execute("SELECT id, at, who, kind, data FROM events WHERE escalation = ? ORDER BY id",
                        (draft_id,)).fetchall()
    found: list[StoredEvent] = []
    for event_id, at, who, kind, data in rows:
        try:
            found.append(StoredEvent(int(event_id), draft_id,
                                     Event.from_data(kind, datetime.fromisoformat(at), who, json.loads(data))))
        except ValueError:
            continue  # a kind or a field from a newer version of the app: shown by that version
    return found


def stored_event(row: tuple[Any, ...]) -> StoredEvent:
    """A row of (id, escalation, at, who, kind, data) as a StoredEvent; ValueError when it holds a kind
    or field of a newer version."""
    event_id, draft_id, at, who, kind, data = row
    return StoredEvent(int(event_id), int(draft_id),
                       Event.from_data(kind, datetime.fromisoformat(at), who, json.loads(data)))


def state(conn: sqlite3.Connection, draft_id: int) -> State:
    return replay([stored.event for stored in events(conn, draft_id)])


def _contract_hours(conn: sqlite3.Connection, draft_id: int) -> int | None:
    row = conn.execute("SELECT body FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    try:
        hours = json.loads(row[0]).get("contract", {}).get("customer_update_hours")
    except (ValueError, AttributeError, TypeError):
        return None
    return hours if isinstance(hours, int) and not isinstance(hours, bool) and hours >= 1 else None


def search_state(status: str, closed: str | None) -> str:
    """The word the search index files an escalation under: "open", "closedYYYYMM" (the month it was
    closed, in UTC) or "draft"."""
    if status in OPEN_STATUSES:
        return "open"
    if closed is not None:
        return f"closed{closed[:4]}{closed[5:7]}"
    return "draft"


def _closed_months(first: datetime, last: datetime) -> list[str]:
    """The search words of the months from `first` to `last`, both included."""
    year, month = first.year, first.month
    words = []
    while (year, month) <= (last.year, last.month):
        words.append(f"closed{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return words


def refresh(conn: sqlite3.Connection, draft_id: int, current: State, zone: tzinfo | None = None) -> None:
    """Write what the events add up to onto the escalation's row, for the queue, and refile it in the
    search index when it opened or closed."""
    due = clocks(current, _contract_hours(conn, draft_id), zone)
    values = {
        "status": current.status.value,
        "owner": current.owner,
        "acknowledged_by": current.acknowledged_by,
        "escalated": None if current.escalated_at is None else stamp(current.escalated_at),
        "closed": None if current.closed_at is None else stamp(current.closed_at),
        "internal_due": None if due is None else stamp(due.internal_due),
        "customer_due": None if due is None else stamp(due.customer_due),
        "next_due": None if due is None else stamp(due.next_due),
        "snoozed_until": None if current.snoozed_until is None else stamp(current.snoozed_until),
        "approval": current.approval.value,
    }
    if current.severity is not None:
        values["severity"] = current.severity.value
    if current.target is not None:
        values["target"] = current.target.value
    assignments = ", ".join(f"{name} = ?" for name in values)
    before = conn.execute("SELECT status, closed FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    conn.execute(f"UPDATE drafts SET {assignments} WHERE id = ?", (*values.values(), draft_id))
    state_word = search_state(current.status.value, values["closed"])
    if before is None or search_state(*before) != state_word:
        conn.execute("UPDATE search SET state = ? WHERE rowid = ?", (state_word, draft_id))


def append(conn: sqlite3.Connection, draft_id: int, event: Event, zone: tzinfo | None = None) -> StoredEvent:
    """Add `event` to the log if the escalation's status allows it, and bring its row up to date."""
    if conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is None:
        raise KeyError(draft_id)
    if event.kind in RECORD_ONLY:  # nothing to check or bring up to date: the log alone grows
        return _insert(conn, draft_id, event)
    try:
        after = apply(state(conn, draft_id), event)
    except TransitionError as error:
        raise EscalationError(f"escalation {draft_id} cannot take this: {error}") from None
    stored = _insert(conn, draft_id, event)
    if event.kind is not EventKind.CREATED:
        refresh(conn, draft_id, after, zone)
    return stored


def _insert(conn: sqlite3.Connection, draft_id: int, event: Event) -> StoredEvent:
    cursor = conn.execute("INSERT INTO events (escalation, at, who, kind, data) VALUES (?, ?, ?, ?, ?)",
                          (draft_id, stamp(event.at), event.who, event.kind.value, json.dumps(event.data())))
    assert cursor.lastrowid is not None
    return StoredEvent(cursor.lastrowid, draft_id, event)


def versions(conn: sqlite3.Connection, draft_id: int) -> list[Version]:
    rows = conn.execute("SELECT number, at, who, text FROM versions WHERE escalation = ? ORDER BY number",
                        (draft_id,)).fetchall()
    return [Version(int(number), datetime.fromisoformat(at).astimezone(UTC), who, text)
            for number, at, who, text in rows]


def add_version(conn: sqlite3.Connection, draft_id: int, text: str, who: str, now: datetime) -> int | None:
    """Keep `text` as the brief's next version, unless it is the latest one already; its number."""
    latest = conn.execute("SELECT number, text FROM versions WHERE escalation = ? ORDER BY number DESC LIMIT 1",
                          (draft_id,)).fetchone()
    if latest is not None and latest[1] == text:
        return None
    number = 1 if latest is None else int(latest[0]) + 1
    conn.execute("INSERT INTO versions (escalation, number, at, who, text) VALUES (?, ?, ?, ?, ?)",
                 (draft_id, number, stamp(now), who, text))
    return number


def index(conn: sqlite3.Connection, draft_id: int, data: dict[str, Any]) -> None:
    """(Re)index a case's words for the similar-case search."""
    row = conn.execute("SELECT status, closed FROM drafts WHERE id = ?", (draft_id,)).fetchone()
    state_word = "draft" if row is None else search_state(*row)
    conn.execute("DELETE FROM search WHERE rowid = ?", (draft_id,))
    conn.execute("INSERT INTO search (rowid, summary, description, errors, customers, state) VALUES (?, ?, ?, ?, ?, ?)",
                 (draft_id, *search_row(data), state_word))


def _filter(text: str, severity: Severity | None, target: Target | None) -> tuple[str, list[Any]]:
    """The WHERE clause of open escalations whose summary, customer, owner or acknowledger hold every word
    of `text` (any case), of this severity and target when given."""
    clauses, values = [f"status IN {OPEN_SQL}"], []
    for word in text.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in _SEARCHED) + ")")
        values.extend([pattern] * len(_SEARCHED))
    if severity is not None:
        clauses.append("severity = ?")
        values.append(severity.value)
    if target is not None:
        clauses.append("target = ?")
        values.append(target.value)
    return " AND ".join(clauses), values


_SEARCHED = ("summary", "customer", "owner", "acknowledged_by")


def queue(conn: sqlite3.Connection, limit: int | None = None, offset: int = 0, text: str = "",
          severity: Severity | None = None, target: Target | None = None) -> list[Record]:
    """Open escalations, the one due first at the top; narrowed as `_filter` says."""
    where, values = _filter(text, severity, target)
    rows = conn.execute(
        f"SELECT {_RECORD_COLUMNS} FROM drafts WHERE {where} ORDER BY next_due, id LIMIT ? OFFSET ?",
        (*values, -1 if limit is None else limit, offset),
    ).fetchall()
    return [_record(row) for row in rows]


def open_count(conn: sqlite3.Connection, text: str = "", severity: Severity | None = None,
               target: Target | None = None) -> int:
    where, values = _filter(text, severity, target)
    return int(conn.execute(f"SELECT count(*) FROM drafts WHERE {where}", values).fetchone()[0])


# bm25 weights of the search columns: the summary says most about the issue, the error text next; the
# customers' names say nothing about it, and `state` only filters.
_RANK = "bm25(search, 3.0, 1.0, 2.0, 0.0, 0.0)"


def similar(conn: sqlite3.Connection, words: list[str], exclude: int | None, closed_since: datetime,
            limit: int = 10, candidates: int = 40, query_words: list[str] | None = None) -> list[Similar]:
    """Escalations alike the case with these words: open ones, and ones closed since `closed_since`.

    The index ranks only cases filed as open or as closed in a month since `closed_since` (the exact
    time is checked below), and is asked for `query_words` (default: `words`); `words` decide likeness."""
    query = query_words if query_words is not None else words
    if not words or not query:
        return []
    latest = conn.execute("SELECT max(closed) FROM drafts WHERE closed IS NOT NULL").fetchone()[0]  # indexed
    months = _closed_months(closed_since.astimezone(UTC), _time(latest) or closed_since) if latest else []
    rows = conn.execute(
        f"SELECT rowid, summary, description, errors FROM search WHERE search MATCH ? ORDER BY {_RANK} LIMIT ?",
        (f"state : ({' OR '.join(['open', *months])}) AND {{summary description errors}} : "
         f"({similarity.match_query(query)})", candidates),
    ).fetchall()
    since = stamp(closed_since)
    found: list[Similar] = []
    for rowid, summary, description, errors in rows:
        if rowid == exclude:
            continue
        theirs = similarity.terms(summary, description, errors)
        if not similarity.alike(words, theirs):
            continue
        row = conn.execute(f"SELECT {_RECORD_COLUMNS} FROM drafts WHERE id = ?", (rowid,)).fetchone()
        if row is None:
            continue
        found_record = _record(row)
        recent_close = found_record.closed is not None and stamp(found_record.closed) >= since
        if found_record.status in OPEN_STATUSES or recent_close:
            found.append(Similar(found_record, similarity.likeness(words, theirs)))
    found.sort(key=lambda item: -item.likeness)
    return found[:limit]
