"""Local exports imported for the Context step's search: tickets, accounts and known-issue articles in
the drafts database, searched with FTS5 and ranked by bm25 (lower is better, as SQLite reports it).

Each row remembers the file it came from. Importing a file replaces exactly its rows in one
`BEGIN IMMEDIATE` transaction, so a search never sees a file half imported, and another process
sharing the database waits instead of interleaving. The file's size, mtime and hash are kept so an
unchanged file is not read again (`is_current`, `same_content`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from tui.store.drafts import DraftStore, DraftStoreError
from tui.store.schema import CONTEXT_TABLES, code, storable

# bm25 weights per indexed column (schema.CONTEXT_INDEXED order): a word in a title or a name counts
# more than the same word deep in a description.
_WEIGHTS = {"tickets": "5.0, 1.0, 3.0, 1.0", "accounts": "10.0, 4.0, 1.0, 1.0, 1.0", "articles": "5.0, 1.0, 2.0"}


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What identifies one version of an imported file."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class TicketRow:
    source: str  # the export's flavour: zendesk, freshdesk, json …
    ext_id: str
    subject: str
    body: str = ""
    customer: str = ""
    requester: str = ""
    status: str = ""
    priority: str = ""
    created: str = ""  # ISO 8601 when the export's date could be read, else as written
    updated: str = ""
    url: str = ""
    rank: float = 0.0  # bm25 of a search (lower is better); 0 for the newest-first listing


@dataclass(frozen=True, slots=True)
class AccountRow:
    name: str
    plan: str = ""
    arr: int | None = None
    owner: str = ""
    segment: str = ""
    domain: str = ""
    rank: float = 0.0


@dataclass(frozen=True, slots=True)
class ArticleRow:
    path: str
    title: str
    body: str = ""
    workaround: str = ""
    rank: float = 0.0


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

Row = TypeVar("Row", TicketRow, AccountRow, ArticleRow)


class ContextIndexError(Exception):
    """The imported copies cannot be read or written; the message says which file and what to do."""


def match_expression(text: str, any_word: bool = False) -> str:
    """User text as an FTS5 query that cannot break MATCH: each word a quoted string (its quotes
    doubled), all of them required (or, with `any_word`, any one), the last one also matching as a
    prefix (the word being typed). Empty when the text has no word in it."""
    text = _CONTROL.sub(" ", text)  # a NUL would end FTS5's quoted string early
    words = [word for word in text.split() if any(char.isalnum() for char in word)]
    quoted = ['"' + storable(word).replace('"', '""') + '"' for word in words]
    if quoted:
        quoted[-1] += "*"
    return (" OR " if any_word else " ").join(quoted)


class ContextIndex:
    """The imported exports in the drafts database at `path`. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        DraftStore(self.path).close()  # creates or migrates the schema, or moves an unusable file aside
        try:
            self._conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA busy_timeout = 5000")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise ContextIndexError(f"cannot open {self.path}: {error}") from None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> ContextIndex:
        try:
            return cls(path)
        except DraftStoreError as error:
            raise ContextIndexError(str(error)) from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ContextIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # Which files are imported

    def is_current(self, path: str, size: int, mtime_ns: int) -> bool:
        """Whether `path` was imported as it is now (same size and modification time)."""
        with self._read("check an imported file") as conn:
            row = conn.execute("SELECT size, mtime_ns FROM imported_files WHERE path = ?", (path,)).fetchone()
        return row is not None and (int(row[0]), int(row[1])) == (size, mtime_ns)

    def same_content(self, stamp: FileStamp) -> bool:
        """Whether `stamp`'s file was imported with the same content (a touch, not a change); if so its
        size and time are brought up to date so the next check is quick."""
        with self._write("check an imported file") as conn:
            row = conn.execute("SELECT sha256 FROM imported_files WHERE path = ?", (stamp.path,)).fetchone()
            if row is None or row[0] != stamp.sha256:
                return False
            conn.execute("UPDATE imported_files SET size = ?, mtime_ns = ? WHERE path = ?",
                         (stamp.size, stamp.mtime_ns, stamp.path))
        return True

    def imported(self, kind: str) -> list[str]:
        """The paths imported as `kind` (tickets, accounts, articles)."""
        with self._read("list imported files") as conn:
            return [row[0] for row in conn.execute("SELECT path FROM imported_files WHERE kind = ? ORDER BY path",
                                                   (kind,))]

    def forget(self, path: str) -> None:
        """Remove what came from `path` (the file is gone)."""
        with self._write(f"forget {path}") as conn:
            self._drop(conn, path)

    # Imports: each replaces what came from that file, in one transaction

    def import_tickets(self, stamp: FileStamp, rows: Iterable[TicketRow]) -> int:
        return self._import("tickets", stamp, rows)

    def import_accounts(self, stamp: FileStamp, rows: Iterable[AccountRow]) -> int:
        return self._import("accounts", stamp, rows)

    def import_articles(self, stamp: FileStamp, rows: Iterable[ArticleRow]) -> int:
        return self._import("articles", stamp, rows)

    def _import(self, table: str, stamp: FileStamp, rows: Iterable[Any]) -> int:
        columns = CONTEXT_TABLES[table]
        sql = (f"INSERT INTO {table} (file, {', '.join(columns)}) VALUES (?, {', '.join('?' for _ in columns)})")
        with self._write(f"import {stamp.path}") as conn:
            self._drop(conn, stamp.path)
            count = 0
            for row in rows:
                values = astuple(row)[: len(columns)]  # the rank, last, is not stored
                conn.execute(sql, (stamp.path, *(storable(v) if isinstance(v, str) else v for v in values)))
                count += 1
            conn.execute("INSERT INTO imported_files (path, kind, size, mtime_ns, sha256, imported_at, rows)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (stamp.path, table, stamp.size, stamp.mtime_ns, stamp.sha256,
                          datetime.now(UTC).isoformat(timespec="seconds"), count))
        return count

    @staticmethod
    def _drop(conn: sqlite3.Connection, path: str) -> None:
        for table in CONTEXT_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE file = ?", (path,))
        conn.execute("DELETE FROM imported_files WHERE path = ?", (path,))

    # Searches: best match first (bm25); an empty query lists the newest

    def search_tickets(self, text: str, customer: str = "", limit: int = 50) -> list[TicketRow]:
        """Tickets matching `text`, the customer's own first (when given), then by bm25. With no words
        in `text`: the newest tickets, the customer's first."""
        mine = "(t.customer = ? COLLATE NOCASE) DESC"
        expression = match_expression(text)
        if not expression:
            sql = f"SELECT {_select('tickets')}, 0.0 FROM tickets t ORDER BY {mine}, t.updated DESC, t.id DESC LIMIT ?"
            return self._rows(TicketRow, sql, (customer, limit))
        sql = (f"SELECT {_select('tickets')}, bm25(tickets_fts, {_WEIGHTS['tickets']}) AS rank"
               f" FROM tickets_fts JOIN tickets t ON t.id = tickets_fts.rowid WHERE tickets_fts MATCH ?"
               f" ORDER BY {mine}, rank LIMIT ?")
        found = self._rows(TicketRow, sql, (expression, customer, limit))
        if not found and " " in expression:  # no ticket has every word: those with the most of them
            found = self._rows(TicketRow, sql, (match_expression(text, any_word=True), customer, limit))
        return found

    def search_accounts(self, text: str, customer: str = "", limit: int = 50) -> list[AccountRow]:
        """Accounts matching `text` by bm25, and the account named `customer` (first) when there is one."""
        expression = match_expression(text)
        named = (f"SELECT {_select('accounts')}, -1e9 FROM accounts t WHERE t.name = ? COLLATE NOCASE AND ? != ''")
        if not expression:
            return self._rows(AccountRow, f"{named} LIMIT ?", (customer, customer, limit))
        sql = (f"SELECT * FROM ({named} UNION ALL SELECT {_select('accounts')}, bm25(accounts_fts,"
               f" {_WEIGHTS['accounts']}) FROM accounts_fts JOIN accounts t ON t.id = accounts_fts.rowid"
               " WHERE accounts_fts MATCH ? AND t.name != ? COLLATE NOCASE) ORDER BY 7 LIMIT ?")
        return self._rows(AccountRow, sql, (customer, customer, expression, customer, limit))

    def search_articles(self, text: str, limit: int = 50) -> list[ArticleRow]:
        """Known-issue articles matching `text` by bm25; with no words, all of them by title."""
        expression = match_expression(text)
        if not expression:
            return self._rows(ArticleRow, f"SELECT {_select('articles')}, 0.0 FROM articles t ORDER BY t.title LIMIT ?",
                              (limit,))
        sql = (f"SELECT {_select('articles')}, bm25(articles_fts, {_WEIGHTS['articles']}) AS rank"
               " FROM articles_fts JOIN articles t ON t.id = articles_fts.rowid WHERE articles_fts MATCH ?"
               " ORDER BY rank LIMIT ?")
        found = self._rows(ArticleRow, sql, (expression, limit))
        if not found and " " in expression:
            found = self._rows(ArticleRow, sql, (match_expression(text, any_word=True), limit))
        return found

    def _rows(self, kind: type[Row], sql: str, parameters: tuple[object, ...]) -> list[Row]:
        with self._read("search the imported files") as conn:
            found = conn.execute(sql, parameters).fetchall()
        names = [field.name for field in fields(kind)]
        return [kind(**dict(zip(names, row, strict=True))) for row in found]

    # Connection handling: one statement or transaction at a time, SQLite's errors in words

    @contextmanager
    def _read(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock, _worded(self.path, doing):
            yield self._conn

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock, _worded(self.path, doing):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")


def _select(table: str) -> str:
    return ", ".join(f"t.{name}" for name in CONTEXT_TABLES[table])


@contextmanager
def _worded(path: Path, doing: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        advice = {sqlite3.SQLITE_BUSY: "another escalate-tui is busy with it; try again in a moment",
                  sqlite3.SQLITE_FULL: "the disk is full; free some space and try again",
                  sqlite3.SQLITE_READONLY: "the file is read-only; check its permissions"}.get(code(error), str(error))
        raise ContextIndexError(f"cannot {doing} in {path}: {advice}") from None
