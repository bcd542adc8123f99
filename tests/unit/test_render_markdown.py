"""The Markdown brief: the exact format for a full escalation, placeholders, section rules, escaping."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tui.domain.models import (
    Ask,
    AskKind,
    Breadth,
    Communication,
    ContextItem,
    ContextKind,
    Contract,
    Customer,
    Depth,
    Escalation,
    Flags,
    Frequency,
    ImpactDepth,
    Nature,
    Problem,
    ProductDetails,
    Reporter,
    Reproduction,
    Reputation,
    Revenue,
    SecurityDetails,
    Severity,
    SlaStatus,
    Target,
    Timeline,
    TriedStep,
)
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind, assess
from tui.render.escape import collapse, guard_line_start, md_block, md_inline, md_line, md_reference
from tui.render.markdown import render_markdown

CET = timezone(timedelta(hours=1))
TODAY = date(2026, 11, 19)
PARSER = MarkdownIt("commonmark")


def make_assessment(
    severity: Severity = Severity.HIGH, target: Target = Target.ENGINEERING, cc: tuple[Target, ...] = ()
) -> Assessment:
    return Assessment(
        verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
        severity=SeverityCall(severity, severity, ()),
        target=TargetCall(target, target, cc, ()),
    )


def full_escalation() -> Escalation:
    return Escalation(
        summary="Data export drops rows for accounts with more than 10,000 invoices",
        created=datetime(2026, 11, 19, 9, 30, tzinfo=CET),
        customer=Customer(
            name="Acme Corp", segment="Enterprise", plan="Enterprise Plus", arr=250_000,
            notes="Renews in March; second escalation this year",
        ),
        reporter=Reporter(name="Dana Ruiz", team="L2 Support"),
        timeline=Timeline(
            issue_started=date(2026, 11, 16),
            customer_waiting_since=datetime(2026, 11, 17, 14, 0, tzinfo=CET),
            sla_due=datetime(2026, 11, 20, 17, 0, tzinfo=CET),
        ),
        problem=Problem(
            description=(
                "Since the 16 November release, CSV exports of the invoice list stop after 10,000 rows.\n"
                "No error is shown; the file simply ends early.\n\n"
                "Three customers have reported it so far:\n"
                "- Acme Corp (16 November)\n"
                "- Globex (17 November)\n"
            ),
            why_now="Month-end close starts on 30 November.",
            nature=Nature.BUG,
            bug_confirmed=True,
            workaround="Export by date range in batches under 10,000 rows",
        ),
        breadth=Breadth(
            customer_count=3,
            user_count=40,
            named_customers=["Acme Corp", "Globex"],
            segment="Enterprise",
            growing=True,
        ),
        depth=ImpactDepth(level=Depth.BLOCKED, workflow_impact="cannot export invoices for month-end close"),
        tried=[
            TriedStep(action="Re-ran the export from a different browser", result="same truncated file"),
            TriedStep(action="Exported by date range in smaller batches", result="works, but takes hours"),
        ],
        reproduction=Reproduction(
            starting_state="Admin user on an Enterprise account with more than 10,000 invoices",
            steps=[
                "Open Billing > Invoices",
                "Click Export in the top-right corner and choose CSV",
                "Open the downloaded file and count the rows",
            ],
            expected="All 12,408 invoices in the file",
            actual="The file stops at 10,000 rows",
            environment="Chrome 131 on macOS 15; production EU region",
            frequency=Frequency.ALWAYS,
            frequency_detail="every export above 10,000 rows",
            evidence=["export_acme.csv ends at row 10,001", "no errors in the browser console"],
            ruled_out=["Not browser-specific: same in Firefox", "Not account-specific: test account too"],
        ),
        revenue=Revenue(arr_at_risk=420_000, pending_deals="Globex renewal (Q1)"),
        reputation=Reputation(reference_customer=True, note="Acme speaks at our user conference"),
        contract=Contract(
            sla_status=SlaStatus.AT_RISK, obligations="4-hour response on Sev 2", customer_update_hours=4
        ),
        flags=Flags(data_integrity_at_risk=True, churn_threat=True, needs_code_change=True),
        security=SecurityDetails(containment="None needed"),
        communication=Communication(
            last_update=datetime(2026, 11, 18, 16, 30, tzinfo=CET),
            last_update_summary="Told Acme we reproduced it and escalated to Engineering",
            customer_expectation="A fix or workaround before month-end close on 30 November",
            escalation_risk="Their CFO will call our VP if it is not fixed by 28 November",
        ),
        ask=Ask(
            kind=AskKind.FIX,
            text="ship a fix for exports over 10,000 rows",
            deadline=datetime(2026, 11, 27, 17, 0, tzinfo=CET),
        ),
        context=[
            ContextItem(
                kind=ContextKind.TICKET,
                title="Acme export truncated",
                reference="SUP-4821",
                excerpt="Customer attached the truncated file",
            ),
            ContextItem(
                kind=ContextKind.THREAD,
                title="#billing-eng discussion",
                reference="https://chat.example.com/archives/C01/p123",
            ),
            ContextItem(kind=ContextKind.LOG, title="Export worker log", excerpt="row limit 10000 reached"),
        ],
    )


FULL_MARKDOWN = """\
## ESCALATION: Data export drops rows for accounts with more than 10,000 invoices
**Severity:** High
**Target team:** Engineering (cc: Leadership)
**Reported by:** Dana Ruiz — L2 Support
**Date:** 2026-11-19

### Impact
- **Customers affected:** 3 customers (Acme Corp, Globex) in the Enterprise segment; 40 users — growing
- **Workflow impact:** Blocked — cannot export invoices for month-end close
- **Revenue at risk:** $420,000 ARR; pending deals: Globex renewal (Q1)
- **SLA status:** At risk (due 2026-11-20 17:00 UTC+01:00) — 4-hour response on Sev 2; customer updates every 4 hours
- **Reputation:** Reference customer — Acme speaks at our user conference
- **Time in queue:** Since 2026-11-16 (3 days); customer waiting since 2026-11-17 (2 days)

### Issue Description
Since the 16 November release, CSV exports of the invoice list stop after 10,000 rows.
No error is shown; the file simply ends early.

Three customers have reported it so far:
\\- Acme Corp (16 November)
\\- Globex (17 November)

Why now: Month-end close starts on 30 November.

Containment so far: None needed

Workaround: Export by date range in batches under 10,000 rows

### What's Been Tried
1. Re-ran the export from a different browser → same truncated file
2. Exported by date range in smaller batches → works, but takes hours

### Reproduction Steps
Starting state: Admin user on an Enterprise account with more than 10,000 invoices
1. Open Billing > Invoices
2. Click Export in the top-right corner and choose CSV
3. Open the downloaded file and count the rows

Expected: All 12,408 invoices in the file
Actual: The file stops at 10,000 rows
Environment: Chrome 131 on macOS 15; production EU region
Frequency: Always reproducible — every export above 10,000 rows
Evidence: export_acme.csv ends at row 10,001; no errors in the browser console
Ruled out: Not browser-specific: same in Firefox; Not account-specific: test account too

### Customer Communication
- **Last update to customer:** 2026-11-18 16:30 UTC+01:00 — Told Acme we reproduced it and escalated to Engineering
- **Customer expectation:** A fix or workaround before month-end close on 30 November
- **Escalation risk:** Their CFO will call our VP if it is not fixed by 28 November

### What's Needed
- Fix: ship a fix for exports over 10,000 rows
- **Deadline:** 2026-11-27 17:00 UTC+01:00

### Supporting Context
- Account context: Renews in March; second escalation this year
- Ticket: Acme export truncated — SUP-4821 — Customer attached the truncated file
- Internal thread: #billing-eng discussion — <https://chat.example.com/archives/C01/p123>
- Log: Export worker log — row limit 10000 reached
"""

EMPTY_MARKDOWN = """\
## ESCALATION: _Not provided_
**Severity:** Medium
**Target team:** L2 Support
**Reported by:** _Not provided_
**Date:** 2026-11-19

### Impact
- **Customers affected:** _Not provided_
- **Workflow impact:** _Not provided_
- **Revenue at risk:** _Not provided_
- **SLA status:** _Not provided_
- **Reputation:** _Not provided_
- **Time in queue:** _Not provided_

### Issue Description
_Not provided_

### What's Been Tried
- _Nothing recorded yet_

### Customer Communication
- **Last update to customer:** _Not provided_
- **Customer expectation:** _Not provided_
- **Escalation risk:** _Not provided_

### What's Needed
- _Not provided_
- **Deadline:** _Not provided_

### Supporting Context
- _Nothing recorded yet_
"""


def visible_text(inline: Token) -> str:
    """What a reader sees of an inline token: its text, without markup."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = PARSER.parse(markdown)
    return [(token.tag, visible_text(tokens[i + 1])) for i, token in enumerate(tokens) if token.type == "heading_open"]


def test_full_escalation_renders_the_documented_format() -> None:
    esc = full_escalation()
    assessment = make_assessment(cc=(Target.LEADERSHIP,))
    assert render_markdown(esc, assessment, TODAY) == FULL_MARKDOWN


def test_empty_escalation_renders_placeholders_and_no_reproduction_section() -> None:
    esc = Escalation()  # stays in support by the rules (a support note); rendered here as if escalated to L2
    assert render_markdown(esc, make_assessment(Severity.MEDIUM, Target.L2), TODAY) == EMPTY_MARKDOWN


def test_full_escalation_headings_follow_the_template_order() -> None:
    rendered = render_markdown(full_escalation(), make_assessment(), TODAY)
    assert headings(rendered) == [
        ("h2", "ESCALATION: Data export drops rows for accounts with more than 10,000 invoices"),
        ("h3", "Impact"),
        ("h3", "Issue Description"),
        ("h3", "What's Been Tried"),
        ("h3", "Reproduction Steps"),
        ("h3", "Customer Communication"),
        ("h3", "What's Needed"),
        ("h3", "Supporting Context"),
    ]


def test_bug_without_details_gets_a_reproduction_section_with_placeholders() -> None:
    esc = Escalation(summary="Exports fail", problem=Problem(nature=Nature.DATA_LOSS))
    rendered = render_markdown(esc, assess(esc), TODAY)
    section = rendered.split("### Reproduction Steps\n", 1)[1].split("\n\n### ", 1)[0]
    assert section == (
        "- _Nothing recorded yet_\n\nExpected: _Not provided_\nActual: _Not provided_\nEnvironment: _Not provided_"
    )


def test_non_bug_gets_reproduction_section_only_once_details_are_filled() -> None:
    gap = Escalation(problem=Problem(nature=Nature.FEATURE_GAP))
    product = make_assessment(target=Target.PRODUCT)
    assert "### Reproduction Steps" not in render_markdown(gap, product, TODAY)
    gap.reproduction.steps = ["Open the audit log page"]
    rendered = render_markdown(gap, product, TODAY)
    assert "### Reproduction Steps\n1. Open the audit log page\n" in rendered


def test_engineering_always_gets_a_reproduction_section_so_missing_steps_show() -> None:
    esc = Escalation(summary="Webhooks retried forever", flags=Flags(needs_code_change=True))
    rendered = render_markdown(esc, assess(esc), TODAY)
    assert "**Target team:** Engineering\n" in rendered
    assert "### Reproduction Steps\n- _Nothing recorded yet_\n\nExpected: _Not provided_\n" in rendered


def test_what_security_and_product_ask_for_is_shown_where_it_belongs() -> None:
    esc = Escalation(
        summary="Invoices of another workspace in an export",
        problem=Problem(nature=Nature.SECURITY, description="An export held rows of another tenant."),
        security=SecurityDetails(
            observed="Globex invoices in Acme's CSV", affected="Globex, 212 invoices",
            containment="Exports paused", urgency="Still exposed until the file is deleted",
        ),
        product=ProductDetails(use_case="Monthly close", request_count=14, competitive_pressure="Contoso ships it"),
        reputation=Reputation(public_risk=True),
        flags=Flags(pr_legal_risk=True),
    )
    rendered = render_markdown(esc, assess(esc), TODAY)
    assert "- **Reputation:** Could become public; PR or legal risk\n" in rendered
    assert "- **Demand:** Asked for by 14 customers; competitive pressure: Contoso ships it\n\n" in rendered
    description = rendered.split("### Issue Description\n", 1)[1].split("\n\n### ", 1)[0]
    assert description.split("\n\n") == [
        "An export held rows of another tenant.",
        "Use case: Monthly close",
        "Observed: Globex invoices in Acme's CSV",
        "Possibly affected: Globex, 212 invoices",
        "Containment so far: Exports paused",
    ]
    assert "- **Deadline:** _Not provided_\n- **Urgency:** Still exposed until the file is deleted\n" in rendered


def test_date_comes_from_created_or_today() -> None:
    late_evening = datetime(2026, 11, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert "**Date:** 2026-11-01\n" in render_markdown(Escalation(created=late_evening), make_assessment(), TODAY)
    assert "**Date:** 2026-11-19\n" in render_markdown(Escalation(), make_assessment(), TODAY)


def test_partial_lines_use_the_placeholder_for_the_missing_half() -> None:
    esc = Escalation(
        reporter=Reporter(team="Tier 2"),
        tried=[TriedStep(action="Cleared the cache"), TriedStep(), TriedStep(result="still failing")],
        ask=Ask(text="decide whether we refund the overage"),
    )
    rendered = render_markdown(esc, make_assessment(), TODAY)
    assert "**Reported by:** Tier 2\n" in rendered
    assert "1. Cleared the cache → _Not provided_\n2. _Not provided_ → still failing\n" in rendered
    assert "### What's Needed\n- decide whether we refund the overage\n" in rendered


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words, with punctuation (ok): fine!", "plain words, with punctuation (ok): fine!"),
        ("**bold** _em_ `code`", r"\*\*bold\*\* \_em\_ \`code\`"),
        ("[x](http://e) <b> a|b ~~s~~ #tag", r"\[x](http://e) \<b> a\|b \~\~s\~\~ #tag"),
        ("back\\slash C:\\Users\\", "back\\slash C:\\Users\\\\"),
        ("\\*not em\\*", r"\\\*not em\\\*"),
        ("&amp; &#123; &#x1F; AT&T & co; &amp", r"\&amp; \&#123; \&#x1F; AT&T & co; \&amp"),
        ("a*b*c 2 * 3 __init__ snake_case_ ~5 min", r"a\*b\*c 2 * 3 \_\_init\_\_ snake_case\_ \~5 min"),
        ("a < b, <3, <=, <", r"a < b, \<3, \<=, \<"),
        ("C# SDK #", r"C# SDK \#"),
        ("  line\none\ttab\x00null  ", "line one tab null"),
    ],
)
def test_inline_escaping(raw: str, escaped: str) -> None:
    assert md_inline(raw) == escaped


# What agents type every day: none of it means anything to a Markdown renderer where it sits.
EVERYDAY = [
    "Admin > Billing",
    "created_at",
    "v2.3_beta",
    "a-b",
    "C# SDK",
    "100%",
    "e.g.",
    "C:\\Users\\dana\\export.csv",
    "2 * 3 = 6",
    "latency > 2s, p99 < 5s",
    "café_au_lait",
    "Q&A",
    "#billing-eng",
    "user@example.com",
    "https://example.com/a_b",
]


@pytest.mark.parametrize("raw", EVERYDAY)
def test_everyday_text_is_not_escaped_and_reads_as_typed(raw: str) -> None:
    assert md_inline(raw) == raw
    assert md_block(raw) == raw
    [inline] = [t for t in PARSER.parse(f"Note: {md_inline(raw)}") if t.type == "inline"]
    assert [child.type for child in inline.children or ()] == ["text"]
    assert visible_text(inline) == f"Note: {raw}"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("=== ", r"\==="),
        ("12. item", r"12\. item"),
        ("3) item", r"3\) item"),
        ("2024 was a year", "2024 was a year"),
        ("    indented", "indented"),
        ("> quote", r"\> quote"),
        ("## heading", r"\## heading"),
        ("#", r"\#"),
        ("#42 is the ticket", "#42 is the ticket"),
        ("* item", r"\* item"),
        ("<div>", r"\<div>"),
        ("~~~", r"\~\~\~"),
    ],
)
def test_line_start_escaping(raw: str, escaped: str) -> None:
    assert md_line(raw) == escaped


def test_guard_line_start_is_idempotent() -> None:
    for line in ("- a", "1. a", "= a", "plain"):
        once = guard_line_start(line)
        assert guard_line_start(once) == once


def test_block_escaping_keeps_paragraphs_and_defuses_every_line() -> None:
    raw = "\n\nFirst line\n---\n\n\n\n  ***\n___\n===\n1. step\n    code\n\n"
    assert md_block(raw) == "First line\n\\---\n\n\\*\\*\\*\n\\_\\_\\_\n\\===\n1\\. step\ncode"
    tokens = PARSER.parse(md_block(raw))
    assert [t.type for t in tokens if t.nesting == 1] == ["paragraph_open", "paragraph_open"]


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("https://example.com/a?b=1&c=2", "<https://example.com/a?b=1&c=2>"),
        ("HTTP://EXAMPLE.COM", "<HTTP://EXAMPLE.COM>"),
        ("  https://example.com/x  ", "<https://example.com/x>"),
        ("https://example.com/a b", "https://example.com/a b"),
        ("https://e.com/<script>", r"https://e.com/\<script>"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("SUP-42 [urgent]", r"SUP-42 \[urgent]"),
        ("", ""),
    ],
)
def test_references_become_autolinks_only_for_http_urls(raw: str, rendered: str) -> None:
    assert md_reference(raw) == rendered


def test_collapse_handles_every_kind_of_whitespace() -> None:
    assert collapse("a\u00a0\u2028b\r\n\x0bc\x85d \x1f e") == "a b c d e"
    assert collapse("") == ""
    assert collapse("   ") == ""


def test_adversarial_summary_stays_inside_the_heading() -> None:
    esc = Escalation(summary="x\n\n## Impact\n<script>alert(1)</script> **y** ##")
    rendered = render_markdown(esc, make_assessment(), TODAY)
    first = rendered.splitlines()[0]
    assert first == r"## ESCALATION: x ## Impact \<script>alert(1)\</script> \*\*y\*\* \##"
    assert headings(rendered)[0] == ("h2", "ESCALATION: x ## Impact <script>alert(1)</script> **y** ##")


def test_overrides_show_the_proposal_and_the_reason_in_the_header() -> None:
    from tui.domain.models import SeverityOverride, TargetOverride

    esc = Escalation(
        summary="Export drops rows",
        flags={"production_down": True},
        severity_override=SeverityOverride(value="high", reason="only the *sandbox* is down"),
        target_override=TargetOverride(value="product", reason="works as designed"),
    )
    text = render_markdown(esc, assess(esc), date(2026, 11, 19))
    assert "**Severity:** High — overridden from Critical: only the \\*sandbox\\* is down\n" in text
    assert "**Target team:** Product (cc: Engineering) — overridden from Engineering: works as designed\n" in text
