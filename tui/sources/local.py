"""The `local` source, the embedded default: ticket exports, an accounts CSV and a folder of known-issue
articles in a folder on this machine, imported into the drafts database and searched there (FTS5, bm25).

Each search first brings the imported copies up to date: a file whose size or modification time
changed is hashed, and read again only when its content did (a touch costs a hash, not an import);
a file that went away takes its rows with it. A file that cannot be read is left as it was imported
last and named in `problems` (file, line, what to do); the other files still answer.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from pydantic import Field

from tui.domain.models import ContextKind
from tui.sources.config import SourceConfig
from tui.sources.local_files import TICKET_FIELDS, FileProblem, read_accounts, read_article, read_tickets
from tui.sources.model import AccountFacts, Place, Provenance, Query, SourceError, SourceItem
from tui.store.context_index import AccountRow, ArticleRow, ContextIndex, ContextIndexError, FileStamp, TicketRow

DEFAULT_NAME = "local files"


class Config(SourceConfig):
    """Exports in a folder on this machine."""

    type: Literal["local"] = "local"
    folder: str = Field(default="", description="Where the exports are; empty: the workspace folder.")
    tickets: list[str] = Field(default=["tickets*.csv", "tickets*.json"],
                               description="Ticket exports (glob patterns in the folder): Zendesk CSV or JSON, "
                                           "Freshdesk CSV.")
    accounts: str = Field(default="accounts.csv", description="Accounts CSV: name, plan, arr, owner, segment, domain.")
    known_issues: str = Field(default="known-issues", description="A folder of Markdown known-issue articles.")
    columns: dict[str, str] = Field(default_factory=dict,
                                    description="Our field (ext_id, subject, body, customer, requester, status, "
                                                "priority, created, updated, url; name, plan, arr, owner, segment, "
                                                "domain) → the export's column, where its header differs.")


def default_sources(place: Place, configured: Sequence[SourceConfig] = ()) -> list[SourceConfig]:
    """The sources to search: those configured, or with none, the local files of the workspace."""
    if configured:
        return list(configured)
    return [Config(name=DEFAULT_NAME, folder=str(place.workspace))]


def open_source(config: Config, env: Mapping[str, str], place: Place) -> LocalSource:
    del env  # local files need no secret
    unknown = sorted(set(config.columns) - set(TICKET_FIELDS) - {"name", "plan", "arr", "owner", "segment", "domain"})
    if unknown:
        raise SourceError(f"{config.name}: columns.{unknown[0]} is not a field; use ext_id, subject, body, customer, "
                          "requester, status, priority, created, updated, url, or for accounts name, plan, arr, "
                          "owner, segment, domain")
    folder = Path(config.folder).expanduser() if config.folder else place.workspace
    return LocalSource(config, folder, place.database)


class LocalSource:
    def __init__(self, config: Config, folder: Path, database: Path) -> None:
        self.name = config.name
        self.config = config
        self.folder = folder
        self.database = database
        self.problems: list[str] = []  # files left as last imported, from the latest search
        self._index: ContextIndex | None = None
        self._lock = threading.Lock()

    async def search(self, query: Query) -> list[SourceItem]:
        return await asyncio.to_thread(self.search_now, query)

    def search_now(self, query: Query) -> list[SourceItem]:
        """The search, on the calling thread (`search` runs it in a worker thread)."""
        try:
            with self._lock:
                index = self.refresh()
                tickets = index.search_tickets(query.text, query.customer, query.limit)
                accounts = index.search_accounts(query.text, query.customer, query.limit)
                articles = index.search_articles(query.text, query.limit)
        except ContextIndexError as error:
            raise SourceError(f"{self.name}: {error}") from None
        fetched = datetime.now(UTC)
        items = [(row.rank, self._account(row, fetched)) for row in accounts]
        items += [(row.rank, self._ticket(row, fetched)) for row in tickets]
        items += [(row.rank, self._article(row, fetched)) for row in articles]
        if query.text.strip():
            items.sort(key=lambda pair: pair[0])
        return [item for _, item in items[: query.limit]]

    def refresh(self) -> ContextIndex:
        """Import what changed in the folder since the last search; `problems` names what could not be read."""
        if self._index is None:
            self._index = ContextIndex.open(self.database)
        index = self._index
        problems: list[str] = []
        if not self.folder.is_dir():
            problems.append(f"the folder {self.folder} does not exist; set folder = \"…\" in the {self.name!r} source")
        columns = self.config.columns
        tickets = sorted({path for pattern in self.config.tickets for path in self._glob(pattern)})
        self._sync(index, "tickets", tickets,
                   lambda path, stamp: index.import_tickets(stamp, read_tickets(path, columns)), problems)
        accounts = [path for path in [self.folder / self.config.accounts] if path.is_file()]
        self._sync(index, "accounts", accounts,
                   lambda path, stamp: index.import_accounts(stamp, read_accounts(path, columns)), problems)
        articles = sorted((self.folder / self.config.known_issues).glob("*.md"))
        self._sync(index, "articles", articles,
                   lambda path, stamp: index.import_articles(stamp, [read_article(path)]), problems)
        self.problems = problems
        return index

    def _glob(self, pattern: str) -> list[Path]:
        try:
            return [path for path in self.folder.glob(pattern) if path.is_file()]
        except (OSError, ValueError):
            return []

    def _sync(self, index: ContextIndex, kind: str, paths: list[Path], load: Callable[[Path, FileStamp], int],
              problems: list[str]) -> None:
        present = {str(path.absolute()) for path in paths}
        for gone in set(index.imported(kind)) - present:
            if Path(gone).is_relative_to(self.folder.absolute()):
                index.forget(gone)
        for path in paths:
            try:
                status = path.stat()
                if index.is_current(str(path.absolute()), status.st_size, status.st_mtime_ns):
                    continue
                stamp = _stamp(path)  # taken before reading: a change made while reading is seen next time
                if index.same_content(stamp):
                    continue
                load(path, stamp)
            except FileProblem as problem:
                problems.append(str(problem))
            except OSError as error:
                problems.append(f"{path} cannot be read ({error.strerror or error}); check you may read it")

    def _ticket(self, row: TicketRow, fetched: datetime) -> SourceItem:
        return SourceItem(
            kind=ContextKind.TICKET, title=SourceItem.clean(row.subject or f"Ticket {row.ext_id}", 300),
            reference=SourceItem.clean(f"#{row.ext_id}", 300),
            provenance=Provenance(self.name, row.ext_id, row.url, fetched),
            customer=SourceItem.clean(row.customer, 200),
            when=_day(row.updated or row.created), status=SourceItem.clean(row.status, 60),
            excerpt=SourceItem.clean(row.body))

    def _account(self, row: AccountRow, fetched: datetime) -> SourceItem:
        facts = AccountFacts(name=SourceItem.clean(row.name, 200), plan=SourceItem.clean(row.plan, 100), arr=row.arr,
                             owner=SourceItem.clean(row.owner, 100), segment=SourceItem.clean(row.segment, 100))
        said = [f"{label}: {value}" for label, value in (("Plan", facts.plan), ("ARR", row.arr),
                                                         ("Owner", facts.owner), ("Segment", facts.segment),
                                                         ("Domain", row.domain)) if value not in ("", None)]
        return SourceItem(kind=ContextKind.ACCOUNT, title=facts.name, reference=f"account {facts.name}",
                          provenance=Provenance(self.name, row.name, "", fetched), customer=facts.name,
                          excerpt=SourceItem.clean("\n".join(said)), account=facts)

    def _article(self, row: ArticleRow, fetched: datetime) -> SourceItem:
        path = Path(row.path)
        return SourceItem(kind=ContextKind.KNOWN_ISSUE, title=SourceItem.clean(row.title, 300),
                          reference=SourceItem.clean(f"KB {path.stem}", 300),
                          provenance=Provenance(self.name, path.name, path.as_uri(), fetched),
                          excerpt=SourceItem.clean(row.body), workaround=SourceItem.clean(row.workaround))


def _stamp(path: Path) -> FileStamp:
    status = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return FileStamp(str(path.absolute()), status.st_size, status.st_mtime_ns, digest.hexdigest())


def _day(moment: str) -> date | None:
    try:
        return date.fromisoformat(moment[:10])
    except ValueError:
        return None
