"""`[[destinations]]` in the config: the options every type shares, the rules for secrets and URLs,
and reading the tables into each type's own settings.

A secret is never written in the config: a key that holds one ends in ``_env`` and names the
environment variable that has it. A secret written inline (under the key without ``_env``, or any
value that looks like a token or a webhook URL) is refused with a message that says how to move it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, ValidationError

from tui.domain.models import Severity, Target
from tui.domain.service_config import (
    EnvName,
    Name,
    SecretMissing,
    ServiceConfig,
    inline_secret_message,
    is_loopback,
    secret,
    secret_url,
    url_problem,
)

__all__ = ["DestinationConfig", "EnvName", "Name", "SecretMissing", "inline_secret_message", "is_loopback",
           "parse_destinations", "secret", "secret_url", "url_problem"]


class DestinationConfig(ServiceConfig):
    """The options every destination has; each type adds its own (see its module's `Config`)."""

    type: str = Field(description="slack, lark, teams, discord, jira, github, pagerduty, webhook, email or file.")
    targets: tuple[Target, ...] = Field(default=(), description="The target teams it takes; empty: all but Security.")
    severities: tuple[Severity, ...] = Field(default=(), description="The severities it takes; empty: all.")
    audience: Target | None = Field(default=None, description="Whom the brief is written for; default: the target.")

    def takes(self, target: Target | None, severity: Severity | None) -> bool:
        """Whether routing proposes this destination for a case with this target and severity.
        Security cases go only where Security is listed by name."""
        if self.targets:
            if target not in self.targets:
                return False
        elif target is Target.SECURITY:
            return False
        return not self.severities or severity in self.severities


def parse_destinations(raw: Any) -> tuple[list[DestinationConfig], list[tuple[tuple[str | int, ...], str]]]:
    """Each `[[destinations]]` table read into its type's settings, and one (location, message) per
    table that cannot be used. A bad table is left out; the others still work."""
    from tui.send.kinds import KIND_NAMES, load_kind

    if not isinstance(raw, list):
        return [], [(("destinations",), "must be a list of [[destinations]] tables")]
    found: list[DestinationConfig] = []
    problems: list[tuple[tuple[str | int, ...], str]] = []
    names: set[str] = set()
    for index, table in enumerate(raw):
        where: tuple[str | int, ...] = ("destinations", index)
        if not isinstance(table, Mapping):
            problems.append((where, "must be a table: [[destinations]] with name = … and type = …"))
            continue
        kind_name = table.get("type")
        if kind_name not in KIND_NAMES:
            known = ", ".join(KIND_NAMES)
            problems.append(((*where, "type"), f"unknown destination type {kind_name!r}; one of: {known}"))
            continue
        kind_config = load_kind(kind_name).Config
        inline = kind_config.inline_secrets(table)
        if inline:
            problems += [((*where, key), message) for key, message in inline]
            continue
        try:
            config = kind_config.model_validate(dict(table))
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                message = str(detail["msg"]).removeprefix("Value error, ")
                problems.append(((*where, *detail["loc"]), message))
            continue
        if config.name.casefold() in names:
            problems.append(((*where, "name"), f"another destination is already called {config.name!r}"))
            continue
        names.add(config.name.casefold())
        found.append(config)
    return found, problems
