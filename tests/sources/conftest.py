"""Fixtures the source tests share: a workspace folder holding copies of the sample exports in `data/`
and the place a source is opened on; each HTTP service's loopback double, and a `case` that runs the
same failure tests (401, 429, timeouts, broken answers) against every one of them; and a real Request
Tracker 5 for the whole session (skipped with how to install it when it is not installed, failed instead
when CI_REQUIRE_RT=1 says it must be)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import github_double
import hubspot_double
import jira_double
import pytest
import zendesk_double
from github_double import GitHubDouble
from http_double import HttpDouble
from hubspot_double import HubSpotDouble
from jira_double import JiraDouble
from rt_seed import Seeded, seed
from rt_server import INSTALL, RTServer, installed
from zendesk_double import ZendeskDouble

from tui.sources import github, hubspot, jira, zendesk
from tui.sources.model import Place, Query, Source

DATA = Path(__file__).resolve().parent / "data"
PLACE = Place(Path("workspace"), Path("drafts.sqlite3"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    shutil.copy(DATA / "zendesk_tickets.csv", folder / "tickets.csv")
    shutil.copy(DATA / "accounts.csv", folder / "accounts.csv")
    shutil.copytree(DATA / "known-issues", folder / "known-issues")
    return folder


@pytest.fixture
def place(workspace: Path, tmp_path: Path) -> Place:
    return Place(workspace=workspace, database=tmp_path / "data" / "drafts.sqlite3")


@dataclass
class Case:
    """One HTTP service: its double, the variable its token is read from, and how to open it."""

    kind: str
    double: HttpDouble
    variable: str
    token: str
    make: Callable[..., Source]  # (timeout=…, **settings) -> the source, pointed at the double
    query: Query


def zendesk_source(double: ZendeskDouble, timeout: float = 2.0, **settings: Any) -> Source:
    table = {"name": "zendesk", "type": "zendesk", "base_url": double.url, "email": zendesk_double.EMAIL,
             "api_token_env": "ZENDESK_TOKEN", "timeout": timeout, **settings}
    return zendesk.open_source(zendesk.Config.model_validate(table), {"ZENDESK_TOKEN": zendesk_double.TOKEN}, PLACE)


@pytest.fixture
def zendesk_api() -> Iterator[ZendeskDouble]:
    with ZendeskDouble() as double:
        yield double


def _zendesk_case(double: ZendeskDouble) -> Case:
    return Case("zendesk", double, "ZENDESK_TOKEN", zendesk_double.TOKEN,
                lambda timeout=2.0, **settings: zendesk_source(double, timeout, **settings),
                Query("export missing rows", limit=5))


def jira_source(double: JiraDouble, timeout: float = 2.0, **settings: Any) -> Source:
    table = {"name": "jira", "type": "jira", "base_url": double.url, "email": jira_double.EMAIL,
             "api_token_env": "JIRA_API_TOKEN", "jql_scope": "project = SUP", "timeout": timeout, **settings}
    return jira.open_source(jira.Config.model_validate(table), {"JIRA_API_TOKEN": jira_double.TOKEN}, PLACE)


@pytest.fixture
def jira_api() -> Iterator[JiraDouble]:
    with JiraDouble() as double:
        yield double


def _jira_case(double: JiraDouble) -> Case:
    return Case("jira", double, "JIRA_API_TOKEN", jira_double.TOKEN,
                lambda timeout=2.0, **settings: jira_source(double, timeout, **settings),
                Query("export drops rows", limit=5))


def github_source(double: GitHubDouble, timeout: float = 2.0, **settings: Any) -> github.GitHubSource:
    table = {"name": "github", "type": "github", "repo": github_double.REPO, "api_url": double.url,
             "token_env": "GITHUB_TOKEN", "timeout": timeout, **settings}
    return github.open_source(github.Config.model_validate(table), {"GITHUB_TOKEN": github_double.TOKEN}, PLACE)


@pytest.fixture
def github_api() -> Iterator[GitHubDouble]:
    with GitHubDouble() as double:
        yield double


def _github_case(double: GitHubDouble) -> Case:
    return Case("github", double, "GITHUB_TOKEN", github_double.TOKEN,
                lambda timeout=2.0, **settings: github_source(double, timeout, **settings),
                Query("export loses rows", limit=5))


def hubspot_source(double: HubSpotDouble, timeout: float = 2.0, **settings: Any) -> Source:
    table = {"name": "hubspot", "type": "hubspot", "api_url": double.url, "token_env": "HUBSPOT_TOKEN",
             "arr_property": "arr__c", "plan_property": "plan_tier", "segment_property": "segment",
             "timeout": timeout, **settings}
    return hubspot.open_source(hubspot.Config.model_validate(table), {"HUBSPOT_TOKEN": hubspot_double.TOKEN}, PLACE)


@pytest.fixture
def hubspot_api() -> Iterator[HubSpotDouble]:
    with HubSpotDouble() as double:
        yield double


def _hubspot_case(double: HubSpotDouble) -> Case:
    return Case("hubspot", double, "HUBSPOT_TOKEN", hubspot_double.TOKEN,
                lambda timeout=2.0, **settings: hubspot_source(double, timeout, **settings),
                Query("export missing rows", customer="Northwind", limit=5))


CASES: dict[str, tuple[Callable[[], HttpDouble], Callable[[Any], Case]]] = {
    "zendesk": (ZendeskDouble, _zendesk_case),
    "jira": (JiraDouble, _jira_case),
    "github": (GitHubDouble, _github_case),
    "hubspot": (HubSpotDouble, _hubspot_case),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> Iterator[Case]:
    make_double, make_case = CASES[request.param]
    with make_double() as double:
        yield make_case(double)


@pytest.fixture(scope="session")
def rt() -> Iterator[Seeded]:
    if not installed():
        message = f"Request Tracker 5 is not installed; to run these tests: {INSTALL}"
        if os.environ.get("CI_REQUIRE_RT") == "1":
            pytest.fail(f"CI_REQUIRE_RT=1 but {message}")
        pytest.skip(message)
    with RTServer() as server:
        yield seed(server)
