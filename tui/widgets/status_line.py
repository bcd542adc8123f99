"""The line under the step bar: which case this is, what the rules make of it, and whether it is saved."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from tui.domain.cadence import Interval, follow_up_plan
from tui.domain.due_words import due_words
from tui.domain.triage import VerdictKind
from tui.render.escape import collapse
from tui.widgets.case import CaseEditor

SEPARATOR = "  │  "


def saved_phrase(saved_at: datetime | None, now: datetime, problem: str | None) -> str:
    if problem:
        return "NOT SAVED"
    if saved_at is None:
        return "not saved yet"
    seconds = max(0, int((now - saved_at).total_seconds()))
    if seconds < 60:
        return f"saved {seconds} s ago"
    if seconds < 3600:
        return f"saved {seconds // 60} min ago"
    return f"saved {saved_at.astimezone():%H:%M}"


def _every(interval: Interval) -> str:
    """A follow-up interval in a few characters: "2 h", "2–4 h", "daily", "1–2 work days"."""
    span = str(interval.low) if interval.low == interval.high else f"{interval.low}–{interval.high}"
    if interval.unit == "hours":
        return f"{span} h"
    return "daily" if span == "1" else f"{span} work days"


def status_text(case: CaseEditor, saved: str, file_name: str, width: int) -> Text:
    """One line of `width` cells: customer · summary │ verdict · severity → target (cc) │ follow-up │
    saved · file. The summary gives way first when the line is too long, then the follow-up."""
    esc, assessment = case.escalation, case.assessment
    verdict = Text()
    kind = assessment.verdict.kind
    verdict.append(kind.label.upper(), style="bold")
    follow_up = ""
    if kind is VerdictKind.ESCALATE:
        severity, target = assessment.severity.effective, assessment.target
        verdict.append(" · ")
        verdict.append(f" {severity.label.upper()} ", style="reverse bold")
        verdict.append(f" → {target.effective.label}")
        if target.cc:
            verdict.append(f" (cc {', '.join(team.label for team in target.cc)})")
        plan = follow_up_plan(severity, case.clock(), esc.contract.customer_update_hours)
        follow_up = f"check-in {_every(plan.internal.interval)} · customer {_every(plan.customer.interval)}"
    record = case.escalation_record
    if record is not None and record.status != "draft":
        # Once handed over, what matters is the escalation's own status and when it is next due.
        verdict = Text(f"{record.status.label.upper()} #{record.id}", style="bold")
        if record.severity is not None and record.target is not None:
            verdict.append(" · ")
            verdict.append(f" {record.severity.label.upper()} ", style="reverse bold")
            verdict.append(f" → {record.target.label}")
        follow_up = due_words(record.internal_due, record.customer_due, record.snoozed_until, case.clock())
    tail = Text(saved, style="bold reverse" if saved == "NOT SAVED" else "")
    if file_name:
        tail.append(f" · {collapse(file_name)}")
    who = collapse(esc.customer.name) or "no customer yet"
    what = collapse(esc.summary) or "no summary yet"
    fixed = len(who) + 3 + verdict.cell_len + tail.cell_len + 2 * len(SEPARATOR)
    escalated = record is not None and record.status != "draft"
    if follow_up and not escalated and fixed + len(SEPARATOR) + len(follow_up) + 12 > width:
        follow_up = ""  # shown in full on the Impact step's panel; the summary matters more here
    room = width - fixed - (len(SEPARATOR) + len(follow_up) if follow_up else 0)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(who, style="bold")
    text.append(" · ")
    text.append(what if len(what) <= room else what[: max(1, room - 1)] + "…")
    text.append(SEPARATOR)
    text.append_text(verdict)
    if follow_up:
        text.append(SEPARATOR)
        text.append(follow_up)
    text.append(SEPARATOR)
    text.append_text(tail)
    return text


class StatusLine(Static):
    DEFAULT_CSS = "StatusLine { height: 1; background: $boost; padding: 0 1; }"

    _facts: tuple[CaseEditor, str, str] | None = None

    def show(self, case: CaseEditor, saved: str, file_name: str) -> None:
        self._facts = (case, saved, file_name)
        self.refresh()

    def render(self) -> Text:
        if self._facts is None:
            return Text()
        return status_text(*self._facts, width=self.content_region.width or 120)
