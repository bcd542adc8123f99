"""One private tmux server holding one pane, driven through a single control-mode client (`tmux -C`).

Used by bench/startup.py. Every capture-pane and send-keys goes through the one client's pipes: no
`tmux` process is forked per poll (that cost ~5 ms of CPU a poll and stole a core from the app timed).

- the pane starts behind a gate (`sh -c 'read _; exec APP'`): the session exists, the control client is
  attached, and only then does `release()` start the clock and let the app start, so tmux's own start-up
  is never counted;
- the client keeps tmux's %output notifications on and uses them as the change signal: the screen is
  captured again only after the pane wrote something (at most one capture every `min_gap` s, plus a
  slow fallback capture), so polling costs nothing while the app is quiet; notifications are read as they
  come and dropped, so the pipe never fills;
- `wait()` returns the perf_counter at the end of the first capture on which `ready(screen)` holds, or
  says why it never did (timeout, pane exited, server gone) with the last screen; it never raises for that.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GATE = 'read _gate; exec "$@"'  # run as: sh -c GATE sh APP ARGS...; released by one Enter
SESSION = "bench"
_CSI = re.compile(r"\x1b\[([0-9;:?]*)([@-~])")
_OTHER_ESCAPE = re.compile(r"\x1b[\]P_^][^\x1b\x07]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


class TmuxError(RuntimeError):
    """A tmux command that failed, or a control client that stopped answering."""


@dataclass
class Screen:
    """One capture of the pane: plain lines and, when captured with styles, the marked runs of each line."""

    lines: list[str]
    marked: list[list[str]] | None = None  # per line: text of each run drawn with the marking attribute

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def shown(self, last: int = 30) -> str:
        """The screen for a message: its non-blank lines only."""
        kept = [line.rstrip() for line in self.lines if line.strip()]
        return "\n".join(kept[-last:]) or "(blank)"


@dataclass
class Waited:
    """What a wait came to: `at` (perf_counter) when ready, else `failure` says why; the last screen."""

    at: float | None
    screen: Screen
    failure: str = ""  # "", "timeout", "exited", "server gone"
    captures: int = 0


def parse_styled(line: str, attr: int | None) -> tuple[str, list[str]]:
    """A line captured with `capture-pane -e`: its plain text and the runs drawn with SGR attribute `attr`.

    Only SGR sequences change the state; colour parameters (38/48/58;5;N and ;2;R;G;B) are skipped so a
    colour index 7 is not read as reverse video. An attribute is off after 0, an empty SGR or 20+attr.
    """
    plain: list[str] = []
    runs: list[str] = []
    current: list[str] = []
    on = False
    position = 0
    for match in _CSI.finditer(line):
        text = _OTHER_ESCAPE.sub("", line[position:match.start()])
        plain.append(text)
        if on:
            current.append(text)
        position = match.end()
        if match.group(2) != "m" or attr is None:
            continue
        params = match.group(1).split(";") if match.group(1) else ["0"]
        index = 0
        now_on = on
        while index < len(params):
            param = params[index]
            if ":" in param:  # 38:5:N style: one parameter
                index += 1
                continue
            number = int(param) if param.isdigit() else 0
            if number in (38, 48, 58):
                mode = params[index + 1] if index + 1 < len(params) else ""
                index += 3 if mode == "5" else 5 if mode == "2" else 1
                continue
            if number == 0:
                now_on = False
            elif number == attr:
                now_on = True
            elif number == 20 + attr or (attr in (1, 2) and number == 22):
                now_on = False
            index += 1
        if on and not now_on:
            runs.append("".join(current))
            current = []
        on = now_on
    text = _OTHER_ESCAPE.sub("", line[position:])
    plain.append(text)
    if on:
        current.append(text)
        runs.append("".join(current))
    return "".join(plain), [run for run in runs if run.strip()]


def quote(text: str) -> str:
    """A tmux command argument: single-quoted (tmux reads no escapes inside single quotes)."""
    if "'" in text or "\n" in text or "\r" in text:
        raise ValueError(f"cannot pass {text!r} to tmux: no quotes or newlines, please")
    return f"'{text}'"


@dataclass
class Pane:
    """A private tmux server (its own socket and config) with one pane, and one control client on it."""

    socket: str
    conf: Path
    columns: int = 120
    rows: int = 40
    min_gap: float = 0.002  # seconds between the starts of two captures
    fallback: float = 0.05  # capture at least this often even without %output
    capture_ms: list[float] = field(default_factory=list)  # round trip of every capture-pane -p, ms
    styled_capture_ms: list[float] = field(default_factory=list)  # the same for capture-pane -p -e
    _client: subprocess.Popen[bytes] | None = None
    _buffer: bytes = b""
    _block: list[bytes] | None = None
    _block_end: tuple[bytes, bytes] = (b"", b"")
    _replies: list[tuple[bool, list[bytes]]] = field(default_factory=list)
    dirty: bool = True  # the pane wrote something since the last capture began
    exited: bool = False  # the control client saw %exit or end of file
    _attached: bool = False
    pid: int = 0  # the pane's process (the app, once the gate is released)
    _last_capture: float = 0.0
    _last_dead_check: float = 0.0

    # --- life cycle -------------------------------------------------------------------

    def tmux(self, *args: str) -> list[str]:
        return ["tmux", "-L", self.socket, "-f", str(self.conf), *args]

    def open(self, command: Sequence[str], env: dict[str, str]) -> None:
        """Create the session (detached, the app held behind the gate) and attach the control client."""
        result = subprocess.run(
            self.tmux("new-session", "-d", "-s", SESSION, "-x", str(self.columns), "-y", str(self.rows),
                      "--", "sh", "-c", GATE, "sh", *command),
            capture_output=True, text=True, check=False, env=env,
        )
        if result.returncode != 0:
            raise TmuxError(f"tmux new-session failed: {result.stderr.strip()}")
        self._client = subprocess.Popen(
            self.tmux("-C", "attach-session", "-t", SESSION),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
        )
        os.set_blocking(self._out_fd(), False)
        # The attach command's own reply blocks may come after a command sent meanwhile: wait until the
        # client is attached (%session-changed), then drop every reply up to a token of ours.
        deadline = time.perf_counter() + 10.0
        while not self._attached:
            if self.exited or time.perf_counter() > deadline:
                raise TmuxError("the tmux control client did not attach within 10 s")
            self._pump(deadline - time.perf_counter())
        token = f"bench-sync-{os.getpid()}-{time.monotonic_ns()}"
        self._send(f"display-message -p {token}")
        while True:  # the attach command's own reply block comes first: skip to ours
            _, lines = self._reply(deadline)
            if any(token.encode() in line for line in lines):
                break
        # The gate execs the app: this pid is the app's, once released.
        self.pid = int(self.command(f"display-message -p -t {SESSION} '#{{pane_pid}}'")[0])

    def release(self) -> float:
        """Let the gated app start; the perf_counter just before, which is where launch figures start."""
        started = time.perf_counter()
        self.command(f"send-keys -t {SESSION} Enter")
        return started

    def close(self) -> None:
        client = self._client
        self._client = None
        if client is not None:
            with contextlib.suppress(OSError):
                client.stdin.write(b"kill-server\n")  # type: ignore[union-attr]
            try:
                client.wait(timeout=3)
            except subprocess.TimeoutExpired:
                client.kill()
                client.wait()
            for stream in (client.stdin, client.stdout):
                if stream is not None:
                    stream.close()
        subprocess.run(self.tmux("kill-server"), capture_output=True, check=False)
        if self.pid:  # the app got SIGHUP from kill-server; one still busy must not run on beside the next
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self.pid = 0
        # kill-server leaves the socket file behind; it is ours alone (the name has our pid).
        tmpdir = Path(os.environ.get("TMUX_TMPDIR") or "/tmp")
        (tmpdir / f"tmux-{os.getuid()}" / self.socket).unlink(missing_ok=True)

    # --- the control client -------------------------------------------------------------

    def _out_fd(self) -> int:
        assert self._client is not None
        assert self._client.stdout is not None
        return self._client.stdout.fileno()

    def _send(self, command: str) -> None:
        assert self._client is not None
        assert self._client.stdin is not None
        try:
            self._client.stdin.write(command.encode() + b"\n")
        except OSError as error:
            self.exited = True
            raise TmuxError(f"the tmux control client is gone ({error})") from None

    def _pump(self, timeout: float) -> bool:
        """Read what the client has written (waiting up to `timeout` s for something); False if nothing."""
        if self.exited:
            return False
        fd = self._out_fd()
        readable, _, _ = select.select([fd], [], [], max(0.0, timeout))
        if not readable:
            return False
        try:
            data = os.read(fd, 1 << 18)
        except BlockingIOError:
            return False
        if not data:
            self.exited = True
            return False
        self._buffer += data
        lines = self._buffer.split(b"\n")
        self._buffer = lines.pop()
        for line in lines:
            self._line(line)
        return True

    def _line(self, line: bytes) -> None:
        if self._block is not None:
            if line == self._block_end[0] or line == self._block_end[1]:
                self._replies.append((line == self._block_end[0], self._block))
                self._block = None
            else:
                self._block.append(line)
        elif line.startswith(b"%output "):
            self.dirty = True
        elif line.startswith(b"%begin "):
            rest = line[len(b"%begin "):]
            self._block = []
            self._block_end = (b"%end " + rest, b"%error " + rest)
        elif line.startswith(b"%session-changed"):
            self._attached = True
        elif line.startswith(b"%exit"):
            self.exited = True
        # every other notification (%session-changed, %window-renamed, ...) is dropped

    def _reply(self, deadline: float) -> tuple[bool, list[bytes]]:
        while not self._replies:
            if self.exited:
                raise TmuxError("the tmux server is gone")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TmuxError("the tmux control client did not answer within 10 s")
            self._pump(remaining)
        return self._replies.pop(0)

    def command(self, command: str) -> list[str]:
        """Run one tmux command through the control client; its output lines. TmuxError on %error."""
        self._send(command)
        ok, lines = self._reply(time.perf_counter() + 10.0)
        text = [line.decode("utf-8", "replace") for line in lines]
        if not ok:
            raise TmuxError(f"tmux {command.split()[0]}: {' '.join(text).strip()}")
        return text

    # --- the pane -----------------------------------------------------------------------

    def capture(self, styles: bool = False, attr: int | None = None) -> Screen:
        """The screen now; with `styles`, also the runs drawn with SGR attribute `attr` on each line."""
        self.dirty = False
        began = time.perf_counter()
        self._last_capture = began
        lines = self.command(f"capture-pane -p {'-e ' if styles else ''}-t {SESSION}")
        (self.styled_capture_ms if styles else self.capture_ms).append((time.perf_counter() - began) * 1000)
        if not styles:
            return Screen(lines)
        parsed = [parse_styled(line, attr) for line in lines]
        return Screen([plain for plain, _ in parsed], [runs for _, runs in parsed])

    def dead(self) -> bool:
        try:
            return self.command(f"display-message -p -t {SESSION} '#{{pane_dead}}'")[:1] == ["1"]
        except TmuxError:
            return True

    def keys(self, *names: str) -> None:
        """Special keys by tmux name: F3, Enter, C-p ..."""
        self.command(f"send-keys -t {SESSION} {' '.join(names)}")

    def type(self, text: str) -> None:
        """Printable text, as keys (send-keys -l): one burst, as fast as the terminal takes it."""
        self.command(f"send-keys -t {SESSION} -l -- {quote(text)}")

    def paste(self, text: str) -> None:
        """A paste: bracketed (paste-buffer -p) if the app has turned bracketed paste on, else plain keys."""
        self.command(f"set-buffer -b benchpaste -- {quote(text)}")
        self.command(f"paste-buffer -p -d -b benchpaste -t {SESSION}")

    def wait(
        self,
        ready: Callable[[Screen], bool],
        timeout: float,
        *,
        actions: Sequence[tuple[float, Callable[[], None]]] = (),
        styles: bool = False,
        attr: int | None = None,
    ) -> Waited:
        """Capture whenever the pane has written something until `ready(screen)`; never raises for a timeout.

        `actions` are (perf_counter, callable) pairs run as soon as their time comes (typing at 100 ms
        after launch, say), between captures; a wait does not end before every action has run.
        """
        pending = sorted(actions, key=lambda pair: pair[0])
        deadline = time.perf_counter() + timeout
        screen = Screen([])
        captures = 0
        while True:
            now = time.perf_counter()
            while pending and pending[0][0] <= now:
                pending.pop(0)[1]()
                now = time.perf_counter()
            due = self._last_capture + (self.min_gap if self.dirty else self.fallback)
            if now >= due or now >= deadline:
                try:
                    screen = self.capture(styles, attr)
                except TmuxError:
                    return Waited(None, screen, "server gone", captures)
                captures += 1
                ended = time.perf_counter()
                if not pending and ready(screen):
                    return Waited(ended, screen, "", captures)
                if ended - self._last_dead_check > 0.5:
                    self._last_dead_check = ended
                    if self.dead():
                        return Waited(None, self.capture(), "exited", captures)
                if ended > deadline:
                    return Waited(None, screen, "timeout", captures)
                continue
            until = min([due, deadline] + ([pending[0][0]] if pending else []))
            self._pump(until - now)
            if self.exited:
                return Waited(None, screen, "server gone", captures)
