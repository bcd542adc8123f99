"""GitHub: issues of one repository from the issue search (`GET /search/issues`, ``repo:o/r is:issue``
and the query's words, advanced search), pages by `page` / `per_page` up to GitHub's 1,000-result cap.
Pull requests are left out. A token (Bearer) is needed only for a private repository, but raises the
search rate limit either way.

GitHub may answer before it has looked everywhere (``incomplete_results``), and cannot page past
1,000 results: both are said in `note` after a search, so the person knows the list may be partial."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator

from tui.domain.models import ContextKind
from tui.domain.service_config import EnvName
from tui.sources import http_source as web
from tui.sources.config import SourceConfig
from tui.sources.model import Place, Provenance, Query, SourceItem

RESULT_CAP = 1000
PAGE_MOST = 100

Repo = Annotated[str, StringConstraints(strip_whitespace=True,
                                        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")]


class Config(SourceConfig):
    type: Literal["github"]
    repo: Repo = Field(description="The repository, as owner/name: northwind/exporter")
    token_env: EnvName | None = Field(default=None, description="The variable holding a token (needed for a "
                                                                "private repository).")
    api_url: str = Field(default="https://api.github.com", description="The API's address (GitHub Enterprise: "
                                                                       "https://github.example.com/api/v3).")

    @field_validator("repo")
    @classmethod
    def _real_name(cls, value: str) -> str:
        if value.split("/")[1] in (".", ".."):
            raise ValueError("repo must name a repository as owner/name, e.g. northwind/exporter")
        return value

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class GitHubSource:
    def __init__(self, config: Config, service: web.Service) -> None:
        self.name = config.name
        self.config = config
        self.service = service
        self.note = ""  # after a search: why its list may be partial, or nothing

    async def search(self, query: Query) -> list[SourceItem]:
        self.note = ""
        terms = query.words
        if not terms:
            return []
        limit = min(query.limit, self.config.limit, RESULT_CAP)
        per_page = min(PAGE_MOST, limit)
        fetched_at = datetime.now(UTC)
        items: list[SourceItem] = []
        incomplete = False
        total = 0
        async with web.client(self.service) as http:
            page = 1
            while len(items) < limit and page * per_page <= RESULT_CAP:
                answer = await web.call_json(http, self.service, "GET", f"{self.config.api_url}/search/issues", params={
                    "q": f"repo:{self.config.repo} is:issue {terms}", "advanced_search": "true",
                    "per_page": per_page, "page": page})
                found = web.expect(answer, self.service, "items")
                incomplete = incomplete or answer.get("incomplete_results") is True
                total = max(total, _count(answer.get("total_count")))
                items += [item for result in found if (item := self._item(web.as_dict(result), fetched_at))]
                if len(found) < per_page or page * per_page >= total:
                    break
                page += 1
        self.note = _note(incomplete, total)
        return items[:limit]

    def _item(self, result: dict[str, Any], fetched_at: datetime) -> SourceItem | None:
        number = web.as_text(result.get("number"))
        if not number or "pull_request" in result:
            return None
        labels = [web.as_text(web.as_dict(label).get("name")) for label in web.as_list(result.get("labels"))]
        state = " · ".join(part for part in [web.as_text(result.get("state")), *labels] if part)
        return SourceItem(
            kind=ContextKind.TRACKER, title=web.title_of(result.get("title")) or f"Issue #{number}",
            reference=f"{self.config.repo}#{number}",
            provenance=Provenance(self.name, number, _link(result.get("html_url")), fetched_at),
            when=web.day_of(result.get("updated_at")), status=web.title_of(state),
            excerpt=SourceItem.clean(web.as_text(result.get("body"))))


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _link(value: Any) -> str:
    """The issue's page, only if it is a web address (the answer is not trusted to give one)."""
    url = web.as_text(value)
    return url if url.startswith("https://") and url.isprintable() else ""


def _note(incomplete: bool, total: int) -> str:
    said = []
    if incomplete:
        said.append("GitHub's search ran out of time before looking everywhere: some matching issues may be missing")
    if total > RESULT_CAP:
        said.append(f"{total:,} issues match and GitHub shows only the first 1,000: add words to narrow the search")
    return "; ".join(said)


def open_source(config: Config, env: Mapping[str, str], place: Place) -> GitHubSource:
    label = web.label_of("GitHub", config.name)
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    secrets: dict[str, str] = {}
    if config.token_env:
        token = web.read_secret(env, config.token_env, f"{label}'s token")
        headers["Authorization"] = f"Bearer {token}"
        secrets[config.token_env] = token
        unauthorized = f"check the token in ${config.token_env}"
        forbidden = f"the token in ${config.token_env} may not read {config.repo}: check its access to the repository"
    else:
        unauthorized = "this repository needs a token: set token_env to the variable holding one"
        forbidden = f"{config.repo} may not be read without a token: set token_env"
    hints = web.Hints(unauthorized=unauthorized, forbidden=forbidden,
                      not_found=f"check repo ({config.repo}) and api_url; a private repository also needs a token "
                                "that can read it")
    return GitHubSource(config, web.Service(label, config.timeout, hints, headers, secrets))
