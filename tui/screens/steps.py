"""The five steps of an escalation, their keys, and which step holds which field."""

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

# First matching prefix wins: the step whose screen holds the input for a field path.
_FIELD_STEPS = (
    ("summary", "intake"),
    ("customer.", "intake"),
    ("problem.", "intake"),
    ("timeline.issue_started", "intake"),
    ("tried", "intake"),
    ("breadth.", "intake"),
    ("depth.", "impact"),
    ("timeline.", "impact"),
    ("revenue.", "impact"),
    ("reputation.", "impact"),
    ("contract.", "impact"),
    ("flags.", "impact"),
    ("security.", "impact"),
    ("severity_override", "impact"),
    ("target_override", "impact"),
    ("context", "context"),
    ("reproduction.", "repro"),
    ("communication.", "repro"),
    ("ask.", "repro"),
    ("reporter.", "repro"),
)


def step_for_field(path: str) -> str:
    return next((mode for prefix, mode in _FIELD_STEPS if path.startswith(prefix)), "intake")


def neighbour(mode: str, offset: int) -> str:
    modes = [step.mode for step in STEPS]
    return modes[(modes.index(mode) + offset) % len(modes)]
