"""The triage outcome as plain JSON-ready data, for `escalate-tui triage --json` and scripts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tui.domain.cadence import Clock, FollowUpPlan
from tui.domain.triage import Assessment


def _clock(clock: Clock) -> dict[str, Any]:
    data: dict[str, Any] = {
        "every": clock.interval.label,
        "unit": clock.interval.unit,
        "low": clock.interval.low,
        "high": clock.interval.high,
        "earliest": clock.earliest.isoformat(),
        "latest": clock.latest.isoformat(),
    }
    if clock.note:
        data["note"] = clock.note
    return data


def assessment_to_dict(assessment: Assessment, plan: FollowUpPlan | None, now: datetime) -> dict[str, Any]:
    """Lower-case machine values (`handle_in_support`, `pattern`, `critical`, `engineering`)
    beside the human reasons, so scripts can branch and people can read. `cadence` is null
    without a plan: a case that stays in support has no escalation follow-up."""
    verdict, severity, target = assessment.verdict, assessment.severity, assessment.target
    return {
        "verdict": verdict.kind.value,
        "triggers": [{"category": t.category.value, "id": t.id, "reason": t.reason} for t in verdict.triggers],
        "support_reasons": [{"id": s.id, "reason": s.reason} for s in verdict.support_reasons],
        "severity": severity.effective.value,
        "proposed_severity": severity.proposed.value,
        "target": target.effective.value,
        "proposed_target": target.proposed.value,
        "cc": [team.value for team in target.cc],
        "reasons": {
            "verdict": list(verdict.reasons),
            "severity": list(severity.reasons),
            "target": list(target.reasons),
            "severity_override": severity.override_reason,
            "target_override": target.override_reason,
        },
        "cadence": None if plan is None else {
            "from": now.isoformat(),
            "internal": _clock(plan.internal),
            "customer": _clock(plan.customer),
        },
    }
