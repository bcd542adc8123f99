"""Live panels: the verdict, severity and target with the reasons behind them, the step bar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.domain.models import Severity
from tui.domain.triage import Assessment, VerdictKind
from tui.render.escape import collapse

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
            text.append(f"{collapse(trigger.reason)}\n")
        for reason in verdict.support_reasons:
            text.append("• Support: ", style="bold")
            text.append(f"{collapse(reason.reason)}\n")
        if not verdict.triggers and not verdict.support_reasons:
            for line in verdict.reasons:  # none met yet, or escalated by the agent's override alone
                text.append(f"{collapse(line)}\n")
        self.update(text)


class AssessmentPanel(AssessmentView):
    """Severity and target with their reasons, overrides and who else to inform."""

    DEFAULT_CSS = """
    AssessmentPanel { border: round $primary; padding: 0 1; height: auto; }
    """

    def draw(self, assessment: Assessment) -> None:
        severity, target = assessment.severity, assessment.target
        self.border_title = "Severity and target"
        escalated = assessment.verdict.kind is VerdictKind.ESCALATE
        self.update_classes({css: escalated and level is severity.effective for level, css in SEVERITY_CLASS.items()})
        text = Text()
        if not escalated:
            text.append("STAYS IN SUPPORT", style="bold")
            text.append("\nNo target team and no follow-up cadence: the Brief step writes a support note. "
                        "Severity and target are proposed once an escalation criterion is met (or ctrl+o).")
            self.update(text)
            return
        text.append("Severity: ", style="bold")
        text.append(severity_badge(severity.effective), style="reverse bold")
        self._override(text, severity.override_reason)
        for reason in severity.reasons:
            text.append(f"• {collapse(reason)}\n")
        text.append("Target: ", style="bold")
        text.append(target.effective.label, style="bold")
        if target.cc:
            text.append(f"  cc: {', '.join(team.label for team in target.cc)}")
        self._override(text, target.override_reason)
        for reason in target.reasons:
            text.append(f"• {collapse(reason)}\n")
        self.update(text)

    @staticmethod
    def _override(text: Text, reason: str | None) -> None:
        # The reasons say what was proposed and what the agent chose; the agent's own why goes here.
        if reason:
            text.append("  overridden: ", style="italic")
            text.append(collapse(reason), style="italic")
        text.append("\n")


