"""The knowledge-base article: its sections in order, the cause from the closing event, the related
tickets and linked escalations, and hostile text that stays text."""

from __future__ import annotations

import re
from datetime import timedelta

from markdown_it import MarkdownIt
from support import NOW, example

from tui.domain.lifecycle import ChecklistEntry, ClosingStep, DeEscalationReason, Event, EventKind
from tui.domain.models import ContextItem, ContextKind, Escalation
from tui.render.kb_article import SECTIONS, kb_article


def _headings(markdown: str) -> list[str]:
    return re.findall(r"(?m)^(#{1,6} .*)$", markdown)


def _resolved(text: str = "A lock was held across the whole batch.") -> Event:
    return Event(kind=EventKind.RESOLVED, at=NOW, who="Priya", text=text)


def test_sections_come_in_order_under_the_summary() -> None:
    article = kb_article(example("api-500-acme"), [_resolved()])
    assert _headings(article) == ["# API returning 500 errors intermittently for Acme Corp",
                                  *(f"## {name}" for name in SECTIONS)]
    assert SECTIONS == ("Problem", "Symptoms", "Cause", "Fix or workaround", "Affected", "Related tickets")


def test_the_case_fills_problem_symptoms_fix_and_affected() -> None:
    article = kb_article(example("api-500-acme"), [_resolved()])
    problem = article.split("## Problem\n\n")[1].split("\n\n## ")[0]
    assert problem.startswith("Since 12 Nov, about 1 in 12 calls to POST /v2/orders/bulk")
    assert "- **Expected:** Every request returns 201 Created with 600 order ids." in article
    assert "## Cause\n\nA lock was held across the whole batch.\n" in article
    assert "Workaround: Send batches of 250 line items or fewer" in article
    assert "- **Environment:** Production EU-1, API v2, orders-service 4.18.2" in article
    assert "- **Plan:** Business Annual\n- **Segment:** Mid-Market\n" in article


def test_related_tickets_and_linked_escalations() -> None:
    esc = example("api-500-acme")  # one ticket (#48213), a log and a thread
    events = [Event(kind=EventKind.LINKED, at=NOW - timedelta(hours=1), who="Priya", linked=(12, 4)),
              Event(kind=EventKind.LINKED, at=NOW, who="Priya", linked=(4,)), _resolved()]
    related = kb_article(esc, events).split("## Related tickets\n\n")[1]
    assert related == ("- Acme: bulk order sync failing with 500 (#48213)\n"
                       "- escalation #4\n- escalation #12\n")


def test_a_link_reference_stays_a_link_and_nothing_else_does() -> None:
    esc = Escalation(summary="Export", context=[
        ContextItem(kind=ContextKind.TICKET, title="Zendesk", reference="https://help.example.com/t/9"),
        ContextItem(kind=ContextKind.DOC, title="not a ticket", reference="KB-1"),
    ])
    related = kb_article(esc, []).split("## Related tickets\n\n")[1]
    assert related == "- Zendesk (<https://help.example.com/t/9>)\n"


def test_without_a_closing_event_the_author_is_asked_to_fill_in_the_cause() -> None:
    article = kb_article(Escalation(summary="Export drops rows"), [])
    cause = article.split("## Cause\n\n")[1].split("\n\n## ")[0]
    assert cause == "_To fill in: the root cause._"
    assert "## Related tickets\n\n- _None recorded_\n" in article


def test_a_de_escalation_gives_its_reason_note_and_learning() -> None:
    event = Event(kind=EventKind.DE_ESCALATED, at=NOW, who="Priya", de_escalation=DeEscalationReason.WORKAROUND,
                  reason="Smaller batches avoid the lock.",
                  checklist=(ChecklistEntry(step=ClosingStep.RECORD_LEARNINGS, done=True,
                                            note="check batch sizes first"),))
    cause = kb_article(Escalation(summary="x"), [event]).split("## Cause\n\n")[1].split("\n\n## ")[0]
    assert cause == ("Closed in support: A workaround unblocks the customer.\n\nSmaller batches avoid the lock."
                     "\n\n**Learned:** check batch sizes first")


def test_resolved_by_itself_still_asks_for_the_root_cause() -> None:
    event = Event(kind=EventKind.DE_ESCALATED, at=NOW, who="Priya",
                  de_escalation=DeEscalationReason.RESOLVED_ITSELF, reason="stopped after the restart")
    cause = kb_article(Escalation(summary="x"), [event]).split("## Cause\n\n")[1].split("\n\n## ")[0]
    assert cause.endswith("_To fill in: the root cause._")


def test_hostile_text_adds_no_heading_link_list_or_html() -> None:
    hostile = "# Owned\n\n[click](https://evil.example) <img src=x onerror=alert(1)> - item\n## Two\n---\n1. one"
    esc = Escalation(summary="## fake [x](http://e) <b>", problem={"description": hostile,
                                                                     "workaround": "- [a](b)\n# h"},
                     customer={"plan": "<script>", "segment": "[s](t)"},
                     reproduction={"actual": "`code` | cell", "environment": "# env *em*"},
                     context=[ContextItem(kind=ContextKind.TICKET, title="1. [t](u)", reference="<b>#1</b>")])
    article = kb_article(esc, [_resolved("# Cause\n- [x](y) <i>\n> quote")])
    tokens = MarkdownIt("commonmark").parse(article)
    headings = [tokens[n + 1].content for n, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings == ["\\## fake \\[x](http://e) \\<b>", *SECTIONS]
    blocks = {token.type for token in tokens}
    assert blocks <= {"heading_open", "heading_close", "inline", "paragraph_open", "paragraph_close",
                      "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close"}
    items = sum(token.type == "list_item_open" for token in tokens)
    assert items == 5  # ours: what happens; environment, plan, segment; the ticket
    marks = {child.type for token in tokens if token.type == "inline" for child in token.children or []}
    assert marks <= {"text", "softbreak", "strong_open", "strong_close"}  # only the labels' bold
