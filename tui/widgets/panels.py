"""Live panels: the verdict, severity and target with the reasons behind them, the step bar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.domain.models import Severity
from tui.domain.triage import Assessment, VerdictKind

SEVERITY_CLASS = {Severity.CRITICAL: "sev-critical", Severity.HIGH: "sev-high", Severity.MEDIUM: "sev-medium"}


def severity_badge(severity: Severity) -> str:
    """Always the word, never colour alone."""
    return f" {severity.label.upper()} "


class AssessmentView(Static):
    """A panel drawn from an Assessment: filled in when built, so a screen's first frame shows it,
    and redrawn only when the assessment it shows has changed."""

    def __init__(self, assessment: Assessment, **options: Any) -> None:
        super().__init__(**options)
        self._shown: Assessment | None = None
        self.show(assessment)

    def show(self, assessment: Assessment) -> None:
        if assessment != self._shown:
            self._shown = assessment
            self.draw(assessment)

    def draw(self, assessment: Assessment) -> None:
        raise NotImplementedError


class VerdictPanel(AssessmentView):
    """Escalate or handle in support, each matched criterion and each reason to keep it in support."""

    DEFAULT_CSS = """
    VerdictPanel { border: round $primary; padding: 0 1; height: auto; }
    VerdictPanel.-escalate { border: round $warning; }
    """

    def draw(self, assessment: Assessment) -> None:
        verdict = assessment.verdict
        escalate = verdict.kind is VerdictKind.ESCALATE
        self.set_class(escalate, "-escalate")
        self.border_title = "Verdict"
        text = Text()
        text.append(verdict.kind.label.upper(), style="bold")
        text.append("\n")
        for trigger in verdict.triggers:
            text.append(f"• {trigger.category.label}: ", style="bold")
            text.append(f"{trigger.reason}\n")
        for reason in verdict.support_reasons:
            text.append("• Support: ", style="bold")
            text.append(f"{reason.reason}\n")
        if not verdict.triggers and not verdict.support_reasons:
            text.append(verdict.reasons[0])
        self.update(text)


class AssessmentPanel(AssessmentView):
    """Severity and target with their reasons, overrides and who else to inform."""

    DEFAULT_CSS = """
    AssessmentPanel { border: round $primary; padding: 0 1; height: auto; }
    """

    def draw(self, assessment: Assessment) -> None:
        severity, target = assessment.severity, assessment.target
        self.border_title = "Severity and target"
        for css in SEVERITY_CLASS.values():
            self.remove_class(css)
        self.add_class(SEVERITY_CLASS[severity.effective])
        text = Text()
        text.append("Severity: ", style="bold")
        text.append(severity_badge(severity.effective), style="reverse bold")
        if severity.override_reason:
            text.append(f"  (proposed {severity.proposed.label}; overridden: {severity.override_reason})")
        text.append("\n")
        for reason in severity.reasons:
            text.append(f"• {reason}\n")
        text.append("Target: ", style="bold")
        text.append(target.effective.label, style="bold")
        if target.cc:
            text.append(f"  cc: {', '.join(team.label for team in target.cc)}")
        if target.override_reason:
            text.append(f"\n  (proposed {target.proposed.label}; overridden: {target.override_reason})")
        text.append("\n")
        for reason in target.reasons:
            text.append(f"• {reason}\n")
        self.update(text)


