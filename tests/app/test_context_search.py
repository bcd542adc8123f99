"""The Context step's search (ctrl+f) over the local files of the data folder's workspace: results as
they come, enter attaches, an account fills the customer, a workaround is recorded, and tickets from
three customers offer the pattern."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from support import SIZE, drafts_open, from_summary, toasts
from textual.widgets import DataTable, Input, Static

from tui.screens.context_search import ContextSearchScreen

HEADER = ("Id", "Subject", "Description", "Status", "Priority", "Requester", "Requester email", "Organization",
          "Created at", "Updated at")
ROWS = (
    ("101", "Nightly export missing rows", "The CSV export stops at 10,000 rows; 2,312 orders are missing.", "Open",
     "High", "Priya", "p@northwind.example", "Northwind Traders", "2026-11-10 09:00:00 +0000",
     "2026-11-12 10:00:00 +0000"),
    ("102", "Export missing rows after upgrade", "Since 4.2 the audit export has fewer rows than the screen.", "Open",
     "Normal", "Tom", "t@contoso.example", "Contoso", "2026-11-11 09:00:00 +0000", "2026-11-13 10:00:00 +0000"),
    ("103", "Scheduled export missing the last rows", "Rows after 10,000 never reach the S3 bucket.", "Pending",
     "High", "Ana", "a@fabrikam.example", "Fabrikam", "2026-11-12 09:00:00 +0000", "2026-11-14 10:00:00 +0000"),
    ("104", "Dashboard slow on Mondays", "Loading takes 40 s when the weekly rollup runs.", "Open", "Low", "Li",
     "l@contoso.example", "Contoso", "2026-11-01 09:00:00 +0000", "2026-11-02 10:00:00 +0000"),
)
ACCOUNTS = """\
name,plan,arr,owner,segment,domain
Northwind Traders,Enterprise,"$240,000",Dana Ruiz,enterprise,northwind.example
Contoso,Growth,48k,Kim Osei,mid-market,contoso.example
"""
ARTICLE = """\
# Exports stop at 10,000 rows

Exports larger than 10,000 rows are cut without a warning since 4.2.

## Workaround

Export one month at a time: each file stays under the limit.
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    workspace = tmp_path / "data" / "workspace"
    (workspace / "known-issues").mkdir(parents=True)
    with (workspace / "tickets.csv").open("w", encoding="utf-8", newline="") as tickets:
        csv.writer(tickets).writerows((HEADER, *ROWS))
    (workspace / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (workspace / "known-issues" / "export-row-limit.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "data"


async def search_screen(pilot: Any) -> ContextSearchScreen:
    await drafts_open(pilot)
    await pilot.press("f3", "ctrl+f")
    screen = pilot.app.screen
    assert isinstance(screen, ContextSearchScreen)
    await answered(pilot, screen)
    return screen


async def answered(pilot: Any, screen: ContextSearchScreen) -> None:
    for _ in range(200):
        if screen.states and all("searching" not in state for state in screen.states.values()):
            break
        await pilot.pause(0.02)
    await pilot.pause()


def progress(screen: ContextSearchScreen) -> str:
    return str(screen.query_one("#context-progress", Static).render())


def titles(screen: ContextSearchScreen) -> list[str]:
    return [item.title for item in screen.items]


async def attach(pilot: Any, screen: ContextSearchScreen, title: str) -> None:
    table = screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=titles(screen).index(title))
    await pilot.press("enter")
    await pilot.pause()


async def test_tickets_of_three_customers_are_attached_and_offer_the_pattern(data: Path) -> None:
    app = from_summary("Data export is missing rows", autosave=True, data_dir=data)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await search_screen(pilot)
        assert screen.query_one(Input).value == "Data export is missing rows"
        assert "local files: " in progress(screen)
        assert " found in " in progress(screen)
        found = titles(screen)
        assert {"Nightly export missing rows", "Export missing rows after upgrade",
                "Scheduled export missing the last rows"} <= set(found)
        assert "Dashboard slow on Mondays" not in found
        offer = screen.query_one("#context-offer", Static)
        for title in ("Nightly export missing rows", "Export missing rows after upgrade"):
            await attach(pilot, screen, title)
        assert not offer.display  # two customers: no pattern yet
        await attach(pilot, screen, "Scheduled export missing the last rows")
        assert offer.display
        assert "3 customers (Northwind Traders, Contoso, Fabrikam)" in str(offer.render())
        references = [row.reference for row in app.escalation.context]
        assert any(reference.startswith("#101") for reference in references)
        assert len(references) == 3
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.escalation.breadth.customer_count == 3
        assert "Recorded as a pattern: 3 customers affected." in toasts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ContextSearchScreen)
        assert "Pattern: 3 customers have reported the same issue." in app.assessment.verdict.reasons


async def test_an_account_fills_the_customer_and_a_known_workaround_is_recorded(data: Path) -> None:
    app = from_summary("Export stops at 10,000 rows", autosave=True, data_dir=data)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await search_screen(pilot)
        assert "Exports stop at 10,000 rows" in titles(screen)
        await attach(pilot, screen, "Exports stop at 10,000 rows")
        assert app.escalation.flags.documented_workaround
        assert app.escalation.problem.workaround.startswith("Export one month at a time")
        query = screen.query_one(Input)
        query.focus()
        query.value = "Northwind"
        await pilot.press("enter")
        await answered(pilot, screen)
        await attach(pilot, screen, "Northwind Traders")
        customer = app.escalation.customer
        assert (customer.name, customer.plan, customer.segment, customer.arr) == (
            "Northwind Traders", "Enterprise", "enterprise", 240_000)
        assert app.escalation.revenue.arr_at_risk == 240_000
        assert "It filled the customer's name, plan, segment, ARR, ARR at risk." in toasts(app)
