"""The store's layout: the tables of each schema version, the migrations between them, and the
check that tells a usable database from one to move aside.

Migrations only move forward and only add: columns, tables, indexes, and rows derived from what is
there. Events and brief versions are append-only, enforced by SQLite itself (triggers), so no
code path, ours or a script's, can rewrite an escalation's history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tui.domain.similarity import search_columns

SCHEMA_VERSION = 8
SQLITE_MAGIC = b"SQLite format 3\x00"
OPEN_SQL = "('escalated', 'acknowledged', 'taken')"  # the open statuses, as the queue's index names them

_DRAFTS_V4 = (
    "CREATE TABLE drafts (id INTEGER PRIMARY KEY, created TEXT NOT NULL, updated TEXT NOT NULL,"
    " summary TEXT NOT NULL DEFAULT '', customer TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL DEFAULT '',"
    " archived TEXT NULL, body TEXT NOT NULL, final_text TEXT NULL, file TEXT NULL,"
    " revision INTEGER NOT NULL DEFAULT 1)",
    "CREATE INDEX drafts_recent ON drafts (archived, updated)",
    "CREATE INDEX drafts_file ON drafts (file)",
)
# Version 5: drafts become escalations with a status, an event log, kept brief versions and a search index.
_ESCALATION_COLUMNS = (
    ("status", "TEXT NOT NULL DEFAULT 'draft'"),
    ("target", "TEXT NOT NULL DEFAULT ''"),
    ("owner", "TEXT NOT NULL DEFAULT ''"),
    ("acknowledged_by", "TEXT NOT NULL DEFAULT ''"),
    ("escalated", "TEXT NULL"),
    ("closed", "TEXT NULL"),
    ("internal_due", "TEXT NULL"),
    ("customer_due", "TEXT NULL"),
    ("next_due", "TEXT NULL"),
    ("snoozed_until", "TEXT NULL"),
)
_V5_ADDITIONS = (
    *(f"ALTER TABLE drafts ADD COLUMN {name} {kind}" for name, kind in _ESCALATION_COLUMNS),
    f"CREATE INDEX drafts_open_by_due ON drafts (next_due, id) WHERE status IN {OPEN_SQL}",
    "CREATE INDEX drafts_closed ON drafts (closed) WHERE closed IS NOT NULL",
    "CREATE TABLE events (id INTEGER PRIMARY KEY, escalation INTEGER NOT NULL REFERENCES drafts (id)"
    " ON DELETE CASCADE, at TEXT NOT NULL, who TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,"
    " data TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX events_of ON events (escalation, id)",
    "CREATE TABLE versions (escalation INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
    " number INTEGER NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,"
    " PRIMARY KEY (escalation, number)) WITHOUT ROWID",
    # History is never rewritten; only a draft never escalated may be removed, and its log with it.
    "CREATE TRIGGER events_never_change BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'the events of an escalation are never changed'); END",
    "CREATE TRIGGER events_never_removed BEFORE DELETE ON events"
    " WHEN EXISTS (SELECT 1 FROM drafts WHERE id = OLD.escalation)"
    " BEGIN SELECT RAISE(ABORT, 'the events of an escalation are never removed'); END",
    "CREATE TRIGGER versions_never_change BEFORE UPDATE ON versions"
    " BEGIN SELECT RAISE(ABORT, 'a brief version is never changed'); END",
    "CREATE TRIGGER versions_never_removed BEFORE DELETE ON versions"
    " WHEN EXISTS (SELECT 1 FROM drafts WHERE id = OLD.escalation)"
    " BEGIN SELECT RAISE(ABORT, 'a brief version is never removed'); END",
    "CREATE TRIGGER escalations_kept BEFORE DELETE ON drafts WHEN OLD.status != 'draft'"
    " BEGIN SELECT RAISE(ABORT, 'an escalation is never removed, only a draft'); END",
    # `state` holds one word, "draft", "open" or "closedYYYYMM" (see escalations.search_state), so the
    # similar-case search ranks only the open and the recently closed instead of the whole history.
    "CREATE VIRTUAL TABLE search USING fts5(summary, description, errors, customers, state,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_follows_removal AFTER DELETE ON drafts"
    " BEGIN DELETE FROM search WHERE rowid = OLD.id; END",
)

# Version 6: the outbox, each send written down before it is delivered, so none is lost or made twice.
OUTBOX_STATES = ("pending", "sending", "delivered", "failed", "uncertain")
_V6_ADDITIONS = (
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY, draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
    " destination TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
    " idempotency_key TEXT NOT NULL UNIQUE,"
    f" state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN {OUTBOX_STATES!r}),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_attempt TEXT NOT NULL, lease_until TEXT NULL,"
    " holder TEXT NOT NULL DEFAULT '', unclear INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
    " remote_id TEXT NOT NULL DEFAULT '', remote_url TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,"
    " updated TEXT NOT NULL, delivered_at TEXT NULL, version INTEGER NULL, answered_by TEXT NOT NULL DEFAULT '',"
    " answer TEXT NOT NULL DEFAULT '', hold_until TEXT NULL)",
    "CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE state = 'pending'",
    "CREATE INDEX outbox_leased ON outbox (lease_until, id) WHERE state = 'sending'",
    "CREATE INDEX outbox_of ON outbox (draft_id, id)",
    "CREATE INDEX outbox_by_state ON outbox (state, id)",
)

# Version 7 (issue 12): answers from chat apps and the approval gate. Each part keeps its own entry.
# - callbacks: each answer (a button clicked on a card) by its event id, so a delivery repeated by the
#   platform or by two receivers is recorded once.
_V7_INBOUND = (
    "CREATE TABLE inbound (event_id TEXT PRIMARY KEY, source TEXT NOT NULL, escalation INTEGER NOT NULL,"
    " action TEXT NOT NULL, received TEXT NOT NULL, event INTEGER NULL)",
)
# - the approval gate: where it stands ("needed", "approved", "rejected", or "" for a case without one),
#   written by escalations.refresh from the log so the queue reads it with the row.
_V7_APPROVAL = ("ALTER TABLE drafts ADD COLUMN approval TEXT NOT NULL DEFAULT ''",)
# - cards that follow the escalation: the newest event a sent lark_app / slack_app card shows (NULL: none
#   since it was sent), so a card behind is found and updated even after a crash.
_V7_CARDS = ("ALTER TABLE outbox ADD COLUMN card_event INTEGER NULL",)
_V7_ADDITIONS = (*_V7_INBOUND, *_V7_APPROVAL, *_V7_CARDS)

# Version 8 (issue 13): local exports imported for the Context step's search: tickets, accounts and known-issue
# articles, each row remembering the file it came from (re-importing a file replaces exactly its rows), and
# the files themselves (size, mtime, hash) so an unchanged file is never read twice.
# The full-text indexes are external-content FTS5 tables: the text is stored once, in the content table the
# row's other columns live in anyway, and triggers keep the index in step with every insert and delete.
_FTS = "tokenize = 'unicode61 remove_diacritics 2'"
CONTEXT_TABLES = {
    "tickets": ("source", "ext_id", "subject", "body", "customer", "requester", "status", "priority", "created",
                "updated", "url"),
    "accounts": ("name", "plan", "arr", "owner", "segment", "domain"),
    "articles": ("path", "title", "body", "workaround"),
}
CONTEXT_INDEXED = {"tickets": ("subject", "body", "customer", "requester"),
                   "accounts": ("name", "domain", "owner", "segment", "plan"),
                   "articles": ("title", "body", "workaround")}


def _context_table(table: str) -> tuple[str, ...]:
    columns = CONTEXT_TABLES[table]
    indexed = CONTEXT_INDEXED[table]
    text = "TEXT NOT NULL DEFAULT ''"
    declared = ", ".join(f"{name} {'INTEGER NULL' if name == 'arr' else text}" for name in columns)
    listed = ", ".join(indexed)
    new = ", ".join(f"new.{name}" for name in indexed)
    old = ", ".join(f"old.{name}" for name in indexed)
    return (
        f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, file TEXT NOT NULL, {declared})",
        f"CREATE INDEX {table}_of_file ON {table} (file)",
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5({listed}, content = '{table}', content_rowid = 'id', {_FTS})",
        f"CREATE TRIGGER {table}_indexed AFTER INSERT ON {table}"
        f" BEGIN INSERT INTO {table}_fts (rowid, {listed}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {table}_unindexed AFTER DELETE ON {table}"
        f" BEGIN INSERT INTO {table}_fts ({table}_fts, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
    )


_V8_ADDITIONS = (
    "CREATE TABLE imported_files (path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, imported_at TEXT NOT NULL, rows INTEGER NOT NULL)",
    *_context_table("tickets"),
    "CREATE INDEX tickets_newest ON tickets (updated DESC, id DESC)",
    *_context_table("accounts"),
    *_context_table("articles"),
)

Step = str | Callable[[sqlite3.Connection], None]


def storable(text: str) -> str:
    """`text` as SQLite can store it (valid UTF-8): a lone surrogate from a broken paste becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def search_row(data: object) -> tuple[str, str, str, str]:
    """The search index's columns for a case given as its JSON data."""
    columns = search_columns(data if isinstance(data, dict) else {})
    return storable(columns[0]), storable(columns[1]), storable(columns[2]), storable(columns[3])


def _index_and_log_existing(conn: sqlite3.Connection) -> None:
    """Drafts saved before version 5: each gets its "created" event and its place in the search index."""
    conn.execute("INSERT INTO events (escalation, at, kind) SELECT id, created, 'created' FROM drafts ORDER BY id")
    for draft_id, body in conn.execute("SELECT id, body FROM drafts").fetchall():
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        conn.execute("INSERT INTO search (rowid, summary, description, errors, customers, state)"
                     " VALUES (?, ?, ?, ?, ?, 'draft')", (draft_id, *search_row(data)))


# A new database: every step from nothing, in order.
CREATE: tuple[Step, ...] = (*_DRAFTS_V4, *_V5_ADDITIONS, *_V6_ADDITIONS, *_V7_ADDITIONS,
                            *_V8_ADDITIONS, f"PRAGMA user_version = {SCHEMA_VERSION}")
# From each older schema version to the next one; they only ever add.
MIGRATIONS: dict[int, tuple[Step, ...]] = {
    1: ("ALTER TABLE drafts ADD COLUMN final_text TEXT NULL", "PRAGMA user_version = 2"),  # the hand-edited brief
    2: ("ALTER TABLE drafts ADD COLUMN file TEXT NULL", "CREATE INDEX drafts_file ON drafts (file)",  # its brief file
        "PRAGMA user_version = 3"),
    3: ("ALTER TABLE drafts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1", "PRAGMA user_version = 4"),
    4: (*_V5_ADDITIONS, _index_and_log_existing, "PRAGMA user_version = 5"),
    5: (*_V6_ADDITIONS, "PRAGMA user_version = 6"),
    6: (*_V7_ADDITIONS, "PRAGMA user_version = 7"),
    7: (*_V8_ADDITIONS, "PRAGMA user_version = 8"),
}


def run(conn: sqlite3.Connection, steps: tuple[Step, ...]) -> None:
    for step in steps:
        if isinstance(step, str):
            conn.execute(step)
        else:
            step(conn)


# The columns and tables each schema version has, to tell a damaged schema from an old one.
_BASE_COLUMNS = frozenset({"id", "created", "updated", "summary", "customer", "severity", "archived", "body"})
_V4_COLUMNS = _BASE_COLUMNS | {"final_text", "file", "revision"}
COLUMNS = {1: _BASE_COLUMNS, 2: _BASE_COLUMNS | {"final_text"}, 3: _BASE_COLUMNS | {"final_text", "file"},
           4: _V4_COLUMNS, 5: _V4_COLUMNS | {name for name, _ in _ESCALATION_COLUMNS},
           6: _V4_COLUMNS | {name for name, _ in _ESCALATION_COLUMNS},
           7: _V4_COLUMNS | {name for name, _ in _ESCALATION_COLUMNS} | {"approval"},  # approval: _V7_APPROVAL
           8: _V4_COLUMNS | {name for name, _ in _ESCALATION_COLUMNS} | {"approval"}}
OUTBOX_V6_COLUMNS = frozenset({"id", "draft_id", "destination", "type", "title", "body", "idempotency_key", "state",
                            "attempts", "next_attempt", "lease_until", "holder", "unclear", "last_error", "remote_id",
                            "remote_url", "created", "updated", "delivered_at", "version", "answered_by", "answer",
                            "hold_until"})
OUTBOX_COLUMNS = OUTBOX_V6_COLUMNS | {"card_event"}  # card_event: _V7_CARDS
INBOUND_COLUMNS = frozenset({"event_id", "source", "escalation", "action", "received", "event"})
SEARCH_COLUMNS = frozenset({"summary", "description", "errors", "customers", "state"})
_V5_TABLES = frozenset({"drafts", "events", "versions", "search"})
TABLES = {1: {"drafts"}, 2: {"drafts"}, 3: {"drafts"}, 4: {"drafts"}, 5: _V5_TABLES, 6: _V5_TABLES | {"outbox"},
          7: _V5_TABLES | {"outbox", "inbound"},
          8: _V5_TABLES | {"outbox", "inbound", "imported_files", *CONTEXT_TABLES,
                           *(f"{table}_fts" for table in CONTEXT_TABLES)}}
UNREADABLE = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def code(error: Exception) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary code, without extended bits


def why_unusable(path: Path) -> str | None:
    """Why the database at `path` cannot be used as it is, read without writing to it; None when it
    can (or does not exist yet). A file that is busy or cannot be read is left for SQLite to report."""
    try:
        if path.stat().st_size == 0:
            return None
    except OSError:
        return None
    if _has_foreign_header(path):
        return "is not a SQLite database"
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=3.0)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
            return "is damaged (SQLite's integrity check failed)"
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            return (f"was written by a newer escalate-tui (drafts schema {version}; this version reads up to "
                    f"{SCHEMA_VERSION})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0:
            return "belongs to some other program" if tables else None
        missing_tables = sorted(TABLES[version] - tables)
        if missing_tables:
            return f"is missing parts of its layout (the tables {', '.join(missing_tables)})"
        columns = {row[1] for row in conn.execute("PRAGMA table_info(drafts)")}
        missing = sorted(COLUMNS[version] - columns)
        if missing:
            return f"is missing parts of its layout (the columns {', '.join(missing)} of its drafts table)"
        if version >= 5:
            indexed = {row[1] for row in conn.execute("PRAGMA table_info(search)")}
            missing = sorted(SEARCH_COLUMNS - indexed)
            if missing:
                return f"is missing parts of its layout (the columns {', '.join(missing)} of its search index)"
        if version >= 6:
            kept = {row[1] for row in conn.execute("PRAGMA table_info(outbox)")}
            missing = sorted((OUTBOX_COLUMNS if version >= 7 else OUTBOX_V6_COLUMNS) - kept)
            if missing:
                return f"is missing parts of its layout (the columns {', '.join(missing)} of its outbox)"
        if version >= 7:
            heard = {row[1] for row in conn.execute("PRAGMA table_info(inbound)")}
            missing = sorted(INBOUND_COLUMNS - heard)
            if missing:
                return f"is missing parts of its layout (the columns {', '.join(missing)} of its answers table)"
    except sqlite3.DatabaseError as error:
        if code(error) in UNREADABLE:
            return "is damaged (SQLite cannot read it)"
        return None  # busy, locked, unreadable: opening it for real says what to do
    finally:
        conn.close()
    return None


def _has_foreign_header(path: Path) -> bool:
    """A non-empty file that does not start like a SQLite database (an empty one SQLite fills in)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:  # missing, or unreadable: SQLite will say which
        return False
    return bool(head) and head != SQLITE_MAGIC
