"""Settings of a service escalate-tui talks to (a destination the brief is sent to, a source context
is searched in): the rules every such table follows for secrets and URLs.

A secret is never written in the config: a key that holds one ends in ``_env`` and names the
environment variable that has it. A secret written inline (under the key without ``_env``, or any
value that looks like a token or a webhook URL) is refused with a message that says how to move it.
URLs go out over https only, except to this machine.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Self, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from tui.domain.secrets import find_secrets

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
"""The name of an environment variable, e.g. SLACK_WEBHOOK_URL."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60,
                                        pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")]


class ServiceConfig(BaseModel):
    """What every service table has: a name, a type, a timeout; and no secret or unsafe URL in it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: Name = Field(description="What the agent picks: 'eng-oncall', 'zendesk'.")
    type: str = Field(description="Which kind of service: each has its own settings.")
    timeout: float = Field(default=10.0, gt=0, le=120, description="Seconds to wait for the service.")

    @model_validator(mode="before")
    @classmethod
    def _no_inline_secrets(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for _, message in cls.inline_secrets(data):
                raise ValueError(message)
        return data

    @classmethod
    def inline_secrets(cls, table: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(key, message) for each secret written into `table` itself: under a key whose ``_env``
        twin the type reads, or any value that looks like a token or a webhook URL."""
        found = []
        for key, value in table.items():
            if not isinstance(key, str) or key.endswith("_env"):
                continue
            if f"{key}_env" in cls.model_fields or (isinstance(value, str) and find_secrets(value)):
                found.append((key, inline_secret_message(key, f"{key}_env")))
        return found

    @model_validator(mode="after")
    def _check_urls(self) -> Self:
        for name, value in self:
            if name.endswith("url") and isinstance(value, str) and value:
                problem = url_problem(value)
                if problem:
                    raise ValueError(f"{name}: {problem}")
        return self


def inline_secret_message(key: str, env_key: str) -> str:
    variable = re.sub(r"[^A-Za-z0-9]+", "_", key).upper()
    return (f"“{key}” holds a secret, and secrets are not written in the config: put the value in an "
            f"environment variable and name the variable here instead, e.g. {env_key} = \"{variable}\"")


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why `url` may not be sent to, or None: only https leaves the machine (plain http only to this
    machine itself), with a host, and with no user or password written into it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return "this is not a URL"
    if parts.scheme not in ("https", "http") or not host:
        return "a URL must start with https:// and name a host"
    if parts.username is not None or parts.password is not None:
        return "a URL must not carry a user or password: give the credential with the table's *_env setting"
    if parts.scheme == "http" and not is_loopback(host):
        return "only https is sent to (plain http only to this machine: 127.0.0.1, ::1 or localhost)"
    return None


class SecretMissing(Exception):
    """An environment variable a destination needs is not set."""


def secret(env: Mapping[str, str], name: str, what: str) -> str:
    """The value of the environment variable `name`, or SecretMissing saying which one to set."""
    value = env.get(name, "")
    if not value.strip():
        raise SecretMissing(f"{what} is read from the environment variable {name}, which is not set")
    return value.strip()


def secret_url(env: Mapping[str, str], name: str, what: str) -> str:
    """A URL kept in an environment variable (a webhook URL is a credential), checked as any URL."""
    url = secret(env, name, what)
    problem = url_problem(url)
    if problem:
        raise SecretMissing(f"{what} in ${name}: {problem}")
    return url


Configured = TypeVar("Configured", bound=ServiceConfig)
Location = tuple[str | int, ...]


def parse_tables(raw: Any, section: str, noun: str, kind_names: Sequence[str],
                 config_of: Callable[[str], type[Configured]]) -> tuple[list[Configured], list[tuple[Location, str]]]:
    """Each ``[[section]]`` table read into its type's settings (`config_of(type)`), and one (location,
    message) per table that cannot be used. A bad table is left out; the others still work."""
    if not isinstance(raw, list):
        return [], [((section,), f"must be a list of [[{section}]] tables")]
    found: list[Configured] = []
    problems: list[tuple[Location, str]] = []
    names: set[str] = set()
    for index, table in enumerate(raw):
        where: Location = (section, index)
        if not isinstance(table, Mapping):
            problems.append((where, f"must be a table: [[{section}]] with name = … and type = …"))
            continue
        kind_name = table.get("type")
        if not isinstance(kind_name, str) or kind_name not in kind_names:
            known = ", ".join(kind_names)
            problems.append(((*where, "type"), f"unknown {noun} type {kind_name!r}; one of: {known}"))
            continue
        kind_config = config_of(kind_name)
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
            problems.append(((*where, "name"), f"another {noun} is already called {config.name!r}"))
            continue
        names.add(config.name.casefold())
        found.append(config)
    return found, problems

