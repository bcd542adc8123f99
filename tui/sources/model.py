"""What a source answers with: typed items carrying where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from tui.domain.models import ContextKind
from tui.domain.text_safety import strip_unsafe

EXCERPT_LIMIT = 2000  # characters of an item's text kept for the preview
TITLE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an item came from: the configured source's name, its id there, a link, and when."""

    source: str
    id: str
    url: str = ""
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What an account item says about the customer (fills the brief's customer fields)."""

    name: str
    plan: str = ""
    arr: int | None = None
    owner: str = ""
    segment: str = ""


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One result: a ticket, an account, an internal thread, a tracker item or a known issue.

    `reference` is what the brief cites ("ZD-4211", "SUP-42", "RT #7", "KB export-limits");
    `when` is the item's last update (or creation) day; `workaround` is set on a known issue that
    documents one; `account` on an account item."""

    kind: ContextKind
    title: str
    reference: str
    provenance: Provenance
    customer: str = ""
    when: date | None = None
    status: str = ""
    excerpt: str = ""
    account: AccountFacts | None = None
    workaround: str = ""

    @staticmethod
    def clean(text: str, limit: int = EXCERPT_LIMIT) -> str:
        """Text from a source as an item keeps it: control characters and bidi overrides removed,
        cut to `limit` characters."""
        cleaned = strip_unsafe(text.replace("\r\n", "\n"))
        return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Query:
    """What to look for: free text (prefilled from the draft's summary, editable), the customer when
    known, and how many items at most."""

    text: str
    customer: str = ""
    limit: int = 50

    @property
    def words(self) -> str:
        """What a text search looks for: the query's words on one line, or the customer's with none."""
        return " ".join((self.text.strip() or self.customer.strip()).split())

    @property
    def account(self) -> str:
        """What an account search looks for: the customer on one line, or the query's words with none."""
        return " ".join((self.customer.strip() or self.text.strip()).split())


@dataclass(frozen=True, slots=True)
class Place:
    """Where local data lives: the folder local exports are read from when a source names none, and
    the drafts database the imported copies are kept in."""

    workspace: Path
    database: Path
    extra: dict[str, str] = field(default_factory=dict)


class SourceError(Exception):
    """A source could not answer; the message says which source and what to check."""


class Source(Protocol):
    name: str

    async def search(self, query: Query) -> list[SourceItem]:
        """The items matching `query` (see the package docstring); SourceError when it cannot answer."""
        ...
