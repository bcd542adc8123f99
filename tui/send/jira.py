"""Jira: the brief as a new issue. Cloud (REST v3, the description in ADF, basic auth with an
e-mail address and an API token) or Server / Data Center (REST v2, wiki markup, a personal access
token).

Jira has no idempotency key, so each send carries a label of its own (``escalate-tui-<hash>``,
from the payload's idempotency key); after an attempt that may have landed, `deliver` searches for
that label before creating anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlencode

import httpx
from pydantic import Field, StringConstraints, field_validator, model_validator

from tui.domain.models import Severity
from tui.send import http
from tui.send.adf import to_adf
from tui.send.brief_text import one_line, title
from tui.send.config import DestinationConfig, EnvName, SecretMissing, secret
from tui.send.cut import fit
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, OutcomeKind, Payload, Request
from tui.send.outcomes import masked
from tui.send.severity_names import merged
from tui.send.wiki import to_wiki

DEDUP = True
SUMMARY_LIMIT = 255
# Jira stores a description of up to 32,767 characters.
DESCRIPTION_LIMIT = 32_000
MARKER_PREFIX = "escalate-tui-"
DEFAULT_PRIORITIES: dict[Severity, str] = {
    Severity.CRITICAL: "Highest", Severity.HIGH: "High", Severity.MEDIUM: "Medium",
}

Label = Annotated[str, StringConstraints(pattern=r"^[^\s]+$", max_length=255)]
NameText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255,
                                            pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")]


class Config(DestinationConfig):
    type: Literal["jira"]
    base_url: str = Field(description="The site: https://acme.atlassian.net or your Jira server's address.")
    flavor: Literal["cloud", "datacenter"] = Field(default="cloud", description="cloud or datacenter.")
    email_env: EnvName | None = Field(default=None, description="Cloud: the variable holding the account's e-mail.")
    api_token_env: EnvName | None = Field(default=None, description="Cloud: the variable holding its API token.")
    token_env: EnvName | None = Field(default=None, description="Data Center: the variable holding a personal "
                                                                "access token.")
    project: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,254}$")] = Field(
        description="The project key: SUP")
    issue_type: NameText = Field(default="Bug", description="The issue type's name.")
    severity_names: dict[Severity, NameText] = Field(default_factory=lambda: dict(DEFAULT_PRIORITIES),
                                                     description="The priority name for each severity.")
    labels: tuple[Label, ...] = Field(default=("escalation",), description="Labels every issue gets (no spaces).")

    @field_validator("severity_names", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return merged(value, DEFAULT_PRIORITIES)

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _auth_for_flavor(self) -> Self:
        if self.flavor == "cloud" and not (self.email_env and self.api_token_env):
            raise ValueError("a Jira Cloud destination signs in with an account's e-mail address and an API "
                             "token: set email_env and api_token_env to the names of the environment variables "
                             "that hold them (or flavor = \"datacenter\" with token_env for a Jira server)")
        if self.flavor == "datacenter" and not self.token_env:
            raise ValueError("a Jira Data Center destination signs in with a personal access token: set "
                             "token_env to the name of the environment variable that holds it")
        return self


def marker(key: str) -> str:
    """The label unique to one send (its idempotency key, hashed into label-safe characters)."""
    return MARKER_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:16]


def build(brief: Brief, config: Config) -> Payload:
    key = idempotency_key(brief, config.name)
    summary = title(brief, SUMMARY_LIMIT)
    description = _description(brief.markdown, config.flavor)
    labels = list(dict.fromkeys([*config.labels, brief.reference, marker(key)]))
    fields: dict[str, Any] = {
        "project": {"key": config.project},
        "issuetype": {"name": config.issue_type},
        "summary": summary,
        "description": description,
        "labels": labels,
    }
    priority = config.severity_names.get(brief.assessment.severity.effective)
    if priority:
        fields["priority"] = {"name": priority}
    return Payload(config.name, "jira", {"fields": fields}, key, summary)


def _description(markdown: str, flavor: str) -> Any:
    """ADF (Cloud) or wiki markup (Data Center), the brief cut at a line until it fits Jira's field."""
    limit = DESCRIPTION_LIMIT
    while True:
        text = fit(markdown, limit)
        if flavor == "cloud":
            return to_adf(text)  # the text nodes hold at most the brief's own characters
        wiki = to_wiki(text)
        if len(wiki) <= DESCRIPTION_LIMIT or limit < 1_000:
            return wiki
        limit = limit * DESCRIPTION_LIMIT // len(wiki) - 100  # escapes made it longer: cut more


def _api(config: Config) -> str:
    return f"{config.base_url}/rest/api/{'3' if config.flavor == 'cloud' else '2'}"


def _auth(config: Config, env: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The Authorization header and the secrets it holds (the encoded pair too, so it is masked)."""
    if config.flavor == "datacenter":
        name = config.token_env or ""
        token = secret(env, name, f"The Jira token of destination {config.name!r}")
        return f"Bearer {token}", {name: token}
    email_name, token_name = config.email_env or "", config.api_token_env or ""
    email = secret(env, email_name, f"The Jira account e-mail of destination {config.name!r}")
    token = secret(env, token_name, f"The Jira API token of destination {config.name!r}")
    pair = base64.b64encode(f"{email}:{token}".encode()).decode()
    return f"Basic {pair}", {token_name: token, f"base64({email_name}:{token_name})": pair}


def _headers(authorization: str) -> dict[str, str]:
    return {"Authorization": authorization, "Accept": "application/json", "Content-Type": "application/json"}


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    authorization, secrets = _auth(config, env)
    body = json.dumps(payload.body, ensure_ascii=False).encode("utf-8")
    return Request("POST", f"{_api(config)}/issue", _headers(authorization), body, secrets)


def search_request(payload: Payload, config: Config, env: Mapping[str, str]) -> Request:
    """The search for an issue carrying this send's marker label."""
    authorization, secrets = _auth(config, env)
    query = urlencode({"jql": f'labels = "{marker(payload.idempotency_key)}"', "fields": "key"})
    path = "search/jql" if config.flavor == "cloud" else "search"
    headers = {k: v for k, v in _headers(authorization).items() if k != "Content-Type"}
    return Request("GET", f"{_api(config)}/{path}?{query}", headers, b"", secrets)


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    try:
        create = request(payload, config, env, now)
        if unclear:
            found = _find(client, search_request(payload, config, env), config)
            if found is not None:
                return found
    except SecretMissing as error:
        return Outcome.permanent(str(error))
    answer = http.send(client, create, config.timeout)
    if isinstance(answer, Outcome):
        return answer
    return masked(_created(answer, config), create.secrets)


def _find(client: httpx.Client, search: Request, config: Config) -> Outcome | None:
    """Delivered, when an issue with the marker exists; None when none does; else why we cannot
    tell yet (then nothing is created)."""
    answer = http.send(client, search, config.timeout)
    if isinstance(answer, Outcome):
        return Outcome.retry(f"could not check whether the earlier attempt created the issue: {answer.message}",
                             answer.retry_after)
    if answer.status_code != 200:
        outcome = _refused(answer, config)
        if outcome.kind is OutcomeKind.RETRY:
            return Outcome.retry(f"could not check whether the earlier attempt created the issue: "
                                 f"{outcome.message}", outcome.retry_after)
        return masked(outcome, search.secrets)
    try:
        issues = answer.json().get("issues") or []
        key = str(issues[0]["key"]) if issues else ""
    except (ValueError, AttributeError, KeyError, TypeError):
        return Outcome.retry(f"Jira's search answered something unexpected: {http.answer(answer)}")
    if not key:
        return None
    return Outcome.delivered(key, _browse(config, key), "the earlier attempt had created it")


def _created(response: httpx.Response, config: Config) -> Outcome:
    if response.status_code == 201:
        try:
            key = str(response.json()["key"])
        except (ValueError, KeyError, TypeError):
            return Outcome.uncertain(f"Jira answered 201 without an issue key: {http.answer(response)}")
        return Outcome.delivered(key, _browse(config, key))
    return _refused(response, config)


def _browse(config: Config, key: str) -> str:
    return f"{config.base_url}/browse/{key}"


def _refused(response: httpx.Response, config: Config) -> Outcome:
    status = response.status_code
    if status == 400:
        return Outcome.permanent(f"Jira refused the issue for destination {config.name!r}: {_errors(response)}")
    if status == 401:
        names = (f"{config.email_env} and {config.api_token_env}" if config.flavor == "cloud"
                 else str(config.token_env))
        return Outcome.permanent(f"Jira did not accept the credentials of destination {config.name!r}: check "
                                 f"that {names} hold a valid account and token for {config.base_url}")
    if status == 403:
        return Outcome.permanent(f"the Jira account of destination {config.name!r} has no permission to create "
                                 f"issues in project {config.project}: ask a Jira admin, or pick another project")
    if status == 404:
        return Outcome.permanent(f"project {config.project} is not visible to the Jira account of destination "
                                 f"{config.name!r} (or base_url {config.base_url} is not a Jira site): check "
                                 f"the project key and that account's access")
    return http.by_status(response, "Jira")


def _errors(response: httpx.Response) -> str:
    """Jira's ``errorMessages`` and per-field ``errors`` in one line."""
    try:
        data = response.json()
        said = [str(message) for message in data.get("errorMessages") or []]
        said += [f"{field}: {message}" for field, message in (data.get("errors") or {}).items()]
    except (ValueError, AttributeError):
        said = []
    return one_line("; ".join(said), 600) if said else http.answer(response) or "no reason given"

