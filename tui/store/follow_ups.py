"""What a Lark app still has to do after a send: a wiki page for each delivered card whose destination
publishes one, and a task for each take clicked on such a card. Found from the log alone, so a crash
between a step and the next run only delays it.

Each follow-up is tied to the event it is for (`Event.follows`): the "Sent" event of the card for a
page, the "Taken" event for a task. It is done when a "Wiki page published" / "Follow-up task
created" / "Follow-up failed" event follows that event. Only open escalations are followed up, so
turning the option on later does not reach back into closed cases.

Functions here take a connection already inside a transaction (`DraftStore` opens it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from tui.domain.lifecycle import Event, EventKind
from tui.store import escalations, outbox
from tui.store.escalations import StoredEvent
from tui.store.outbox import OutboxItem
from tui.store.schema import OPEN_SQL

FOLLOW_UP_KINDS = (EventKind.PAGE_CREATED, EventKind.PAGE_PUBLISHED, EventKind.TASK_CREATED)
_EVENT = "events.id, events.escalation, events.at, events.who, events.kind, events.data"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One follow-up still to do: what, the event it is for, the send whose destination does it, and
    (for a page) the node already created, when one was."""

    what: Literal["page", "task"]
    source: StoredEvent
    item: OutboxItem
    started: StoredEvent | None = None


def _done(kinds: tuple[EventKind, ...]) -> str:
    names = ", ".join(f"'{kind.value}'" for kind in (*kinds, EventKind.FOLLOW_UP_FAILED))
    return (f"NOT EXISTS (SELECT 1 FROM events AS done WHERE done.escalation = events.escalation"
            f" AND done.kind IN ({names}) AND json_extract(done.data, '$.follows') = events.id)")


def _names(destinations: Sequence[str]) -> str:
    return ", ".join("?" for _ in destinations) or "NULL"


def pages_due(conn: sqlite3.Connection, destinations: Sequence[str], limit: int = 50) -> list[FollowUp]:
    """Delivered lark_app sends to `destinations` on open escalations with no page published yet."""
    rows = conn.execute(
        f"SELECT outbox.id, {_EVENT} FROM outbox JOIN events ON events.escalation = outbox.draft_id"
        " AND events.kind = 'sent' AND json_extract(events.data, '$.destination') = outbox.destination"
        " AND coalesce(json_extract(events.data, '$.version'), 0) = coalesce(outbox.version, 0)"
        " JOIN drafts ON drafts.id = outbox.draft_id"
        f" WHERE outbox.state = 'delivered' AND outbox.type = 'lark_app' AND outbox.destination IN"
        f" ({_names(destinations)}) AND drafts.status IN {OPEN_SQL}"
        f" AND {_done((EventKind.PAGE_PUBLISHED,))} ORDER BY events.id LIMIT ?",
        (*destinations, limit)).fetchall()
    found = []
    for item_id, *event in rows:
        source = _stored(tuple(event))
        if source is not None:
            found.append(FollowUp("page", source, outbox.get(conn, int(item_id)),
                                  latest(conn, source.escalation, EventKind.PAGE_CREATED, source.id)))
    return found


def tasks_due(conn: sqlite3.Connection, destinations: Sequence[str], limit: int = 50) -> list[FollowUp]:
    """Takes clicked on a card sent by one of `destinations` (the app that knows the clicker's open_id),
    on open escalations, with no task created yet."""
    rows = conn.execute(
        f"SELECT outbox.id, {_EVENT} FROM events JOIN outbox ON outbox.draft_id = events.escalation"
        " AND outbox.type = 'lark_app' AND outbox.state = 'delivered'"
        " AND outbox.remote_id = json_extract(events.data, '$.link')"
        " JOIN drafts ON drafts.id = events.escalation"
        " WHERE events.kind = 'taken' AND coalesce(json_extract(events.data, '$.who_id'), '') != ''"
        f" AND outbox.destination IN ({_names(destinations)}) AND drafts.status IN {OPEN_SQL}"
        f" AND {_done((EventKind.TASK_CREATED,))} ORDER BY events.id LIMIT ?",
        (*destinations, limit)).fetchall()
    found = []
    for item_id, *event in rows:
        source = _stored(tuple(event))
        if source is not None:
            found.append(FollowUp("task", source, outbox.get(conn, int(item_id))))
    return found


def latest(conn: sqlite3.Connection, draft_id: int, kind: EventKind, follows: int) -> StoredEvent | None:
    """The newest event of `kind` on escalation `draft_id` that follows event `follows`."""
    row = conn.execute(f"SELECT {_EVENT} FROM events WHERE escalation = ? AND kind = ?"
                       " AND json_extract(data, '$.follows') = ? ORDER BY id DESC LIMIT 1",
                       (draft_id, kind.value, follows)).fetchone()
    return None if row is None else _stored(tuple(row))


def log_once(conn: sqlite3.Connection, draft_id: int, event: Event, zone: tzinfo | None = None) -> StoredEvent | None:
    """Append `event` unless one of its kind already follows the same event (then None): two processes
    following up at once write one page and one task down, and the second learns the first's."""
    if event.follows is not None and latest(conn, draft_id, event.kind, event.follows) is not None:
        return None
    return escalations.append(conn, draft_id, event, zone)


def _stored(row: tuple[object, ...]) -> StoredEvent | None:
    try:
        return escalations.stored_event(row)
    except ValueError:
        return None  # written by a newer version of the app
