"""`[[destinations]]` as written in a config: the shipped examples work, secrets written inline and
plain-http URLs are refused on the line at fault, and routing proposes by target and severity."""

from __future__ import annotations

import tomllib
from pathlib import Path

from support import ROOT

from tui.config import load_settings
from tui.domain.models import Severity, Target
from tui.send.config import parse_destinations
from tui.send.plan import proposed


def example_destinations() -> str:
    """The commented [[destinations]] examples of config.example.toml, uncommented."""
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    block = text[text.index("# [[destinations]]"):text.index("# Where the Context step's search")]
    return "\n".join(line.removeprefix("#").removeprefix(" ") for line in block.splitlines())


def test_every_example_destination_in_the_shipped_config_is_usable() -> None:
    tables = tomllib.loads(example_destinations())["destinations"]
    found, problems = parse_destinations(tables)
    assert problems == []
    assert {config.type for config in found} == {"slack", "lark", "teams", "discord", "jira", "github",
                                                  "pagerduty", "webhook", "email", "file", "slack_app"}


def test_a_secret_written_inline_is_refused_on_its_line_with_how_to_move_it(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[destinations]]\nname = "eng"\ntype = "slack"\n'
                      'webhook_url = "https://hooks.slack.com/services/T0/B0/abcdefghijklmnopqrstuvwx"\n'
                      '\n[[destinations]]\nname = "jira"\ntype = "jira"\nbase_url = "https://acme.atlassian.net"\n'
                      'project = "SUP"\nemail_env = "JIRA_EMAIL"\napi_token = "ATATT3xFfGF0abcdefghijklmnop1234"\n',
                      encoding="utf-8")
    settings, problems = load_settings(config)
    messages = [str(problem) for problem in problems]
    assert any(":4:" in message and "webhook_url_env" in message for message in messages)
    assert any(":12:" in message and "api_token_env" in message for message in messages)
    assert all("abcdefghijklmnop" not in message for message in messages)  # the secret is not repeated
    assert parse_destinations(settings.destinations)[0] == []


def test_plain_http_leaves_only_for_this_machine() -> None:
    tables = [{"name": "far", "type": "webhook", "url": "http://hooks.example.com/x"},
              {"name": "near", "type": "webhook", "url": "http://127.0.0.1:9000/x"}]
    found, problems = parse_destinations(tables)
    assert [config.name for config in found] == ["near"]
    assert "https" in problems[0][1]


def test_routing_sends_security_cases_only_where_security_is_named() -> None:
    found, _ = parse_destinations([
        {"name": "everyone", "type": "file"},
        {"name": "eng", "type": "file", "targets": ["engineering"]},
        {"name": "sec", "type": "file", "targets": ["security"]},
        {"name": "page", "type": "pagerduty", "routing_key_env": "PD_KEY"},
    ])
    assert proposed(found, Target.ENGINEERING, Severity.HIGH) == ["everyone", "eng"]
    assert proposed(found, Target.ENGINEERING, Severity.CRITICAL) == ["everyone", "eng", "page"]
    assert proposed(found, Target.SECURITY, Severity.CRITICAL) == ["sec"]
