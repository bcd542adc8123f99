"""Brief quality checks: which apply, what passes, where each one points, and the score."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from tui.domain.models import Escalation, Target, TargetOverride
from tui.domain.quality import (
    CHECKS,
    REPORTED_ONLY_WHEN_FAILED,
    SUPPORT_NOTE_CHECKS,
    CheckLevel,
    CheckResult,
    QualityReport,
    _score,
    check_quality,
    count_sentences,
    words,
)
from tui.domain.settings import DEFAULT_RULES, RuleSettings
from tui.domain.triage import assess

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)

FULL: dict[str, Any] = {
    "summary": "Data export drops rows for accounts with more than 10,000 invoices",
    "customer": {"name": "Acme Corp", "segment": "mid-market", "arr": 40_000},
    "timeline": {
        "issue_started": date(2026, 11, 12),
        "customer_waiting_since": datetime(2026, 11, 13, 9, 0, tzinfo=UTC),
    },
    "problem": {
        "description": (
            "Since release 4.12.0 the invoice CSV export stops after exactly 10,000 rows. "
            "Accounts with more invoices get a file that looks complete but is missing the newest ones, "
            "e.g. everything after 3 November. No error is shown. Three customers found it while closing the month."
        ),
        "nature": "bug",
        "bug_confirmed": True,
    },
    "breadth": {"customer_count": 3, "user_count": 120},
    "depth": {"level": "blocked", "workflow_impact": "Finance teams cannot reconcile invoices to close the month."},
    "tried": [{"action": "Re-ran the export for a single week", "result": "That file is complete"}],
    "reproduction": {
        "starting_state": "Admin user on a Business plan account holding 12,400 invoices",
        "steps": [
            "Open Reports > Invoices from the left sidebar",
            "Set the date range to 1 Jan 2026 - 18 Nov 2026",
            "Click the Export CSV button in the top-right corner",
        ],
        "expected": "The CSV holds 12,400 rows",
        "actual": "The CSV holds exactly 10,000 rows; invoices after INV-2041 are missing",
        "environment": "Chrome 131 on macOS 15, Business plan, flag new_export on",
        "frequency": "always",
        "evidence": ["export-2026-11-18.csv row count", "Network log of the export request"],
        "ruled_out": ["Same result in Firefox", "Reproduced on our own test account"],
    },
    "communication": {
        "last_update": datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
        "customer_expectation": "A fix or a workaround before their close on 30 November",
    },
    "ask": {
        "kind": "fix",
        "text": "Prioritise a fix for the truncated invoice export",
        "deadline": datetime(2026, 11, 21, 17, 0, tzinfo=UTC),
    },
    "revenue": {"arr_at_risk": 120_000},
}
SECURITY_CASE: dict[str, Any] = {"problem": {"nature": "security"}}
LEADERSHIP_CASE: dict[str, Any] = {"flags": {"churn_threat": True}, "customer": {"arr": 500_000}}
L2_CASE: dict[str, Any] = {"problem": {"nature": "unknown", "bug_confirmed": False}}  # escalates, no team rule
PRODUCT_CASE: dict[str, Any] = {"problem": {"nature": "feature_gap", "bug_confirmed": False}}
TARGET_PREFIXES = ("l2.", "engineering.", "product.", "security.", "leadership.")
# One customer, inconvenienced, asking how to do something: no escalation criterion is met.
SUPPORT_CASE: dict[str, Any] = {
    "problem": {"nature": "how_to", "bug_confirmed": False},
    "breadth": {"customer_count": 1, "user_count": 2},
    "depth": {"level": "inconvenienced"},
    "timeline": {"customer_waiting_since": None},
}


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def make(*overrides: dict[str, Any]) -> Escalation:
    data = FULL
    for over in overrides:
        data = merge(data, over)
    return Escalation.model_validate(data)


def report(esc: Escalation, rules: RuleSettings = DEFAULT_RULES) -> QualityReport:
    return check_quality(esc, assess(esc, rules, now=NOW), rules, now=NOW)


def by_id(rep: QualityReport) -> dict[str, CheckResult]:
    return {r.id: r for r in rep.results}


def resolve(path: str) -> object:
    """Follow a dotted path through an Escalation, insisting every step is a model field."""
    node: object = Escalation()
    for name in path.split("."):
        assert isinstance(node, BaseModel), f"{path}: {name} is below a non-model value"
        assert name in type(node).model_fields, f"{path}: {type(node).__name__} has no field {name}"
        node = getattr(node, name)
    return node


# --- whole escalations -----------------------------------------------------------------


def test_full_bug_escalation_passes_everything() -> None:
    esc = make()
    rep = report(esc)
    assert assess(esc, now=NOW).target.effective is Target.ENGINEERING
    assert [r.id for r in rep.results if not r.passed] == []
    assert rep.score == 100
    assert rep.ok
    assert rep.blocking_failures == ()
    assert rep.advisories == ()
    assert {r.id for r in rep.results} == {
        i for i in CHECKS if not i.startswith((*TARGET_PREFIXES, "support.")) or i.startswith("engineering.")
    } - REPORTED_ONLY_WHEN_FAILED


def test_empty_escalation_is_a_support_note_that_fails_what_a_note_needs() -> None:
    rep = report(Escalation())
    assert {r.id for r in rep.results} == SUPPORT_NOTE_CHECKS
    assert {r.id for r in rep.blocking_failures} == {
        "summary.present", "description.present", "tried.present", "support.answer"
    }
    assert all(not r.passed for r in rep.results)
    assert not rep.ok
    assert rep.score == 0


def test_a_support_note_is_never_asked_for_an_escalations_ask_deadline_or_team_needs() -> None:
    esc = make(SUPPORT_CASE, {"problem": {"workaround": "Settings > Security > SSO, then upload the metadata"}})
    result = assess(esc, now=NOW)
    assert result.verdict.kind.value == "handle_in_support"
    rep = report(esc)
    assert [r.id for r in rep.results] == [i for i in CHECKS if i in SUPPORT_NOTE_CHECKS]
    assert rep.ok
    assert rep.score == 100
    bug = Escalation.model_validate({"summary": "Export broken", "problem": {"nature": "bug"}})
    assert not {r.id for r in report(bug).results} & {"ask.specific", "ask.deadline", "repro.steps", "l2.ticket"}


def test_results_follow_the_briefs_reading_order() -> None:
    for esc in (make(), make(LEADERSHIP_CASE), make(SECURITY_CASE), Escalation()):
        ids = [r.id for r in report(esc).results]
        assert ids == [i for i in CHECKS if i in ids]
    assert list(CHECKS)[:3] == ["summary.present", "impact.quantified", "impact.workflow"]


def test_repro_checks_apply_only_to_bug_like_natures() -> None:
    for nature, expected in (("bug", True), ("data_loss", True), ("infrastructure", True),
                             ("feature_gap", False), ("how_to", False), ("unknown", False)):
        ids = {r.id for r in report(make({"problem": {"nature": nature}})).results}
        assert ("repro.steps" in ids) is expected, nature
        assert len([i for i in ids if i.startswith("repro.")]) == (8 if expected else 0)


# --- every check, failing and passing ----------------------------------------------------

CASES: list[tuple[str, dict[str, Any], bool, str]] = [
    ("summary.present", {"summary": "   "}, False, "summary"),
    ("summary.present", {}, True, "summary"),
    ("impact.quantified", {"breadth": {"customer_count": None, "user_count": None}}, False, "breadth.customer_count"),
    ("impact.quantified", {"breadth": {"customer_count": 0, "user_count": 0}}, False, "breadth.customer_count"),
    ("impact.quantified", {"breadth": {"customer_count": None, "user_count": 40}}, True, "breadth.customer_count"),
    ("impact.quantified", {"breadth": {"customer_count": None, "user_count": None, "named_customers": ["Acme"]}},
     True, "breadth.customer_count"),
    ("impact.quantified", {"breadth": {"customer_count": None, "user_count": None, "whole_segment": True}},
     True, "breadth.customer_count"),
    ("impact.workflow", {"depth": {"level": "unknown"}}, False, "depth.level"),
    ("impact.workflow", {"depth": {"workflow_impact": " "}}, False, "depth.workflow_impact"),
    ("impact.workflow", {"depth": {"level": "inconvenienced"}}, True, "depth.workflow_impact"),
    ("impact.duration", {"timeline": {"issue_started": None, "customer_waiting_since": None}}, False,
     "timeline.issue_started"),
    ("impact.duration", {"timeline": {"issue_started": None}}, True, "timeline.issue_started"),
    ("impact.duration", {"timeline": {"customer_waiting_since": None}}, True, "timeline.issue_started"),
    ("description.present", {"problem": {"description": "\n  "}}, False, "problem.description"),
    ("description.present", {}, True, "problem.description"),
    ("description.length", {"problem": {"description": "Export is broken for Acme."}}, False, "problem.description"),
    ("description.length", {"problem": {"description": "One. Two. Three. Four. Five. Six."}}, False,
     "problem.description"),
    ("description.length", {"problem": {"description": "One. Two. Three."}}, True, "problem.description"),
    ("tried.present", {"tried": []}, False, "tried"),
    ("tried.present", {"tried": [{"action": "Cleared the cache", "result": ""}, {"action": "", "result": "Same"}]},
     False, "tried"),
    ("tried.present", {}, True, "tried"),
    ("support.answer", SUPPORT_CASE, False, "problem.workaround"),
    ("support.answer", merge(SUPPORT_CASE, {"problem": {"workaround": "Export one week at a time"}}), True,
     "problem.workaround"),
    ("support.answer", merge(SUPPORT_CASE, {"context": [{"kind": "doc", "reference": "https://help.example.com/x"}]}),
     True, "problem.workaround"),
    ("repro.steps", {"reproduction": {"steps": ["Click the Export CSV button on Reports"]}}, False,
     "reproduction.steps"),
    ("repro.steps", {"reproduction": {"steps": ["Open the Reports page", "  "]}}, False, "reproduction.steps"),
    ("repro.steps", {"reproduction": {"expected": ""}}, False, "reproduction.expected"),
    ("repro.steps", {"reproduction": {"actual": " "}}, False, "reproduction.actual"),
    ("repro.steps", {}, True, "reproduction.steps"),
    ("repro.clean_state", {"reproduction": {"starting_state": ""}}, False, "reproduction.starting_state"),
    ("repro.clean_state", {}, True, "reproduction.starting_state"),
    ("repro.specific", {"reproduction": {"steps": ["Open the Reports page in the app", "Try to export"]}}, False,
     "reproduction.steps"),
    ("repro.specific", {"reproduction": {"steps": ["Open Reports", "Click the Export CSV button"]}}, False,
     "reproduction.steps"),
    ("repro.specific", {"reproduction": {"steps": []}}, False, "reproduction.steps"),
    ("repro.specific", {"reproduction": {"steps": ["1. Open the Reports page", "2. Click the Export button"]}},
     True, "reproduction.steps"),
    ("repro.specific", {}, True, "reproduction.steps"),
    ("repro.exact_values", {"reproduction": {
        "steps": ["Open the reports page from the sidebar", "Click the export button at the top"],
        "expected": "All invoices are in the file", "actual": "Some invoices are missing"}}, False,
     "reproduction.steps"),
    ("repro.exact_values", {}, True, "reproduction.steps"),
    ("repro.environment", {"reproduction": {"environment": ""}}, False, "reproduction.environment"),
    ("repro.environment", {}, True, "reproduction.environment"),
    ("repro.frequency", {"reproduction": {"frequency": "unknown"}}, False, "reproduction.frequency"),
    ("repro.frequency", {"reproduction": {"frequency": "intermittent"}}, True, "reproduction.frequency"),
    ("repro.evidence", {"reproduction": {"evidence": []}}, False, "reproduction.evidence"),
    ("repro.evidence", {"reproduction": {"evidence": [" "]}}, False, "reproduction.evidence"),
    ("repro.evidence", {}, True, "reproduction.evidence"),
    ("repro.ruled_out", {"reproduction": {"ruled_out": []}}, False, "reproduction.ruled_out"),
    ("repro.ruled_out", {}, True, "reproduction.ruled_out"),
    ("communication.last_update", {"communication": {"last_update": None}}, False, "communication.last_update"),
    ("communication.last_update", {"communication": {"customer_expectation": ""}}, False,
     "communication.customer_expectation"),
    ("communication.last_update", {}, True, "communication.last_update"),
    ("communication.overdue", {"communication": {"last_update": datetime(2026, 11, 18, 16, 0, tzinfo=UTC)}}, False,
     "communication.last_update"),
    ("communication.overdue", {}, True, "communication.last_update"),
    ("ask.specific", {"ask": {"kind": "unset"}}, False, "ask.kind"),
    ("ask.specific", {"ask": {"text": "Please help"}}, False, "ask.text"),
    ("ask.specific", {"ask": {"text": "Please look into this ASAP!"}}, False, "ask.text"),
    ("ask.specific", {"ask": {"kind": "investigate", "text": "Investigate the root cause"}}, True, "ask.text"),
    ("ask.deadline", {"ask": {"deadline": None}}, False, "ask.deadline"),
    ("ask.deadline", {}, True, "ask.deadline"),
    ("l2.customer_context", merge(L2_CASE, {"customer": {"name": ""}}), False, "customer.name"),
    ("l2.customer_context", L2_CASE, False, "customer.notes"),
    ("l2.customer_context", merge(L2_CASE, {"customer": {"notes": "Renews in May; two escalations this year"}}),
     True, "customer.notes"),
    ("l2.ticket", merge(L2_CASE, {"context": [{"kind": "ticket", "title": "Export short"}]}), False, "context"),
    ("l2.ticket", merge(L2_CASE, {"context": [{"kind": "ticket", "reference": "#4411"}]}), True, "context"),
    ("engineering.business_impact", {"revenue": {"arr_at_risk": None}}, False, "revenue.arr_at_risk"),
    ("engineering.business_impact", {"revenue": {"arr_at_risk": None, "pending_deals": "Renewal in March"}}, True,
     "revenue.arr_at_risk"),
    ("product.use_case", PRODUCT_CASE, False, "product.use_case"),
    ("product.use_case", merge(PRODUCT_CASE, {"product": {"use_case": "Prove admin changes to an auditor"}}), True,
     "product.use_case"),
    ("product.demand", PRODUCT_CASE, False, "product.request_count"),
    ("product.demand", merge(PRODUCT_CASE, {"product": {"request_count": 14}}), True, "product.request_count"),
    ("product.competition", PRODUCT_CASE, False, "product.competitive_pressure"),
    ("product.competition", merge(PRODUCT_CASE, {"product": {"competitive_pressure": "None known"}}), True,
     "product.competitive_pressure"),
    ("security.observed", SECURITY_CASE, False, "security.observed"),
    ("security.observed", merge(SECURITY_CASE, {"security": {"observed": "Another tenant's invoices in a CSV"}}),
     True, "security.observed"),
    ("security.affected", SECURITY_CASE, False, "security.affected"),
    ("security.affected", merge(SECURITY_CASE, {"security": {"affected": "Globex: 212 invoices"}}), True,
     "security.affected"),
    ("security.urgency", SECURITY_CASE, False, "security.urgency"),
    ("security.urgency", merge(SECURITY_CASE, {"security": {"urgency": "Contained; no deadline"}}), True,
     "security.urgency"),
    ("security.containment", SECURITY_CASE, False, "security.containment"),
    ("security.containment", merge(SECURITY_CASE, {"security": {"containment": "Revoked the leaked API key"}}),
     True, "security.containment"),
    ("leadership.context", LEADERSHIP_CASE, False, "customer.notes"),
    ("leadership.context", merge(LEADERSHIP_CASE, {"customer": {"notes": "Renewal on 15 Dec"}}), True,
     "customer.notes"),
    ("leadership.decision", LEADERSHIP_CASE, False, "ask.kind"),
    ("leadership.decision", merge(LEADERSHIP_CASE, {"ask": {"kind": "approve"}}), True, "ask.kind"),
    ("leadership.decision", merge(LEADERSHIP_CASE, {"ask": {"kind": "decide"}}), True, "ask.kind"),
    ("leadership.revenue", merge(LEADERSHIP_CASE, {"revenue": {"arr_at_risk": None}}), False, "revenue.arr_at_risk"),
    ("leadership.revenue", merge(LEADERSHIP_CASE, {"revenue": {"arr_at_risk": 500_000}}), True,
     "revenue.arr_at_risk"),
]


@pytest.mark.parametrize(("check_id", "over", "passed", "field"), CASES)
def test_each_check(check_id: str, over: dict[str, Any], passed: bool, field: str) -> None:
    result = by_id(report(make(over)))[check_id]
    assert result.passed is passed, result.message
    if field:
        assert result.field == field
    assert result.level is CHECKS[check_id][1]
    assert result.title == CHECKS[check_id][0]


def test_every_check_has_a_failing_and_a_passing_case() -> None:
    """A check reported only when it fails has its own tests (the secrets check: below)."""
    assert {c[0] for c in CASES if not c[2]} == set(CHECKS) - REPORTED_ONLY_WHEN_FAILED
    assert {c[0] for c in CASES if c[2]} == set(CHECKS) - REPORTED_ONLY_WHEN_FAILED


def test_blank_named_customers_do_not_quantify() -> None:
    esc = make({"breadth": {"customer_count": None, "user_count": None, "named_customers": ["", " "]}})
    assert not by_id(report(esc))["impact.quantified"].passed


# --- fields, ids, messages -------------------------------------------------------------


def all_reports() -> list[QualityReport]:
    return [report(make(over)) for _, over, _, _ in CASES] + [report(Escalation())]


def test_every_field_is_a_real_path_into_the_model() -> None:
    fields = {r.field for rep in all_reports() for r in rep.results}
    for field in fields:
        resolve(field)
    assert "ask.deadline" in fields
    assert "reproduction.environment" in fields
    with pytest.raises(AssertionError):
        resolve("reproduction.browser")


def test_ids_unique_and_messages_and_titles_never_empty() -> None:
    for rep in all_reports():
        ids = [r.id for r in rep.results]
        assert len(ids) == len(set(ids))
        for result in rep.results:
            assert result.id in CHECKS
            assert result.message.strip()
            assert result.title.strip()
            assert result.message.count(". ") == 0, result.message  # one sentence
    titles = [spec[0] for spec in CHECKS.values()]
    assert len(titles) == len(set(titles))


def test_failed_messages_differ_from_passed_ones() -> None:
    passed = {r.id: r.message for r in report(make()).results}
    for check_id, over, ok, _ in CASES:
        if not ok and check_id in passed:
            assert by_id(report(make(over)))[check_id].message != passed[check_id]


def test_results_are_frozen() -> None:
    result = report(make()).results[0]
    with pytest.raises(AttributeError):
        result.passed = False  # type: ignore[misc]


# --- target-specific checks --------------------------------------------------------------


def target_ids(esc: Escalation) -> set[str]:
    return {r.id for r in report(esc).results if r.id.startswith(TARGET_PREFIXES)}


SECURITY_CHECKS = {"security.observed", "security.affected", "security.containment", "security.urgency"}


@pytest.mark.parametrize(
    ("case", "target", "checks"),
    [
        (L2_CASE, Target.L2, {"l2.customer_context", "l2.ticket"}),
        ({}, Target.ENGINEERING, {"engineering.business_impact"}),
        (PRODUCT_CASE, Target.PRODUCT, {"product.use_case", "product.demand", "product.competition"}),
        (SECURITY_CASE, Target.SECURITY, SECURITY_CHECKS),
        (LEADERSHIP_CASE, Target.LEADERSHIP, {"leadership.context", "leadership.decision", "leadership.revenue"}),
    ],
)
def test_each_target_gets_the_checks_for_what_it_needs_and_no_others(
    case: dict[str, Any], target: Target, checks: set[str]
) -> None:
    esc = make(case)
    assert assess(esc, now=NOW).target.effective is target
    assert target_ids(esc) == checks
    assert {i for i in CHECKS if i.startswith(f"{target.value}.")} == checks


def test_security_is_not_ready_until_it_says_what_was_seen_and_who_is_exposed() -> None:
    rep = report(make(SECURITY_CASE, {"security": {"containment": "Revoked the key", "urgency": "Contained"}}))
    assert [r.id for r in rep.blocking_failures] == ["security.observed", "security.affected"]


def test_leadership_checks_pass_once_the_decision_revenue_and_context_are_given() -> None:
    fixed = make(LEADERSHIP_CASE, {"ask": {"kind": "decide"}, "revenue": {"arr_at_risk": 500_000},
                                   "customer": {"notes": "Renewal on 15 Dec; CFO is the sponsor"}})
    assert report(fixed).ok
    assert report(fixed).score == 100


def test_engineering_gets_the_repro_checks_whatever_the_nature() -> None:
    esc = make({"problem": {"nature": "unknown"}, "flags": {"needs_code_change": True}})
    assert assess(esc, now=NOW).target.effective is Target.ENGINEERING
    assert len([r for r in report(esc).results if r.id.startswith("repro.")]) == 8


def test_target_checks_follow_the_effective_target_after_an_override() -> None:
    esc = make().model_copy(update={"target_override": TargetOverride(value=Target.SECURITY, reason="Token in logs")})
    assert target_ids(esc) == SECURITY_CHECKS
    moved = make(SECURITY_CASE).model_copy(
        update={"target_override": TargetOverride(value=Target.ENGINEERING, reason="Not a real exposure")}
    )
    assert target_ids(moved) == {"engineering.business_impact"}


# --- score -------------------------------------------------------------------------------


def test_score_one_advisory_failing_in_a_bug_case() -> None:
    rep = report(make({"reproduction": {"ruled_out": []}}))
    weights = sum(2 if r.level is CheckLevel.BLOCKING else 1 for r in rep.results)
    assert (len(rep.results), weights) == (20, 27)  # 7 blocking, 13 advisory
    assert rep.score == 96  # 26 / 27
    assert rep.ok
    assert [r.id for r in rep.advisories] == ["repro.ruled_out"]


def test_score_one_blocking_failing_in_a_bug_case() -> None:
    rep = report(make({"ask": {"deadline": None}}))
    assert rep.score == 93  # 25 / 27
    assert not rep.ok
    assert [r.id for r in rep.blocking_failures] == ["ask.deadline"]
    assert rep.advisories == ()


def test_score_rounds_half_up() -> None:
    def result(level: CheckLevel, passed: bool) -> CheckResult:
        return CheckResult("summary.present", "One-line summary", passed, level, "Message.", "summary")

    half = (result(CheckLevel.BLOCKING, True), *(result(CheckLevel.ADVISORY, False) for _ in range(14)))
    assert _score(half) == 13  # 2 of 16 is 12.5, rounded up, not to even
    product = make(PRODUCT_CASE, {"communication": {"last_update": None}, "product": {
        "use_case": "Prove admin changes to an auditor", "request_count": 14, "competitive_pressure": "None known"}})
    rep = report(product)
    assert [r.id for r in rep.results if not r.passed] == ["communication.last_update"]
    assert rep.score == 95  # 19 / 20: seven blocking checks and six advisory ones


def test_score_is_100_when_nothing_applies() -> None:
    assert _score(()) == 100


# --- text rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n ", 0),
        ("One. Two! Three?", 3),
        ("no final stop at all", 1),
        ("Upgraded to 2.3.1 yesterday. Rows drop.", 2),
        ("Totals are off by 3.5 percent. Nobody noticed.", 2),
        ("Large accounts, e.g. Acme, are hit. Small ones, i.e. under 100 seats, are not.", 2),
        ("Acme Inc. is blocked.", 1),
        ("It started at Acme Inc. They escalated today.", 2),
        ("Ticket no. 4411 is open.", 1),
        ("Exports, imports, etc. all fail. Logins work.", 2),
        ("It hangs... then it crashes.", 1),
        ("It hangs... Then it crashes.", 2),
        ('The banner reads "Access denied." Then the session ends.', 2),
        ("Is it the proxy?! We do not know yet.", 2),
        ("See acme.com/status for details. It was green.", 2),
        ("1. Open the page. 2. Click export.", 2),
        ("First paragraph without a stop\n\nSecond one", 2),
        ("A line\nwrapped mid-sentence. Done.", 2),
        ("!!! ... ?", 0),
    ],
)
def test_count_sentences(text: str, expected: int) -> None:
    assert count_sentences(text) == expected


def test_words_keeps_versions_ids_and_contractions_whole() -> None:
    assert words("Upgrade to 2.3.1 fixed INV-2041, didn't it?") == 7
    assert words("  ") == 0


def test_description_length_follows_the_rules() -> None:
    esc = make({"problem": {"description": "Export fails. Rows are missing."}})
    assert not by_id(report(esc))["description.length"].passed
    loose = RuleSettings(description_min_sentences=1, description_max_sentences=2)
    assert by_id(report(esc, loose))["description.length"].passed
    with pytest.raises(ValueError, match="must not be larger"):
        RuleSettings(description_min_sentences=2, description_max_sentences=1)
    short = by_id(report(esc))["description.length"]
    assert "2" in short.message
    assert "3-5" in short.message


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("please help asap", True),
        ("Please look into this ASAP!", True),
        ("URGENT urgent urgent", True),
        ("Can you please fix the customer's problem quickly", True),
        ("Need help with this issue today", True),
        ("Investigate the root cause", False),
        ("Fix the invoice export truncation", False),
        ("Approve a one-month credit for Acme", False),
        ("Decide whether audit logs ship this quarter", False),
    ],
)
def test_vague_asks_are_rejected(text: str, vague: bool) -> None:
    result = by_id(report(make({"ask": {"text": text}})))["ask.specific"]
    assert result.passed is not vague


@pytest.mark.parametrize(
    "step",
    [
        "Try to export the invoices",
        "Reproduce the issue on the account",
        "Do the thing on the dashboard",
        "Open the report and it breaks",
        "Enter some data in the form",
        "Click around the settings and stuff",
        "Export as usual from the page",
        "Open",
    ],
)
def test_vague_steps_are_flagged(step: str) -> None:
    steps = ["Open Reports > Invoices from the left sidebar", step]
    result = by_id(report(make({"reproduction": {"steps": steps}})))["repro.specific"]
    assert not result.passed
    assert result.message.startswith("Step 2 ")


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ("Search for the customer by id", False),
        ("Search for invoice 2041 in the list", True),
        ('Type "late fees" into the search box', True),
        ("Type 'late fees' into the search box", True),
        ("Type `late fees` into the search box", True),
        ("Type “late fees” into the search box", True),
        ("Search for the customer's oldest invoice", False),
        ("Log in as billing@acme.example as the admin", True),
        ("Open https://app.example/reports in the browser", True),
        ("Open the settings under /settings/billing here", True),
        ("Open the ACME-PROD workspace settings", True),
        ("Enable the flag new_export for the workspace", True),
        ("Upload the attached invoices.csv file", True),
    ],
)
def test_exact_values_are_recognised(value: str, exact: bool) -> None:
    repro = {"steps": ["Open the reports page from the sidebar", value], "expected": "All rows", "actual": "Fewer"}
    assert by_id(report(make({"reproduction": repro})))["repro.exact_values"].passed is exact


def test_list_markers_typed_into_steps_are_not_exact_values() -> None:
    repro = {"steps": ["1. Open the reports page", "2) Click the export button"], "expected": "All", "actual": "Few"}
    assert not by_id(report(make({"reproduction": repro})))["repro.exact_values"].passed


def test_curly_apostrophes_and_typed_list_markers_are_understood() -> None:
    steps = ["1. Open the Reports page from the sidebar", "2. Press Export and it doesn’t work"]
    result = by_id(report(make({"reproduction": {"steps": steps}})))["repro.specific"]
    assert not result.passed
    assert result.message.startswith("Step 2 ")


# --- the customer-update clock -------------------------------------------------------------


def test_an_overdue_customer_update_says_by_how_much_and_when_it_was_due() -> None:
    esc = make({"communication": {"last_update": datetime(2026, 11, 18, 16, 0, tzinfo=UTC)}})
    assert assess(esc, now=NOW).severity.effective.label == "High"  # customer updates every 4-8 hours
    result = by_id(report(esc))["communication.overdue"]
    assert not result.passed
    assert result.message.startswith(
        "The customer update is 10 hours overdue: it was due by 2026-11-19 00:00 UTC (every 4-8 hours after"
    )


def test_the_contracts_shorter_interval_decides_when_an_update_is_overdue() -> None:
    esc = make({"contract": {"customer_update_hours": 1}})  # last update 09:00, now 10:00
    assert by_id(report(esc))["communication.overdue"].passed
    late = make({"contract": {"customer_update_hours": 1}, "communication": {"last_update": datetime(
        2026, 11, 19, 8, 40, tzinfo=UTC)}})
    message = by_id(report(late))["communication.overdue"].message
    assert message.startswith("The customer update is 20 minutes overdue: it was due by 2026-11-19 09:40 UTC")


def test_the_update_clock_needs_an_escalation_a_last_update_and_a_clock() -> None:
    esc = make({"communication": {"last_update": datetime(2026, 11, 1, 9, 0, tzinfo=UTC)}})
    assert "communication.overdue" in by_id(report(esc))
    assert "communication.overdue" not in by_id(check_quality(esc, assess(esc, now=NOW)))  # no clock
    unsent = make({"communication": {"last_update": None}})
    assert "communication.overdue" not in by_id(report(unsent))


# --- secrets ---------------------------------------------------------------------------------

PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98wjdR2oWvS1sXoCr0HuBEtGhLj4wxkmAqHsZ3bU8AbpR\n"
    "-----END RSA PRIVATE KEY-----"
)


def test_a_private_key_in_the_evidence_blocks_the_brief_and_points_at_its_item() -> None:
    evidence = ["export-2026-11-18.csv row count", f"The key they pasted:\n{PEM}"]
    rep = report(make({"reproduction": {"evidence": evidence}}))
    result = by_id(rep)["secrets.none"]
    assert not result.passed
    assert result.level is CheckLevel.BLOCKING
    assert result in rep.blocking_failures
    assert not rep.ok
    assert rep.score == 93  # 27 / 29: the one blocking failure; the same case without the key scores 100
    assert result.field == "reproduction.evidence.1"
    assert result.message == (
        "A private key is in item 2 of Evidence (exact errors, logs, screenshots): remove it, have it rotated, "
        "and refer to it instead, such as 'the customer's private key (rotated)'."
    )
    assert "MIIE" not in result.message


def test_the_secrets_check_names_the_first_secret_and_counts_the_others() -> None:
    esc = make({"summary": "Key AKIAIOSFODNN7EXAMPLE leaked", "tried": [
        {"action": "Called the API with password=hunter22", "result": "401"}]})
    esc.edited_brief = f"## ESCALATION: leaked\n{PEM}"
    result = by_id(report(esc))["secrets.none"]
    assert result.field == "summary"
    assert result.message.startswith("An AWS access key is in Summary (one line), one of 3 secrets in the case: ")
    assert result.message.endswith("such as 'the customer's AWS key (rotated)'.")


def test_a_secret_only_in_the_hand_edited_brief_points_at_the_brief_text() -> None:
    esc = make()
    esc.edited_brief = "## ESCALATION: export\nsee https://admin:S3cr3t!pw@db.acme.com"
    result = by_id(report(esc))["secrets.none"]
    assert (result.field, result.passed) == ("edited_brief", False)
    assert result.message.startswith("A password in a URL is in Brief text (edited by hand): ")


def test_a_support_note_with_a_secret_is_not_ready_either() -> None:
    esc = make(SUPPORT_CASE, {"problem": {"workaround": "Log in with password: Welcome2026! and re-upload"}})
    assert assess(esc, now=NOW).verdict.kind.value == "handle_in_support"
    rep = report(esc)
    assert [r.id for r in rep.blocking_failures] == ["secrets.none"]
    assert rep.score < 100
    assert by_id(rep)["secrets.none"].field == "problem.workaround"


def test_a_case_without_secrets_is_not_credited_for_it() -> None:
    assert "secrets.none" not in by_id(report(make()))
    assert "secrets.none" not in by_id(report(make(SUPPORT_CASE)))
    lookalikes = make({"summary": "Export fails for ZD-4821 (request 123e4567-e89b-12d3-a456-426614174000)",
                       "problem": {"description": "The password reset flow is fine. Commit 9fceb02d0ae5 broke it."}})
    assert "secrets.none" not in by_id(report(lookalikes))
