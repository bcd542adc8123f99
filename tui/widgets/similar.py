"""The Similar escalations panel: stored escalations alike the case being written, and how many
customers they cover together with it. Every value in it comes from the store: shown as plain text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.domain.patterns import Lookalike
from tui.domain.text_safety import visible
from tui.render.escape import collapse

SUMMARY_WIDTH = 48  # characters of a similar escalation's summary shown


@dataclass(frozen=True, slots=True)
class SimilarView:
    """What the panel shows: the escalations found (or why none could be looked for), the customers
    sharing the issue with this case, and which actions are offered, with their keys."""

    found: tuple[Lookalike, ...] = ()
    customers: int = 0
    problem: str = ""
    link_key: str = ""  # set when linking them as a pattern is offered
    recurring_key: str = ""  # set when marking the case as recurring is offered
    zone: tzinfo | None = None  # where the days of closing are counted; local time by default


def one_line(text: str, width: int = SUMMARY_WIDTH) -> str:
    """`text` on one line, its control characters shown, cut to `width` characters."""
    line = visible(collapse(text))
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def describe(item: Lookalike) -> str:
    """``#12 · Escalated · High · Globex · CSV export drops rows…``"""
    severity = item.severity.label if item.severity is not None else "no severity"
    customer = one_line(item.customer, 30) or "customer not named"
    return f"#{item.id} · {item.status.label} · {severity} · {customer} · {one_line(item.summary) or '(no summary)'}"


class SimilarPanel(Static):
    """Hidden until the first lookup has answered (never shown when there are no stored drafts)."""

    DEFAULT_CSS = "SimilarPanel { border: round $primary; padding: 0 1; height: auto; margin-top: 1; }"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.display = False
        self.border_title = "Similar escalations"
        self._shown: SimilarView | None = None

    def show(self, view: SimilarView | None) -> None:
        if view == self._shown:
            return
        self._shown = view
        self.display = view is not None
        if view is not None:
            self.update(self.text(view))

    @staticmethod
    def text(view: SimilarView) -> Text:
        text = Text()
        if view.problem:
            text.append(f"Could not look for similar escalations: {visible(view.problem)}")
            return text
        if not view.found:
            text.append("No open escalation, nor one closed in the last 180 days, looks like this case.")
            return text
        for item in view.found:
            text.append(describe(item) + "\n")
            if item.came_back:
                text.append(f"  came back after a supposed fix ({item.closed_on(view.zone)})\n", style="bold")
        if view.customers >= 2:
            text.append(f"{view.customers} customers share this issue\n", style="bold")
        if view.link_key:
            text.append(f"{view.link_key} links them as one pattern\n")
        if view.recurring_key:
            text.append(f"{view.recurring_key} marks this case as back after a supposed fix\n")
        text.rstrip()
        return text
