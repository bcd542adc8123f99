"""The sample workspace `--demo` searches: shipped inside the package as `tui/sample_workspace` (see
pyproject's force-include), and found at `examples/workspace` when running from a checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from tui.sources.model import SourceError

DEMO_SOURCE = "demo"
"""The name of the one source the demo searches."""


def sample_workspace() -> Path:
    """The folder holding the sample tickets, accounts and known issues; SourceError if this
    installation lost it."""
    shipped = files("tui").joinpath("sample_workspace")
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "examples" / "workspace"
    if checkout.is_dir():
        return checkout
    raise SourceError("the sample workspace is missing from this installation of escalate-tui; install it again")


def demo_source_tables() -> list[dict[str, Any]]:
    """The `[[sources]]` the demo uses in place of the configured ones: one local source reading the
    sample workspace."""
    return [{"type": "local", "name": DEMO_SOURCE, "folder": str(sample_workspace())}]
