"""A long connection to a chat app (Lark's WebSocket, Slack's Socket Mode), kept up in its own thread.

`LongConnection` runs one session at a time from a `connect` function, and when the session ends or
cannot start it tries again after a capped exponential backoff, until `stop()`. A `ConnectError` with
`fatal=True` (credentials refused, a setting missing) stops trying: retrying would not help. Each
change of state goes to `on_change`, from the connection's thread; nothing is told once `stop()` began,
so a caller joining the thread is never waited on.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from tui.domain.text_safety import shorten, visible

Phase = Literal["connecting", "connected", "reconnecting", "stopped", "failed"]
WHY_LIMIT = 160


@dataclass(frozen=True)
class State:
    """Where a connection is: `why` says what went wrong (no secret); `next_try` when reconnecting."""

    phase: Phase
    why: str = ""
    next_try: datetime | None = None

    def words(self, name: str) -> str:
        """One line for a person: "Slack: reconnecting at 14:05:10 (the connection closed)"."""
        if self.phase == "reconnecting":
            when = f" at {self.next_try:%H:%M:%S}" if self.next_try is not None else ""
            return f"{name}: reconnecting{when}" + (f" ({self.why})" if self.why else "")
        if self.phase == "failed":
            return f"{name}: not connected: {self.why}"
        return f"{name}: {self.phase}"


class ConnectError(Exception):
    """A session could not start; `fatal` when trying again cannot help."""

    def __init__(self, why: str, fatal: bool = False) -> None:
        super().__init__(why)
        self.why, self.fatal = why, fatal


class Session(Protocol):
    def wait(self, stop: threading.Event) -> str:
        """Block until the session ends (returns why, in words) or `stop` is set (returns "")."""

    def close(self) -> None:
        """End the session and free what it holds; called once, from the connection's thread."""


@dataclass(frozen=True)
class Backoff:
    """Seconds before the n-th retry in a row (n ≥ 1): first, doubling, never above cap."""

    first: float = 1.0
    cap: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.first * 2 ** min(max(attempt - 1, 0), 32))


DEFAULT_BACKOFF = Backoff()


def clean_reason(error: BaseException, secrets: Iterable[str] = ()) -> str:
    """An error in words for a person: no secret value, no URL query (WebSocket URLs carry tickets)."""
    text = str(error) or type(error).__name__
    for secret in secrets:
        if secret:
            text = text.replace(secret, "…")
    text = re.sub(r"\?\S*", "?…", text)
    return shorten(visible(" ".join(text.split())), WHY_LIMIT)


class LongConnection:
    """One long connection named `name` ("Lark", "Slack"), started and stopped by its owner."""

    def __init__(self, name: str, connect: Callable[[], Session],
                 on_change: Callable[[str, State], None] = lambda name, state: None,
                 backoff: Backoff = DEFAULT_BACKOFF,
                 clock: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self.name, self._connect, self._on_change = name, connect, on_change
        self.backoff, self.clock = backoff, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = State("stopped")
        self._lock = threading.Lock()

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Connect in a daemon thread of its own; nothing when already running."""
        if self.running:
            return
        self._stop = threading.Event()
        self._set(State("connecting"))
        self._thread = threading.Thread(target=self._run, name=f"escalate-tui {self.name} connection", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Ask the connection to end and wait up to `timeout` s; True when its thread is gone."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        self._thread = None
        with self._lock:
            self._state = State("stopped")
        return True

    def _set(self, state: State) -> None:
        with self._lock:
            self._state = state
        if not self._stop.is_set():
            self._on_change(self.name, state)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                session = self._connect()
            except ConnectError as error:
                if error.fatal:
                    self._set(State("failed", error.why))
                    return
                why = error.why
            except Exception as error:  # whatever the SDK raises: said, and tried again
                why = clean_reason(error)
            else:
                failures = 0
                self._set(State("connected"))
                try:
                    why = session.wait(self._stop)
                except Exception as error:
                    why = clean_reason(error)
                finally:
                    session.close()
                if self._stop.is_set():
                    break
            failures += 1
            delay = self.backoff.delay(failures)
            self._set(State("reconnecting", why, self.clock() + timedelta(seconds=delay)))
            self._stop.wait(delay)
        with self._lock:
            self._state = State("stopped")
