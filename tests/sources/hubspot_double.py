"""A loopback HubSpot CRM: `POST /crm/v3/objects/companies/search` in the documented shape (a body
of ``filterGroups``, ``properties``, ``limit``, ``after``; an answer of ``total``, ``results[]`` with
``id`` and ``properties`` as strings, ``paging.next.after``; errors as ``{"status": "error",
"message", "correlationId", "category"}``), a private app's Bearer token checked."""

from __future__ import annotations

from typing import Any

from http_double import HttpDouble, Reply, Seen

TOKEN = "pat-eu1-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"


def company(number: int, name: str, domain: str, arr: str = "120000.40") -> dict[str, Any]:
    return {"id": str(number), "properties": {
        "name": name, "domain": domain, "hubspot_owner_id": "83920014", "arr__c": arr, "plan_tier": "Enterprise",
        "segment": "Mid-market", "annualrevenue": "98000000", "createdate": "2021-06-01T09:00:00Z",
        "hs_lastmodifieddate": "2025-03-04T11:00:00Z", "hs_object_id": str(number)},
        "createdAt": "2021-06-01T09:00:00Z", "updatedAt": "2025-03-04T11:00:00Z", "archived": False}


class HubSpotDouble(HttpDouble):
    def __init__(self) -> None:
        super().__init__()
        self.companies = [company(31_000 + i, f"Northwind {kind}", f"northwind-{i}.example")
                          for i, kind in enumerate(["Logistics", "Traders", "Health", "Retail"] * 40)]
        self.companies.append(company(40_001, "Contoso Retail", "contoso.example", arr="unknown"))

    def answer(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(401, {"status": "error", "message": "Authentication credentials not found. This API supports "
                               "OAuth 2.0 authentication", "correlationId": "5a2e7c1d-0000-4000-8000-000000000001",
                               "category": "INVALID_AUTHENTICATION"})
        if seen.method != "POST" or seen.path != "/crm/v3/objects/companies/search":
            return Reply(404, {"status": "error", "message": "Not found", "category": "OBJECT_NOT_FOUND"})
        body = seen.body or {}
        limit = int(body.get("limit", 10))
        if limit > 200:
            return Reply(400, {"status": "error", "message": "limit must be at most 200",
                               "category": "VALIDATION_ERROR"})
        found = [c for c in self.companies if self._matches(c, body.get("filterGroups", []))]
        start = int(body.get("after") or 0)
        chunk = found[start: start + limit]
        answer: dict[str, Any] = {"total": len(found), "results": [
            {**c, "properties": {key: value for key, value in c["properties"].items()
                                 if key in body.get("properties", []) or key in ("hs_object_id", "createdate")}}
            for c in chunk]}
        if start + limit < len(found):
            answer["paging"] = {"next": {"after": str(start + limit), "link": "?after=" + str(start + limit)}}
        return Reply(200, answer)

    @staticmethod
    def _matches(found: dict[str, Any], groups: list[dict[str, Any]]) -> bool:
        for group in groups:
            for rule in group.get("filters", []):
                value = found["properties"].get(rule["propertyName"], "")
                if rule["operator"] == "EQ" and value != rule["value"]:
                    return False
                if rule["operator"] == "CONTAINS_TOKEN" and rule["value"].lower() not in value.lower().split():
                    return False
        return True
