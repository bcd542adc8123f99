"""The long connections `[callbacks] connect` asks for, built from their settings and the environment.

A connection is built only when named in `connect`; one whose settings are incomplete is not built and
is said instead, naming the setting to fill in. Nothing heavy is imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from tui.callbacks.longconn import LongConnection, State


class ConnectSettings(Protocol):
    """The `[callbacks]` settings read here (tui.config.CallbackSettings)."""

    @property
    def connect(self) -> Sequence[str]: ...
    @property
    def lark_app_id(self) -> str: ...
    @property
    def lark_app_secret_env(self) -> str: ...
    @property
    def lark_domain(self) -> str: ...
    @property
    def slack_app_token_env(self) -> str: ...
    @property
    def slack_bot_token_env(self) -> str: ...


def _secret(env: Mapping[str, str], setting: str, name: str, problems: list[str]) -> str:
    if not name:
        problems.append(f"[callbacks] {setting} is not set; name the environment variable that holds it")
        return ""
    value = env.get(name, "")
    if not value:
        problems.append(f"[callbacks] {setting} names {name}, which is not set (or empty) in the environment")
    return value


def configured_connections(settings: ConnectSettings, env: Mapping[str, str], store_path: Path,
                           on_change: Callable[[str, State], None]) -> tuple[list[LongConnection], list[str]]:
    """The connections to start (not started), and why any asked for cannot be."""
    connections: list[LongConnection] = []
    problems: list[str] = []
    if "lark" in settings.connect:
        found: list[str] = []
        secret = _secret(env, "lark_app_secret_env", settings.lark_app_secret_env, found)
        if not settings.lark_app_id:
            found.append("[callbacks] lark_app_id is empty; copy the App ID (cli_…) from the Lark console")
        if found:
            problems += [f"No Lark long connection: {problem}." for problem in found]
        else:
            from tui.callbacks.lark_longconn import lark_connection

            connections.append(lark_connection(settings.lark_app_id, secret, settings.lark_domain, store_path,
                                               on_change))
    if "slack" in settings.connect:
        found = []
        app_token = _secret(env, "slack_app_token_env", settings.slack_app_token_env, found)
        if app_token and not app_token.startswith("xapp-"):
            found.append(f"[callbacks] slack_app_token_env names {settings.slack_app_token_env}, which does not "
                         "hold an app-level token (xapp-…)")
        bot_token = env.get(settings.slack_bot_token_env, "") if settings.slack_bot_token_env else ""
        if found:
            problems += [f"No Slack Socket Mode connection: {problem}." for problem in found]
        else:
            from tui.callbacks.slack_longconn import slack_connection

            connections.append(slack_connection(app_token, bot_token, store_path, on_change))
    return connections, problems
