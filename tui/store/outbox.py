"""The outbox: every send written down before it leaves, then delivered by whichever process claims it.

Functions here take a connection already inside a `BEGIN IMMEDIATE` transaction (`DraftStore` opens
it), so a claim, or an outcome and the event it puts on the escalation's timeline, is one step for
every process sharing the file.

An item's life: ``pending`` (due at `next_attempt`) → ``sending`` (claimed by one holder until
`lease_until`) → ``delivered`` | ``failed`` (what to fix; `retry` makes it pending again) |
``uncertain`` (an attempt may have landed: a person says whether it arrived) | ``pending`` again
(after a backoff). An item found ``sending`` whose holder is gone (its lease ran out, or its process
on this machine no longer runs) comes back `unclear`: its last attempt may have landed.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from tui.domain.lifecycle import Event, EventKind, actor
from tui.store import escalations
from tui.store.escalations import stamp
from tui.store.schema import storable


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One send as the outbox holds it."""

    id: int
    draft_id: int
    destination: str
    type: str
    title: str
    body: Any  # the payload's JSON value, exactly as it leaves (no secret in it)
    idempotency_key: str
    state: OutboxState
    attempts: int
    next_attempt: datetime
    lease_until: datetime | None
    holder: str
    unclear: bool  # an earlier attempt may have landed
    last_error: str
    remote_id: str
    remote_url: str
    created: datetime
    updated: datetime
    delivered_at: datetime | None
    version: int | None
    answered_by: str
    answer: str


_COLUMNS = ("id, draft_id, destination, type, title, body, idempotency_key, state, attempts, next_attempt,"
            " lease_until, holder, unclear, last_error, remote_id, remote_url, created, updated, delivered_at,"
            " version, answered_by, answer")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def _item(row: tuple[Any, ...]) -> OutboxItem:
    (item_id, draft_id, destination, kind, title, body, key, state, attempts, next_attempt, lease_until, holder,
     unclear, last_error, remote_id, remote_url, created, updated, delivered_at, version, answered_by, answer) = row
    next_time = _time(next_attempt)
    created_time = _time(created)
    assert next_time is not None  # NOT NULL columns
    assert created_time is not None
    return OutboxItem(int(item_id), int(draft_id), destination, kind, title, json.loads(body), key,
                      OutboxState(state), int(attempts), next_time, _time(lease_until), holder, bool(unclear),
                      last_error, remote_id, remote_url, created_time, _time(updated) or created_time,
                      _time(delivered_at), None if version is None else int(version), answered_by, answer)


def holder_name(token: str = "") -> str:
    """Who holds a claim: this machine and process (so a process that is gone can be told), plus `token`."""
    return f"{socket.gethostname()}:{os.getpid()}:{token}"


def _holder_gone(holder: str) -> bool:
    """Whether the process that holds a claim has stopped: only known for a process on this machine."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdecimal():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process (EPERM): it runs
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still answers kill(0); /proc says it is a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rpartition(")")[2].split()[:1] == ["Z"]
    except OSError:
        return False


def get(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise KeyError(item_id)
    return _item(row)


def enqueue(conn: sqlite3.Connection, draft_id: int, destination: str, kind: str, title: str, body: Any,
            idempotency_key: str, version: int | None, now: datetime) -> tuple[OutboxItem, bool]:
    """The send with this idempotency key, written down as pending if it is new; and whether it was."""
    if conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is None:
        raise KeyError(draft_id)
    moment = stamp(now)
    cursor = conn.execute(
        "INSERT INTO outbox (draft_id, destination, type, title, body, idempotency_key, next_attempt, created,"
        " updated, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
        (draft_id, storable(destination), kind, storable(title), storable(json.dumps(body, ensure_ascii=False)),
         idempotency_key, moment, moment, moment, version),
    )
    row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
    return _item(row), cursor.rowcount == 1


def claim(conn: sqlite3.Connection, holder: str, now: datetime, lease: timedelta, limit: int) -> list[OutboxItem]:
    """Up to `limit` items due at `now`, leased to `holder` until `now + lease`, oldest due first: the
    pending ones due, and those left sending by a holder that is gone (marked unclear)."""
    moment = stamp(now)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt <= ?"
                        " ORDER BY next_attempt, id LIMIT ?", (moment, limit)).fetchall()
    found = [(_item(row), False) for row in rows]
    if len(found) < limit:
        stale = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'sending' ORDER BY lease_until, id"
                             ).fetchall()
        for row in stale:
            item = _item(row)
            if item.lease_until is not None and item.lease_until > now and not _holder_gone(item.holder):
                continue
            found.append((item, True))
            if len(found) >= limit:
                break
    until = stamp(now + lease)
    claimed = []
    for item, stranded in found:
        unclear = item.unclear or stranded
        conn.execute("UPDATE outbox SET state = 'sending', holder = ?, lease_until = ?, attempts = attempts + 1,"
                     " unclear = ?, updated = ? WHERE id = ?", (holder, until, int(unclear), moment, item.id))
        claimed.append(get(conn, item.id))
    return claimed


def release(conn: sqlite3.Connection, item_id: int, holder: str, now: datetime) -> bool:
    """Give back a claimed item that was not attempted after all (the worker is stopping)."""
    cursor = conn.execute("UPDATE outbox SET state = 'pending', holder = '', lease_until = NULL,"
                          " attempts = max(attempts - 1, 0), updated = ? WHERE id = ? AND state = 'sending'"
                          " AND holder = ?", (stamp(now), item_id, holder))
    return cursor.rowcount == 1


def _still_held(conn: sqlite3.Connection, item_id: int, holder: str) -> OutboxItem | None:
    item = get(conn, item_id)
    return item if item.state is OutboxState.SENDING and item.holder == holder else None


def delivered(conn: sqlite3.Connection, item_id: int, holder: str, now: datetime, remote_id: str,
              remote_url: str, note: str = "") -> OutboxItem | None:
    """It arrived: the item is delivered and a "Sent" event goes on the escalation's timeline. None when
    the claim was lost meanwhile (nothing is written)."""
    item = _still_held(conn, item_id, holder)
    if item is None:
        return None
    return _mark_delivered(conn, item, now, remote_id, remote_url, note, who="")


def _mark_delivered(conn: sqlite3.Connection, item: OutboxItem, now: datetime, remote_id: str, remote_url: str,
                    note: str, who: str) -> OutboxItem:
    moment = stamp(now)
    conn.execute("UPDATE outbox SET state = 'delivered', holder = '', lease_until = NULL, remote_id = ?,"
                 " remote_url = ?, last_error = ?, delivered_at = ?, updated = ? WHERE id = ?",
                 (storable(remote_id), storable(remote_url), storable(note), moment, moment, item.id))
    escalations.append(conn, item.draft_id, Event(kind=EventKind.SENT, at=now, who=actor(who),
                                                  destination=item.destination, link=remote_url,
                                                  version=item.version))
    return get(conn, item.id)


def again(conn: sqlite3.Connection, item_id: int, holder: str, now: datetime, error: str, when: datetime,
          unclear: bool, hold_until: datetime | None = None) -> OutboxItem | None:
    """Not this time: pending again from `when`, with the reason kept; `hold_until` is the wait the
    destination asked for, which no hurry shortens. None when the claim was lost."""
    if _still_held(conn, item_id, holder) is None:
        return None
    conn.execute("UPDATE outbox SET state = 'pending', holder = '', lease_until = NULL, next_attempt = ?,"
                 " last_error = ?, unclear = ?, updated = ?, hold_until = ? WHERE id = ?",
                 (stamp(when), storable(error), int(unclear), stamp(now),
                  None if hold_until is None else stamp(hold_until), item_id))
    return get(conn, item_id)


def hurry(conn: sqlite3.Connection, destination: str, now: datetime) -> int:
    """The destination answers again: its sends waiting out a backoff are due now, unless it asked for
    a wait (Retry-After) that still runs. How many."""
    at = stamp(now)
    cursor = conn.execute(
        "UPDATE outbox SET next_attempt = ? WHERE destination = ? AND state = 'pending' AND attempts > 0"
        " AND next_attempt > ? AND NOT EXISTS (SELECT 1 FROM outbox AS held WHERE held.destination = ?"
        " AND held.state = 'pending' AND held.hold_until > ?)", (at, destination, at, destination, at))
    return cursor.rowcount


def failed(conn: sqlite3.Connection, item_id: int, holder: str, now: datetime, error: str) -> OutboxItem | None:
    """It will not go without a fix: failed, and a "Send failed" event saying why on the timeline."""
    item = _still_held(conn, item_id, holder)
    if item is None:
        return None
    conn.execute("UPDATE outbox SET state = 'failed', holder = '', lease_until = NULL, last_error = ?,"
                 " updated = ? WHERE id = ?", (storable(error), stamp(now), item_id))
    escalations.append(conn, item.draft_id, Event(kind=EventKind.SEND_FAILED, at=now, who=actor(""),
                                                  destination=item.destination, reason=error or "unknown"))
    return get(conn, item_id)


def uncertain(conn: sqlite3.Connection, item_id: int, holder: str, now: datetime, error: str) -> OutboxItem | None:
    """It may have landed: kept until a person says whether it arrived; never sent again before."""
    if _still_held(conn, item_id, holder) is None:
        return None
    conn.execute("UPDATE outbox SET state = 'uncertain', holder = '', lease_until = NULL, last_error = ?,"
                 " unclear = 1, updated = ? WHERE id = ?", (storable(error), stamp(now), item_id))
    return get(conn, item_id)


class OutboxError(Exception):
    """An action the item's state does not allow; the message says why and what to do."""


def retry(conn: sqlite3.Connection, item_id: int, now: datetime) -> OutboxItem:
    """A failed send made pending again, due now, with a fresh count of attempts."""
    item = get(conn, item_id)
    if item.state is not OutboxState.FAILED:
        raise OutboxError(f"send {item_id} is {item.state.value}, and only a failed send is retried"
                          + (": say whether it arrived with `outbox resolve`" if item.state is OutboxState.UNCERTAIN
                             else ""))
    conn.execute("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ?, updated = ? WHERE id = ?",
                 (stamp(now), stamp(now), item_id))
    return get(conn, item_id)


def resolve(conn: sqlite3.Connection, item_id: int, arrived: bool, who: str, reason: str,
            now: datetime) -> OutboxItem:
    """A person's answer about a send that may have landed: it arrived (delivered, with its "Sent"
    event) or it did not (pending again, due now). Who answered and why are kept on the item."""
    item = get(conn, item_id)
    if item.state is not OutboxState.UNCERTAIN:
        raise OutboxError(f"send {item_id} is {item.state.value}: only a send that may have been delivered "
                          "is resolved")
    conn.execute("UPDATE outbox SET answered_by = ?, answer = ?, updated = ? WHERE id = ?",
                 (storable(who), storable(reason), stamp(now), item_id))
    if arrived:
        return _mark_delivered(conn, item, now, item.remote_id, item.remote_url, f"confirmed by {who}", who)
    conn.execute("UPDATE outbox SET state = 'pending', unclear = 0, attempts = 0, next_attempt = ? WHERE id = ?",
                 (stamp(now), item_id))
    return get(conn, item_id)


def items(conn: sqlite3.Connection, states: tuple[OutboxState, ...] = (), draft_id: int | None = None,
          limit: int | None = None) -> list[OutboxItem]:
    """Items in these states (all when none given), of one escalation if given, newest first."""
    clauses: list[str] = []
    values: list[Any] = []
    if states:
        clauses.append(f"state IN ({', '.join('?' for _ in states)})")
        values.extend(state.value for state in states)
    if draft_id is not None:
        clauses.append("draft_id = ?")
        values.append(draft_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox{where} ORDER BY id DESC LIMIT ?",
                        (*values, -1 if limit is None else limit)).fetchall()
    return [_item(row) for row in rows]


def next_due(conn: sqlite3.Connection) -> datetime | None:
    """When the next item will be due: the earliest pending one, or a claim that will run out."""
    pending = conn.execute("SELECT min(next_attempt) FROM outbox WHERE state = 'pending'").fetchone()[0]
    leased = conn.execute("SELECT min(lease_until) FROM outbox WHERE state = 'sending'").fetchone()[0]
    times = [moment for moment in (_time(pending), _time(leased)) if moment is not None]
    return min(times) if times else None


def counts(conn: sqlite3.Connection) -> dict[OutboxState, int]:
    found = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
    return {state: int(found.get(state.value, 0)) for state in OutboxState}


# --- cards that follow the escalation ------------------------------------------------------------

CARD_TYPES = ("lark_app", "slack_app")  # the types whose sent message can be updated in place
# What a team reading the card would want to see change; a saved version, a send or a kept finding is not.
CARD_EVENTS = ("acknowledged", "taken", "need_info", "severity_changed", "target_changed", "de_escalated",
               "resolved", "reopened", "approval_requested", "approved", "rejected")


@dataclass(frozen=True, slots=True)
class CardBehind:
    """A delivered card whose escalation has an event it does not show yet."""

    item: OutboxItem
    newest: int  # the id of the escalation's newest event the card should show


def cards_behind(conn: sqlite3.Connection, limit: int = 100) -> list[CardBehind]:
    """Delivered lark_app / slack_app cards with a remote message whose escalation has an event of
    `CARD_EVENTS` newer than the one the card shows, oldest send first."""
    types = ", ".join("?" for _ in CARD_TYPES)
    kinds = ", ".join("?" for _ in CARD_EVENTS)
    rows = conn.execute(
        f"SELECT {', '.join(f'outbox.{name.strip()}' for name in _COLUMNS.split(','))}, newest FROM outbox"
        f" JOIN (SELECT escalation, max(id) AS newest FROM events WHERE kind IN ({kinds}) GROUP BY escalation)"
        " AS seen ON seen.escalation = outbox.draft_id"
        f" WHERE outbox.state = 'delivered' AND outbox.type IN ({types}) AND outbox.remote_id != ''"
        " AND newest > coalesce(outbox.card_event, 0) ORDER BY outbox.id LIMIT ?",
        (*CARD_EVENTS, *CARD_TYPES, limit)).fetchall()
    return [CardBehind(_item(row[:-1]), int(row[-1])) for row in rows]


def card_followed(conn: sqlite3.Connection, item_id: int, event_id: int, now: datetime,
                  error: str | None = None) -> None:
    """The card now shows the escalation up to `event_id` (or, with `error`, will not be followed past
    it, and why is kept on the item)."""
    conn.execute("UPDATE outbox SET card_event = max(coalesce(card_event, 0), ?),"
                 " last_error = coalesce(?, last_error), updated = ? WHERE id = ?",
                 (event_id, None if error is None else storable(error), stamp(now), item_id))


def card_event(conn: sqlite3.Connection, item_id: int) -> int | None:
    row = conn.execute("SELECT card_event FROM outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise KeyError(item_id)
    return None if row[0] is None else int(row[0])
