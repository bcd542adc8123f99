"""`[[destinations]]` in the config: the options every type shares, the rules for secrets and URLs,
and reading the tables into each type's own settings.

A secret is never written in the config: a key that holds one ends in ``_env`` and names the
environment variable that has it. A secret written inline (under the key without ``_env``, or any
value that looks like a token or a webhook URL) is refused with a message that says how to move it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from tui.domain.models import Severity, Target
from tui.domain.service_config import (
    EnvName,
    Name,
    SecretMissing,
    ServiceConfig,
    inline_secret_message,
    is_loopback,
    parse_tables,
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

    def secret_names(self) -> list[str]:
        """Every environment variable the settings name (keys ending in _env, or tables of them)."""
        names: list[str] = []
        for key, value in self:
            if not key.endswith("_env"):
                continue
            if isinstance(value, str) and value:
                names.append(value)
            elif isinstance(value, Mapping):
                names.extend(str(name) for name in value.values())
        return names

    def takes(self, target: Target | None, severity: Severity | None) -> bool:
        """Whether routing proposes this destination for a case with this target and severity.
        Security cases go only where Security is listed by name."""
        if self.targets:
            if target not in self.targets:
                return False
        elif target is Target.SECURITY:
            return False
        return not self.severities or severity in self.severities


def masked(message: str, config: DestinationConfig, env: Mapping[str, str]) -> str:
    """`message` with the value of every secret `config` reads from `env` written as its variable's name."""
    from tui.send.model import mask

    return mask(message, {name: env.get(name, "") for name in config.secret_names()})


def parse_destinations(raw: Any) -> tuple[list[DestinationConfig], list[tuple[tuple[str | int, ...], str]]]:
    """Each `[[destinations]]` table read into its type's settings, and one (location, message) per
    table that cannot be used. A bad table is left out; the others still work."""
    from tui.send.kinds import KIND_NAMES, load_kind

    def config_of(name: str) -> type[DestinationConfig]:
        return load_kind(name).Config

    return parse_tables(raw, "destinations", "destination", KIND_NAMES, config_of)
