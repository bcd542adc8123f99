"""Drafts: every escalation being written, autosaved to SQLite so that no work is lost.

One connection per store, shared between threads under a lock (the UI saves from a worker
thread); each call is one short transaction. In WAL mode with synchronous=NORMAL a commit
survives the process being killed, as the operating system already holds the log; a power
cut may lose the last few commits but never corrupts the file.

Every draft carries a revision, bumped by each save. A save names the revision it was based on,
and is refused (`DraftConflict`) when another app instance has saved the draft since: nobody's
edits are overwritten unseen.

Opening checks the file before anything is written to it. A file that is damaged, not a SQLite
database, from a newer version of the app, or missing columns is moved aside under a timestamped
name (never deleted, never written to) and a fresh database is started; `moved_aside` says so.
The database is readable by its owner only: it holds customer data.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from tui.domain.approval import gate_reason
from tui.domain.lifecycle import Event, EventKind, State, Status, actor
from tui.domain.models import Escalation, Severity, SeverityOverride, Target, TargetOverride
from tui.domain.similarity import query_terms, search_columns, terms
from tui.store import escalations, follow_ups, inbound, outbox, paths, schema
from tui.store.escalations import Record, Similar, StoredEvent, Version
from tui.store.outbox import OutboxItem, OutboxState

FILE_NAME = "drafts.sqlite3"
PRIVATE_FILE = 0o600
_BUSY = "another escalate-tui is busy with it; try again in a moment"
_ADVICE = {
    sqlite3.SQLITE_BUSY: _BUSY,
    sqlite3.SQLITE_LOCKED: _BUSY,
    sqlite3.SQLITE_FULL: "the disk is full; free some space and try again",
    sqlite3.SQLITE_READONLY: "the file is read-only; check its permissions",
    sqlite3.SQLITE_PERM: "permission denied; check the file's permissions",
    sqlite3.SQLITE_CANTOPEN: "the file cannot be opened; check the folder exists and you may write to it",
}


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """One line of the resume list."""

    id: int
    summary: str
    customer: str
    updated: datetime
    severity: str
    file: Path | None = None  # the brief file the draft belongs to, if it was opened from one


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A draft as stored, with the revision a save based on it must name."""

    escalation: Escalation
    revision: int


class DraftStoreError(Exception):
    """The drafts database cannot be used; the message names the file and what to do about it."""


class DraftConflict(DraftStoreError):
    """Another app instance saved the draft since the revision a save was based on."""

    def __init__(self, draft_id: int, stored: StoredDraft) -> None:
        super().__init__(f"draft {draft_id} was saved by another escalate-tui since it was opened here")
        self.draft_id = draft_id
        self.stored = stored


@dataclass(frozen=True, slots=True)
class MovedAside:
    """A database that could not be used, kept under another name; a fresh one took its place."""

    kept_as: Path
    why: str

    def sentence(self) -> str:
        return (f"The drafts database {self.why}; it was kept as {self.kept_as.name} in {self.kept_as.parent} "
                "and a new one started.")


class DraftStore:
    """The drafts in one SQLite file. Safe to share between threads; close it when done."""

    def __init__(self, path: Path, zone: tzinfo | None = None) -> None:
        self.path = Path(path)
        self.zone = zone  # where business days are counted: the local time zone unless given
        self._lock = threading.Lock()
        self.moved_aside: MovedAside | None = None
        why = schema.why_unusable(self.path)  # read only: nothing is written to a file that fails
        if why is not None:
            self.moved_aside = _move_aside(self.path, why)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(self.path)
            self._conn = sqlite3.connect(self.path, timeout=3.0, check_same_thread=False)
        except (OSError, sqlite3.Error) as error:
            raise DraftStoreError(f"cannot open {self.path}: {_advice(error)}") from None
        try:
            self._prepare()
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def open_default(cls, data_dir: Path | None = None) -> DraftStore:
        """The drafts database in the data folder (see `tui.store.paths.data_dir`)."""
        try:
            folder = paths.data_dir(data_dir)
        except OSError as error:
            raise DraftStoreError(f"cannot create the data folder: {error}") from None
        return cls(folder / FILE_NAME)

    def create(self, esc: Escalation, now: datetime, file: Path | None = None) -> int:
        """A new draft holding `esc`, belonging to the brief `file` if given; returns its id."""
        body, summary, customer = _columns(esc)
        stamp = _stamp(now)
        with self._session("create a draft") as conn:
            cursor = conn.execute(
                "INSERT INTO drafts (created, updated, summary, customer, body, file) VALUES (?, ?, ?, ?, ?, ?)",
                (stamp, stamp, summary, customer, body, _file_key(file)),
            )
            assert cursor.lastrowid is not None  # an INSERT always sets it
            self._created(conn, cursor.lastrowid, esc, now)
        return cursor.lastrowid

    def _created(self, conn: sqlite3.Connection, draft_id: int, esc: Escalation, now: datetime) -> None:
        escalations.append(conn, draft_id, Event(kind=EventKind.CREATED, at=now, who=actor(esc.reporter.name)))
        escalations.index(conn, draft_id, esc.model_dump(mode="json"))

    def save(self, draft_id: int, esc: Escalation, now: datetime, severity: str = "",
             based_on: int | None = None, target: str = "") -> int:
        """Store `esc` as draft `draft_id` (created if missing) and return its new revision; `severity`
        is shown in the resume list. Whether the draft is archived is left as it is.

        `severity` and `target` are what the rules make of `esc`; when both are given and the case is an
        open escalation, a difference from the record is logged as a change (with the override's reason).

        `based_on`: the revision these edits were made on. When the stored draft has moved past it
        (another app instance saved it), nothing is written and DraftConflict carries the stored draft."""
        body, summary, customer = _columns(esc)
        stamp = _stamp(now)
        final = None if esc.edited_brief is None else _storable(esc.edited_brief)
        with self._session(f"save draft {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")  # the revision read and the write are one step for every instance
            row = conn.execute("SELECT revision FROM drafts WHERE id = ?", (draft_id,)).fetchone()
            if row is not None and based_on is not None and row[0] != based_on:
                conflict = self._stored(conn, draft_id)
            else:
                conflict = None
                revision = 1 if row is None else int(row[0]) + 1
                # Once escalated, the severity on record changes only by an event (with its reason).
                conn.execute(
                    """INSERT INTO drafts (id, created, updated, summary, customer, severity, body, final_text,
                        revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, summary = excluded.summary,
                        customer = excluded.customer, body = excluded.body,
                        severity = CASE WHEN status = 'draft' THEN excluded.severity ELSE severity END,
                        final_text = excluded.final_text, revision = excluded.revision""",
                    (draft_id, stamp, stamp, summary, customer, str(severity), body, final, revision),
                )
                if row is None:
                    self._created(conn, draft_id, esc, now)
                else:
                    escalations.index(conn, draft_id, esc.model_dump(mode="json"))
                    current = escalations.state(conn, draft_id)
                    if current.status.is_open:  # the contract's update hours may have changed
                        changes = _assessed_changes(esc, severity, target, current, now)
                        for event in changes:
                            escalations.append(conn, draft_id, event, self.zone)
                        if not changes:
                            escalations.refresh(conn, draft_id, current, self.zone)
        if conflict is not None:
            raise DraftConflict(draft_id, conflict)
        return revision

    def draft_of_file(self, file: Path) -> int | None:
        """The draft that belongs to the brief `file` (the most recently saved, if several), or None."""
        with self._session("find the draft of a brief file") as conn:
            row = conn.execute(
                "SELECT id FROM drafts WHERE file = ? AND archived IS NULL ORDER BY updated DESC, id DESC LIMIT 1",
                (_file_key(file),),
            ).fetchone()
        return None if row is None else int(row[0])

    def link_file(self, draft_id: int, file: Path) -> None:
        """Record that draft `draft_id` belongs to the brief `file` (saved there for the first time)."""
        with self._session(f"link draft {draft_id} to its file") as conn:
            conn.execute("UPDATE drafts SET file = ? WHERE id = ?", (_file_key(file), draft_id))

    def load(self, draft_id: int) -> Escalation:
        """The escalation saved as draft `draft_id`; KeyError if there is none."""
        return self.load_stored(draft_id).escalation

    def load_stored(self, draft_id: int) -> StoredDraft:
        """Draft `draft_id` with its revision; KeyError if there is none."""
        with self._session(f"read draft {draft_id}") as conn:
            return self._stored(conn, draft_id)

    def _stored(self, conn: sqlite3.Connection, draft_id: int) -> StoredDraft:
        row = conn.execute("SELECT body, final_text, revision FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise KeyError(draft_id)
        try:
            # json.loads, unlike pydantic's parser, reads back the escaped lone surrogates _columns may write.
            data = json.loads(row[0])
            if row[1] is not None and isinstance(data, dict):
                data.setdefault("edited_brief", row[1])  # saved before the edited brief was part of the case
            return StoredDraft(Escalation.model_validate(data), int(row[2]))
        except ValidationError as error:
            first = error.errors()[0]
            problem = f"{'.'.join(str(part) for part in first['loc']) or 'the draft'}: {first['msg']}"
        except (ValueError, TypeError):
            problem = "the stored text is not valid JSON"
        raise DraftStoreError(
            f"draft {draft_id} in {self.path} cannot be read by this version of escalate-tui ({problem}); "
            "open it with the version that saved it, or delete the draft"
        )

    def recent(self, limit: int = 10) -> list[DraftSummary]:
        """Up to `limit` drafts not archived and not yet escalated (those are on the queue), most recently
        saved first."""
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        with self._session("list recent drafts") as conn:
            rows = conn.execute(
                """SELECT id, summary, customer, updated, severity, file FROM drafts
                WHERE archived IS NULL AND status = 'draft' ORDER BY updated DESC, id DESC LIMIT ?""",
                (limit,),
            ).fetchall()
        return [
            DraftSummary(draft_id, summary, customer, datetime.fromisoformat(updated).astimezone(UTC), severity,
                         Path(file) if file else None)
            for draft_id, summary, customer, updated, severity, file in rows
        ]

    def archive(self, draft_id: int, now: datetime) -> None:
        """Hide a draft from `recent` (it was exported or finished); the row is kept. KeyError if missing."""
        stamp = _stamp(now)
        with self._session(f"archive draft {draft_id}") as conn:
            cursor = conn.execute("UPDATE drafts SET archived = ? WHERE id = ?", (stamp, draft_id))
        if cursor.rowcount == 0:
            raise KeyError(draft_id)

    def delete(self, draft_id: int) -> None:
        """Remove a draft for good; nothing happens if it is already gone."""
        with self._session(f"delete draft {draft_id}") as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # --- escalations: status, events, versions, the queue ------------------------------

    def record(self, draft_id: int) -> Record:
        """Escalation `draft_id` as the queue shows it; KeyError if there is none."""
        with self._session(f"read escalation {draft_id}") as conn:
            return escalations.record(conn, draft_id)

    def escalate(self, draft_id: int, brief_text: str, severity: Severity, target: Target, who: str,
                 now: datetime) -> int:
        """Mark draft `draft_id` escalated: `brief_text`, as handed over, becomes version 1, and its
        clocks start. A case that needs a gate (`gate_reason`: a Leadership exception, a Security
        sign-off) has its approval requested in the same step, so it shows "approval needed" at once.
        EscalationError when it is not a draft; KeyError when there is none."""
        with self._session(f"escalate draft {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            escalations.append(conn, draft_id, Event(kind=EventKind.ESCALATED, at=now, who=who, severity=severity,
                                                     target=target, version=1), self.zone)
            gate = gate_reason(self._stored(conn, draft_id).escalation, target)
            if gate is not None:
                escalations.append(conn, draft_id, Event(kind=EventKind.APPROVAL_REQUESTED, at=now, who=actor(who),
                                                         reason=gate), self.zone)
            number = escalations.add_version(conn, draft_id, _storable(brief_text), who, now)
            assert number == 1  # a draft has no versions yet
        return 1

    def log(self, draft_id: int, event: Event) -> StoredEvent:
        """Append `event` to the escalation's log; EscalationError when its status does not allow it."""
        with self._session(f"log on escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")  # the status read and the append are one step for every instance
            return escalations.append(conn, draft_id, event, self.zone)

    def change(self, draft_id: int, event: Event, now: datetime) -> tuple[StoredEvent, int]:
        """A severity or target change: logged, and made the case's override (with the same reason),
        so the brief says what the record says. The event and the draft's new revision."""
        if event.kind not in (EventKind.SEVERITY_CHANGED, EventKind.TARGET_CHANGED):
            raise ValueError(f"{event.kind} is not a change of severity or target")
        with self._session(f"change escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            stored = self._stored(conn, draft_id)
            esc = stored.escalation
            if event.severity is not None:
                esc.severity_override = SeverityOverride(value=event.severity, reason=event.reason)
            if event.target is not None:
                esc.target_override = TargetOverride(value=event.target, reason=event.reason)
            logged = escalations.append(conn, draft_id, event, self.zone)
            body, _, _ = _columns(esc)
            revision = stored.revision + 1
            conn.execute("UPDATE drafts SET body = ?, revision = ?, updated = ? WHERE id = ?",
                         (body, revision, _stamp(now), draft_id))
        return logged, revision

    def add_version(self, draft_id: int, brief_text: str, who: str, now: datetime) -> int | None:
        """Keep the brief of an escalated case as its next version when it differs from the last one
        (and log it); its number, or None when nothing changed or the case is still a draft."""
        with self._session(f"keep a version of escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            if escalations.state(conn, draft_id).status is Status.DRAFT:
                return None
            number = escalations.add_version(conn, draft_id, _storable(brief_text), who, now)
            if number is not None:
                escalations.append(conn, draft_id, Event(kind=EventKind.VERSION_SAVED, at=now, who=who,
                                                         version=number), self.zone)
        return number

    def versions(self, draft_id: int) -> list[Version]:
        with self._session(f"read the versions of escalation {draft_id}") as conn:
            return escalations.versions(conn, draft_id)

    def timeline(self, draft_id: int) -> list[StoredEvent]:
        """Every event of escalation `draft_id`, oldest first; KeyError if there is none."""
        with self._session(f"read the timeline of escalation {draft_id}") as conn:
            escalations.record(conn, draft_id)
            return escalations.events(conn, draft_id)

    def queue(self, limit: int | None = None, offset: int = 0, text: str = "", severity: Severity | None = None,
              target: Target | None = None) -> list[Record]:
        """Open escalations, the one due first at the top. `text`: only those whose summary, customer,
        owner or acknowledger hold each of its words (any case); `severity`, `target`: only those."""
        with self._session("read the queue") as conn:
            return escalations.queue(conn, limit, offset, text, severity, target)

    def open_count(self, text: str = "", severity: Severity | None = None, target: Target | None = None) -> int:
        """How many open escalations there are (narrowed as `queue` narrows them)."""
        with self._session("count open escalations") as conn:
            return escalations.open_count(conn, text, severity, target)

    def file_of(self, draft_id: int) -> Path | None:
        """The brief file draft `draft_id` belongs to, if any."""
        with self._session(f"read the file of draft {draft_id}") as conn:
            row = conn.execute("SELECT file FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        return Path(row[0]) if row is not None and row[0] else None

    def similar(self, esc: Escalation, exclude: int | None, closed_since: datetime, limit: int = 10) -> list[Similar]:
        """Open escalations, and those closed since `closed_since`, that look like `esc`."""
        summary, description, errors, _ = search_columns(esc.model_dump(mode="json"))
        words = terms(summary, description, errors)
        query = query_terms(summary, description, errors)
        with self._session("look for similar escalations") as conn:
            return escalations.similar(conn, words, exclude, closed_since, limit, query_words=query)

    def link(self, draft_ids: list[int], who: str, now: datetime, reason: str) -> None:
        """Link these escalations as one pattern: an event on each naming the others."""
        with self._session("link escalations") as conn:
            conn.execute("BEGIN IMMEDIATE")
            for draft_id in draft_ids:
                others = tuple(sorted(other for other in set(draft_ids) if other != draft_id))
                if others:
                    escalations.append(conn, draft_id, Event(kind=EventKind.LINKED, at=now, who=who, linked=others,
                                                             reason=reason), self.zone)

    # --- answers from chat apps: each recorded once ---------------------------------------

    def record_inbound(self, event_id: str, source: str, draft_id: int, event: Event,
                       received: datetime) -> StoredEvent | None:
        """Log `event` (an answer clicked on a card) on escalation `draft_id` unless an answer with
        `event_id` was recorded already (then None). KeyError when there is no such escalation;
        EscalationError when its status does not take the event. One step for every process."""
        with self._session(f"record an answer on escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return inbound.record(conn, event_id, source, draft_id, event, received, self.zone)

    def answers_latest(self) -> int:
        """Where `answers_since` starts: the position of the newest answer recorded so far."""
        with self._session("look up the answers") as conn:
            return inbound.latest(conn)

    def answers_since(self, after: int) -> list[tuple[int, StoredEvent]]:
        """Answers recorded after position `after`, by any process sharing the file, oldest first."""
        with self._session("read the answers") as conn:
            return inbound.since(conn, after)

    def inbound_seen(self, event_id: str) -> bool:
        """Whether an answer with `event_id` was recorded."""
        with self._session("look up an answer") as conn:
            return inbound.seen(conn, event_id)

    # --- the outbox: sends written down before they leave ---------------------------------

    def enqueue(self, draft_id: int, destination: str, kind: str, title: str, body: object, idempotency_key: str,
                version: int | None, now: datetime) -> tuple[OutboxItem, bool]:
        """Write a send down as pending; a second one with the same idempotency key creates nothing and
        returns the first. The item and whether it is new. KeyError when there is no such escalation."""
        with self._session(f"queue a send of escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.enqueue(conn, draft_id, destination, kind, title, body, idempotency_key, version, now)

    def claim_sends(self, holder: str, now: datetime, lease: timedelta, limit: int = 32) -> list[OutboxItem]:
        """Up to `limit` sends due now, leased to `holder` so no other process delivers them meanwhile."""
        with self._session("claim sends from the outbox") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.claim(conn, holder, now, lease, limit)

    def release_send(self, item_id: int, holder: str, now: datetime) -> bool:
        with self._session(f"give back send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.release(conn, item_id, holder, now)

    def send_delivered(self, item_id: int, holder: str, now: datetime, remote_id: str = "", remote_url: str = "",
                       note: str = "") -> OutboxItem | None:
        """Record a delivery, with its "Sent" event, in one step; None if `holder` lost the claim."""
        with self._session(f"record the delivery of send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.delivered(conn, item_id, holder, now, remote_id, remote_url, note)

    def send_again(self, item_id: int, holder: str, now: datetime, error: str, when: datetime,
                   unclear: bool = False, hold_until: datetime | None = None) -> OutboxItem | None:
        with self._session(f"reschedule send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.again(conn, item_id, holder, now, error, when, unclear, hold_until)

    def hurry_sends(self, destination: str, now: datetime) -> int:
        """Make the sends to `destination` that wait out a backoff due now (it answers again)."""
        with self._session(f"bring forward the sends to {destination}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.hurry(conn, destination, now)

    def send_failed(self, item_id: int, holder: str, now: datetime, error: str) -> OutboxItem | None:
        """Record that a send stopped, with its "Send failed" event, in one step."""
        with self._session(f"record the failure of send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.failed(conn, item_id, holder, now, error)

    def send_uncertain(self, item_id: int, holder: str, now: datetime, error: str) -> OutboxItem | None:
        with self._session(f"record send {item_id} as uncertain") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.uncertain(conn, item_id, holder, now, error)

    def retry_send(self, item_id: int, now: datetime) -> OutboxItem:
        """A failed send pending again, due now. KeyError if missing; OutboxError if it is not failed."""
        with self._session(f"retry send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.retry(conn, item_id, now)

    def resolve_send(self, item_id: int, arrived: bool, who: str, reason: str, now: datetime) -> OutboxItem:
        """A person's answer about a send that may have landed. KeyError if missing; OutboxError if it is
        not uncertain."""
        with self._session(f"resolve send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return outbox.resolve(conn, item_id, arrived, who, reason, now)

    def send(self, item_id: int) -> OutboxItem:
        with self._session(f"read send {item_id}") as conn:
            return outbox.get(conn, item_id)

    def sends(self, states: tuple[OutboxState, ...] = (), draft_id: int | None = None,
              limit: int | None = None) -> list[OutboxItem]:
        """Sends in these states (all when none), of one escalation if given, newest first."""
        with self._session("list the outbox") as conn:
            return outbox.items(conn, states, draft_id, limit)

    def next_send_due(self) -> datetime | None:
        with self._session("read the outbox") as conn:
            return outbox.next_due(conn)

    def send_counts(self) -> dict[OutboxState, int]:
        with self._session("count the outbox") as conn:
            return outbox.counts(conn)

    def cards_behind(self, limit: int = 100) -> list[outbox.CardBehind]:
        """Sent lark_app / slack_app cards that do not show their escalation's newest change yet."""
        with self._session("look for cards to update") as conn:
            return outbox.cards_behind(conn, limit)

    def card_followed(self, item_id: int, event_id: int, now: datetime, error: str | None = None) -> None:
        """Send `item_id`'s card shows its escalation up to event `event_id`; with `error`, it stops
        being followed there, and why is kept as the send's last error."""
        with self._session(f"record the card of send {item_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            outbox.card_followed(conn, item_id, event_id, now, error)

    def card_event(self, item_id: int) -> int | None:
        """The newest event send `item_id`'s card shows (None: none since it was sent)."""
        with self._session(f"read send {item_id}") as conn:
            return outbox.card_event(conn, item_id)

    # --- follow-ups of a Lark app: a wiki page per send, a task per take ------------------------

    def follow_ups_due(self, page_destinations: Sequence[str], task_destinations: Sequence[str],
                       limit: int = 50) -> list[follow_ups.FollowUp]:
        """Pages and tasks the lark_app destinations named still owe (see `follow_ups`), oldest first."""
        with self._session("look for follow-ups to do") as conn:
            return (follow_ups.pages_due(conn, page_destinations, limit)
                    + follow_ups.tasks_due(conn, task_destinations, limit))

    def log_follow_up(self, draft_id: int, event: Event) -> StoredEvent | None:
        """Log a follow-up step unless the same step for the same event is logged already (then None)."""
        with self._session(f"log a follow-up on escalation {draft_id}") as conn:
            conn.execute("BEGIN IMMEDIATE")
            return follow_ups.log_once(conn, draft_id, event, self.zone)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _session(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, held alone, inside one transaction; SQLite errors become DraftStoreError."""
        with self._lock:
            try:
                with self._conn:
                    yield self._conn
            except sqlite3.ProgrammingError:  # a bug, such as using a closed store: keep the traceback
                raise
            except sqlite3.Error as error:
                raise DraftStoreError(f"could not {doing} in {self.path}: {_advice(error)}") from error

    def _prepare(self) -> None:
        conn = self._conn
        try:
            conn.execute("PRAGMA busy_timeout = 3000")
            conn.execute("PRAGMA foreign_keys = ON")
            # The version is checked before switching to WAL, which writes to the file.
            if self._schema_version() == 0:
                with conn:
                    conn.execute("BEGIN IMMEDIATE")  # another app instance may be creating it right now
                    if self._schema_version() == 0:
                        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                            raise DraftStoreError(
                                f"{self.path} is a database of some other program, not escalate-tui drafts; "
                                "move it aside and restart"
                            )
                        schema.run(conn, schema.CREATE)
            if self._schema_version() < schema.SCHEMA_VERSION:
                with conn:
                    conn.execute("BEGIN IMMEDIATE")
                    while (version := self._schema_version()) < schema.SCHEMA_VERSION:
                        schema.run(conn, schema.MIGRATIONS[version])
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as error:
            if schema.code(error) in schema.UNREADABLE:
                raise self._unreadable() from None
            raise DraftStoreError(f"cannot open {self.path}: {_advice(error)}") from None

    def _schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise DraftStoreError(
                f"{self.path} was written by a newer escalate-tui (drafts schema {version}; this version "
                f"reads {schema.SCHEMA_VERSION}); upgrade escalate-tui, or move the file aside and restart"
            )
        return version

    def _unreadable(self) -> DraftStoreError:
        return DraftStoreError(f"{self.path} is not a database this app can read; move it aside and restart")


def _move_aside(path: Path, why: str) -> MovedAside:
    """Rename the database, and its log and index files, to `NAME.unusable-STAMP` and friends."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.unusable-{stamp}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}.unusable-{stamp}-{number}")
    try:
        os.replace(path, kept)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, kept.with_name(kept.name + suffix))
    except OSError as error:
        raise DraftStoreError(
            f"{path} {why}, and it could not be moved aside ({error.strerror or error}); move it away and restart"
        ) from None
    return MovedAside(kept, why)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its log files the same
    permissions); a file of ours that others may read is made private."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
        return
    os.close(descriptor)


def _columns(esc: Escalation) -> tuple[str, str, str]:
    """The JSON body, summary and customer name, ready for SQLite (which stores only valid UTF-8)."""
    try:
        body = esc.model_dump_json()
    except PydanticSerializationError:  # a lone surrogate, e.g. from a broken paste: json.dumps escapes it
        body = json.dumps(esc.model_dump(mode="json"))
    summary, customer = (_storable(text) for text in (esc.summary, esc.customer.name))
    return body, summary, customer


def _file_key(file: Path | None) -> str | None:
    """How a brief file is recorded: its absolute path, so the same file is found from any folder."""
    return None if file is None else _storable(str(Path(file).expanduser().absolute()))


def _storable(text: str) -> str:
    """`text` as SQLite can store it (valid UTF-8): a lone surrogate from a broken paste becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _assessed_changes(esc: Escalation, severity: str, target: str, current: State, now: datetime) -> list[Event]:
    """The severity and target changes an edit of an open escalation made (an override in the Impact
    step, or new facts), as events; none unless both values are given."""
    if not severity or not target:
        return []
    changes: list[Event] = []
    override = esc.severity_override
    if current.severity is not None and severity != current.severity.value:
        reason = (override.reason if override is not None and override.value.value == severity
                  else "the case was edited and the rules now assess it differently")
        changes.append(Event(kind=EventKind.SEVERITY_CHANGED, at=now, who=actor(esc.reporter.name),
                             severity=Severity(severity), previous=current.severity.value, reason=reason))
    retarget = esc.target_override
    if current.target is not None and target != current.target.value:
        reason = (retarget.reason if retarget is not None and retarget.value.value == target
                  else "the case was edited and the rules now route it differently")
        changes.append(Event(kind=EventKind.TARGET_CHANGED, at=now, who=actor(esc.reporter.name), target=Target(target),
                             previous=current.target.value, reason=reason))
    return changes


def _stamp(now: datetime) -> str:
    """ISO 8601 in UTC, always with microseconds, so that text order is time order."""
    if now.utcoffset() is None:
        raise ValueError(f"{now} has no time zone; pass an aware datetime")
    return now.astimezone(UTC).isoformat(timespec="microseconds")


def _advice(error: Exception) -> str:
    return (error.strerror or str(error)) if isinstance(error, OSError) else _ADVICE.get(schema.code(error), str(error))
