"""Context sources at scale: importing and searching 100,000 local tickets, and fan-out to five HTTP sources.

Usage: python bench/sources.py [--count N] [--searches N] [--folder DIR]
Run from the repository root with the project's Python. Prints target vs measured and writes
bench/results/sources.json. Not a test: figures go in issue notes.

- import: --count (100,000) tickets in a Zendesk CSV export generated from a seeded vocabulary of products,
  symptoms and ~1,200 customers, imported by the local source as a search would (parse, hash, one transaction).
- search: --searches (60) varied queries (one to four words, some with a customer, some matching nothing, one
  empty) through `LocalSource.search_now` (the whole search: freshness check, three FTS5 queries, items made);
  median and p90 (target: median <= 50 ms).
- fan-out: five loopback HTTP sources (real ThreadingHTTPServers answering a tiny JSON; one waits 2 s) asked
  through `fan_out`; when each answer arrived, and whether the four fast ones all came before the slow one.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.domain.models import ContextKind  # noqa: E402
from tui.sources.fanout import fan_out  # noqa: E402
from tui.sources.local import Config, open_source  # noqa: E402
from tui.sources.model import Place, Provenance, Query, SourceItem  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_MEDIAN_MS = 50.0
PRODUCTS = ("CSV export", "invoice PDF", "SSO login", "webhook delivery", "nightly sync", "report builder",
            "billing portal", "mobile app", "REST API", "audit log", "search index", "file upload", "SCIM connector",
            "password reset", "dashboard", "Salesforce connector", "Slack integration", "usage metering")
SYMPTOMS = ("is missing rows", "times out", "returns HTTP 500", "duplicates records", "shows a blank page",
            "logs users out", "sends wrong totals", "rejects valid input", "is very slow", "fails silently")
DETAILS = ("since the last upgrade", "for large accounts", "only in Safari", "after the SSO change", "every night",
           "when more than 10,000 rows", "for EU tenants", "on the first of the month", "with non-ASCII names")
STATUSES = ("New", "Open", "Pending", "On-hold", "Solved", "Closed")
QUERIES = ("export missing rows", "csv export", "sso", "webhook delivery times out", "invoice pdf blank", "slow",
           "HTTP 500", "password reset", "salesforce", "nightly sync fails", "audit log", "report builder slow",
           "billing portal", "duplicates", "10,000 rows", "EU tenants", "safari", "scim connector rejects",
           "upload", "dashboard blank page", "usage metering wrong totals", "mobile app logs users out", "zebra quark",
           "rest api", "search index", "exp", "non-ASCII names", "first of the month", "")


def generate(path: Path, count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    customers = [f"{rng.choice(('Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne'))} "
                 f"{rng.choice(('Corp', 'Ltd', 'GmbH', 'Inc', 'SA'))} {number}" for number in range(1200)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Subject", "Description", "Status", "Priority", "Requester", "Organization",
                         "Created at", "Updated at"])
        for number in range(1, count + 1):
            product, symptom, detail = rng.choice(PRODUCTS), rng.choice(SYMPTOMS), rng.choice(DETAILS)
            created = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 900))
            body = (f"The {product} {symptom} {detail}. Steps: open {product}, wait, see it fail. "
                    f"Error ref {rng.randrange(10**6):06d}. " + rng.choice(DETAILS).capitalize() + ".")
            writer.writerow([number, f"{product.capitalize()} {symptom} {detail}", body, rng.choice(STATUSES),
                             rng.choice(("Low", "Normal", "High", "Urgent")), f"Requester {rng.randrange(9000)}",
                             rng.choice(customers), f"{created:%Y-%m-%d %H:%M:%S} +0000",
                             f"{created + timedelta(hours=rng.randrange(1, 400)):%Y-%m-%d %H:%M:%S} +0000"])
    return customers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class _Tiny(BaseHTTPRequestHandler):
    delay = 0.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        body = json.dumps({"results": [{"id": 1, "title": "Export missing rows"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class HttpSource:
    """A bench-only source: one GET to a loopback server, its JSON results made into items."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    async def search(self, query: Query) -> list[SourceItem]:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(self.url, params={"q": query.text})
        response.raise_for_status()
        return [SourceItem(kind=ContextKind.TICKET, title=str(result["title"]), reference=f"#{result['id']}",
                           provenance=Provenance(self.name, str(result["id"]), self.url))
                for result in response.json()["results"]]


async def fan_out_run() -> dict[str, object]:
    servers = []
    for index in range(5):
        handler = type(f"Tiny{index}", (_Tiny,), {"delay": 2.0 if index == 2 else 0.05})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        sources = [HttpSource("slow" if index == 2 else f"fast-{index}", f"http://127.0.0.1:{server.server_port}/")
                   for index, server in enumerate(servers)]
        started = time.perf_counter()
        arrived = {}
        async for answer in fan_out(sources, Query("export missing rows"), timeout=10):
            arrived[answer.source] = round((time.perf_counter() - started) * 1000, 1)
            assert answer.error is None, answer.error
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    fast = [ms for name, ms in arrived.items() if name != "slow"]
    return {"arrived_ms": arrived, "fast_before_slow": max(fast) < arrived["slow"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="escalate-bench-sources-"))
    workspace = folder / "workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    database = folder / "drafts.sqlite3"
    for stale in folder.glob("drafts.sqlite3*"):
        stale.unlink()
    customers = generate(workspace / "tickets.csv", args.count)
    local = open_source(Config(name="local files"), {}, Place(workspace, database))

    began = time.perf_counter()
    local.refresh()
    import_s = time.perf_counter() - began
    assert not local.problems, local.problems

    rng = random.Random(7)
    queries = [Query(QUERIES[index % len(QUERIES)], customer=rng.choice(customers) if index % 3 == 0 else "",
                     limit=50) for index in range(args.searches)]
    local.search_now(queries[0])  # warm the page cache, as a second search in the app would be
    timings = []
    found = []
    for query in queries:
        began = time.perf_counter()
        items = local.search_now(query)
        timings.append((time.perf_counter() - began) * 1000)
        found.append(len(items))
    fan = asyncio.run(fan_out_run())

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
        "python": platform.python_version(), "tickets": args.count, "import_seconds": round(import_s, 2),
        "database_mb": round(database.stat().st_size / 1e6, 1), "searches": len(timings),
        "search_median_ms": round(statistics.median(timings), 2), "search_p90_ms": round(percentile(timings, 0.9), 2),
        "search_max_ms": round(max(timings), 2), "search_target_median_ms": TARGET_MEDIAN_MS,
        "median_items": statistics.median(found), "fan_out": fan,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sources.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"import of {args.count:,} tickets: {import_s:.2f} s ({result['database_mb']} MB)")
    print(f"search over {args.count:,}: median {result['search_median_ms']} ms (target <= {TARGET_MEDIAN_MS:g}), "
          f"p90 {result['search_p90_ms']} ms, max {result['search_max_ms']} ms, over {len(timings)} queries")
    print(f"fan-out arrivals (ms): {fan['arrived_ms']}; the four fast before the slow: {fan['fast_before_slow']}")


if __name__ == "__main__":
    main()
