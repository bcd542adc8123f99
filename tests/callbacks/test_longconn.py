"""The long-connection supervisor: states, reconnect with backoff, a clean stop."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from tui.callbacks.longconn import Backoff, ConnectError, LongConnection, State, clean_reason

QUICK = Backoff(first=0.01, cap=0.04)


class Ended:
    """A session that ends by itself after `after` seconds, or when told to stop."""

    def __init__(self, after: float | None = None) -> None:
        self.after, self.closed = after, False

    def wait(self, stop: threading.Event) -> str:
        if stop.wait(self.after):
            return ""
        return "the connection closed"

    def close(self) -> None:
        self.closed = True


class Factory:
    """Fails `failures` times (with `error`), then hands out sessions."""

    def __init__(self, failures: int, error: Exception | None = None, after: float | None = None) -> None:
        self.failures, self.error, self.after = failures, error or OSError("network is unreachable"), after
        self.calls = 0
        self.sessions: list[Ended] = []

    def __call__(self) -> Ended:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        session = Ended(self.after)
        self.sessions.append(session)
        return session


class Seen:
    def __init__(self) -> None:
        self.states: list[State] = []
        self.changed = threading.Condition()

    def __call__(self, name: str, state: State) -> None:
        assert name == "Lark"
        with self.changed:
            self.states.append(state)
            self.changed.notify_all()

    def until(self, test: object, timeout: float = 5.0) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: test(self.states), timeout), self.states  # type: ignore[operator]


def phases(states: list[State]) -> list[str]:
    return [state.phase for state in states]


def test_failing_connects_are_retried_with_growing_delays_then_it_connects() -> None:
    factory, seen = Factory(failures=3), Seen()
    connection = LongConnection("Lark", factory, seen, QUICK)
    connection.start()
    seen.until(lambda states: "connected" in phases(states))
    assert phases(seen.states) == ["connecting", "reconnecting", "reconnecting", "reconnecting", "connected"]
    assert all(state.why == "network is unreachable" and state.next_try is not None
               for state in seen.states[1:4])
    assert connection.state.phase == "connected"
    assert connection.stop()
    assert factory.calls == 4
    assert factory.sessions[0].closed
    assert connection.state.phase == "stopped"


def test_the_backoff_doubles_and_is_capped() -> None:
    backoff = Backoff(first=2, cap=60)
    assert [backoff.delay(n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert Backoff().delay(10_000) == 300


def test_the_next_try_is_announced_at_the_backoff_delay() -> None:
    now = datetime(2025, 5, 1, 9, 0, 0).astimezone()
    seen = Seen()
    connection = LongConnection("Lark", Factory(failures=99), seen, Backoff(first=30, cap=60), clock=lambda: now)
    connection.start()
    seen.until(lambda states: len(states) >= 2)
    assert connection.stop(timeout=2)  # the 30 s wait is cut short by stop
    assert (seen.states[1].next_try - now).total_seconds() == 30  # type: ignore[operator]
    assert seen.states[1].words("Lark") == "Lark: reconnecting at 09:00:30 (network is unreachable)"


def test_a_session_that_drops_is_reconnected() -> None:
    factory, seen = Factory(failures=0, after=0.02), Seen()
    connection = LongConnection("Lark", factory, seen, QUICK)
    connection.start()
    seen.until(lambda states: phases(states).count("connected") >= 3)
    connection.stop()
    assert phases(seen.states)[:4] == ["connecting", "connected", "reconnecting", "connected"]
    assert seen.states[2].why == "the connection closed"
    assert all(session.closed for session in factory.sessions)


def test_a_fatal_error_stops_trying_and_says_why() -> None:
    factory, seen = Factory(failures=5, error=ConnectError("the app secret was refused", fatal=True)), Seen()
    connection = LongConnection("Lark", factory, seen, QUICK)
    connection.start()
    seen.until(lambda states: "failed" in phases(states))
    time.sleep(0.1)
    assert factory.calls == 1
    assert not connection.running
    assert connection.state.words("Lark") == "Lark: not connected: the app secret was refused"


def test_start_and_stop_leave_no_thread_behind() -> None:
    before = set(threading.enumerate())
    connection = LongConnection("Lark", Factory(failures=0), Seen(), QUICK)
    connection.start()
    connection.start()  # a second start while running does nothing
    assert len(set(threading.enumerate()) - before) == 1
    started = time.monotonic()
    assert connection.stop(timeout=2)
    assert time.monotonic() - started < 1
    assert set(threading.enumerate()) - before == set()


def test_nothing_is_told_once_stop_began() -> None:
    seen = Seen()
    connection = LongConnection("Lark", Factory(failures=0), seen, QUICK)
    connection.start()
    seen.until(lambda states: "connected" in phases(states))
    connection.stop()
    assert phases(seen.states) == ["connecting", "connected"]


def test_reasons_carry_no_secret_and_no_url_query() -> None:
    error = OSError("handshake to wss://x.example/ws?ticket=abc&device_id=1 failed for xapp-1-SECRET\x1b[31m")
    why = clean_reason(error, ["xapp-1-SECRET"])
    assert "ticket" not in why
    assert "SECRET" not in why
    assert "\x1b" not in why
    assert why.startswith("handshake to wss://x.example/ws?…")
