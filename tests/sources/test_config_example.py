"""The [[sources]] examples in config.example.toml, uncommented, are sources the config accepts."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tui.sources.config import parse_sources

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_every_source_example_in_the_config_example_is_accepted() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    block = text[text.index("# [[sources]]"):]
    uncommented = "\n".join(line[2:] for line in block.splitlines() if line.startswith("# "))
    configs, problems = parse_sources(tomllib.loads(uncommented)["sources"])
    assert problems == []
    assert {config.type for config in configs} == {"local", "zendesk", "jira", "github", "hubspot", "rt"}
