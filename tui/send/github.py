"""GitHub: the brief as a new issue in a repository, labelled by severity and target team.

GitHub has no idempotency key, so the issue's body starts with a hidden marker line
(``<!-- escalate-tui:<idempotency key> -->``); after an attempt that may have landed, `deliver`
lists the repository's newest issues (the search index lags) and looks for it before creating.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

import httpx
from pydantic import Field, StringConstraints, field_validator

from tui.domain.models import Severity, Target
from tui.send import http
from tui.send.brief_text import one_line, title
from tui.send.config import DestinationConfig, EnvName, SecretMissing, secret
from tui.send.cut import fit
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, OutcomeKind, Payload, Request
from tui.send.outcomes import masked
from tui.send.severity_names import merged

DEDUP = True
BODY_LIMIT = 65_536
TITLE_LIMIT = 256
API_VERSION = "2022-11-28"
LOOK_BACK = 50  # the newest issues looked through for the marker
DEFAULT_SEVERITY_LABELS: dict[Severity, str] = {
    Severity.CRITICAL: "severity: critical", Severity.HIGH: "severity: high", Severity.MEDIUM: "severity: medium",
}

LabelName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50,
                                             pattern=r"^[^\x00-\x1f\x7f-\x9f,]+$")]
Login = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]


class Config(DestinationConfig):
    type: Literal["github"]
    repo: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")] = Field(
        description="owner/name of the repository")
    token_env: EnvName = Field(description="The variable holding a token that may create issues there.")
    api_url: str = Field(default="https://api.github.com", description="GitHub's API (another for GitHub "
                                                                       "Enterprise Server).")
    labels: tuple[LabelName, ...] = Field(default=("escalation",), description="Labels every issue gets.")
    severity_names: dict[Severity, LabelName] = Field(default_factory=lambda: dict(DEFAULT_SEVERITY_LABELS),
                                                      description="The label for each severity.")
    target_labels: dict[Target, LabelName] = Field(default_factory=dict, description="A label per target team.")
    assignees: tuple[Login, ...] = Field(default=(), description="Logins the issue is assigned to.")

    @field_validator("severity_names", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return merged(value, DEFAULT_SEVERITY_LABELS)

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


def marker(key: str) -> str:
    """The hidden first line of the body that names this send."""
    return f"<!-- escalate-tui:{key} -->"


def build(brief: Brief, config: Config) -> Payload:
    key = idempotency_key(brief, config.name)
    head = f"{marker(key)}\n_Escalation {brief.reference}, sent with escalate-tui._\n\n"
    body = head + fit(brief.markdown, BODY_LIMIT - len(head))
    labels = [*config.labels]
    severity = config.severity_names.get(brief.assessment.severity.effective)
    target = config.target_labels.get(brief.assessment.target.effective)
    labels += [label for label in (severity, target) if label]
    issue: dict[str, Any] = {"title": title(brief, TITLE_LIMIT), "body": body,
                             "labels": list(dict.fromkeys(labels))}
    if config.assignees:
        issue["assignees"] = list(config.assignees)
    return Payload(config.name, "github", issue, key, issue["title"])


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION}


def _token(config: Config, env: Mapping[str, str]) -> str:
    return secret(env, config.token_env, f"The GitHub token of destination {config.name!r}")


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    token = _token(config, env)
    body = json.dumps(payload.body, ensure_ascii=False).encode("utf-8")
    headers = {**_headers(token), "Content-Type": "application/json"}
    return Request("POST", f"{config.api_url}/repos/{config.repo}/issues", headers, body,
                   {config.token_env: token})


def list_request(config: Config, env: Mapping[str, str]) -> Request:
    """The repository's newest issues, open or closed, where an earlier attempt's issue would be."""
    token = _token(config, env)
    query = f"state=all&sort=created&direction=desc&per_page={LOOK_BACK}"
    return Request("GET", f"{config.api_url}/repos/{config.repo}/issues?{query}", _headers(token), b"",
                   {config.token_env: token})


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    try:
        create = request(payload, config, env, now)
        if unclear:
            found = _find(client, list_request(config, env), payload, config, now)
            if found is not None:
                return masked(found, create.secrets)
    except SecretMissing as error:
        return Outcome.permanent(str(error))
    answer = http.send(client, create, config.timeout)
    if isinstance(answer, Outcome):
        return answer
    if answer.status_code == 201:
        return _created(answer)
    return masked(_refused(answer, config, now), create.secrets)


def _find(client: httpx.Client, listing: Request, payload: Payload, config: Config, now: datetime) -> Outcome | None:
    answer = http.send(client, listing, config.timeout)
    why = "could not check whether the earlier attempt created the issue"
    if isinstance(answer, Outcome):
        return Outcome.retry(f"{why}: {answer.message}", answer.retry_after)
    if answer.status_code != 200:
        outcome = _refused(answer, config, now)
        if outcome.kind is OutcomeKind.RETRY:
            return Outcome.retry(f"{why}: {outcome.message}", outcome.retry_after)
        return outcome
    try:
        issues = answer.json()
        line = marker(payload.idempotency_key)
        for issue in issues:
            # the marker must be a line of its own: the brief's text can quote it, escaped, never as a line
            if "pull_request" not in issue and line in (issue.get("body") or "").splitlines():
                return Outcome.delivered(str(issue["number"]), str(issue.get("html_url") or ""),
                                         "the earlier attempt had created it")
    except (ValueError, AttributeError, KeyError, TypeError):
        return Outcome.retry(f"{why}: GitHub answered something unexpected: {http.answer(answer)}")
    return None


def _created(response: httpx.Response) -> Outcome:
    try:
        data = response.json()
        return Outcome.delivered(str(data["number"]), str(data.get("html_url") or ""))
    except (ValueError, KeyError, TypeError):
        return Outcome.uncertain(f"GitHub answered 201 without an issue number: {http.answer(response)}")


def _refused(response: httpx.Response, config: Config, now: datetime) -> Outcome:
    status = response.status_code
    wait = _rate_limited(response, now)
    if wait is not None and status in (403, 429):
        return Outcome.retry(f"GitHub's rate limit for the token of destination {config.name!r} is used up",
                             wait)
    said = _message(response)
    if status == 401:
        return Outcome.permanent(f"GitHub did not accept the token in {config.token_env} (destination "
                                 f"{config.name!r}): it may be wrong or expired; put a valid one there")
    if status == 403:
        return Outcome.permanent(f"the token in {config.token_env} may not create issues in {config.repo}: give "
                                 f"it the Issues write permission on that repository{said}")
    if status == 404:
        return Outcome.permanent(f"repository {config.repo} was not found, or the token in {config.token_env} "
                                 f"cannot see it: check repo in destination {config.name!r}")
    if status == 410:
        return Outcome.permanent(f"issues are turned off in {config.repo}: turn them on in the repository's "
                                 f"settings, or send destination {config.name!r} elsewhere")
    if status == 422:
        return Outcome.permanent(f"GitHub refused the issue for destination {config.name!r}{said}")
    return http.by_status(response, "GitHub")


def _rate_limited(response: httpx.Response, now: datetime) -> float | None:
    """Seconds until GitHub takes requests again, when the answer says a rate limit was hit."""
    wait = http.retry_after(response, now)
    if wait is not None:
        return wait
    if response.headers.get("x-ratelimit-remaining", "").strip() == "0":
        try:
            reset = float(response.headers.get("x-ratelimit-reset", ""))
        except ValueError:
            return 60.0
        return max(1.0, reset - now.timestamp())
    return None


def _message(response: httpx.Response) -> str:
    """GitHub's ``message`` and validation ``errors``, as ``: …`` (or nothing)."""
    try:
        data = response.json()
        parts = [str(data.get("message") or "")]
        for error in data.get("errors") or []:
            if isinstance(error, dict):
                text = error.get("message") or " ".join(
                    str(error[key]) for key in ("resource", "field", "code") if error.get(key))
                parts.append(str(text))
            else:
                parts.append(str(error))
    except (ValueError, AttributeError):
        return f": {http.answer(response)}" if response.text.strip() else ""
    said = one_line("; ".join(part for part in parts if part), 600)
    return f": {said}" if said else ""

