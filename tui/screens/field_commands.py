"""Every field by name ("impact: ARR at risk"), for the command palette to jump to any input."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from tui.screens.steps import STEPS

if TYPE_CHECKING:
    from tui.screens.base import StepScreen


@cache
def field_entries() -> tuple[tuple[str, str], ...]:
    """(command name, field path) for every input on every step, read from the screens' own forms."""
    from tui.screens.context import ContextScreen
    from tui.screens.impact import ImpactScreen
    from tui.screens.intake import IntakeScreen
    from tui.screens.repro import ReproScreen
    from tui.widgets.field_view import FieldView

    titles = {step.mode: step.title.lower() for step in STEPS}
    entries: list[tuple[str, str]] = []
    screens: tuple[type[StepScreen], ...] = (IntakeScreen, ContextScreen, ImpactScreen, ReproScreen)
    for screen_class in screens:
        for widget in screen_class().compose_form():
            if isinstance(widget, FieldView):
                entries.append((f"{titles[screen_class.STEP]}: {widget.title}", widget.path))
    return tuple(entries)
