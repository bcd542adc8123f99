"""Source types by name: each a module with `Config` and `open_source`. Modules are imported only when
a source of their type is used, so the app's start never pays for them."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from tui.sources.config import SourceConfig
    from tui.sources.model import Place, Source

KIND_NAMES: tuple[str, ...] = ("rt",)  # each type joins as its module lands: local, zendesk, jira, github, hubspot, rt


class Kind(Protocol):
    """What each source module provides."""

    Config: type[SourceConfig]

    def open_source(self, config: Any, env: Mapping[str, str], place: Place) -> Source:
        """The source, ready to search; SourceError when a secret it needs is not set."""
        ...


def load_kind(name: str) -> Kind:
    if name not in KIND_NAMES:
        raise KeyError(name)
    return cast("Kind", importlib.import_module(f"tui.sources.{name}"))
