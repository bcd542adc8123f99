"""The five steps of an escalation and their keys (which field is on which step is in `tui.domain.form`)."""

from __future__ import annotations

from typing import NamedTuple


class Step(NamedTuple):
    mode: str
    title: str
    key: str
    number: int


STEPS = (
    Step("intake", "Intake", "f2", 1),
    Step("context", "Context", "f3", 2),
    Step("impact", "Impact", "f4", 3),
    Step("repro", "Repro & ask", "f5", 4),
    Step("brief", "Brief", "f6", 5),
)


def neighbour(mode: str, offset: int) -> str:
    modes = [step.mode for step in STEPS]
    return modes[(modes.index(mode) + offset) % len(modes)]
