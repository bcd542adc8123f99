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
    conn.execute("INSERT INTO inbound (event_id, source, escalation, action, received) VALUES (?, ?, ?, ?, ?)",
                 (storable(event_id), source, draft_id, event.kind.value, stamp(received)))
    return stored
