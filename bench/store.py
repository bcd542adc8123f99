"""Store speed at scale: similar-case lookup, the queue, event append and file size over 100,000 escalations.

Usage: python bench/store.py [--runs N] [--count N] [--open N] [--reuse] [--folder DIR]
Run from the repository root with the project's Python. Prints target vs measured and writes
bench/results/store.json (medians, spread, the machine and the date). Not a test: figures go in issue notes.

- the database: --count escalations (100,000) generated from a vocabulary of products, symptoms, error
  strings and ~3,000 customers, with varied summaries, descriptions, errors and named customers; --open
  (10,000) of them open (escalated within the last two weeks, so some clocks have run out), the rest resolved
  at times spread over the past two years. Each carries the events the app writes (created, escalated, some
  updates and customer updates, resolved) and its brief as version 1. It is built once and cached under
  DIR (default: a folder in the system's temp folder); --reuse takes the cached one of the same size (built
  by an older layout, it is refused: run without --reuse to rebuild).
  Every run measures a fresh copy of it, so appends from earlier runs never pile up.
- how it is built: through the store's own code for everything that decides what a row holds — the
  search index (`escalations.index`) and each row's status, severity and clocks (`escalations.refresh`,
  from the events replayed by the domain) — but inserted in one transaction on the store's connection
  by `bulk_load` below, not one `DraftStore.create` + `escalate` + `log` call per event: those commit
  every call and would take tens of minutes for 100,000 cases. The rows are the same either way.
- similar-case lookup: `DraftStore.similar(esc, ...)` for new cases written from the same vocabulary
  (varied: common and rare products, with and without error text), every case once per run; the median
  over all calls (target <= 50 ms), with p90 and max.
- queue: `DraftStore.queue(limit=50)` (the first screenful; target <= 100 ms) and the whole open list
  (`queue()`, for reference), plus `open_count()`.
- the queue on screen: F7 pressed in the real app (headless, on a copy of the database) until the queue's
  table holds its first screenful of rows; the same target as the query.
- event append: `DraftStore.log(id, update)` on open escalations, each a committed transaction
  (target <= 2 ms).
- size: the database file after a checkpoint, in MB per 100,000 escalations, and per table and index
  when SQLite has the dbstat table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.domain.lifecycle import Event, EventKind, replay  # noqa: E402
from tui.domain.models import Escalation, Severity, Target  # noqa: E402
from tui.store import escalations  # noqa: E402
from tui.store.drafts import DraftStore  # noqa: E402

RESULTS = ROOT / "bench" / "results"
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
TARGETS_MS = {"similar": 50.0, "queue_first_screen": 100.0, "append": 2.0}
SIMILAR_CASES = 24
APPENDS_PER_RUN = 100

PRODUCTS = (
    "checkout", "invoice export", "SSO login", "SAML assertion", "webhook delivery", "nightly sync", "CSV import",
    "PDF renderer", "search index", "billing portal", "mobile app", "REST API", "GraphQL gateway", "audit log",
    "email digest", "report builder", "dashboard widgets", "user provisioning", "SCIM connector", "file upload",
    "payment terminal", "tax calculation", "shipping labels", "inventory feed", "calendar sync", "chat widget",
    "push notifications", "data warehouse export", "API rate limiter", "password reset", "two-factor prompt",
    "custom fields", "workflow automation", "Salesforce connector", "Slack integration", "Jira integration",
    "multi-currency pricing", "subscription renewal", "usage metering", "role permissions", "bulk delete",
    "backup restore", "archive retention", "Kubernetes operator", "on-prem installer", "desktop client",
    "offline mode", "translation strings", "accessibility overlay", "session timeout",
)
SYMPTOMS = (
    "times out", "returns HTTP 500", "drops rows", "duplicates records", "hangs at 99%", "shows a blank page",
    "logs users out", "sends the wrong totals", "rejects valid input", "crashes on start", "is very slow",
    "loses attachments", "reorders items", "fails silently", "double charges", "skips weekends",
    "corrupts unicode names", "ignores the time zone", "exceeds the memory limit", "stalls after the upgrade",
    "returns stale data", "throws a null pointer", "deadlocks under load", "refuses the certificate",
)
CONTEXTS = (
    "after the 4.2 upgrade", "for EU tenants", "on large accounts", "since the weekend deploy", "in Safari only",
    "behind their proxy", "with more than 10k rows", "at month end", "for SSO users", "on Android 14",
    "during the nightly window", "for accounts migrated last year", "with custom roles", "over VPN",
    "in the sandbox and production", "when two admins edit at once", "with a non-UTC time zone",
)
ERRORS = (
    "HTTP 500 Internal Server Error at /api/v2/exports/{n}", "ERR_CONNECTION_RESET after {n} ms",
    "java.lang.NullPointerException at com.vendor.billing.Invoice.total(Invoice.java:{n})",
    "TimeoutError: operation exceeded {n} seconds", "SAMLResponse rejected: InvalidSignature (kid {n})",
    "429 Too Many Requests (retry-after {n})", "psycopg2.errors.DeadlockDetected: process {n} waits",
    "OOMKilled: container exceeded {n}Mi", "x509: certificate signed by unknown authority (serial {n})",
    "UnicodeDecodeError: 'utf-8' codec can't decode byte 0x{n:x}", "ECONNREFUSED 10.0.{n}.12:5432",
    "Webhook delivery failed: 502 Bad Gateway (attempt {n})", "ValidationError: field amount must be >= {n}",
    "Segmentation fault (core dumped) in libpdf.so.{n}", "KeyError: 'tenant_{n}'",
    "DNS_PROBE_FINISHED_NXDOMAIN for eu{n}.example.com", "S3 AccessDenied on bucket exports-{n}",
    "Stripe card_declined: insufficient_funds ({n})", "ORA-{n:05d}: unique constraint violated",
    "redis.exceptions.ConnectionError: max clients reached ({n})",
)
DETAILS = (
    "The customer first saw it on {day} and it happens on every attempt.",
    "Roughly one request in {n} fails; retrying sometimes works.",
    "Support reproduced it on a test tenant with the customer's settings.",
    "Their finance team cannot close the month until it works.",
    "It started right after our release; nothing changed on their side.",
    "Only admins are affected; regular users see the old behaviour.",
    "The workaround of exporting in smaller batches no longer helps.",
    "They have {n} users blocked and a renewal due next month.",
    "Logs show the error in the worker, not in the web tier.",
    "Clearing the cache fixes it for a few hours, then it comes back.",
)
NAME_HEADS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
    "Vandelay", "Pied Piper", "Massive Dynamic", "Aperture", "Black Mesa", "Oscorp", "Nakatomi", "Gringotts",
    "Monarch", "Dunder", "Sterling", "Prestige", "Blue Sun", "Virtucon", "Gekko", "Duff", "Ollivander", "Krusty",
    "Zorg", "Weyland", "Yoyodyne", "Rekall", "Omni", "Bluth", "Los Pollos", "Paper Street", "Sirius", "Tessier",
    "Abstergo", "Fringe", "Ghostwood", "Hanso", "Kerbal", "Lacuna", "Mooby", "Nuka", "Octan", "Planet Express",
)
NAME_TAILS = (
    "Logistics", "Health", "Bank", "Retail", "Media", "Foods", "Energy", "Airlines", "Insurance", "Labs",
    "Software", "Motors", "Pharma", "Telecom", "Hotels", "Studios", "Robotics", "Capital", "Freight", "Games",
)
NAME_PLACES = ("GmbH", "Inc.", "Ltd", "SA", "BV", "AB", "KK", "Pty", "LLC", "Oy", "AG", "plc", "SAS", "")
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM)
TARGETS = (Target.ENGINEERING, Target.ENGINEERING, Target.ENGINEERING, Target.L2, Target.PRODUCT, Target.SECURITY,
           Target.LEADERSHIP)
AGENTS = ("Dana", "Sam", "Priya", "Jonas", "Mei", "Lucas", "Amara", "Olek")


def customers(rng: random.Random, count: int = 3000) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)} {rng.choice(NAME_PLACES)}".strip()
        if rng.random() < 0.3:
            name += f" {rng.choice(('North', 'East', 'APAC', 'EMEA', 'US', 'Nordics', 'Iberia'))}"
        names.add(name)
    return sorted(names)


def new_case(rng: random.Random, pool: list[str]) -> Escalation:
    """One escalation written from the vocabulary; product popularity is skewed, as in real queues."""
    product = PRODUCTS[min(int(rng.expovariate(1 / 12)), len(PRODUCTS) - 1)]
    symptom, context = rng.choice(SYMPTOMS), rng.choice(CONTEXTS)
    number = rng.randrange(1, 99999)
    error = rng.choice(ERRORS).format(n=number)
    customer = rng.choice(pool)
    day = (NOW - timedelta(days=rng.randrange(1, 700))).strftime("%d %B")
    details = " ".join(rng.choice(DETAILS).format(n=rng.randrange(2, 500), day=day) for _ in range(rng.randrange(1, 4)))
    data: dict[str, Any] = {
        "summary": f"{product.capitalize()} {symptom} {context}",
        "customer": {"name": customer},
        "reporter": {"name": rng.choice(AGENTS)},
        "problem": {"description": f"The {product} {symptom} {context}. {details}"},
        "reproduction": {"actual": error if rng.random() < 0.8 else "",
                         "evidence": [f"{rng.choice(ERRORS).format(n=rng.randrange(1, 9999))}"]
                         if rng.random() < 0.4 else []},
        "breadth": {"named_customers": rng.sample(pool, rng.choice((0, 0, 0, 1, 2, 3)))},
    }
    if rng.random() < 0.05:
        data["contract"] = {"customer_update_hours": rng.choice((2, 4, 8, 24))}
    return Escalation.model_validate(data)


def brief_text(esc: Escalation, severity: Severity, target: Target) -> str:
    return (f"# {esc.summary}\n\n**Customer:** {esc.customer.name}  \n**Severity:** {severity.label}  \n"
            f"**Target:** {target.label}\n\n## Problem\n\n{esc.problem.description}\n\n## Actual\n\n"
            f"{esc.reproduction.actual}\n")


def history(rng: random.Random, esc: Escalation, is_open: bool) -> tuple[datetime, list[Event], str]:
    """When the case was created, its events (oldest first) and its brief as handed over."""
    if is_open:
        created = NOW - timedelta(minutes=rng.randrange(30, 14 * 24 * 60))
    else:
        created = NOW - timedelta(minutes=rng.randrange(3 * 24 * 60, 730 * 24 * 60))
    severity, target = rng.choice(SEVERITIES), rng.choice(TARGETS)
    who = esc.reporter.name
    escalated = created + timedelta(minutes=rng.randrange(5, 240))
    escalated = min(escalated, NOW - timedelta(minutes=10))
    events = [Event(kind=EventKind.CREATED, at=created, who=who),
              Event(kind=EventKind.ESCALATED, at=escalated, who=who, severity=severity, target=target, version=1)]
    moment = escalated
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        moment += timedelta(minutes=rng.randrange(20, 600))
        if moment >= NOW:
            break
        kind = rng.choice((EventKind.UPDATE_LOGGED, EventKind.CUSTOMER_UPDATED))
        events.append(Event(kind=kind, at=moment, who=who, text=rng.choice(DETAILS).format(n=3, day="Monday")))
    if not is_open:
        closed = max(moment, escalated) + timedelta(hours=rng.randrange(1, 20 * 24))
        events.append(Event(kind=EventKind.RESOLVED, at=min(closed, NOW - timedelta(hours=1)), who=who,
                            text="Fixed in the next release"))
    return created, events, brief_text(esc, severity, target)


def bulk_load(store: DraftStore, count: int, open_count: int, seed: int = 7) -> None:
    """`count` escalations in one transaction on the store's connection (see the module's docstring)."""
    rng = random.Random(seed)
    pool = customers(rng)
    opened = set(rng.sample(range(count), open_count))
    conn = store._conn  # the bench's own helper: one transaction instead of one commit per event
    started = time.perf_counter()
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for number in range(count):
            esc = new_case(rng, pool)
            created, events, text = history(rng, esc, number in opened)
            data = esc.model_dump(mode="json")
            stamp = escalations.stamp(created)
            cursor = conn.execute(
                "INSERT INTO drafts (created, updated, summary, customer, body, revision) VALUES (?, ?, ?, ?, ?, 1)",
                (stamp, escalations.stamp(events[-1].at), esc.summary, esc.customer.name, esc.model_dump_json()))
            draft_id = cursor.lastrowid
            assert draft_id is not None
            conn.executemany("INSERT INTO events (escalation, at, who, kind, data) VALUES (?, ?, ?, ?, ?)",
                             [(draft_id, escalations.stamp(event.at), event.who, event.kind.value,
                               json.dumps(event.data())) for event in events])
            conn.execute("INSERT INTO versions (escalation, number, at, who, text) VALUES (?, 1, ?, ?, ?)",
                         (draft_id, escalations.stamp(events[1].at), events[1].who, text))
            escalations.index(conn, draft_id, data)
            escalations.refresh(conn, draft_id, replay(events), store.zone)
            if number % 10000 == 9999:
                print(f"  {number + 1:,} escalations ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def cached_database(folder: Path, count: int, open_count: int, reuse: bool) -> tuple[Path, float | None]:
    """The cached database for this size (built unless --reuse finds it) and how long building took."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"store-{count}-{open_count}.sqlite3"
    if reuse and path.exists():
        return path, None
    for leftover in folder.glob(path.name + "*"):
        leftover.unlink()
    print(f"building {count:,} escalations ({open_count:,} open) in {path} ...", file=sys.stderr)
    started = time.perf_counter()
    with DraftStore(path, zone=UTC) as store:
        bulk_load(store, count, open_count)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO search (search) VALUES ('optimize')")  # as a long-lived index ends up
        conn.execute("ANALYZE")
    checkpoint(path)
    return path, time.perf_counter() - started


def fresh_copy(cached: Path, folder: Path) -> Path:
    work = folder / "work.sqlite3"
    for leftover in folder.glob("work.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(cached, work)
    return work


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def spread(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 3),
            "p90_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))], 3),
            "min_ms": round(ordered[0], 3), "max_ms": round(ordered[-1], 3), "n": len(ordered)}


def table_sizes(path: Path) -> dict[str, float] | None:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return None
    finally:
        conn.close()
    return {name: round(size / 1e6, 1) for name, size in rows}


def bench_run(path: Path, cases: list[Escalation], rng: random.Random) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"open_store": [], "similar": [], "similar_found": [], "queue_first_screen": [],
                                       "queue_all": [], "open_count": [], "append": []}
    started = time.perf_counter()
    store = DraftStore(path, zone=UTC)
    samples["open_store"].append((time.perf_counter() - started) * 1000)
    if store.moved_aside is not None:  # e.g. cached by a version with another layout: it would measure nothing
        store.close()
        raise SystemExit(f"store.py: {store.moved_aside.sentence()} Run again without --reuse to rebuild it.")
    with store:
        since = NOW - timedelta(days=90)
        for esc in cases:
            started = time.perf_counter()
            found = store.similar(esc, None, since)
            samples["similar"].append((time.perf_counter() - started) * 1000)
            samples["similar_found"].append(len(found))
        for _ in range(5):
            samples["queue_first_screen"].append(timed(lambda: store.queue(limit=50)))
            samples["queue_all"].append(timed(store.queue))
            samples["open_count"].append(timed(store.open_count))
        open_ids = [record.id for record in store.queue(limit=2000)]
        for number in range(APPENDS_PER_RUN):
            draft_id = rng.choice(open_ids)
            event = Event(kind=EventKind.UPDATE_LOGGED, at=NOW + timedelta(seconds=number), who="Bench",
                          text="Checked in with the team: still bisecting the release.")
            samples["append"].append(timed(lambda draft_id=draft_id, event=event: store.log(draft_id, event)))
    return samples


def queue_on_screen(cached: Path, folder: Path, runs: int) -> list[float]:
    """Milliseconds from F7 to the queue's table holding its first screenful (30 rows), in the real app
    run headless (Textual's test driver, no terminal output), over a copy of the database."""
    import asyncio

    from textual import events
    from textual.widgets import DataTable

    from tui.app import make_app
    from tui.screens.queue import QueueScreen

    data = folder / "ui"
    data.mkdir(exist_ok=True)
    shutil.copyfile(cached, data / "drafts.sqlite3")
    samples: list[float] = []

    async def measure() -> None:
        app = make_app(None, data_dir=data, autosave=True, build_steps_ahead=False, clock=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            while app.autosaver is None or app.autosaver.store is None:
                await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            for _ in range(runs):
                await pilot.pause(0.3)
                started = time.perf_counter()
                app.post_message(events.Key("f7", None))  # as the terminal sends it; press() would wait for idle
                while not (isinstance(app.screen, QueueScreen) and app.screen.query_one(DataTable).row_count >= 30):
                    await asyncio.sleep(0.0005)
                samples.append((time.perf_counter() - started) * 1000)
                app.screen.dismiss(None)

    asyncio.run(measure())
    return samples


def git_state() -> dict[str, object]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=False, cwd=ROOT).stdout.strip()

    return {"head": git("rev-parse", "--short", "HEAD"),
            "uncommitted": [line[3:] for line in git("status", "--porcelain").splitlines()]}


def machine() -> dict[str, object]:
    return {"node": platform.node(), "system": platform.platform(), "processor": platform.processor()
            or platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measuring runs, each on a fresh copy (default 5)")
    parser.add_argument("--count", type=int, default=100_000, help="escalations stored (default 100,000)")
    parser.add_argument("--open", type=int, default=10_000, help="of which open (default 10,000)")
    parser.add_argument("--reuse", action="store_true", help="use the cached database if it was built before")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "escalate-tui-bench-store",
                        help="where the database is cached")
    args = parser.parse_args()
    if not 0 <= args.open <= args.count or args.runs < 1:
        parser.error("need 0 <= --open <= --count and --runs >= 1")

    cached, built_s = cached_database(args.folder, args.count, args.open, args.reuse)
    size_mb = cached.stat().st_size / 1e6
    rng = random.Random(2026)
    pool = customers(random.Random(7))
    cases = [new_case(rng, pool) for _ in range(SIMILAR_CASES)]
    runs: list[dict[str, list[float]]] = []
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs} ...", file=sys.stderr)
        runs.append(bench_run(fresh_copy(cached, args.folder), cases, rng))
    merged = {key: [value for run in runs for value in run[key]] for key in runs[0]}
    print("the queue on screen ...", file=sys.stderr)
    merged["queue_on_screen"] = queue_on_screen(cached, args.folder, max(args.runs, 5))
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_state(),
        "machine": machine(),
        "escalations": args.count,
        "open": args.open,
        "runs": args.runs,
        "build_s": None if built_s is None else round(built_s, 1),
        "similar_ms": spread(merged["similar"]),
        "similar_found_median": statistics.median(merged["similar_found"]),
        "queue_first_screen_ms": spread(merged["queue_first_screen"]),
        "queue_all_ms": spread(merged["queue_all"]),
        "open_count_ms": spread(merged["open_count"]),
        "queue_on_screen_ms": spread(merged["queue_on_screen"]),
        "append_ms": spread(merged["append"]),
        "open_store_ms": spread(merged["open_store"]),
        "size_mb": round(size_mb, 1),
        "size_mb_per_100k": round(size_mb * 100_000 / max(args.count, 1), 1),
        "size_by_table_mb": table_sizes(cached),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "store.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(results)


def print_report(results: dict[str, Any]) -> None:
    info = results["machine"]
    print(f"{results['escalations']:,} escalations ({results['open']:,} open), {results['runs']} runs, "
          f"git {results['git']['head']}, sqlite {info['sqlite']}, python {info['python']}, {info['cpus']} cpus")
    rows = [("similar-case lookup", "similar_ms", TARGETS_MS["similar"]),
            ("queue, first screenful (50)", "queue_first_screen_ms", TARGETS_MS["queue_first_screen"]),
            ("queue screen, F7 to 30 rows", "queue_on_screen_ms", TARGETS_MS["queue_first_screen"]),
            (f"queue, all {results['open']:,} open", "queue_all_ms", None),
            ("open count", "open_count_ms", None),
            ("event append", "append_ms", TARGETS_MS["append"]),
            ("open the store", "open_store_ms", None)]
    print(f"{'':30} {'target':>10} {'median':>10} {'p90':>10} {'max':>10}")
    for label, key, target in rows:
        entry = results[key]
        verdict = "" if target is None else ("  ok" if entry["median_ms"] <= target else "  MISSED")
        print(f"{label:30} {'' if target is None else f'<= {target:g} ms':>10} {entry['median_ms']:>7.2f} ms"
              f" {entry['p90_ms']:>7.2f} ms {entry['max_ms']:>7.2f} ms{verdict}")
    print(f"{'database size':30} {'':>10} {results['size_mb_per_100k']:>7.1f} MB per 100,000 escalations")
    if results["size_by_table_mb"]:
        print("  " + ", ".join(f"{name} {size} MB" for name, size in results["size_by_table_mb"].items()))
    print(f"similar cases found per lookup (median): {results['similar_found_median']}")


if __name__ == "__main__":
    main()
