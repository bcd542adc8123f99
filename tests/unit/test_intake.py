"""Intake: a one-line summary becomes a prefilled draft, with the words that drove each field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import reduce
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.domain.intake import IntakeResult, Signal, parse_summary
from tui.domain.models import Depth, Escalation, Frequency, Nature, SlaStatus, Target, blank_escalation
from tui.domain.text_safety import strip_unsafe
from tui.domain.triage import TriggerCategory, VerdictKind, assess

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # a Thursday
MONDAY = date(2026, 11, 16)


def parse(summary: str, **kw: Any) -> IntakeResult:
    return parse_summary(summary, now=NOW, **kw)


def ids(result: IntakeResult) -> list[str]:
    return [s.id for s in result.signals]


def field_of(esc: Escalation, path: str) -> Any:
    return reduce(getattr, path.split("."), esc)


def trigger_ids(esc: Escalation) -> set[tuple[TriggerCategory, str]]:
    return {(t.category, t.id) for t in assess(esc, now=NOW).verdict.triggers}


# --- the seed's four usage examples ------------------------------------------------------


def test_seed_example_500_errors_for_a_named_customer() -> None:
    result = parse("API returning 500 errors intermittently for Acme Corp")
    esc = result.escalation
    assert esc.customer.name == "Acme Corp"
    assert esc.breadth.named_customers == ["Acme Corp"]
    assert esc.problem.nature is Nature.BUG
    assert esc.reproduction.frequency is Frequency.INTERMITTENT
    assert esc.reproduction.frequency_detail == "intermittently"
    assert any("500" in line for line in esc.reproduction.evidence)
    assert esc.flags.beyond_support_diagnosis
    assert esc.problem.description == ""
    assert ids(result) == ["http_error", "intermittent", "customer"]

    assessment = assess(esc, now=NOW)
    assert assessment.verdict.kind is VerdictKind.ESCALATE
    assert {t.category for t in assessment.verdict.triggers} == {TriggerCategory.COMPLEXITY}
    assert assessment.target.effective is Target.L2  # the bug is not confirmed yet
    assert assessment.severity.effective.value == "medium"


def test_seed_example_missing_rows_for_three_customers() -> None:
    result = parse("Data export is missing rows — 3 customers reported this week")
    esc = result.escalation
    assert esc.breadth.customer_count == 3
    assert esc.timeline.issue_started == MONDAY
    assert esc.problem.nature is Nature.DATA_LOSS
    assert esc.flags.data_integrity_at_risk
    assert esc.customer.name == ""
    assert ids(result) == ["data_integrity", "customer_count", "started"]

    assessment = assess(esc, now=NOW)
    assert assessment.verdict.kind is VerdictKind.ESCALATE
    assert (TriggerCategory.PATTERN, "three_plus_customers") in trigger_ids(esc)
    assert assessment.severity.effective.value == "critical"
    assert assessment.target.effective is Target.ENGINEERING


def test_seed_example_sso_login_loop_for_a_whole_segment() -> None:
    result = parse("SSO login loop affecting all Enterprise customers")
    esc = result.escalation
    assert esc.breadth.segment == "Enterprise"
    assert esc.breadth.whole_segment
    assert esc.customer.segment == "Enterprise"  # no single customer is named
    assert esc.depth.level is Depth.BLOCKED
    assert esc.depth.workflow_impact
    assert esc.problem.nature is Nature.BUG
    assert ids(result) == ["login", "segment"]

    assessment = assess(esc, now=NOW)
    assert assessment.verdict.kind is VerdictKind.ESCALATE
    assert assessment.severity.effective.value == "critical"  # Enterprise is high-value by default
    assert assessment.target.effective is Target.ENGINEERING


def test_seed_example_churn_over_a_missing_feature() -> None:
    result = parse("Customer threatening to churn over missing audit log feature")
    esc = result.escalation
    assert esc.flags.churn_threat
    assert esc.problem.nature is Nature.FEATURE_GAP
    assert esc.customer.name == ""  # "Customer" is not a name
    assert esc.flags.security_breach is False  # an audit log is not a security signal
    assert ids(result) == ["churn", "feature_gap"]

    assessment = assess(esc, now=NOW)
    assert assessment.verdict.kind is VerdictKind.ESCALATE
    assert (TriggerCategory.BUSINESS, "churn_threat") in trigger_ids(esc)
    assert assessment.target.effective is Target.PRODUCT
    assert Target.LEADERSHIP in assessment.target.cc
    assert assessment.severity.effective.value == "medium"


# --- near misses the brief calls out ------------------------------------------------------


def test_dropdown_is_slow_is_degraded_not_an_outage() -> None:
    esc = parse("dropdown is slow").escalation
    assert esc.flags.production_down is False
    assert esc.depth.level is Depth.DEGRADED
    assert esc.problem.nature is Nature.UNKNOWN


def test_vpn_setup_is_configuration_with_no_executive_or_legal_reading() -> None:
    result = parse("issue with the VPN setup")
    esc = result.escalation
    assert esc.problem.nature is Nature.CONFIGURATION
    assert esc.flags.executive_involvement_requested is False
    assert esc.flags.pr_legal_risk is False
    assert ids(result) == ["configuration"]


def test_pressing_a_button_that_fails_is_a_bug_without_press_risk() -> None:
    esc = parse("press the export button and it fails").escalation
    assert esc.problem.nature is Nature.BUG
    assert esc.flags.pr_legal_risk is False


def test_a_how_to_question_about_saml_is_guidance_not_a_blocking_bug() -> None:
    # Rule: a "how do I / how to" question asks for guidance, so sign-in words in it neither
    # make it a bug nor mark anyone as blocked; "how to configure" reads as HOW_TO, not CONFIGURATION.
    result = parse("Customer asks how to configure SAML for Contoso")
    esc = result.escalation
    assert esc.problem.nature is Nature.HOW_TO
    assert esc.depth.level is Depth.UNKNOWN
    assert esc.customer.name == "Contoso"
    assert ids(result) == ["how_to", "customer"]
    verdict = assess(esc, now=NOW).verdict
    assert verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    assert [s.id for s in verdict.support_reasons] == ["guidance"]


def test_the_same_saml_words_outside_a_question_are_a_blocking_bug() -> None:
    esc = parse("SAML login fails for Contoso").escalation
    assert esc.problem.nature is Nature.BUG
    assert esc.depth.level is Depth.BLOCKED


def test_error_words_still_outrank_a_how_to_question() -> None:
    assert parse("How do I stop the export crashing?").escalation.problem.nature is Nature.BUG


# --- one positive and one near miss per signal family -----------------------------------

FAMILIES = [
    # (signal id, reads, path, expected, near miss, expected for the near miss)
    ("customer", "Checkout errors for O'Brien & Co", "customer.name", "O'Brien & Co",
     "Checkout errors for all users", ""),
    ("customer_count", "Two clients cannot export", "breadth.customer_count", 2,
     "Export failing for 3 days", None),
    ("user_count", "40 users see blank pages", "breadth.user_count", 40, "user 40 sees blank pages", None),
    ("segment", "every Pro account is affected", "breadth.segment", "Pro", "Enterprise plan pricing question", ""),
    ("segment", "all users get logged out", "breadth.whole_segment", True, "some users get logged out", False),
    ("errors", "Export crashes on large files", "problem.nature", Nature.BUG,
     "They ask for an exception to the retention policy", Nature.UNKNOWN),
    ("http_error", "Checkout returns 503", "flags.beyond_support_diagnosis", True,
     "Invoice total shows $500", False),
    ("intermittent", "Sync fails sporadically", "reproduction.frequency", Frequency.INTERMITTENT,
     "randomized test IDs look odd", Frequency.UNKNOWN),
    ("always", "Export fails every time", "reproduction.frequency", Frequency.ALWAYS,
     "Export does not always finish", Frequency.INTERMITTENT),
    ("data_integrity", "Reports show duplicated records", "flags.data_integrity_at_risk", True,
     "Report is missing a grouping option", False),
    ("login", "Users cannot sign in since the update", "depth.level", Depth.BLOCKED,
     "The design in Figma looks off", Depth.UNKNOWN),
    ("outage", "Dashboard went down overnight", "flags.production_down", True,
     "The dropdown menu breakdown is confusing", False),
    ("slowness", "Search latency doubled", "depth.level", Depth.DEGRADED, "flagging rules misfire", Depth.UNKNOWN),
    ("churn", "Globex won't renew unless this is fixed", "flags.churn_threat", True,
     "Globex renewed last month", False),
    ("feature_gap", "There is no way to bulk delete users", "problem.nature", Nature.FEATURE_GAP,
     "black screen on launch", Nature.UNKNOWN),
    ("security", "Possible XSS in the comment box", "problem.nature", Nature.SECURITY,
     "audit log export looks empty", Nature.UNKNOWN),
    ("breach", "Customer data leaked through a shared link", "flags.security_breach", True,
     "memory leak in the worker", False),
    ("recurring", "Sync bug came back after the patch", "flags.recurring_after_fix", True,
     "customer will try again tomorrow", False),
    ("executive", "Their CTO is asking for a call", "flags.executive_involvement_requested", True,
     "VPN drops while jobs execute", False),
    ("pr_legal", "They are talking to a lawyer", "flags.pr_legal_risk", True,
     "issue with the public API in the republic holiday calendar", False),
    ("sla", "SLA breached on the Globex ticket", "contract.sla_status", SlaStatus.BREACHED,
     "The SLA review is next week", SlaStatus.UNKNOWN),
    ("how_to", "How do I export audit logs?", "problem.nature", Nature.HOW_TO,
     "However, the export to CSV hangs", Nature.UNKNOWN),
    ("configuration", "Webhook misconfigured after migration", "problem.nature", Nature.CONFIGURATION,
     "Upset customer wants an update", Nature.UNKNOWN),
    ("started", "Exports fail since Monday", "timeline.issue_started", MONDAY, "Exports fail on Monday", None),
]


@pytest.mark.parametrize(("signal_id", "summary", "path", "expected"), [f[:4] for f in FAMILIES])
def test_each_family_reads_its_words(signal_id: str, summary: str, path: str, expected: Any) -> None:
    result = parse(summary)
    assert field_of(result.escalation, path) == expected
    assert signal_id in ids(result)


@pytest.mark.parametrize(
    ("summary", "path", "expected"), [(f[4], f[2], f[5]) for f in FAMILIES], ids=[f[0] for f in FAMILIES]
)
def test_near_misses_leave_the_field_alone(summary: str, path: str, expected: Any) -> None:
    assert field_of(parse(summary).escalation, path) == expected


@pytest.mark.parametrize(
    ("summary", "flag"),
    [
        ("SLA breached on the Globex ticket", "security_breach"),
        ("Customer is still waiting for an answer", "recurring_after_fix"),
        ("Login fails at Acme; see the executed job log", "executive_involvement_requested"),
        ("Login issue since the express checkout launch; they were impressed before", "pr_legal_risk"),
        ("Report totals are off for Acme", "production_down"),
    ],
)
def test_word_boundaries_keep_flags_off(summary: str, flag: str) -> None:
    assert getattr(parse(summary).escalation.flags, flag) is False


# --- one-line summaries as agents write them -----------------------------------------------
# Each row: the summary, the clock it is read at, and the fields a reader of the draft would check.
# Only the listed fields are compared, so a row that must NOT read something lists that field empty.

TUESDAY = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)

REAL_SUMMARIES: list[tuple[str, datetime, dict[str, Any]]] = [
    ("Webhooks failing for Umbrella Corp since Tuesday; 40 users blocked", NOW,
     {"customer.name": "Umbrella Corp", "timeline.issue_started": date(2026, 11, 17), "breadth.user_count": 40}),
    ("Exports time out at Initech after the 3.2 upgrade", NOW, {"customer.name": "Initech"}),
    ("Globex's exports are missing rows since Monday", NOW, {"customer.name": "Globex"}),
    ("Enterprise customer Hooli’s SSO is down", NOW, {"customer.name": "Hooli"}),
    ("Billing page errors for ACME Inc. Started Monday", NOW, {"customer.name": "ACME Inc."}),
    ("Login fails for Acme Corp SSO users", NOW, {"customer.name": "Acme Corp"}),
    ("Sync broken for Acme Corp 40 users blocked", NOW, {"customer.name": "Acme Corp", "breadth.user_count": 40}),
    ("Bulk import fails at Row 5000 for Stark Industries", NOW, {"customer.name": "Stark Industries"}),
    ("Need guidance for Setup of SAML at Hooli", NOW, {"customer.name": "Hooli"}),
    # not customers: a clause opener, a team, a time, a tool, a product word
    ("It's failing for every tenant on the EU cluster", NOW, {"customer.name": ""}),
    ("Waiting for Engineering since Monday on the export bug", NOW, {"customer.name": ""}),
    ("Today's nightly export failed at 3AM", NOW, {"customer.name": ""}),
    ("No support for Okta SCIM groups yet", NOW, {"customer.name": ""}),
    ("Dashboard times out for SSO users since Tuesday", NOW, {"customer.name": ""}),
    # when it started, read against the clock
    ("Webhooks failing since Tuesday", TUESDAY, {"timeline.issue_started": date(2026, 11, 10)}),
    ("Sync broken since yesterday for Globex", NOW,
     {"timeline.issue_started": date(2026, 11, 18), "customer.name": "Globex"}),
    ("Reports come back empty for 3 days now", NOW, {"timeline.issue_started": MONDAY}),
    ("Slow search reported since last week", NOW, {"timeline.issue_started": date(2026, 11, 9)}),
    ("Invoices wrong since Nov 12", NOW, {"timeline.issue_started": date(2026, 11, 12)}),
    ("Invoices wrong since 12 November", NOW, {"timeline.issue_started": date(2026, 11, 12)}),
    ("Invoices wrong since Dec 3rd", NOW, {"timeline.issue_started": date(2025, 12, 3)}),
    ("Started 2 weeks ago: webhooks drop events", NOW, {"timeline.issue_started": date(2026, 11, 5)}),
    ("Exports broke over the weekend at Initech", NOW,
     {"timeline.issue_started": date(2026, 11, 14), "customer.name": "Initech"}),
    ("Retry is planned for this weekend", NOW, {"timeline.issue_started": None}),
    ("Customer wants a fix in 3 days", NOW, {"timeline.issue_started": None}),
    ("Invoices from Nov 12 are missing", NOW, {"timeline.issue_started": None}),
    # money: ARR said to be at risk is the ARR at risk; any other ARR is the customer's own
    ("Globex ($480k ARR) threatening to churn", NOW,
     {"customer.name": "Globex", "customer.arr": 480_000, "revenue.arr_at_risk": None, "flags.churn_threat": True}),
    ("$1.2M ARR customer cannot export since Monday", NOW, {"customer.arr": 1_200_000, "revenue.arr_at_risk": None}),
    ("480,000 USD ARR account locked out", NOW, {"customer.arr": 480_000}),
    ("ARR of $250k, SSO down for Initech", NOW, {"customer.arr": 250_000, "customer.name": "Initech"}),
    ("$30k renewal at risk over the audit log gap", NOW, {"revenue.arr_at_risk": 30_000, "customer.arr": None}),
    ("Hooli's $120k ARR at risk if not fixed by Friday", NOW,
     {"customer.name": "Hooli", "revenue.arr_at_risk": 120_000, "customer.arr": None}),
    ("Acme Corp ($2M ARR): $300k is at risk", NOW, {"customer.arr": 2_000_000, "revenue.arr_at_risk": 300_000}),
    ("$300k renewal at risk at Initech and $120k ARR at risk at Globex", NOW,
     {"revenue.arr_at_risk": 300_000, "customer.arr": None}),
    ("Pending $200k expansion deal stalled by the export bug", NOW,
     {"revenue.pending_deals": "$200k expansion deal", "revenue.arr_at_risk": None}),
    ("Refund of $2,000 requested after double charge", NOW, {"customer.arr": None, "revenue.arr_at_risk": None}),
    ("€480k ARR customer reports slow search", NOW, {"customer.arr": None}),  # the brief shows dollars only
    ("3 ARR customers affected", NOW, {"customer.arr": None, "breadth.customer_count": 3}),
    # exposure that has happened is a breach; a user who cannot see their own data is not
    ("Admins at Initech can see another tenant's invoices", NOW,
     {"customer.name": "Initech", "flags.security_breach": True, "problem.nature": Nature.SECURITY}),
    ("Customers see other customers' data on the usage dashboard", NOW, {"flags.security_breach": True}),
    ("Users can view records from other accounts since the release", NOW, {"flags.security_breach": True}),
    ("Customers are seeing each other’s orders", NOW, {"flags.security_breach": True}),
    ("Cross-tenant data leak in search results", NOW, {"flags.security_breach": True}),
    ("Exposed PII in the nightly export for Globex", NOW, {"flags.security_breach": True, "customer.name": "Globex"}),
    ("Unauthorized access to the billing API reported by Hooli", NOW, {"flags.security_breach": True}),
    ("Users can't see their invoices since Monday", NOW, {"flags.security_breach": False}),
    ("Admins cannot see other users' invoices in the team view", NOW, {"flags.security_breach": False}),
    ("Users see a different error after the upgrade", NOW,
     {"flags.security_breach": False, "problem.nature": Nature.BUG}),
    ("Potential exposure found in the export module", NOW,
     {"flags.security_breach": False, "problem.nature": Nature.SECURITY}),
    # what the contract promises goes to the obligations; breach and risk stay the SLA status
    ("Webhooks failing for Umbrella Corp since Tuesday; contract guarantees 5-minute delivery", NOW,
     {"contract.obligations": "contract guarantees 5-minute delivery", "customer.name": "Umbrella Corp",
      "contract.sla_status": SlaStatus.UNKNOWN}),
    ("SLA of 4 hours for Sev 1 tickets already missed", NOW,
     {"contract.obligations": "SLA of 4 hours for Sev 1 tickets", "customer.name": ""}),
    ("Globex has a 99.9% uptime SLA and the API is down", NOW,
     {"contract.obligations": "99.9% uptime SLA", "flags.production_down": True}),
    ("Initech's 4-hour response SLA is at risk", NOW,
     {"contract.obligations": "4-hour response SLA", "contract.sla_status": SlaStatus.AT_RISK}),
    ("The 5-minute delivery is contractual, Hooli says", NOW,
     {"contract.obligations": "The 5-minute delivery is contractual"}),
    ("We are contractually obliged to deliver within 5 minutes but webhooks lag", NOW,
     {"contract.obligations": "contractually obliged to deliver within 5 minutes"}),
    ("Breach of SLA on the Globex ticket", NOW,
     {"contract.sla_status": SlaStatus.BREACHED, "contract.obligations": "", "flags.security_breach": False}),
    ("Their contract says nothing about exports", NOW, {"contract.obligations": ""}),
    ("Contract renewal is next month", NOW, {"contract.obligations": ""}),
    ("Small account (USD 500 ARR) sees 502s", NOW,
     {"customer.arr": 500, "reproduction.evidence": ["HTTP 502 responses reported by the customer"]}),
]


@pytest.mark.parametrize(("summary", "now", "expected"), REAL_SUMMARIES, ids=[row[0] for row in REAL_SUMMARIES])
def test_real_summaries(summary: str, now: datetime, expected: dict[str, Any]) -> None:
    esc = parse_summary(summary, now=now).escalation
    assert {path: field_of(esc, path) for path in expected} == expected


# --- details of the individual readings ---------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "name"),
    [
        ("Billing page errors for ACME Inc.", "ACME Inc."),
        ("Billing page errors for Globex.", "Globex"),
        ("Exports time out at Initech", "Initech"),
        ("Exports time out for Bank of America", "Bank of America"),
        ("Exports time out for Acme Corp, since Monday", "Acme Corp"),
    ],
)
def test_customer_names_at_the_end(summary: str, name: str) -> None:
    esc = parse(summary).escalation
    assert esc.customer.name == name
    assert esc.breadth.named_customers == [name]


@pytest.mark.parametrize(
    "summary",
    [
        "Exports fail for all Enterprise customers",
        "Exports fail for 3 days",
        "Exports fail for Enterprise customers",
        "Exports fail for weeks",
        "Exports fail for Weeks",
        "Exports fail at 10AM",
        "Exports fail for API",
    ],
)
def test_things_that_are_not_customer_names(summary: str) -> None:
    assert parse(summary).escalation.customer.name == ""


def test_explicit_customer_wins_over_the_parsed_one() -> None:
    result = parse("Errors for Acme Corp", customer="  Globex ")
    assert result.escalation.customer.name == "Globex"
    assert result.escalation.breadth.named_customers == ["Globex"]
    assert "customer" not in ids(result)


def test_segment_is_not_the_customers_when_a_customer_is_named() -> None:
    esc = parse("Reports broken for all Enterprise customers, worst for Acme Corp").escalation
    assert esc.customer.name == "Acme Corp"
    assert esc.breadth.segment == "Enterprise"
    assert esc.customer.segment == ""


def test_segment_without_all_or_every_is_not_the_whole_segment() -> None:
    esc = parse("Some enterprise customers see errors").escalation
    assert esc.breadth.segment == "enterprise"  # the user's own capitalisation is kept
    assert esc.breadth.whole_segment is False


def test_all_users_of_a_named_customer_is_not_every_customer() -> None:
    esc = parse("Login fails for all users at Acme Corp").escalation
    assert esc.customer.name == "Acme Corp"
    assert esc.breadth.whole_segment is False


@pytest.mark.parametrize(
    ("summary", "path", "count"),
    [
        ("three customers reported it", "breadth.customer_count", 3),
        ("twelve accounts reported it", "breadth.customer_count", 12),
        ("20 tenants reported it", "breadth.customer_count", 20),
        ("two orgs reported it", "breadth.customer_count", 2),
        ("1,200 seats reported it", "breadth.user_count", 1200),
        ("eleven people reported it", "breadth.user_count", 11),
    ],
)
def test_counts_in_digits_and_words(summary: str, path: str, count: int) -> None:
    assert field_of(parse(summary).escalation, path) == count


@pytest.mark.parametrize(
    ("words", "started"),
    [
        ("reported this week", MONDAY),
        ("reported today", date(2026, 11, 19)),
        ("since yesterday", date(2026, 11, 18)),
        ("since Monday", MONDAY),
        ("since last Thursday", date(2026, 11, 12)),
        ("since Thursday", date(2026, 11, 12)),  # said on a Thursday: a week ago, not today
        ("since Tues", date(2026, 11, 17)),
        ("started on Friday", date(2026, 11, 13)),
        ("since this morning", date(2026, 11, 19)),
        ("since last night", date(2026, 11, 18)),
        ("in the past 48 hours", date(2026, 11, 17)),
        ("for more than a week", date(2026, 11, 12)),
        ("3 months ago", date(2026, 8, 19)),
        ("since the 3rd of March, 2026", date(2026, 3, 3)),
        ("since Feb 29", date(2024, 2, 29)),
        ("for 3 days", MONDAY),
        ("for two weeks", date(2026, 11, 5)),
        ("since 2026-11-02", date(2026, 11, 2)),
        ("5 days ago", date(2026, 11, 14)),
        ("last week", date(2026, 11, 9)),
    ],
)
def test_issue_start_is_computed_from_now(words: str, started: date) -> None:
    assert parse(f"Exports fail {words}").escalation.timeline.issue_started == started


@pytest.mark.parametrize(
    "summary",
    ["Exports fail since 2026-12-01", "Exports fail since 2026-02-30", "Exports fail since Nov 31",
     "Exports fail since 1 Dec 2026"],
)
def test_future_or_impossible_dates_are_skipped(summary: str) -> None:
    assert parse(summary).escalation.timeline.issue_started is None


def test_no_clock_means_no_start_date_and_no_created_time() -> None:
    esc = parse_summary("Exports fail this week").escalation
    assert esc.timeline.issue_started is None
    assert esc.created is None
    assert parse("Exports fail").escalation.created == NOW


def test_each_5xx_code_becomes_its_own_evidence() -> None:
    esc = parse("Gateway answers 502 and then 503, sometimes 502 again").escalation
    assert esc.reproduction.evidence == [
        "HTTP 502 responses reported by the customer",
        "HTTP 503 responses reported by the customer",
    ]


def test_a_count_of_500_users_is_not_an_http_code() -> None:
    esc = parse("500 users see errors").escalation
    assert esc.breadth.user_count == 500
    assert esc.reproduction.evidence == []
    assert esc.flags.beyond_support_diagnosis is False


@pytest.mark.parametrize(
    ("summary", "at_risk"), [("SLA at risk for Initech", SlaStatus.AT_RISK), ("Ticket is past SLA", SlaStatus.BREACHED)]
)
def test_sla_status(summary: str, at_risk: SlaStatus) -> None:
    assert parse(summary).escalation.contract.sla_status is at_risk


@pytest.mark.parametrize(
    ("summary", "nature"),
    [
        ("Security vulnerability causes data loss during the outage", Nature.SECURITY),
        ("Missing records after the outage", Nature.DATA_LOSS),
        ("Outage caused errors everywhere", Nature.INFRASTRUCTURE),
        ("Export fails because it doesn't support XLSX", Nature.FEATURE_GAP),
        ("Misconfigured webhook fails", Nature.BUG),
        ("How to fix a misconfigured webhook", Nature.CONFIGURATION),
    ],
)
def test_nature_precedence(summary: str, nature: Nature) -> None:
    assert parse(summary).escalation.problem.nature is nature


def test_missing_data_feature_is_a_gap_and_not_data_loss() -> None:
    esc = parse("Missing data export feature").escalation
    assert esc.problem.nature is Nature.FEATURE_GAP
    assert esc.flags.data_integrity_at_risk is False


def test_sign_in_words_inside_a_feature_request_name_the_feature() -> None:
    esc = parse("Missing SSO integration").escalation
    assert esc.problem.nature is Nature.FEATURE_GAP
    assert esc.depth.level is Depth.UNKNOWN


def test_plural_status_codes_count_as_evidence() -> None:
    esc = parse("Intermittent 502s from the EU region").escalation
    assert esc.reproduction.evidence == ["HTTP 502 responses reported by the customer"]
    assert esc.problem.nature is Nature.BUG


def test_a_possessive_week_is_not_a_start_date() -> None:
    esc = parse("The export still fails after last week's fix").escalation
    assert esc.timeline.issue_started is None
    assert esc.flags.recurring_after_fix


def test_a_public_status_page_is_not_a_pr_risk() -> None:
    assert parse("Public status page shows green while app is down").escalation.flags.pr_legal_risk is False


def test_outage_blocks_and_marks_production_down() -> None:
    esc = parse("API is down for Globex").escalation
    assert esc.flags.production_down
    assert esc.depth.level is Depth.BLOCKED
    assert esc.problem.nature is Nature.INFRASTRUCTURE
    assert assess(esc, now=NOW).severity.effective.value == "critical"


# --- the signals themselves and robustness -------------------------------------------------


@pytest.mark.parametrize(
    "summary",
    [
        "API returning 500 errors intermittently for Acme Corp",
        "Data export is missing rows — 3 customers reported this week",
        "Their CEO is demanding answers: data leaked again, SLA breached, lawyers involved for Globex",
    ],
)
def test_signals_quote_the_summary_in_order_and_explain_themselves(summary: str) -> None:
    signals = parse(summary).signals
    positions = [summary.find(s.text) for s in signals]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    assert all(isinstance(s, Signal) and s.effect[:1].isupper() for s in signals)
    assert len({s.id for s in signals}) == len(signals)


@pytest.mark.parametrize("summary", ["", "   ", "\n\t "])
def test_empty_summary_gives_an_empty_draft(summary: str) -> None:
    assert parse_summary(summary) == IntakeResult(Escalation(), ())


def test_summary_is_kept_verbatim_but_stripped() -> None:
    assert parse("  Exports FAIL for Acme Corp \n").escalation.summary == "Exports FAIL for Acme Corp"


def test_parsing_is_deterministic() -> None:
    summary = "SSO login loop affecting all Enterprise customers since Monday, CEO asking"
    assert parse(summary) == parse(summary)


@given(st.text())
def test_parse_never_raises_and_keeps_the_summary(text: str) -> None:
    result = parse_summary(text, now=NOW)
    assert result.escalation.summary == strip_unsafe(text).strip()
    assert result.escalation.problem.description == ""


# The parser stores values without validating them (so no validator is built before the first
# screen); everything it stores must still be exactly what validation would keep.
SUMMARIES = (
    "API returning 500 errors intermittently for Acme Corp",
    "Data export is missing rows — 3 customers reported this week",
    "SSO login loop for all Enterprise customers since Monday, SLA at risk",
    "Customer threatening to churn over missing audit log feature",
    "1,200 users at Initech cannot log in since 2026-11-02; HTTP 502 always; SLA breached",
    "Umbrella Corp ($1.2M ARR, $300k at risk) can see another tenant's invoices since Nov 12; "
    "contract guarantees 5-minute delivery; $50k upsell deal pending",
)


@pytest.mark.parametrize("summary", SUMMARIES)
def test_a_parsed_draft_is_what_validation_would_make_of_it(summary: str) -> None:
    parsed = parse_summary(summary, customer=None, now=NOW).escalation
    assert Escalation.model_validate(parsed.model_dump()) == parsed


@given(st.text())
def test_a_parsed_draft_always_passes_validation(text: str) -> None:
    parsed = parse_summary(text, now=NOW).escalation
    assert Escalation.model_validate(parsed.model_dump()) == parsed


def test_an_empty_draft_built_without_validation_equals_a_validated_one() -> None:
    # What `escalate-tui` with no arguments opens; a time typed without an offset gets the local one.
    naive = datetime(2026, 11, 19, 10, 0)
    assert blank_escalation(created=naive) == Escalation(created=naive)
    assert blank_escalation(created=NOW) == Escalation(created=NOW)
