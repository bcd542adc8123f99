"""Outbox speed: 1,000 queued webhook sends delivered to a loopback receiver, and the drain after an outage.

Usage: python bench/outbox.py [--runs N] [--count N] [--outage SECONDS] [--workers N]
Run from the repository root with the project's Python. Prints target vs measured and writes
bench/results/outbox.json (medians, spread, the machine and the date). Not a test: figures go in issue notes.

- the queue: --count (1,000) escalations, each escalated with the app's own store calls and one signed
  `webhook` send queued for it (the body built by `tui.send.webhook.build` from a real example brief).
  Each run measures a fresh copy, so nothing delivered earlier is left out.
- the receiver: `tests/send/receiver.py`, a real `http.server.ThreadingHTTPServer` on 127.0.0.1 that
  checks every signature and counts what arrives per X-Escalate-Delivery key, answering 200 at once.
- throughput: `deliver_due` from the first claim to the last outcome written (each delivery also puts
  its "Sent" event on the timeline), in sends per second (target >= 300/s); every key must arrive once.
- peak memory: the Python allocations' peak during one delivery of the queue (tracemalloc, in a run of
  its own since tracing slows it), and the process's peak RSS at the end, receiver included.
- drain after an outage: the receiver is down (connections refused) for --outage (10) seconds while
  the worker runs with the default backoff (2 s base, full jitter, 300 s cap); the time from the
  receiver coming back to the outbox being empty.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "send")]

import httpx  # noqa: E402
from outbox_support import SECRET, queue_sends, webhook_config  # noqa: E402
from receiver import Receiver  # noqa: E402

from tui.send.outbox_worker import Backoff, deliver_due  # noqa: E402
from tui.store.drafts import DraftStore  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_PER_S = 300.0
ENV = {"HOOK_SECRET": SECRET}


def build_queue(folder: Path, count: int, url: str) -> Path:
    path = folder / "queued.sqlite3"
    with DraftStore(path) as store:
        queue_sends(store, webhook_config(url, secret_env="HOOK_SECRET"), count)
    return path  # closing the last connection folded the write-ahead log into the file


def fresh_copy(cached: Path, folder: Path, name: str) -> Path:
    copy = folder / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copy(cached, copy)
    return copy  # the sends hold no URL: each run's receiver is named by the destination settings


def deliver(path: Path, url: str, workers: int, backoff: Backoff | None = None,
            stop: threading.Event | None = None) -> tuple[float, dict[str, Any]]:
    config = webhook_config(url, secret_env="HOOK_SECRET")
    with DraftStore(path) as store, httpx.Client() as client:
        started = time.perf_counter()
        report = deliver_due(store, {config.name: config}, ENV, client, workers=workers, until_empty=True,
                             backoff=backoff, stop=stop, poll=0.05)
        elapsed = time.perf_counter() - started
        counts = {state.value: number for state, number in store.send_counts().items() if number}
    return elapsed, {"delivered": report.delivered, "retried": report.retried, "counts": counts}


def throughput_run(cached: Path, folder: Path, count: int, workers: int) -> float:
    receiver = Receiver(secret=SECRET).start()
    try:
        path = fresh_copy(cached, folder, "run")
        elapsed, report = deliver(path, receiver.url, workers)
    finally:
        receiver.stop()
    assert report["delivered"] == count, report
    assert receiver.arrived.total() == count, "a send was lost"
    assert set(receiver.arrived.values()) == {1}, "a send arrived twice"
    assert receiver.bad_signatures == 0
    return count / elapsed


def memory_run(cached: Path, folder: Path, workers: int) -> float:
    receiver = Receiver(secret=SECRET).start()
    try:
        path = fresh_copy(cached, folder, "memory")
        tracemalloc.start()
        deliver(path, receiver.url, workers)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        receiver.stop()
    return peak / 1e6


def outage_run(cached: Path, folder: Path, count: int, outage: float, workers: int) -> dict[str, float]:
    """The receiver down for `outage` seconds (nothing listens on its port), then back on the same port."""
    probe = Receiver(secret=SECRET)
    port = probe.server.server_address[1]
    url = probe.url
    probe.server.server_close()
    path = fresh_copy(cached, folder, "outage")
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(zip(("elapsed", "report"),
                                                               deliver(path, url, workers, Backoff()), strict=True)))
    started = time.perf_counter()
    worker.start()
    time.sleep(outage)
    receiver = Receiver(secret=SECRET, port=port).start()
    back = time.perf_counter()
    try:
        worker.join(timeout=600)
    finally:
        receiver.stop()
    drained = started + result["elapsed"] - back
    assert result["report"]["delivered"] == count, result
    assert set(receiver.arrived.values()) == {1}
    return {"drain_s": drained, "retried": result["report"]["retried"]}



def git_state() -> dict[str, object]:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    return {"head": git("rev-parse", "--short", "HEAD"),
            "uncommitted": [line.split(maxsplit=1)[-1] for line in git("status", "--porcelain").splitlines()]}


def machine() -> dict[str, object]:
    return {"node": platform.node(), "system": platform.platform(), "processor": platform.processor()
            or platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "httpx": httpx.__version__}


def spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 1), "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="throughput runs, each on a fresh copy (default 5)")
    parser.add_argument("--count", type=int, default=1000, help="sends queued (default 1,000)")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds the receiver is down (default 10)")
    parser.add_argument("--workers", type=int, default=8, help="sends at once (default 8, the worker's default)")
    args = parser.parse_args()
    if args.runs < 1 or args.count < 1:
        parser.error("need --runs >= 1 and --count >= 1")
    folder = Path(tempfile.mkdtemp(prefix="escalate-tui-bench-outbox-"))
    try:
        print(f"queueing {args.count:,} sends ...", file=sys.stderr)
        started = time.perf_counter()
        cached = build_queue(folder, args.count, "http://127.0.0.1:9/hook")
        queued_s = time.perf_counter() - started
        rates = []
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs} ...", file=sys.stderr)
            rates.append(throughput_run(cached, folder, args.count, args.workers))
        print("peak memory ...", file=sys.stderr)
        peak_mb = memory_run(cached, folder, args.workers)
        print(f"a {args.outage:g} s outage ...", file=sys.stderr)
        outage = outage_run(cached, folder, args.count, args.outage, args.workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_state(),
        "machine": machine(),
        "sends": args.count,
        "runs": args.runs,
        "workers": args.workers,
        "queue_s": round(queued_s, 1),
        "sends_per_s": spread(rates),
        "peak_traced_mb": round(peak_mb, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "outage_s": args.outage,
        "drain_after_outage_s": round(outage["drain_s"], 2),
        "retries_during_outage": outage["retried"],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "outbox.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    rate = results["sends_per_s"]
    verdict = "ok" if rate["median"] >= TARGET_PER_S else "MISSED"
    print(f"{args.count:,} sends, {args.runs} runs, {args.workers} at once, git {results['git']['head']}, "
          f"python {results['machine']['python']}, {results['machine']['cpus']} cpus")
    print(f"throughput              >= {TARGET_PER_S:g}/s   median {rate['median']:.0f}/s "
          f"(min {rate['min']:.0f}, max {rate['max']:.0f})  {verdict}")
    print(f"peak memory             traced {results['peak_traced_mb']} MB, process RSS {results['peak_rss_mb']} MB")
    print(f"drain after {args.outage:g} s outage  {results['drain_after_outage_s']} s from the receiver's return "
          f"({results['retries_during_outage']} retries meanwhile)")


if __name__ == "__main__":
    main()
