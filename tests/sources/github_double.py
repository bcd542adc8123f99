"""A loopback GitHub REST API: `GET /search/issues` in the documented shape (``total_count``,
``incomplete_results``, ``items[]`` with ``number``, ``title``, ``html_url``, ``state``, ``labels``,
``body``, ``updated_at``, and ``pull_request`` on a pull request; errors as ``{"message",
"documentation_url", "status"}``), a Bearer token checked when one is expected."""

from __future__ import annotations

from typing import Any

from http_double import HttpDouble, Reply, Seen

TOKEN = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
REPO = "northwind/exporter"


def result(number: int, title: str, pull: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {
        "url": f"https://api.github.com/repos/{REPO}/issues/{number}",
        "html_url": f"https://github.com/{REPO}/issues/{number}", "id": 2_000_000 + number, "number": number,
        "title": title, "user": {"login": "priya-n", "id": 5510}, "state": "open",
        "labels": [{"id": 1, "name": "bug", "color": "d73a4a"}, {"id": 2, "name": "export", "color": "0e8a16"}],
        "comments": 4, "created_at": "2025-02-20T08:00:00Z", "updated_at": f"2025-03-{1 + number % 28:02d}T12:00:00Z",
        "body": f"Steps: export {number}0k rows to CSV; the file has fewer rows than the table.", "score": 1.0,
    }
    if pull:
        found["pull_request"] = {"url": f"https://api.github.com/repos/{REPO}/pulls/{number}",
                                 "html_url": f"https://github.com/{REPO}/pull/{number}"}
    return found


class GitHubDouble(HttpDouble):
    def __init__(self, count: int = 130) -> None:
        super().__init__()
        self.results = [result(500 + i, f"Export loses rows past 10k ({i})") for i in range(count)]
        self.total: int | None = None  # total_count to claim, when not len(results)
        self.incomplete = False
        self.token: str | None = TOKEN

    def answer(self, seen: Seen) -> Reply:
        given = seen.headers.get("authorization")
        if (given is not None and given != f"Bearer {self.token}") or (self.token and given is None):
            return Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                               "status": "401"})
        if seen.path != "/search/issues":
            return Reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest",
                               "status": "404"})
        per_page, page = int(seen.arg("per_page") or 30), int(seen.arg("page") or 1)
        if per_page > 100 or page * per_page > 1000:
            return Reply(422, {"message": "Only the first 1000 search results are available",
                               "documentation_url": "https://docs.github.com/v3/search/", "status": "422"})
        chunk = self.results[(page - 1) * per_page: page * per_page]
        return Reply(200, {"total_count": self.total if self.total is not None else len(self.results),
                           "incomplete_results": self.incomplete, "items": chunk})
