"""Every field by name ("impact: ARR at risk"), for the command palette to jump to any editor."""

from __future__ import annotations

from tui.domain.form import FORM
from tui.screens.steps import STEPS


def field_entries() -> tuple[tuple[str, str], ...]:
    """(command name, field path) for every field of every step's form."""
    titles = {step.mode: step.title.lower() for step in STEPS}
    return tuple((f"{titles[spec.step]}: {spec.label}", spec.path) for spec in FORM)
