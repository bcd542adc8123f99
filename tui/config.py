"""Settings: read with tomllib, checked by pydantic, written back with tomlkit keeping comments.

A broken config never stops the app: `load_settings` returns the defaults for whatever could
not be used, plus one problem per mistake, each naming the file, the line and the key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from tui.domain.redaction_options import RedactionOptions
from tui.domain.settings import DEFAULT_RULES, RuleSettings
from tui.store.paths import APP_NAME

if TYPE_CHECKING:
    from tui.store.toml_problems import Problem

CONFIG_ENV = "ESCALATE_TUI_CONFIG"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class UiSettings(Section):
    theme: str = Field(default="escalate-dark", description="Colour theme: a name from themes/*.toml.")


class ReporterSettings(Section):
    name: str = Field(default="", description="Your name, filled into new briefs as the reporter.")
    team: str = Field(default="", description="Your team, filled into new briefs.")


# The name of an environment variable: a secret itself is never written in the config.
EnvName = Annotated[str, StringConstraints(pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$", max_length=128)]


class CallbackSettings(Section):
    """What `escalate-tui listen` checks answers from chat apps with: the names of the environment
    variables holding each secret ("" = not set)."""

    lark_encrypt_key_env: EnvName = Field(
        default="", description="Variable with the Lark app's Encrypt Key (decrypts and signs callbacks).")
    lark_verification_token_env: EnvName = Field(
        default="", description="Variable with the Lark app's Verification Token.")
    slack_signing_secret_env: EnvName = Field(
        default="", description="Variable with the Slack app's Signing Secret (required to accept Slack answers).")
    connect: list[Literal["lark", "slack"]] = Field(
        default_factory=list,
        description="Long connections the app and `listen --connect` keep open: \"lark\", \"slack\" (no public URL).")
    lark_app_id: str = Field(default="", max_length=64, description="The Lark app's App ID (cli_…).")
    lark_app_secret_env: EnvName = Field(default="", description="Variable with the Lark app's App Secret.")
    lark_domain: Literal["lark", "feishu"] = Field(
        default="lark", description="\"lark\" (open.larksuite.com) or \"feishu\" (open.feishu.cn).")
    slack_app_token_env: EnvName = Field(
        default="", description="Variable with the Slack app-level token (xapp-…, scope connections:write).")
    slack_bot_token_env: EnvName = Field(default="", description="Variable with the Slack app's bot token (xoxb-…).")


class Settings(Section):
    ui: UiSettings = Field(default_factory=UiSettings)
    reporter: ReporterSettings = Field(default_factory=ReporterSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    redaction: RedactionOptions = Field(default_factory=RedactionOptions)
    keymap: dict[str, str] = Field(
        default_factory=dict, description="Binding id = keys, e.g. next_step = 'f12,ctrl+n'."
    )
    destinations: list[dict[str, Any]] = Field(
        default_factory=list, description="[[destinations]] tables, read by tui.send.config.parse_destinations."
    )
    callbacks: CallbackSettings = Field(default_factory=CallbackSettings)
    sources: list[dict[str, Any]] = Field(
        default_factory=list, description="[[sources]] tables, read by tui.sources.config.parse_sources."
    )


def default_settings() -> Settings:
    """The embedded defaults. Built without validating (they are valid as written), which keeps
    pydantic's schema building off the way to the first screen when there is no config."""
    return Settings.model_construct(
        ui=UiSettings.model_construct(), reporter=ReporterSettings.model_construct(), rules=DEFAULT_RULES,
        redaction=RedactionOptions.model_construct(), keymap={}, destinations=[],
        callbacks=CallbackSettings.model_construct(), sources=[],
    )


def for_demo(settings: Settings) -> Settings:
    """The settings `--demo` runs with: the sample workspace as the one source, nothing sent anywhere but
    the Markdown file (no destination), and no long connection, whatever the config says."""
    from tui.sources.sample import demo_source_tables

    callbacks = settings.callbacks.model_copy(update={"connect": []})
    return settings.model_copy(update={"sources": demo_source_tables(), "destinations": [], "callbacks": callbacks})


def default_config_path() -> Path:
    """`$ESCALATE_TUI_CONFIG`, else the per-user config file (it need not exist)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, list[Problem]]:
    """The settings from `path` (or the default location), never raising.

    A missing default file is normal (no problems); a missing file that was asked for by
    name is a problem. Each section that fails validation falls back to its defaults alone,
    so one typo in [rules] does not throw away the theme.
    """
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    path = path or default_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if not explicit:
            return default_settings(), []  # the usual first start: nothing more to import
        reason = "config file not found; using the defaults"
        return default_settings(), [_problem(path, reason)]
    except OSError as error:
        from tui.store.os_errors import why

        return default_settings(), [_problem(path, f"cannot read the config ({why(error, path)}); using the defaults")]
    import tomllib

    from tui.store.toml_problems import (
        deep_key_problem,
        not_utf8_problem,
        syntax_problem,
        too_deep_problem,
        unreadable_problems,
    )

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return default_settings(), [not_utf8_problem(error, path)]

    too_deep = deep_key_problem(path, text)
    if too_deep is not None:
        return default_settings(), [too_deep]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return default_settings(), [syntax_problem(error, path, text)]
    except ValueError as error:
        return default_settings(), unreadable_problems(error, path, text)
    except RecursionError:
        return default_settings(), [too_deep_problem(path, text)]
    settings, problems = _validate_sections(data, text, path)
    if settings.destinations:
        problems += destination_problems(settings.destinations, text, path)
    if settings.sources:
        problems += source_problems(settings.sources, text, path)
    return settings, problems


def destination_problems(tables: list[dict[str, Any]], text: str, path: Path) -> list[Problem]:
    """One problem per `[[destinations]]` table that cannot be used (an inline secret, an http URL,
    a missing option…), on the line of the key at fault. Such a table is left out; the rest work."""
    from tui.send.config import parse_destinations
    from tui.store.toml_locate import locate
    from tui.store.toml_problems import Problem, dotted

    _, found = parse_destinations(tables)
    return [Problem(path, locate(text, loc), dotted(loc), f"{message}; this destination is left out")
            for loc, message in found]


def source_problems(tables: list[dict[str, Any]], text: str, path: Path) -> list[Problem]:
    """One problem per `[[sources]]` table that cannot be used, on the line of the key at fault. Such a
    table is left out; the other sources still answer."""
    from tui.sources.config import parse_sources
    from tui.store.toml_locate import locate
    from tui.store.toml_problems import Problem, dotted

    _, found = parse_sources(tables)
    return [Problem(path, locate(text, loc), dotted(loc), f"{message}; this source is left out")
            for loc, message in found]


def keymap_problems(path: Path, messages: dict[str, str]) -> list[Problem]:
    """One problem per `[keymap]` entry in the config file at `path`, on the line that sets it."""
    from tui.store.toml_locate import key_lines, nearest_line
    from tui.store.toml_problems import Problem

    try:
        lines = key_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        lines = {}
    return [Problem(path, nearest_line(lines, ("keymap", key)), f"keymap.{key}", message)
            for key, message in messages.items()]


def _problem(path: Path, message: str) -> Problem:
    from tui.store.toml_problems import Problem

    return Problem(path, 1, "", message)


def _validate_sections(data: dict[str, Any], text: str, path: Path) -> tuple[Settings, list[Problem]]:
    try:
        return Settings.model_validate(data), []
    except ValidationError as error:
        from tui.store.toml_problems import problems_from_validation

        problems = problems_from_validation(error, text, path, Settings)
    good = {}
    for name, value in data.items():
        if name not in Settings.model_fields:
            continue
        try:
            Settings.model_validate({name: value})
        except ValidationError:
            continue
        good[name] = value
    return Settings.model_validate(good), problems


def save_setting(path: Path, section: str, key: str, value: str | int | bool) -> None:
    """Set one value in the config file, keeping every comment and the layout around it."""
    import tomlkit

    from tui.store.atomic import write_text_atomic

    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    table[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, tomlkit.dumps(document))
