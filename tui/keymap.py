"""Every key binding the app has, by the id `[keymap]` in the config remaps it with; and what is
wrong with a keymap that names an id no binding has."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from importlib import import_module

from textual.binding import Binding
from textual.dom import DOMNode

from tui.domain.text_safety import quoted

# Every class that declares bindings, as "module:Class" (imported only when a keymap is checked).
_BOUND = (
    "tui.app:EscalateApp", "tui.screens.case:CaseScreen", "tui.screens.impact:ImpactPane",
    "tui.screens.brief:BriefPane", "tui.widgets.list_field:CellInput", "tui.screens.export:ExportScreen",
    "tui.screens.override:OverrideScreen", "tui.screens.help:HelpScreen", "tui.screens.resume:ResumeScreen",
    "tui.screens.send:SendScreen", "tui.screens.reason:ReasonScreen", "tui.screens.outbox:OutboxScreen",
    "tui.screens.customer_update:CustomerUpdateScreen", "tui.screens.customer_update:KindList",
    "tui.screens.closing:ClosingScreen", "tui.widgets.closing_checklist:StepMark",
    "tui.screens.queue:QueueScreen", "tui.screens.timeline:TimelineScreen", "tui.screens.log_update:LogUpdateScreen",
    "tui.screens.change_severity:ChangeSeverityScreen", "tui.screens.snooze:SnoozeScreen",
    "tui.screens.approval:ApprovalScreen", "tui.screens.context_search:ContextSearchScreen",
)


def binding_ids(classes: Iterable[type[DOMNode]] | None = None) -> set[str]:
    """The ids of every binding the given classes (all of the app's, by default) declare."""
    if classes is None:
        classes = [getattr(import_module(module), name) for module, name in (spec.split(":") for spec in _BOUND)]
    ids: set[str] = set()
    for cls in classes:
        for base in cls.__mro__:
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", ())):
                if binding.id:
                    ids.add(binding.id)
    return ids


def _words(binding_id: str) -> set[str]:
    return set(re.split(r"[._\-\s]+", binding_id.casefold())) - {""}


def closest_id(wanted: str, known: set[str]) -> str | None:
    """The known id most like `wanted`: sharing the most words ("next_step" → "step.next"), then
    spelled most alike ("brief.exprot" → "brief.export")."""
    def likeness(candidate: str) -> tuple[float, float]:
        words, theirs = _words(wanted), _words(candidate)
        shared = len(words & theirs) / len(words | theirs) if words | theirs else 0.0
        return shared, difflib.SequenceMatcher(None, wanted, candidate).ratio()

    best = max(sorted(known), key=likeness, default=None)
    return best if best is not None and max(likeness(best)) >= 0.5 else None


def unknown_ids(keymap: Mapping[str, str], known: set[str]) -> dict[str, str]:
    """Each id of `keymap` that no binding has, with what to say about it."""
    found = {}
    for binding_id in keymap:
        if binding_id in known:
            continue
        close = closest_id(binding_id, known)
        hint = f'did you mean "{close}"?' if close else "F1 lists every binding id"
        found[binding_id] = (f"no key binding has the id {quoted(binding_id)}; {hint} "
                             '(an id with a dot is written in quotes: "step.next" = "f12")')
    return found
