"""A real full disk (a small tmpfs, in a mount namespace of its own): autosave says NOT SAVED, keeps
the edits, and saves them once space is free again. tests/app/test_autosave.py covers the same with a
full disk as SQLite reports it, on machines where no namespace may be made."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import asyncio, errno, json, subprocess, sys
from pathlib import Path

data, work = Path(sys.argv[1]), Path(sys.argv[2])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(data)], check=True)

from tui.app import make_app
from tui.domain.intake import parse_summary
from tui.store.drafts import DraftStore

app = make_app(parse_summary("Exports fail for Acme").escalation, data_dir=data, autosave=True,
               build_steps_ahead=False)
seen = {}


def status() -> str:
    return str(app.case_screen.query_one("#status").render())


async def main() -> None:
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        while app.autosaver.draft_id is None:
            await pilot.pause(0.05)
        filler = data / "filler"
        with filler.open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\\0" * 4096)
            except OSError as error:
                seen["filled"] = error.errno == errno.ENOSPC
        await app.focus_field("problem.description")
        app.edit("problem.description", "Every nightly export drops rows since 3.2. " * 2000)
        app.autosaver.save_now()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        seen["failed"] = app.autosaver.failed or ""
        seen["status_not_saved"] = "NOT SAVED" in status()
        filler.unlink()
        for _ in range(100):  # saving is tried again every few seconds
            await pilot.pause(0.1)
            if not app.autosaver.has_unsaved_edits:
                break
        seen["recovered"] = not app.autosaver.has_unsaved_edits
        seen["status_after"] = "NOT SAVED" not in status()
        app.exit()
    with DraftStore(data / "drafts.sqlite3") as store:
        seen["stored"] = store.load(app.autosaver.draft_id).problem.description.count("drops rows")


asyncio.run(main())
print(json.dumps(seen))
"""


def namespace_command() -> list[str] | None:
    """How to run a command in a mount namespace of its own, if this machine lets us."""
    if shutil.which("unshare") is None:
        return None
    for command in (["unshare", "--mount"], ["unshare", "--user", "--map-root-user", "--mount"]):
        trial = subprocess.run([*command, "true"], capture_output=True, check=False)
        if trial.returncode == 0:
            return command
    return None


@pytest.mark.slow
@pytest.mark.skipif(namespace_command() is None, reason="no mount namespace may be made here")
def test_a_full_disk_is_reported_lastingly_and_the_edits_saved_once_space_is_free(tmp_path: Path) -> None:
    command = namespace_command()
    assert command is not None
    data = tmp_path / "data"
    data.mkdir()
    run = subprocess.run([*command, sys.executable, "-c", textwrap.dedent(PROBE), str(data), str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["filled"]
    assert "disk is full" in seen["failed"]
    assert seen["status_not_saved"]
    assert seen["recovered"]
    assert seen["status_after"]
    assert seen["stored"] == 2000
