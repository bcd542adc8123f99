"""`[[sources]]` in the config: what every source type shares, and reading the tables into each
type's own settings (secrets by environment-variable name, URLs https or loopback, as destinations)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tui.domain.service_config import Location, ServiceConfig, parse_tables


class SourceConfig(ServiceConfig):
    """The options every source has; each type adds its own (see its module's `Config`)."""

    type: str = Field(description="local, zendesk, jira, github, hubspot or rt.")
    limit: int = Field(default=50, ge=1, le=500, description="The most items one search brings back.")


def parse_sources(raw: Any) -> tuple[list[SourceConfig], list[tuple[Location, str]]]:
    """Each `[[sources]]` table read into its type's settings, and one (location, message) per table
    that cannot be used. A bad table is left out; the others still work."""
    from tui.sources.kinds import KIND_NAMES, load_kind

    def config_of(name: str) -> type[SourceConfig]:
        return load_kind(name).Config

    return parse_tables(raw, "sources", "source", KIND_NAMES, config_of)
