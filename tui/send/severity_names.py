"""A destination's `severity_names`: what each of our severities is called on the receiving tool's
scale (a Jira priority, a PagerDuty severity, a GitHub label). Keys left out keep the type's default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.domain.models import Severity


def merged(value: Any, defaults: Mapping[Severity, str]) -> Any:
    """The configured names over the defaults; anything but a table is left for pydantic to refuse."""
    if value is None:
        return dict(defaults)
    if not isinstance(value, Mapping):
        return value
    unknown = [str(key) for key in value if str(key).casefold() not in {s.value for s in Severity}]
    if unknown:
        known = ", ".join(s.value for s in Severity)
        raise ValueError(f"severity_names has {', '.join(map(repr, unknown))}; its keys are {known}")
    return {**defaults, **{Severity(str(key).casefold()): name for key, name in value.items()}}
