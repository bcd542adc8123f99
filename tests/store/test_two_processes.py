"""Two processes on one database, as two app instances on one data folder: neither loses the other's
events, and neither sees "database is locked"; a process killed with SIGKILL mid-write loses nothing it
had acknowledged, and leaves a database that passes SQLite's integrity check."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.domain.lifecycle import EventKind
from tui.domain.models import Customer, Escalation, Severity, Target
from tui.store.drafts import DraftStore

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
EVENTS_EACH = 200

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork-free timing are POSIX only")

WRITER = """
import json, sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Customer, Escalation
from tui.store.drafts import DraftStore

path, escalation, name, count = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
start = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
store = DraftStore(path, zone=UTC)
own = store.create(Escalation(summary=f"{name} draft", customer=Customer(name=name)), start)
revision = store.load_stored(own).revision
print("ready", flush=True)
sys.stdin.readline()  # both start writing at once
acknowledged = []
began = time.time()
for n in range(count):
    at = start + timedelta(seconds=n + 1)
    stored = store.log(escalation, Event(kind=EventKind.UPDATE_LOGGED, at=at, who=name, text=f"{name} {n}"))
    acknowledged.append(stored.id)
    if n % 10 == 0:
        revision = store.save(own, Escalation(summary=f"{name} draft {n}", customer=Customer(name=name)), at,
                              based_on=revision)
ended = time.time()
store.close()
print(json.dumps({"ids": acknowledged, "own": own, "revision": revision, "began": began, "ended": ended}),
      flush=True)
"""

APPENDER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tui.domain.lifecycle import Event, EventKind
from tui.store.drafts import DraftStore

store = DraftStore(Path(sys.argv[1]), zone=UTC)
escalation = int(sys.argv[2])
start = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
n = 0
while True:
    n += 1
    stored = store.log(escalation, Event(kind=EventKind.CUSTOMER_UPDATED, at=start + timedelta(seconds=n), who="K",
                                         text="still investigating " * 20 + str(n)))
    print(stored.id, flush=True)  # acknowledged to the user only once the commit returned
"""


def escalation(path: Path) -> int:
    with DraftStore(path, zone=UTC) as store:
        draft_id = store.create(Escalation(summary="Exports stall", customer=Customer(name="Acme")), T0)
        store.escalate(draft_id, "# Exports stall\n", Severity.HIGH, Target.ENGINEERING, "Dana", T0)
    return draft_id


def python(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *map(str, args)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("each", [pytest.param(EVENTS_EACH, marks=pytest.mark.slow), 20])
def test_two_processes_appending_and_saving_at_once_lose_nothing(tmp_path: Path, each: int) -> None:
    path = tmp_path / "drafts.sqlite3"
    draft_id = escalation(path)
    writers = [python(WRITER, path, draft_id, name, each) for name in ("alpha", "beta")]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdin is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read() if writer.stderr else ""
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = []
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stderr is not None
        writer.stdin.close()
        out, err = writer.stdout.read(), writer.stderr.read()  # read(), not communicate(): the pipe is buffered
        assert writer.wait(timeout=120) == 0, err
        assert "locked" not in err
        assert err == ""
        results.append(json.loads(out))

    with DraftStore(path) as store:
        timeline = store.timeline(draft_id)
        logged = [stored for stored in timeline if stored.event.kind is EventKind.UPDATE_LOGGED]
        assert len(logged) == 2 * each
        ids = [stored.id for stored in timeline]
        assert ids == sorted(ids)
        assert len(set(ids)) == len(ids)
        for name, result in zip(("alpha", "beta"), results, strict=True):
            mine = [stored for stored in logged if stored.event.who == name]
            assert [stored.id for stored in mine] == result["ids"]  # every acknowledged id, in order
            assert result["ids"] == sorted(result["ids"])
            assert [stored.event.text for stored in mine] == [f"{name} {n}" for n in range(each)]
            own = store.load_stored(result["own"])
            assert own.revision == result["revision"]
            assert own.escalation.summary == f"{name} draft {(each - 1) // 10 * 10}"
    # Both were writing at once: each started before the other had finished.
    assert max(result["began"] for result in results) < min(result["ended"] for result in results)


@pytest.mark.slow
def test_kill_9_during_appends_loses_no_acknowledged_event(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    draft_id = escalation(path)
    child = python(APPENDER, path, draft_id)
    assert child.stdout is not None
    first = child.stdout.readline()  # the first append is done: the child is writing now
    assert first.strip().isdigit(), child.stderr.read() if child.stderr else ""
    time.sleep(0.5)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()  # what the child printed before it died, from the pipe's buffer too
    assert child.wait(timeout=30) == -signal.SIGKILL
    acknowledged = [int(line) for line in (first + rest).split()]
    assert len(acknowledged) > 10

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    with DraftStore(path) as store:
        assert store.moved_aside is None
        stored = {event.id for event in store.timeline(draft_id) if event.event.kind is EventKind.CUSTOMER_UPDATED}
        assert set(acknowledged) <= stored
        assert len(stored) - len(acknowledged) <= 1  # at most the one committed but not yet printed
        record = store.record(draft_id)
        assert record.customer_due is not None
