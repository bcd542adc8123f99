"""End to end: the installed `escalate-tui` in a real terminal (tmux), typed at like a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "escalate-tui"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed; .ci/run installs it"),
    pytest.mark.skipif(not EXE.exists(), reason=f"{EXE} is not installed in this environment"),
]


class Terminal:
    """One tmux server of our own (private socket), 120×40, running escalate-tui."""

    def __init__(self, home: Path) -> None:
        self.socket = f"escalate-e2e-{uuid.uuid4().hex[:8]}"
        self.home = home
        self.session = "app"

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def launch(self, *args: str, extra_env: dict[str, str] | None = None) -> None:
        env = {**(extra_env or {}),
            "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"), "TERM": "xterm-256color", "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        }
        command = " ".join(f"'{part}'" for part in (str(EXE), *args))
        exports = " ".join(f"{k}='{v}'" for k, v in env.items())
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", "120", "-y", "40",
                  "-c", str(self.home), f"env -i {exports} {command}")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 15, beside: str = "") -> str:
        """The screen once `text` shows (on the same line as `beside`, when given: the terminal itself
        echoes keys typed before the app has taken it, so the app's own frame must be asked for)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if any(text in line and beside in line for line in shown.splitlines()):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def paste(self, text: str) -> None:
        """As a terminal pastes: bracketed when the app has asked for it, plain keys before that."""
        self.tmux("set-buffer", "-b", "e2e", text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "e2e", "-t", self.session)

    def app_pid(self) -> int:
        return int(self.tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.close()


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3])
def test_keys_and_a_paste_typed_as_the_app_starts_all_land_in_the_summary(terminal: Terminal, delay: float) -> None:
    terminal.launch()
    time.sleep(delay)
    terminal.type("Webhooks tiem")
    terminal.keys("BSpace", "BSpace")
    terminal.type("me out")
    terminal.paste(" for Umbrella Corp")
    terminal.type(" since Tuesday")
    terminal.wait_for("Webhooks time out for Umbrella Corp", beside="Summary (one line)")
    terminal.keys("C-s")  # the brief file holds exactly what was typed
    terminal.wait_for("Saved")
    (saved,) = terminal.home.glob("brief-*.toml")
    assert 'summary = "Webhooks time out for Umbrella Corp since Tuesday"' in saved.read_text(encoding="utf-8")
    terminal.keys("C-q")


def test_type_a_case_and_export_it(terminal: Terminal) -> None:
    terminal.launch("Data export is missing rows — 3 customers reported this week")
    terminal.wait_for("ESCALATE")
    terminal.wait_for("Pattern:")
    terminal.keys("Tab", "Tab", "Tab", "Tab", "Tab")  # summary → kind → bug confirmed → description → why → customer
    terminal.type("Globex")
    terminal.keys("F6")
    terminal.wait_for("Quality")
    terminal.keys("C-o")
    terminal.wait_for("Export the brief as Markdown to:")
    terminal.keys("Enter")
    terminal.wait_for("Exported to")
    exported = list(terminal.home.glob("escalation-*.md"))
    assert len(exported) == 1, exported
    text = exported[0].read_text(encoding="utf-8")
    assert text.startswith("## ESCALATION: Data export is missing rows — 3 customers reported this week\n")
    assert "**Severity:** Critical" in text
    assert "Globex" in text
    terminal.keys("C-q")


def test_kill_dash_nine_then_relaunch_offers_the_draft(terminal: Terminal) -> None:
    terminal.launch()
    terminal.wait_for("HANDLE IN SUPPORT")
    terminal.type("Invoices PDF download fails for Initech")
    terminal.wait_for("Initech")
    time.sleep(1.2)  # autosave promises to be at most a second behind typing
    os.kill(terminal.app_pid(), 9)
    terminal.close()

    terminal.socket += "-again"
    terminal.launch()
    terminal.wait_for("Pick up where you left off?")
    terminal.wait_for("Invoices PDF download fails for Initech")
    terminal.keys("Enter")
    terminal.wait_for("Draft resumed.")
    screen = terminal.screen()
    assert "Invoices PDF download fails for Initech" in screen
    terminal.keys("C-q")


def test_edit_the_brief_in_editor_then_export(terminal: Terminal) -> None:
    editor = terminal.home / "fake-editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nSigned off by the on-call lead.\\n" >> "$1"\n', encoding="utf-8")
    editor.chmod(0o755)
    example = Path(__file__).resolve().parents[2] / "examples" / "churn-audit-log.toml"
    terminal.launch(str(example), extra_env={"EDITOR": str(editor)})
    terminal.wait_for("ESCALATE")
    terminal.keys("F6")
    terminal.wait_for("Quality")
    terminal.keys("C-g")  # the app steps aside for the editor and comes back with its text
    terminal.wait_for("Brief text updated from your editor.")
    terminal.keys("C-o")
    terminal.wait_for("Export the brief as Markdown to:")
    terminal.keys("Enter")
    terminal.wait_for("Exported to")
    (exported,) = terminal.home.glob("escalation-*.md")
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("## ESCALATION: Customer threatening to churn over missing audit log feature\n")
    assert text.rstrip().endswith("Signed off by the on-call lead.")
    terminal.keys("C-q")


def stored_summaries(home: Path) -> list[str]:
    from tui.store.drafts import DraftStore

    database = home / "data" / "escalate-tui" / "drafts.sqlite3"
    if not database.exists():
        return []
    with DraftStore(database) as store:
        return [row.summary for row in store.recent()]


@pytest.mark.parametrize("trial", range(3))
def test_kill_dash_nine_during_steady_typing_loses_at_most_the_last_second(terminal: Terminal, trial: int) -> None:
    """Keys every 0.1 s for 4 s, never the pause a quiet-period autosave waits for, then kill -9 at once."""
    words = "nightly export drops rows for globex after the upgrade "
    terminal.launch()
    terminal.wait_for("HANDLE IN SUPPORT")
    typed = ""
    started = time.monotonic()
    while time.monotonic() - started < 4:
        char = words[len(typed) % len(words)]
        terminal.type(char)
        typed += char
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    os.kill(terminal.app_pid(), 9)
    (saved,) = stored_summaries(terminal.home) or [""]
    rate = len(typed) / elapsed
    lost = len(typed) - len(saved)
    print(f"\nkill -9 trial {trial}: typed {len(typed)} characters in {elapsed:.1f} s, lost {lost}")
    assert typed.startswith(saved)
    assert lost <= 1.2 * rate, f"saved {saved!r} of {typed!r}"


def test_two_instances_on_one_brief_keep_each_others_edits(tmp_path: Path) -> None:
    """Two terminals open the same brief file; each edits a different field; neither edit is lost."""
    brief = tmp_path / "acme.toml"
    brief.write_text((Path(__file__).resolve().parents[2] / "examples" / "api-500-acme.toml").read_text())
    first, second = Terminal(tmp_path), Terminal(tmp_path)
    try:
        first.launch(str(brief))
        first.wait_for("ESCALATE")
        time.sleep(1.5)  # its draft of the file exists
        second.launch(str(brief))
        second.wait_for("ESCALATE")
        time.sleep(1.5)  # it carries on in that same draft
        first.keys("End")
        first.type(" (seen by the first)")
        time.sleep(1.5)
        second.keys("Tab", "Tab", "Tab")  # summary → kind → bug confirmed → description
        for char in "Second terminal: the retry storm started at 09:40. ":  # typing on through the merge
            second.type(char)
            time.sleep(0.04)
        second.wait_for("changes to Summary (one line) were merged", timeout=10)
        first.keys("C-q")
        first.wait_for("not saved to it")
        first.keys("q")
        second.keys("C-q")
        second.wait_for("not saved to it")
        second.keys("q")
        time.sleep(0.5)
        summaries = stored_summaries(tmp_path)
        assert len(summaries) == 1, summaries
        from tui.store.drafts import DraftStore

        with DraftStore(tmp_path / "data" / "escalate-tui" / "drafts.sqlite3") as store:
            (row,) = store.recent()
            stored = store.load(row.id)
        assert stored.summary.endswith("(seen by the first)")
        assert stored.problem.description.startswith("Second terminal: the retry storm started at 09:40.")
    finally:
        first.close()
        second.close()
