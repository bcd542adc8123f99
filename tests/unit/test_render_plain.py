"""The plain-text brief, and the value phrases every renderer shares (``tui.render.fields``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

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
    Frequency,
    ImpactDepth,
    Nature,
    Problem,
    Reporter,
    Reproduction,
    Revenue,
    Severity,
    SlaStatus,
    Target,
    Timeline,
    TriedStep,
)
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind, assess
from tui.render import fields
from tui.render.escape import collapse
from tui.render.plain import render_plain

UTC = UTC
TODAY = date(2026, 3, 2)


def make_assessment(
    severity: Severity = Severity.CRITICAL, target: Target = Target.ENGINEERING, cc: tuple[Target, ...] = ()
) -> Assessment:
    return Assessment(
        verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
        severity=SeverityCall(severity, severity, ()),
        target=TargetCall(target, target, cc, ()),
    )


def full_escalation() -> Escalation:
    return Escalation(
        summary="SSO login loop for every Enterprise customer\nafter the IdP certificate rotation",
        created=datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
        customer=Customer(name="Initech", segment="Enterprise", arr=180_000, key_account=True),
        reporter=Reporter(name="Sam Okafor", team="Support Operations"),
        timeline=Timeline(
            issue_started=date(2026, 3, 1),
            customer_waiting_since=datetime(2026, 3, 1, 22, 0, tzinfo=UTC),
            sla_due=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        ),
        problem=Problem(
            description=(
                "Users who sign in with SSO are sent back to the login page after authenticating.\n"
                "It started right after Sunday's certificate rotation.\n"
                "\n"
                "The customer's admin pasted this into the ticket:\n"
                "IMPACT\n"
                "  What\u2019s been tried  \n"
                "ESCALATION: please hurry\n"
                "\tnobody can work"
            ),
            nature=Nature.INFRASTRUCTURE,
        ),
        breadth=Breadth(
            named_customers=["Initech", "Umbrella"],
            segment="Enterprise",
            whole_segment=True,
            user_count=5200,
            growing=False,
        ),
        depth=ImpactDepth(level=Depth.BLOCKED, workflow_impact="nobody can sign in to the web app"),
        tried=[
            TriedStep(action="Cleared cookies and retried", result="same loop"),
            TriedStep(action="Signed in with a password account", result="works, so only SSO is affected"),
        ],
        reproduction=Reproduction(
            steps=["Go to app.example.com/login", "Choose Sign in with SSO", "Authenticate at the IdP"],
            expected="Lands on the dashboard",
            actual="Redirected to /login again",
            environment="Any browser; Okta and Azure AD",
            frequency=Frequency.INTERMITTENT,
            evidence=["HAR file attached to SUP-9001"],
        ),
        revenue=Revenue(pending_deals="Umbrella expansion, 300 seats"),
        contract=Contract(sla_status=SlaStatus.BREACHED),
        communication=Communication(
            last_update=datetime(2026, 3, 2, 7, 45, tzinfo=UTC),
            customer_expectation="Sign-in restored today",
            escalation_risk="Initech's CIO has asked for a call with our CTO",
        ),
        ask=Ask(
            kind=AskKind.DECIDE,
            text="whether to roll back the certificate rotation",
            deadline=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        ),
        context=[
            ContextItem(kind=ContextKind.TRACKER, reference="https://tracker.example.com/INC-77"),
            ContextItem(kind=ContextKind.KNOWN_ISSUE, title="Cert rotation checklist"),
            ContextItem(kind=ContextKind.DOC),
        ],
    )


FULL_PLAIN = """\
ESCALATION: SSO login loop for every Enterprise customer after the IdP certificate rotation
Severity: Critical
Target: Engineering (cc: Leadership, Security)
Reported by: Sam Okafor — Support Operations
Date: 2026-03-02

IMPACT
- Customers affected: All Enterprise customers, including Initech, Umbrella; 5,200 users
- Workflow impact: Blocked — nobody can sign in to the web app
- Revenue at risk: Pending deals: Umbrella expansion, 300 seats
- SLA status: Breached (due 2026-03-02 10:00 UTC)
- Reputation: (not provided)
- Time in queue: Since 2026-03-01 (1 day); customer waiting since 2026-03-01 (1 day)

ISSUE DESCRIPTION
Users who sign in with SSO are sent back to the login page after authenticating.
It started right after Sunday's certificate rotation.

The customer's admin pasted this into the ticket:
  IMPACT
  What\u2019s been tried
  ESCALATION: please hurry
 nobody can work

REPRODUCTION STEPS
1. Go to app.example.com/login
2. Choose Sign in with SSO
3. Authenticate at the IdP
Expected: Lands on the dashboard
Actual: Redirected to /login again
Environment: Any browser; Okta and Azure AD
Frequency: Intermittent
Evidence: HAR file attached to SUP-9001

WHAT'S BEEN TRIED
1. Cleared cookies and retried → same loop
2. Signed in with a password account → works, so only SSO is affected

CUSTOMER COMMUNICATION
- Last update: 2026-03-02 07:45 UTC
- Customer expectation: Sign-in restored today
- Escalation risk: Initech's CIO has asked for a call with our CTO

WHAT'S NEEDED
- Decide: whether to roll back the certificate rotation
- Deadline: 2026-03-02 12:00 UTC

SUPPORTING CONTEXT
- Tracker item: https://tracker.example.com/INC-77
- Known issue: Cert rotation checklist
"""

EMPTY_PLAIN = """\
ESCALATION: (not provided)
Severity: Medium
Target: L2 Support
Reported by: (not provided)
Date: 2026-03-02

IMPACT
- Customers affected: (not provided)
- Workflow impact: (not provided)
- Revenue at risk: (not provided)
- SLA status: (not provided)
- Reputation: (not provided)
- Time in queue: (not provided)

ISSUE DESCRIPTION
(not provided)

WHAT'S BEEN TRIED
- (nothing recorded yet)

CUSTOMER COMMUNICATION
- Last update: (not provided)
- Customer expectation: (not provided)
- Escalation risk: (not provided)

WHAT'S NEEDED
- (not provided)
- Deadline: (not provided)

SUPPORTING CONTEXT
- (nothing recorded yet)
"""

SECTIONS = [
    "IMPACT",
    "ISSUE DESCRIPTION",
    "REPRODUCTION STEPS",
    "WHAT'S BEEN TRIED",
    "CUSTOMER COMMUNICATION",
    "WHAT'S NEEDED",
    "SUPPORTING CONTEXT",
]


def test_full_escalation_renders_the_documented_format() -> None:
    assessment = make_assessment(cc=(Target.LEADERSHIP, Target.SECURITY))
    assert render_plain(full_escalation(), assessment, TODAY) == FULL_PLAIN


def test_empty_escalation_renders_placeholders_and_no_reproduction_section() -> None:
    esc = Escalation()  # stays in support by the rules (a support note); rendered here as if escalated to L2
    assert render_plain(esc, make_assessment(Severity.MEDIUM, Target.L2), TODAY) == EMPTY_PLAIN


def test_sections_follow_the_plain_variant_order() -> None:
    lines = render_plain(full_escalation(), make_assessment(), TODAY).splitlines()
    assert [line for line in lines if line in SECTIONS] == SECTIONS
    assert [line for line in lines if line.startswith("ESCALATION:")] == [lines[0]]


def test_bug_reproduction_section_shows_every_filled_detail() -> None:
    esc = Escalation(
        problem=Problem(nature=Nature.BUG),
        reproduction=Reproduction(
            starting_state="Trial account, default settings",
            frequency_detail="roughly one request in twenty",
            ruled_out=["Not the CDN: bypassing it changes nothing", " "],
        ),
    )
    rendered = render_plain(esc, make_assessment(), TODAY)
    section = rendered.split("REPRODUCTION STEPS\n", 1)[1].split("\n\n", 1)[0]
    assert section == (
        "Starting state: Trial account, default settings\n"
        "- (nothing recorded yet)\n"
        "Expected: (not provided)\n"
        "Actual: (not provided)\n"
        "Environment: (not provided)\n"
        "Frequency: roughly one request in twenty\n"
        "Ruled out: Not the CDN: bypassing it changes nothing"
    )


def test_plain_text_keeps_markdown_characters_as_typed() -> None:
    esc = Escalation(summary="**Urgent**: <export> fails_again #42")
    assert render_plain(esc, make_assessment(), TODAY).startswith("ESCALATION: **Urgent**: <export> fails_again #42\n")


def test_plain_text_never_carries_markdown_escapes() -> None:
    # What "copy as plain text" hands to a receiver that does not render Markdown.
    typed = "**Urgent** created_at `code` <b> [x](y) a|b ~~s~~ #42 &amp; C# 100% Admin > Billing"
    esc = Escalation(
        summary=typed,
        customer=Customer(name=typed),
        problem=Problem(nature=Nature.BUG, description=typed, why_now=typed),
        tried=[TriedStep(action=typed, result=typed)],
        reproduction=Reproduction(steps=[typed], expected=typed),
        communication=Communication(customer_expectation=typed),
        ask=Ask(text=typed),
        context=[ContextItem(title=typed, reference=typed)],
    )
    rendered = render_plain(esc, make_assessment(), TODAY)
    assert "\\" not in rendered
    assert rendered.count(typed) == 12  # every place the text is shown, as typed


# --- shared value phrases ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("breadth", "customer", "phrase"),
    [
        (Breadth(), Customer(), ""),
        (Breadth(), Customer(name="Acme Corp"), "Acme Corp"),
        (Breadth(user_count=40), Customer(name="Acme Corp"), "Acme Corp; 40 users"),
        (Breadth(customer_count=1, user_count=1), Customer(), "1 customer; 1 user"),
        (
            Breadth(customer_count=3, named_customers=["Acme Corp", "Globex"]),
            Customer(),
            "3 customers (Acme Corp, Globex)",
        ),
        (Breadth(named_customers=["Globex"]), Customer(name="Acme Corp"), "2 customers (Acme Corp, Globex)"),
        (Breadth(named_customers=["ACME CORP", " "]), Customer(name="Acme Corp"), "ACME CORP"),
        (Breadth(whole_segment=True), Customer(segment="Enterprise"), "All Enterprise customers"),
        (Breadth(whole_segment=True, growing=True), Customer(), "All customers — growing"),
        (Breadth(segment="SMB"), Customer(), "Customers in the SMB segment"),
        (Breadth(growing=True), Customer(), "Number not known yet — growing"),
        (Breadth(customer_count=1200, growing=False), Customer(), "1,200 customers"),
    ],
)
def test_customers_affected(breadth: Breadth, customer: Customer, phrase: str) -> None:
    assert fields.customers_affected(Escalation(breadth=breadth, customer=customer), collapse) == phrase


def test_moment_shows_the_utc_offset() -> None:
    assert fields.moment(datetime(2026, 1, 5, 9, 7, tzinfo=UTC)) == "2026-01-05 09:07 UTC"
    india = timezone(timedelta(hours=5, minutes=30))
    assert fields.moment(datetime(2026, 1, 5, 9, 7, tzinfo=india)) == "2026-01-05 09:07 UTC+05:30"
    newfoundland = timezone(-timedelta(hours=3, minutes=30))
    assert fields.moment(datetime(2026, 1, 5, 9, 7, tzinfo=newfoundland)) == "2026-01-05 09:07 UTC-03:30"
    assert fields.moment(datetime(2026, 1, 5, 9, 7)) == "2026-01-05 09:07"


def test_time_in_queue_counts_days_against_today() -> None:
    waiting = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert fields.time_in_queue(Timeline(customer_waiting_since=waiting), TODAY) == (
        "Customer waiting since 2026-03-02 (today)"
    )
    assert fields.time_in_queue(Timeline(issue_started=date(2026, 2, 20)), TODAY) == "Since 2026-02-20 (10 days)"
    assert fields.time_in_queue(Timeline(issue_started=date(2026, 3, 9)), TODAY) == ("Since 2026-03-09 (in the future)")
    assert fields.time_in_queue(Timeline(), TODAY) == ""


def test_sla_revenue_and_ask_phrases() -> None:
    timeline = Timeline()
    assert fields.sla_status(Contract(), timeline, collapse) == ""
    assert fields.sla_status(Contract(customer_update_hours=1), timeline, collapse) == "Customer updates every 1 hour"
    assert fields.sla_status(Contract(obligations="99.9% uptime"), timeline, collapse) == "99.9% uptime"
    within = Contract(sla_status=SlaStatus.WITHIN, obligations="99.9% uptime", customer_update_hours=8)
    assert fields.sla_status(within, timeline, collapse) == "Within SLA — 99.9% uptime; customer updates every 8 hours"
    assert fields.revenue_at_risk(Revenue(arr_at_risk=0), collapse) == "$0 ARR"
    assert fields.sla_status(
        Contract(obligations="Sev 1 fixes in 8h.", customer_update_hours=2), timeline, collapse
    ) == ("Sev 1 fixes in 8h. Customer updates every 2 hours")
    assert fields.ask_phrase(Ask(kind=AskKind.APPROVE), collapse) == "Approve"
    assert fields.ask_phrase(Ask(kind=AskKind.FIX, text="ship the patch"), collapse) == "Fix: ship the patch"
    assert fields.ask_phrase(Ask(kind=AskKind.FIX, text="fix the row limit"), collapse) == "fix the row limit"
    assert fields.ask_phrase(Ask(kind=AskKind.DECIDE, text="Decide on X"), collapse) == "Decide on X"
    assert fields.series(["a.", "", "b", "c"]) == "a. b; c"
    assert fields.workflow_impact(ImpactDepth(workflow_impact="slow reports"), collapse) == "slow reports"
    assert fields.workflow_impact(ImpactDepth(level=Depth.DEGRADED), collapse) == "Degraded"


def test_shows_reproduction() -> None:
    assert not fields.shows_reproduction(Escalation())
    assert not fields.shows_reproduction(Escalation(reproduction=Reproduction(steps=[" ", "\x00"])))
    assert fields.shows_reproduction(Escalation(problem=Problem(nature=Nature.INFRASTRUCTURE)))
    assert fields.shows_reproduction(Escalation(reproduction=Reproduction(frequency=Frequency.ALWAYS)))
    assert fields.shows_reproduction(Escalation(reproduction=Reproduction(evidence=["screenshot.png"])))


def test_why_now_and_containment_follow_the_description() -> None:
    esc = Escalation(
        summary="Admin tokens visible in export",
        problem={"nature": "security", "description": "Tokens appear in CSV.", "why_now": "Seen by 2 customers"},
        security={"containment": "Export disabled at 09:10"},
    )
    text = render_plain(esc, assess(esc), date(2026, 11, 19))
    section = text.split("ISSUE DESCRIPTION\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section == [
        "Tokens appear in CSV.",
        "Why now: Seen by 2 customers",
        "Containment so far: Export disabled at 09:10",
    ]


def test_what_each_team_asks_for_sits_in_the_same_places_as_in_markdown() -> None:
    esc = Escalation(
        summary="Audit log export",
        customer=Customer(name="Northwind", notes="Renewal on 15 Dec"),
        problem=Problem(nature=Nature.FEATURE_GAP, workaround="Weekly screenshots"),
        product={"use_case": "SOC 2 evidence", "request_count": 1, "competitive_pressure": ""},
        security={"urgency": "Auditor visits Friday"},
        reputation={"reference_customer": True, "note": "Spoke at our conference"},
    )
    lines = render_plain(esc, assess(esc), date(2026, 11, 19)).splitlines()
    assert "- Reputation: Reference customer — Spoke at our conference" in lines
    assert "- Demand: Asked for by 1 customer" in lines
    assert lines[lines.index("ISSUE DESCRIPTION") + 1 :][:3] == [
        "(not provided)", "Use case: SOC 2 evidence", "Workaround: Weekly screenshots"
    ]
    assert lines[lines.index("- Deadline: (not provided)") + 1] == "- Urgency: Auditor visits Friday"
    assert lines[lines.index("SUPPORTING CONTEXT") + 1] == "- Account context: Renewal on 15 Dec"
