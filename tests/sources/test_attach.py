"""What attaching a search result does to the case: the context row, the account's facts, a known
issue's workaround, and the pattern of customers."""

from __future__ import annotations

from datetime import date

from tui.domain.models import ContextKind, blank_escalation
from tui.sources.attach import attach_changes, context_item, pattern_changes, ticket_customers
from tui.sources.model import AccountFacts, Provenance, SourceItem


def ticket(number: int, customer: str, title: str = "Export is missing rows") -> SourceItem:
    return SourceItem(kind=ContextKind.TICKET, title=title, reference=f"#{number}",
                      provenance=Provenance("zendesk", str(number), f"https://acme.zendesk.com/agent/tickets/{number}"),
                      customer=customer, when=date(2026, 11, 20), status="open",
                      excerpt="The CSV stops at 10,000 rows.\nSteps: export the audit log.")


def account(name: str = "Northwind Traders", arr: int | None = 240_000) -> SourceItem:
    return SourceItem(kind=ContextKind.ACCOUNT, title=name, reference=name, provenance=Provenance("local files", name),
                      account=AccountFacts(name, plan="Enterprise", arr=arr, owner="Dana Ruiz", segment="Enterprise"))


def known_issue(workaround: str) -> SourceItem:
    return SourceItem(kind=ContextKind.KNOWN_ISSUE, title="Exports stop at 10,000 rows", reference="KB export-limit",
                      provenance=Provenance("local files", "export-limit.md"), workaround=workaround)


def test_a_ticket_becomes_a_context_row_with_its_link_and_source_once() -> None:
    esc = blank_escalation(summary="Data export is missing rows")
    changes = attach_changes(esc, [ticket(4211, "Northwind Traders")])
    rows = changes["context"]
    assert len(rows) == 1
    row = rows[0]
    assert row.kind is ContextKind.TICKET
    assert row.title == "Export is missing rows"
    assert row.reference == "#4211 — https://acme.zendesk.com/agent/tickets/4211"
    assert row.excerpt == "The CSV stops at 10,000 rows. Steps: export the audit log."
    esc.context = rows
    assert attach_changes(esc, [ticket(4211, "Northwind Traders")]) == {}  # already there: nothing twice


def test_hostile_text_in_a_result_is_kept_plain_without_control_characters() -> None:
    row = context_item(ticket(1, "Acme", title="[bold]Export[/] \x1b[31mred\x1b[0m \u202egnorw"))
    assert "\x1b" not in row.title
    assert "\u202e" not in row.title
    assert row.title.startswith("[bold]Export[/]")


def test_an_account_fills_only_what_the_case_lacks() -> None:
    esc = blank_escalation(summary="Data export is missing rows")
    esc.customer.plan = "Growth"
    changes = attach_changes(esc, [account()])
    assert changes["customer.name"] == "Northwind Traders"
    assert changes["customer.segment"] == "Enterprise"
    assert changes["customer.arr"] == 240_000
    assert changes["revenue.arr_at_risk"] == 240_000  # what the brief's "Revenue at risk" shows
    assert "customer.plan" not in changes  # the agent's own value stays
    assert changes["context"][0].kind is ContextKind.ACCOUNT


def test_an_account_without_arr_leaves_the_arr_unknown() -> None:
    changes = attach_changes(blank_escalation(summary="x"), [account(arr=None)])
    assert "customer.arr" not in changes


def test_a_known_issue_with_a_workaround_says_support_can_answer_it() -> None:
    esc = blank_escalation(summary="Data export is missing rows")
    changes = attach_changes(esc, [known_issue("Export by month: each file stays under the limit.")])
    assert changes["flags.documented_workaround"] is True
    assert changes["problem.workaround"] == ("Export by month: each file stays under the limit. "
                                             "(from KB export-limit)")
    esc.problem.workaround = "Already told them to split the export."
    assert "problem.workaround" not in attach_changes(esc, [known_issue("Export by month.")])


def test_a_known_issue_without_a_workaround_changes_no_fact() -> None:
    changes = attach_changes(blank_escalation(summary="x"), [known_issue("")])
    assert set(changes) == {"context"}


def test_tickets_of_three_customers_make_the_pattern_with_the_others_named() -> None:
    esc = blank_escalation(summary="Data export is missing rows")
    esc.customer.name = "Northwind Traders"
    tickets = [ticket(1, "Northwind Traders"), ticket(2, "contoso "), ticket(3, "Contoso"), ticket(4, "Fabrikam")]
    assert ticket_customers(esc, tickets) == ["Northwind Traders", "contoso", "Fabrikam"]
    changes = pattern_changes(esc, tickets)
    assert changes == {"breadth.customer_count": 3, "breadth.named_customers": ["contoso", "Fabrikam"]}
    esc.breadth.customer_count = 5
    esc.breadth.named_customers = ["Fabrikam", "Contoso"]
    assert pattern_changes(esc, tickets) == {}  # already says as much: nothing lowered, nobody twice
