"""Reading local exports into rows for the store: tickets from Zendesk or Freshdesk CSV and Zendesk JSON
exports (the flavour told by the header row or the JSON's keys), accounts from CSV, known issues from
Markdown. A file that cannot be read is a `FileProblem` naming the file, the line (and column) and what
to do; nothing here is shown as markup, and control characters are dropped as the item is made."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.sources.model import SourceError
from tui.store.context_index import AccountRow, ArticleRow, TicketRow

TICKET_FIELDS = ("ext_id", "subject", "body", "customer", "requester", "status", "priority", "created", "updated",
                 "url")
ACCOUNT_FIELDS = ("name", "plan", "arr", "owner", "segment", "domain")
REQUIRED_TICKET_FIELDS = ("ext_id", "subject")

# Each field's column in the exports as they come; the first one a header has is used.
FLAVOURS: dict[str, dict[str, tuple[str, ...]]] = {
    "zendesk": {"ext_id": ("Id", "ID"), "subject": ("Subject",), "body": ("Description",),
                "customer": ("Organization",), "requester": ("Requester",), "status": ("Status",),
                "priority": ("Priority",), "created": ("Created at",), "updated": ("Updated at",),
                "url": ("Url", "URL")},
    "freshdesk": {"ext_id": ("Ticket ID",), "subject": ("Subject",), "body": ("Description",),
                  "customer": ("Company Name", "Company"), "requester": ("Full name", "Contact ID"),
                  "status": ("Status",), "priority": ("Priority",), "created": ("Created time",),
                  "updated": ("Last updated time",), "url": ("URL",)},
    "csv": {name: (name,) for name in TICKET_FIELDS},  # a plain export using our own field names
}
ZENDESK_JSON = {"ext_id": ("id",), "subject": ("subject", "raw_subject"), "body": ("description",),
                "customer": ("organization", "organization_name", "organization_id"),
                "requester": ("requester", "requester_name", "requester_id"), "status": ("status",),
                "priority": ("priority",), "created": ("created_at",), "updated": ("updated_at",), "url": ("url",)}
_API_TICKET = re.compile(r"^(https://[^/]+)/api/v2/tickets/(\d+)\.json$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MARKDOWN_LIMIT = 1_000_000  # characters of one article read; the rest is not searched


class FileProblem(SourceError):
    """One file could not be read; the other files still answer."""


def flavour_of(header: list[str]) -> str:
    names = {name.strip().casefold() for name in header}
    if "ticket id" in names:
        return "freshdesk"
    if "id" in names and "subject" in names:
        return "zendesk"
    return "csv"


def read_tickets(path: Path, columns: Mapping[str, str]) -> list[TicketRow]:
    """The tickets of a CSV or JSON export; `columns` maps our field names to the export's columns."""
    text = _text(path)
    if path.suffix.casefold() == ".json":
        return _json_tickets(path, text, columns)
    header, records = _csv(path, text)
    flavour = flavour_of(header)
    where = _columns_of(path, header, FLAVOURS[flavour], columns, REQUIRED_TICKET_FIELDS)
    rows = []
    for record in records:
        values = {name: _cell(record, index) for name, index in where.items()}
        rows.append(_ticket(flavour, values))
    return rows


def read_accounts(path: Path, columns: Mapping[str, str]) -> list[AccountRow]:
    header, records = _csv(path, _text(path))
    where = _columns_of(path, header, {name: (name,) for name in ACCOUNT_FIELDS}, columns, ("name",))
    rows = []
    for line, record in enumerate(records, start=2):
        values = {name: _cell(record, index) for name, index in where.items()}
        if not values["name"]:
            continue
        arr_text = values.get("arr", "")
        arr = parse_money(arr_text)
        if arr_text and arr is None:
            raise FileProblem(f"{path} line {line}: the ARR {arr_text[:40]!r} is not an amount; write it as a number "
                              "such as 120000, $120,000 or 120k")
        rows.append(AccountRow(name=values["name"], plan=values.get("plan", ""), arr=arr, owner=values.get("owner", ""),
                               segment=values.get("segment", ""), domain=values.get("domain", "")))
    return rows


def read_article(path: Path) -> ArticleRow:
    """A known-issue article: its title from the first heading (else the file name), its workaround from
    the section whose heading says "workaround"."""
    text = _text(path)[:_MARKDOWN_LIMIT]
    title = ""
    workaround: list[str] = []
    in_workaround = 0  # the heading level of the workaround section being read, 0 when outside
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if not title:
                title = heading.group(2)
            if in_workaround and level <= in_workaround:
                in_workaround = 0
            if not in_workaround and "workaround" in heading.group(2).casefold() and not workaround:
                in_workaround = level
                continue
        if in_workaround:
            workaround.append(line)
    return ArticleRow(path=str(path), title=title or path.stem.replace("-", " "), body=text,
                      workaround="\n".join(workaround).strip())


def parse_money(text: str) -> int | None:
    """An amount as accounts exports write it ("120000", "$120,000", "120k", "1.2M", "€ 90 000"), or None."""
    cleaned = re.sub(r"[\s,$€£_]|USD|EUR|GBP", "", text.strip(), flags=re.IGNORECASE)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", cleaned)
    if not match:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).casefold()]
    return round(float(match.group(1)) * scale)


def iso_moment(text: str) -> str:
    """An export's date as ISO 8601 when it can be read ("2026-03-05 14:22:10 +0000", "2026-03-05T14:22:10Z"),
    else as written (it still sorts and shows)."""
    value = text.strip()
    for form in (value, re.sub(r" ([+-]\d{2}):?(\d{2})$", r"\1:\2", value)):
        try:
            return datetime.fromisoformat(form.replace("Z", "+00:00")).isoformat()
        except ValueError:
            continue
    for pattern in ("%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, pattern).isoformat()
        except ValueError:
            continue
    return value


def _ticket(flavour: str, values: Mapping[str, str]) -> TicketRow:
    url = values.get("url", "")
    api = _API_TICKET.match(url)
    if api:  # the API's JSON address: link the agent's page instead
        url = f"{api.group(1)}/agent/tickets/{api.group(2)}"
    return TicketRow(source=flavour, ext_id=values["ext_id"], subject=values["subject"], body=values.get("body", ""),
                     customer=values.get("customer", ""), requester=values.get("requester", ""),
                     status=values.get("status", ""), priority=values.get("priority", ""),
                     created=iso_moment(values.get("created", "")), updated=iso_moment(values.get("updated", "")),
                     url=url)


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or error
        raise FileProblem(f"{path} cannot be read ({reason}); check it exists and you may read it") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileProblem(f"{path} line {line}, column {column}: not UTF-8 text; export it again as UTF-8") from None


def _csv(path: Path, text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the records of a CSV file, read strictly: a stray quote is a problem naming its
    line and column, not a silently merged record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    started = 1
    try:
        header = next(reader, None)
        if header is None:
            raise FileProblem(f"{path} is empty; a CSV export starts with a header row naming its columns")
        for record in reader:
            started = reader.line_num + 1
            if any(cell.strip() for cell in record):
                records.append(record)
    except csv.Error as error:
        raise _csv_problem(path, text, reader.line_num, started, str(error)) from None
    return [name.strip() for name in header], records


def _csv_problem(path: Path, text: str, line: int, started: int, message: str) -> FileProblem:
    fix = "check the quoting of that record (a quote inside a quoted field is written twice: \"\"), or export it again"
    if "end of data" in message or "EOF" in message:
        return FileProblem(f"{path} line {started}: a quoted field opened here is never closed before the end of "
                           f"the file; {fix}")
    lines = text.splitlines()
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    stray = _stray_quote(raw)
    column = f", column {stray}" if stray else ""
    return FileProblem(f"{path} line {line}{column}: {message}; {fix}")


def _stray_quote(line: str) -> int | None:
    """The column (from 1) of the quote that closes a quoted field but is followed by more text."""
    quoted = False
    at_field_start = True
    index = 0
    while index < len(line):
        char = line[index]
        if quoted and char == '"':
            if line[index + 1: index + 2] == '"':
                index += 2
                continue
            if line[index + 1: index + 2] not in ("", ","):
                return index + 1
            quoted = False
        elif at_field_start and char == '"':
            quoted = True
        at_field_start = not quoted and char == ","
        index += 1
    return None


def _columns_of(path: Path, header: list[str], defaults: Mapping[str, tuple[str, ...]], configured: Mapping[str, str],
                required: tuple[str, ...]) -> dict[str, int]:
    """Each field's position in the header: the configured column, else the first default the header has."""
    positions = {name.casefold(): index for index, name in reversed(list(enumerate(header)))}
    where: dict[str, int] = {}
    for field in defaults:
        if field in configured:
            wanted: tuple[str, ...] = (configured[field],)
        else:
            wanted = defaults[field]
        found = next((positions[name.casefold()] for name in wanted if name.casefold() in positions), None)
        if found is not None:
            where[field] = found
        elif field in configured or field in required:
            shown = ", ".join(header[:12]) + (", …" if len(header) > 12 else "")
            raise FileProblem(f"{path} line 1: no column {' or '.join(repr(n) for n in wanted)} (the {field}); the "
                              f"header has: {shown}. Name the export's column in the source's settings: "
                              f"columns.{field} = \"…\"")
    return where


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def _json_tickets(path: Path, text: str, columns: Mapping[str, str]) -> list[TicketRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(f"{path} line {error.lineno}, column {error.colno}: not valid JSON ({error.msg}); "
                          "export it again") from None
    tickets = data.get("tickets") if isinstance(data, dict) else data
    if not isinstance(tickets, list):
        raise FileProblem(f"{path}: expected a list of tickets, or {{\"tickets\": [...]}} as Zendesk exports them")
    rows = []
    for number, ticket in enumerate(tickets, start=1):
        if not isinstance(ticket, dict):
            raise FileProblem(f"{path}: ticket {number} is not an object with id, subject, description …")
        values = {}
        for field, keys in ZENDESK_JSON.items():
            chosen = (columns[field],) if field in columns else keys
            values[field] = next((_json_text(ticket[key]) for key in chosen if ticket.get(key) not in (None, "")), "")
        if not values["ext_id"]:
            raise FileProblem(f"{path}: ticket {number} has no {' or '.join(ZENDESK_JSON['ext_id'])!s}; "
                              "name its id key in the source's settings: columns.ext_id = \"…\"")
        rows.append(_ticket("zendesk", values))
    return rows


def _json_text(value: Any) -> str:
    if isinstance(value, dict):  # an object side-loaded in place: {"name": "Acme", …}
        value = value.get("name", "")
    return "" if isinstance(value, (list, dict)) else str(value).strip()
