"""How one open escalation reads as a row of the queue, and as a title line on the dialogs it opens.

Everything from the store is typed by someone (or pasted from a log): it is shown as plain Text, its
control characters made visible, never read as markup."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from rich.text import Text

from tui.domain.due_words import age_words, due_words
from tui.domain.lifecycle import Approval
from tui.domain.text_safety import visible
from tui.render.escape import collapse
from tui.store.escalations import Record


class Column(NamedTuple):
    key: str
    label: str
    width: int | None  # None: the summary, which takes the room the others leave


COLUMNS = (  # at 120 columns the summary gets 16; the id, needed less often, comes last
    Column("due", "Due", 28),
    Column("severity", "Severity", 8),
    Column("target", "Target", 11),
    Column("customer", "Customer", 12),
    Column("summary", "Summary", None),
    Column("age", "Age", 7),
    Column("status", "Status", 16),  # "Approval needed" fits
    Column("id", "#", 5),
)
SUMMARY_MIN = 16


def plain(value: str, limit: int = 200) -> str:
    """One line of stored text, safe to draw: no control character, no bidi override, not too long."""
    line = visible(collapse(value))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def status_words(record: Record) -> str:
    """``Taken: Lee``, ``Acknowledged: Kim``, ``Escalated``: the status with who holds the case. While
    an approval gate is undecided (or was rejected) that comes first: ``Approval needed · Taken: Lee``."""
    who = record.owner or record.acknowledged_by
    words = f"{record.status.label}: {plain(who, 40)}" if who else record.status.label
    if record.approval in (Approval.NEEDED, Approval.REJECTED):
        return f"{record.approval.label} · {words}"
    return words


def cells(record: Record, now: datetime, colours: Mapping[str, str]) -> list[Text]:
    """The row of `record` at `now`, in COLUMNS order. An overdue clock is written OVERDUE and also
    drawn in the theme's error colour; the severity word in its own colour."""
    severity = record.severity
    return [
        due_cell(record, now, colours),
        _shared(severity.label if severity else "?",
                colours.get(f"severity-{severity.value}", "") if severity else ""),
        _shared(record.target.label if record.target else "?"),
        Text(plain(record.customer, 60)),
        Text(plain(record.summary)),
        age_cell(record, now),
        _status_cell(record, colours),
        Text(str(record.id)),
    ]


def _status_cell(record: Record, colours: Mapping[str, str]) -> Text:
    """The status, in the theme's warning colour while an approval holds the case back."""
    style = colours.get("warning", "yellow") if record.approval in (Approval.NEEDED, Approval.REJECTED) else ""
    if record.owner or record.acknowledged_by:
        return Text(status_words(record), style=style)
    return _shared(status_words(record), style)


@lru_cache(maxsize=64)
def _shared(words: str, style: str = "") -> Text:
    """One cell for every row that says the same thing (a severity, a target): 10,000 rows make fewer
    objects for the garbage collector to walk. Cells are drawn, never changed in place."""
    return Text(words, style=style)


def due_cell(record: Record, now: datetime, colours: Mapping[str, str]) -> Text:
    due = due_words(record.internal_due, record.customer_due, record.snoozed_until, now)
    return Text(due, style=f"bold {colours.get('error', 'red')}" if record.overdue(now) else "")


def age_cell(record: Record, now: datetime) -> Text:
    """How long ago it was escalated."""
    return Text(age_words(record.escalated or record.created, now))


def title(record: Record) -> Text:
    """``#12 Export drops rows — Acme Corp``: which case a dialog acts on."""
    line = Text(f"#{record.id} ", style="bold")
    line.append(plain(record.summary) or "(no summary)", style="bold")
    if record.customer:
        line.append(f" — {plain(record.customer, 60)}")
    return line
