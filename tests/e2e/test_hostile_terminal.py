"""End to end: the installed app in a real terminal (tmux) on a brief with escapes and markup in every
text field. Every byte the app sends to the terminal is recorded (`tmux pipe-pane -O`) while each
step is shown; none of the payloads' sequences may be among them — no window title, clipboard write,
hyperlink, device control string, screen wipe or C1 control the app itself does not send on a clean
brief — and the pane's title stays as it was.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_tmux
from hostile.generators import BASE_EXAMPLE, EXAMPLES, hostile_brief_data, toml_text
from test_tmux import EXE, Terminal

pytestmark = test_tmux.pytestmark  # slow; skipped when tmux or the installed app is missing

STEPS = (("F3", "Supporting context"), ("F4", "Severity and target"), ("F5", "Reproduction"),
         ("F6", "Quality"), ("F2", "Summary (one line)"))
_OSC = re.compile(r"\x1b\](\d*)[;\x07\x1b]")
_CSI = re.compile(r"\x1b\[([0-9;:<=>?]*)([ -/]*)([@-~])")
_STRINGS = re.compile(r"\x1b[P_^X]")  # DCS, APC, PM, SOS
_C1 = re.compile(r"[\x80-\x9f]")


class RecordedTerminal(Terminal):
    """A Terminal whose app starts only once every byte it writes is being recorded."""

    def launch_recorded(self, raw: Path, *args: str) -> None:
        go = self.home / "go"
        env = {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
               "XDG_DATA_HOME": str(self.home / "data"), "TERM": "xterm-256color",
               "PATH": os.environ["PATH"], "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        app = " ".join(shlex.quote(part) for part in (str(EXE), *args))
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        command = f"until [ -e {shlex.quote(str(go))} ]; do sleep 0.02; done; exec env -i {exports} {app}"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", "120", "-y", "40",
                  "-c", str(self.home), f"sh -c {shlex.quote(command)}")
        self.tmux("pipe-pane", "-O", "-t", self.session, f"cat >> {shlex.quote(str(raw))}")
        go.touch()

    def title(self) -> str:
        return self.tmux("display-message", "-p", "-t", self.session, "#{pane_title}").strip()

    def wait_gone(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.tmux("has-session", "-t", self.session)
            except subprocess.CalledProcessError:  # tmux says so once the session (and the app) is gone
                return
            time.sleep(0.05)
        raise AssertionError(f"the app did not quit; the screen was:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[RecordedTerminal]:
    term = RecordedTerminal(tmp_path)
    yield term
    term.close()


class Seen:
    """What the app sent to the terminal: the kinds of control sequence in it, and the window titles."""

    def __init__(self, raw: bytes, title: str) -> None:
        self.text = raw.decode("utf-8", "replace")
        self.osc = {match[1] for match in _OSC.finditer(self.text)}
        self.csi = {(match[1].lstrip("0123456789;:")[:1] + match[3]) for match in _CSI.finditer(self.text)}
        self.strings = {match.group() for match in _STRINGS.finditer(self.text)}
        self.c1 = {f"U+{ord(char):04X}" for char in _C1.findall(self.text)}
        self.resets = self.text.count("\x1bc")
        self.title = title


def tour(terminal: RecordedTerminal, brief: Path, raw: Path) -> Seen:
    terminal.launch_recorded(raw, str(brief))
    terminal.wait_for("ESCALATE")
    for key, marker in STEPS:
        terminal.keys(key)
        terminal.wait_for(marker)
    time.sleep(0.5)  # the brief's preview and the panels are drawn a moment after a step shows
    title = terminal.title()
    terminal.keys("C-q")
    terminal.wait_gone()
    return Seen(raw.read_bytes(), title)


def test_no_payload_reaches_the_terminal(terminal: RecordedTerminal, tmp_path: Path) -> None:
    clean_brief = EXAMPLES / f"{BASE_EXAMPLE}.toml"
    clean = tour(terminal, clean_brief, tmp_path / "clean.raw")
    terminal.close()
    terminal.socket += "-hostile"
    hostile_brief = tmp_path / "hostile.toml"
    hostile_brief.write_text(toml_text(hostile_brief_data()), encoding="utf-8")
    hostile = tour(terminal, hostile_brief, tmp_path / "hostile.raw")
    assert "CLICKME" in hostile.text  # the recording holds what the app drew of the hostile brief

    assert "pwned" not in hostile.title
    assert hostile.title == clean.title
    assert hostile.osc <= clean.osc, f"OSC sequences the app does not send itself: {hostile.osc - clean.osc}"
    for osc in ("0", "1", "2", "52", "8"):  # window title, icon, clipboard, hyperlink
        assert osc not in hostile.osc or osc in clean.osc, f"OSC {osc} reached the terminal"
    assert "\x1b]52;" not in hostile.text
    assert "pwned\x07" not in hostile.text
    assert hostile.csi <= clean.csi, f"CSI sequences the app does not send itself: {hostile.csi - clean.csi}"
    assert hostile.strings <= clean.strings, f"DCS/APC/PM/SOS strings: {hostile.strings - clean.strings}"
    assert not hostile.c1 - clean.c1, f"C1 controls: {hostile.c1 - clean.c1}"
    assert hostile.resets == clean.resets, "ESC c (terminal reset) reached the terminal"
    for payload in ("\x1b[2J\x1b[3J", "\x1b]8;;https://evil.example", "\u202e", "\u2066"):
        assert payload not in hostile.text, f"{payload!r} reached the terminal"
