"""A realistic brief as the send planner hands it to a destination type."""

from __future__ import annotations

from datetime import date

from tui.domain.models import Escalation, Severity, Target
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind
from tui.render.markdown import render_markdown
from tui.send.model import Brief

TODAY = date(2026, 11, 19)


def assessment(severity: Severity = Severity.HIGH, target: Target = Target.ENGINEERING) -> Assessment:
    return Assessment(
        verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
        severity=SeverityCall(severity, severity, ()),
        target=TargetCall(target, target, (), ()),
    )


def make_brief(esc: Escalation | None = None, version: int = 1, escalation_id: int = 42,
               target: Target = Target.ENGINEERING) -> Brief:
    esc = esc if esc is not None else Escalation.model_validate({
        "summary": "Data export drops rows for Acme Corp",
        "problem": {"description": "CSV exports stop after 10,000 rows.\nNo error is shown.", "nature": "bug"},
        "tried": [{"action": "Re-ran the export", "result": "same truncated file"}],
    })
    decided = assessment(target=target)
    return Brief(escalation_id=escalation_id, version=version, esc=esc, assessment=decided,
                 markdown=render_markdown(esc, decided, TODAY, target), today=TODAY)
