"""A loopback Jira Cloud: `GET /rest/api/3/search/jql` in the documented shape (``issues[]`` with
``id``, ``key``, ``fields``; ``nextPageToken`` and ``isLast``; the description in ADF; errors as
``{"errorMessages": […], "errors": {}}``), basic auth with an e-mail address and an API token."""

from __future__ import annotations

import base64
from typing import Any

from http_double import HttpDouble, Reply, Seen

EMAIL = "triage@northwind.example"
TOKEN = "ATATT3xFfGF0-jira-0a1b2c3d4e5f6071"


def issue(number: int, summary: str) -> dict[str, Any]:
    return {
        "expand": "", "id": str(10_000 + number), "self": f"https://northwind.atlassian.net/rest/api/3/issue/{number}",
        "key": f"SUP-{number}",
        "fields": {
            "summary": summary,
            "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
            "priority": {"name": "High", "id": "2"}, "labels": ["export"],
            "updated": f"2025-03-{1 + number % 28:02d}T10:22:33.000+0000",
            "description": {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "Exports over 10k rows "},
                                                  {"type": "text", "text": "lose rows", "marks": [{"type": "strong"}]},
                                                  {"type": "hardBreak"}, {"type": "text", "text": "since 2.14."}]},
                {"type": "bulletList", "content": [{"type": "listItem", "content": [
                    {"type": "paragraph", "content": [{"type": "mention", "attrs": {"id": "5b10", "text": "@Priya"}},
                                                      {"type": "text", "text": " to check the writer"}]}]}]}]},
        },
    }


class JiraDouble(HttpDouble):
    def __init__(self, count: int = 70) -> None:
        super().__init__()
        self.issues = [issue(100 + i, f"CSV export drops rows ({i})") for i in range(count)]
        self.auth = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()

    def answer(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization") != self.auth:
            return Reply(401, {"errorMessages": ["You are not authenticated. Authentication required to perform "
                                                 "this operation."], "errors": {}})
        if seen.path != "/rest/api/3/search/jql":
            return Reply(404, {"errorMessages": ["Not found"], "errors": {}})
        if "ORDER BY" not in seen.arg("jql") or not seen.arg("fields"):
            return Reply(400, {"errorMessages": ["Unbounded JQL queries are not allowed here."], "errors": {}})
        size = min(int(seen.arg("maxResults") or 50), 5000)
        start = int(seen.arg("nextPageToken").removeprefix("page-") or 0)
        chunk = self.issues[start: start + size]
        last = start + size >= len(self.issues)
        body: dict[str, Any] = {"issues": chunk, "isLast": last}
        if not last:
            body["nextPageToken"] = f"page-{start + size}"
        return Reply(200, body)
