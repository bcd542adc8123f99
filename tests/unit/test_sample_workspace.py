"""The sample workspace `--demo` searches is whole and reads as the local source expects it."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import pytest

from tui.sources.sample import sample_workspace

TICKET_COLUMNS = ["Id", "Subject", "Description", "Status", "Priority", "Requester", "Organization", "Created at",
                  "Updated at"]
ACCOUNT_COLUMNS = ["name", "plan", "arr", "owner", "segment", "domain"]


def rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == columns
        found = list(reader)
    for row in found:
        assert None not in row, f"{path.name}: a row with more fields than columns: {row}"
        assert all(value is not None for value in row.values()), f"{path.name}: a short row: {row}"
    return found


@pytest.fixture(scope="module")
def tickets() -> list[dict[str, str]]:
    return rows(sample_workspace() / "tickets.csv", TICKET_COLUMNS)


@pytest.fixture(scope="module")
def accounts() -> list[dict[str, str]]:
    return rows(sample_workspace() / "accounts.csv", ACCOUNT_COLUMNS)


def test_a_few_hundred_tickets_over_a_dozen_customers_who_all_have_an_account(tickets, accounts) -> None:
    assert 250 <= len(tickets) <= 400
    customers = {ticket["Organization"] for ticket in tickets}
    assert len(customers) >= 12
    assert customers <= {account["name"] for account in accounts}
    assert len({ticket["Id"] for ticket in tickets}) == len(tickets)


def test_tickets_are_dated_over_about_ninety_days_and_filled_in(tickets) -> None:
    created = [datetime.fromisoformat(ticket["Created at"]) for ticket in tickets]
    assert 80 <= (max(created) - min(created)).days <= 92
    for ticket in tickets:
        assert datetime.fromisoformat(ticket["Updated at"]) >= datetime.fromisoformat(ticket["Created at"])
        assert ticket["Subject"]
        assert len(ticket["Description"]) > 80
        assert ticket["Status"] in {"new", "open", "pending", "hold", "solved", "closed"}
        assert ticket["Priority"] in {"low", "normal", "high", "urgent"}
    assert len({ticket["Subject"] for ticket in tickets}) > 60  # varied, not one line repeated


def test_export_missing_rows_comes_from_three_customers_or_more(tickets) -> None:
    def about_missing_rows(ticket: dict[str, str]) -> bool:
        text = f"{ticket['Subject']} {ticket['Description']}".lower()
        return "export" in text and "missing rows" in text

    assert len({ticket["Organization"] for ticket in tickets if about_missing_rows(ticket)}) >= 3


def test_accounts_mix_segments_with_whole_arr(accounts) -> None:
    assert len(accounts) >= 12
    assert {account["segment"] for account in accounts} == {"enterprise", "mid-market", "smb"}
    for account in accounts:
        assert int(account["arr"]) > 0
        assert account["plan"]
        assert account["owner"]
        assert account["domain"]


def test_a_dozen_known_issues_with_a_title_and_about_half_with_a_workaround() -> None:
    articles = sorted((sample_workspace() / "known-issues").glob("*.md"))
    assert len(articles) >= 12
    with_workaround = 0
    for article in articles:
        text = article.read_text(encoding="utf-8")
        assert re.match(r"# \S", text), f"{article.name} does not start with a title heading"
        for section in ("## Symptoms", "## Cause", "## Affected versions"):
            assert section in text, f"{article.name} has no {section}"
        with_workaround += "\n## Workaround\n" in text
    assert len(articles) // 3 <= with_workaround <= 2 * len(articles) // 3
    limit = (sample_workspace() / "known-issues" / "export-row-limit.md").read_text(encoding="utf-8")
    assert "## Workaround" in limit
    assert "50,000 rows" in limit


def test_the_generator_writes_the_committed_tickets_again(tmp_path, monkeypatch) -> None:
    import runpy

    script = sample_workspace() / "make_tickets.py"
    generator = runpy.run_path(str(script))
    monkeypatch.setitem(generator["main"].__globals__, "HERE", tmp_path)
    generator["main"]()
    assert (tmp_path / "tickets.csv").read_bytes() == (sample_workspace() / "tickets.csv").read_bytes()
