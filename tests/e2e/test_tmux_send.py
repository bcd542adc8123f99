"""End to end, in a real terminal: the brief sent from the Brief step to a webhook on 127.0.0.1 and to
a Markdown file, after the dry run shows the exact request with the signing secret kept out of it; the
delivery then on the case's timeline and in `outbox`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from support import ROOT, example_path
from test_tmux import EXE, Terminal, pytestmark  # noqa: F401  (the same marks: slow, tmux and the installed app)

sys.path.insert(0, str(ROOT / "tests" / "send"))
from receiver import receiving

SECRET = "whsec-e2e-5d1c"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, check=False, timeout=60, env=env)


def test_send_from_the_brief_step_to_a_webhook_and_a_file(tmp_path: Path) -> None:
    data, out = tmp_path / "store", tmp_path / "sent"
    out.mkdir()
    brief = tmp_path / "acme.toml"
    shutil.copy(example_path("api-500-acme"), brief)
    with receiving(secret=SECRET) as receiver:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[[destinations]]\nname = "eng-hook"\ntype = "webhook"\nurl = "{receiver.url}"\n'
            'secret_env = "E2E_HOOK_SECRET"\ntargets = ["engineering"]\n\n'
            f'[[destinations]]\nname = "archive"\ntype = "file"\nfolder = "{out}"\n', encoding="utf-8")
        term = Terminal(tmp_path)
        try:
            term.launch(str(brief), "--data-dir", str(data), "--config", str(config),
                        extra_env={"E2E_HOOK_SECRET": SECRET})
            term.wait_for("Summary")
            term.keys("F6")
            term.wait_for("Quality")
            time.sleep(1.0)  # the drafts database opens in the background once the first screen is up
            term.keys("M-s")
            screen = term.wait_for("X-Escalate-Signature", timeout=20)
            assert "POST http://127.0.0.1" in screen
            assert SECRET not in screen
            assert not receiver.arrived  # the dry run sends nothing
            term.keys("M-s")
            term.wait_for("Send the brief to eng-hook")
            term.keys("Enter")
            term.wait_for("eng-hook: delivered", timeout=20)
            term.wait_for("archive: delivered", timeout=20)
            term.keys("Escape")
            term.keys("C-q")
        finally:
            term.close()
        assert list(receiver.arrived.values()) == [1]
        assert receiver.bad_signatures == 0
    sent = list(out.glob("*.md"))
    assert len(sent) == 1
    assert sent[0].read_text(encoding="utf-8").startswith("## ESCALATION: API returning 500 errors")
    timeline = run("timeline", "1", "--data-dir", str(data))
    assert "Sent to eng-hook" in timeline.stdout
    assert "Sent to archive" in timeline.stdout
    listing = run("outbox", "--data-dir", str(data), "--config", str(config))
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count("delivered") == 2
