"""Answers that came back from chat apps, each remembered by its event id so it is recorded once.

Functions here take a connection already inside a `BEGIN IMMEDIATE` transaction (`DraftStore` opens
it): the duplicate check, the event on the escalation's timeline and the remembered id are one step
for every process sharing the file (the app's long connections and `escalate-tui listen`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, tzinfo

from tui.domain.lifecycle import Event
from tui.store import escalations
from tui.store.escalations import StoredEvent, stamp
from tui.store.schema import storable


def seen(conn: sqlite3.Connection, event_id: str) -> bool:
    return conn.execute("SELECT 1 FROM inbound WHERE event_id = ?", (storable(event_id),)).fetchone() is not None


def record(conn: sqlite3.Connection, event_id: str, source: str, draft_id: int, event: Event,
           received: datetime, zone: tzinfo | None = None) -> StoredEvent | None:
    """Append `event` to escalation `draft_id` and remember `event_id`; None when that id was recorded
    before. KeyError: no such escalation; EscalationError: its status does not take the event."""
    if seen(conn, event_id):
        return None
    stored = escalations.append(conn, draft_id, event, zone)
    conn.execute("INSERT INTO inbound (event_id, source, escalation, action, received, event)"
                 " VALUES (?, ?, ?, ?, ?, ?)",
                 (storable(event_id), source, draft_id, event.kind.value, stamp(received), stored.id))
    return stored


def latest(conn: sqlite3.Connection) -> int:
    """The position of the newest answer recorded (0 when none): where `since` starts from."""
    row = conn.execute("SELECT max(rowid) FROM inbound").fetchone()
    return int(row[0] or 0)


def since(conn: sqlite3.Connection, after: int, limit: int = 100) -> list[tuple[int, StoredEvent]]:
    """Answers recorded after position `after` (by this process or another), oldest first, each with
    its position and the event it put on the timeline."""
    rows = conn.execute("SELECT inbound.rowid, events.id, events.escalation, events.at, events.who, events.kind,"
                        " events.data FROM inbound JOIN events ON events.id = inbound.event"
                        " WHERE inbound.rowid > ? ORDER BY inbound.rowid LIMIT ?", (after, limit)).fetchall()
    found = []
    for position, *row in rows:
        try:
            found.append((int(position), escalations.stored_event(tuple(row))))
        except ValueError:
            continue  # written by a newer version of the app
    return found
