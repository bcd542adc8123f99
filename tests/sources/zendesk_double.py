"""A loopback Zendesk: `GET /api/v2/search.json` and `GET /api/v2/tickets/{id}/comments.json` in the
shapes of Zendesk's API reference (search: ``results[]`` with ``result_type``, ``next_page``, ``count``,
side-loaded ``users`` and ``organizations`` for ``include=tickets(users,organizations)``; errors as
``{"error": …, "description": …}``). Basic auth ``{email}/token:{token}`` or a Bearer token."""

from __future__ import annotations

import base64
from typing import Any

from http_double import HttpDouble, Reply, Seen

EMAIL = "agent@northwind-support.example"
TOKEN = "zd-api-6f1c2b9e8d7a4c3b2a1f0e9d8c7b6a5f"
ORGS = [(9001, "Northwind Logistics"), (9002, "Contoso Retail"), (9003, "Fabrikam Health")]
UNAUTHORIZED = {"error": "Couldn't authenticate you"}


def ticket(number: int, subject: str, org: int | None, requester: int = 7001) -> dict[str, Any]:
    return {
        "url": f"https://northwind.zendesk.com/api/v2/tickets/{number}.json", "id": number,
        "created_at": "2025-02-27T09:14:03Z", "updated_at": f"2025-03-{1 + number % 28:02d}T16:40:11Z",
        "type": "problem", "subject": subject, "raw_subject": subject,
        "description": f"Customer reports: {subject}. Seen since the 2.14 release; 3 of 40 exports affected.",
        "priority": "high", "status": "open", "requester_id": requester, "submitter_id": requester,
        "assignee_id": 361, "organization_id": org, "group_id": 20, "tags": ["export", "csv"],
        "custom_fields": [], "result_type": "ticket",
    }


class ZendeskDouble(HttpDouble):
    def __init__(self, count: int = 130) -> None:
        super().__init__()
        self.tickets = [ticket(4200 + i, f"CSV export missing rows (case {i})", ORGS[i % 3][0] if i % 5 else None)
                        for i in range(count)]
        self.users = [{"id": 7001, "name": "Dana Whitfield", "email": "dana@whitfield.example"}]
        self.comments: dict[int, list[dict[str, Any]]] = {
            4200: [{"id": 1, "author_id": 361, "public": False, "plain_body": "Engineering says: known since 2.14.",
                    "created_at": "2025-03-02T10:00:00Z"},
                   {"id": 2, "author_id": 7001, "public": True, "plain_body": "Still missing rows today.",
                    "created_at": "2025-03-01T10:00:00Z"}]}
        self.auth = "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()

    def answer(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization") != self.auth:
            return Reply(401, UNAUTHORIZED)
        if seen.path == "/api/v2/search.json":
            return self._search(seen)
        if seen.path.startswith("/api/v2/tickets/") and seen.path.endswith("/comments.json"):
            number = int(seen.path.split("/")[4])
            comments = self.comments.get(number, [])
            if seen.arg("sort_order") == "desc":
                comments = sorted(comments, key=lambda c: c["created_at"], reverse=True)
            size = int(seen.arg("page[size]") or 100)
            return Reply(200, {"comments": comments[:size], "meta": {"has_more": len(comments) > size},
                               "links": {"next": None, "prev": None}})
        return Reply(404, {"error": "InvalidEndpoint", "description": "Not found"})

    def _search(self, seen: Seen) -> Reply:
        page, per_page = int(seen.arg("page") or 1), int(seen.arg("per_page") or 100)
        if per_page > 100 or (page * per_page > 1000 + per_page - 1 and page > 10):
            return Reply(422, {"error": "InvalidPaginationParameter", "description": "Page out of range"})
        found = self.tickets if seen.arg("query").startswith("type:ticket ") else []
        chunk = found[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(found)
        body: dict[str, Any] = {
            "results": chunk, "count": len(found), "facets": None, "previous_page": None,
            "next_page": f"https://northwind.zendesk.com/api/v2/search.json?page={page + 1}" if more else None}
        if "organizations" in seen.arg("include"):
            body["organizations"] = [{"id": number, "name": name} for number, name in ORGS]
        if "users" in seen.arg("include"):
            body["users"] = self.users
        return Reply(200, body)
