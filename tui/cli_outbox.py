"""`escalate-tui outbox`: the sends written down for delivery, and delivering them.

    escalate-tui outbox [--state STATE …] [--json]       list the sends, newest first
    escalate-tui outbox --flush [--wait-at-most S]       deliver what is due, then wait for retries
    escalate-tui outbox retry ID                         send a failed one again
    escalate-tui outbox resolve ID --arrived|--not-arrived --reason R
                                                         say whether a send that may have landed did

Nothing heavy loads at import time: `tui.cli` imports this module to list its commands on every start.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli_support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    UserError,
    _add_config,
    _add_now,
    _argument_text,
    _now,
    _settings,
    json_text,
    open_store,
)
from tui.domain.text_safety import visible

if TYPE_CHECKING:
    from tui.send.config import DestinationConfig
    from tui.store.drafts import DraftStore
    from tui.store.outbox import OutboxItem

COMMANDS = {"outbox": "sends waiting, failed, uncertain and delivered; --flush delivers them, "
                      "`outbox retry ID`, `outbox resolve ID --arrived|--not-arrived`"}
STATES = ("pending", "sending", "failed", "uncertain", "delivered")
DEFAULT_WAIT = 600.0


def add_parsers(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("outbox", help=COMMANDS["outbox"],
                                                          description=COMMANDS["outbox"])
    parser.add_argument("action", nargs="?", choices=("list", "retry", "resolve"), default="list",
                        help="list (the default), retry a failed send, or resolve an uncertain one")
    parser.add_argument("id", nargs="?", metavar="ID", help="the send's number, as `outbox` lists it")
    parser.add_argument("--state", action="append", choices=STATES, help="list only sends in this state")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--flush", action="store_true",
                        help="deliver every send due, then wait for those in backoff until none is left")
    parser.add_argument("--wait-at-most", type=float, default=DEFAULT_WAIT, metavar="SECONDS",
                        help=f"how long --flush waits for retries (default {DEFAULT_WAIT:g})")
    answer = parser.add_mutually_exclusive_group()
    answer.add_argument("--arrived", action="store_true", help="resolve: the send did arrive")
    answer.add_argument("--not-arrived", action="store_true", help="resolve: it did not; send it again")
    parser.add_argument("--reason", metavar="R", help="resolve: how you know (required)")
    parser.add_argument("--as", dest="who", metavar="NAME", help="who answers (default: the reporter in the config)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the drafts database is (default: $ESCALATE_TUI_DATA_DIR or the per-user folder)")
    _add_now(parser)
    _add_config(parser)


def cmd_outbox(args: argparse.Namespace) -> int:
    now = _now(args.now)
    if args.action != "list" and args.flush:
        raise UserError(f"outbox {args.action}: --flush is its own command; run `escalate-tui outbox --flush`")
    with open_store(args) as store:
        if args.flush:
            return _flush(args, store, now)
        if args.action == "retry":
            return _retry(args, store, now)
        if args.action == "resolve":
            return _resolve(args, store, now)
        return _list(args, store, now)


def _send_id(args: argparse.Namespace) -> int:
    text = _argument_text(args.id, "ID") or ""
    if not (text.isascii() and text.isdecimal() and len(text) <= 18):
        shown = f" {visible(text)!r} is not one" if text else " it is missing"
        raise UserError(f"outbox {args.action}: give the send's number (`escalate-tui outbox` lists them);{shown}")
    return int(text)


def _retry(args: argparse.Namespace, store: DraftStore, now: datetime) -> int:
    from tui.store.outbox import OutboxError

    item_id = _send_id(args)
    try:
        item = store.retry_send(item_id, now)
    except KeyError:
        raise UserError(f"there is no send {item_id} in the outbox") from None
    except OutboxError as error:
        raise UserError(str(error)) from None
    print(f"Send {item.id} to {visible(item.destination)} is pending again; `escalate-tui outbox --flush` sends it")
    return EXIT_OK


def _resolve(args: argparse.Namespace, store: DraftStore, now: datetime) -> int:
    from tui.domain.lifecycle import actor
    from tui.store.outbox import OutboxError

    item_id = _send_id(args)
    if not (args.arrived or args.not_arrived):
        raise UserError("outbox resolve: say whether it arrived, with --arrived or --not-arrived")
    reason = (_argument_text(args.reason, "--reason") or "").strip()
    if not reason:
        raise UserError("outbox resolve: say how you know with --reason \"…\"")
    who = (_argument_text(args.who, "--as name") or "").strip() or actor(_settings(args.config).reporter.name)
    try:
        item = store.resolve_send(item_id, bool(args.arrived), who, reason, now)
    except KeyError:
        raise UserError(f"there is no send {item_id} in the outbox") from None
    except OutboxError as error:
        raise UserError(str(error)) from None
    if args.arrived:
        print(f"Send {item.id} to {visible(item.destination)} recorded as delivered (by {visible(who)})")
    else:
        print(f"Send {item.id} to {visible(item.destination)} is pending again (by {visible(who)}); "
              "`escalate-tui outbox --flush` sends it")
    return EXIT_OK


def _row(item: OutboxItem) -> dict[str, Any]:
    return {
        "id": item.id, "escalation": item.draft_id, "destination": item.destination, "type": item.type,
        "title": item.title, "state": item.state.value, "attempts": item.attempts,
        "next_attempt": item.next_attempt.isoformat() if item.state.value == "pending" else None,
        "remote_id": item.remote_id, "remote_url": item.remote_url, "last_error": item.last_error,
        "version": item.version, "created": item.created.isoformat(),
        "delivered_at": None if item.delivered_at is None else item.delivered_at.isoformat(),
        "answered_by": item.answered_by, "answer": item.answer,
    }


def _list(args: argparse.Namespace, store: DraftStore, now: datetime) -> int:
    from tui.store.outbox import OutboxState

    if args.id is not None:
        raise UserError("outbox: a send's number goes with retry or resolve, e.g. `escalate-tui outbox retry 3`")
    states = tuple(OutboxState(state) for state in args.state or ())
    found = store.sends(states)
    if args.json:
        print(json_text([_row(item) for item in found]))
        return EXIT_OK
    if not found:
        print("The outbox is empty." if not states else "No sends in that state.")
        return EXIT_OK
    for item in found:
        print(_line(item, now))
    return EXIT_OK


def _line(item: OutboxItem, now: datetime) -> str:
    from tui.domain.text_safety import shorten

    head = (f"{item.id:>5}  #{item.draft_id:<5} {visible(shorten(item.destination, 24)):<24} "
            f"{item.state.value:<10} {item.attempts} tries")
    if item.state.value == "pending":
        wait = (item.next_attempt - now).total_seconds()
        head += "  due now" if wait <= 0 else f"  next in {_duration(wait)}"
    if item.remote_url or item.remote_id:
        head += f"  {visible(item.remote_url or item.remote_id)}"
    if item.last_error and item.state.value != "delivered":
        head += f"\n       {visible(item.last_error)}"
    return head


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def destinations_of(config: Path | None) -> dict[str, DestinationConfig]:
    """The destinations in the config by name; a table that cannot be used is a warning on stderr."""
    from tui.send.config import parse_destinations

    found, problems = parse_destinations(_settings(config).destinations)
    for where, message in problems:
        place = ".".join(str(part) for part in where)
        print(f"warning: {visible(place)}: {visible(message)}", file=sys.stderr)
    return {destination.name: destination for destination in found}


def _flush(args: argparse.Namespace, store: DraftStore, start: datetime) -> int:
    import os

    import httpx

    from tui.send.outbox_worker import deliver_due

    if args.id is not None:
        raise UserError("outbox --flush delivers every send due; it takes no number")
    destinations = destinations_of(args.config)
    settings = _settings(args.config)
    started = time.monotonic()
    clock: Callable[[], datetime] = lambda: start + timedelta(seconds=time.monotonic() - started)  # noqa: E731
    stop = threading.Event()
    deadline = threading.Timer(max(args.wait_at_most, 0.0), stop.set)
    deadline.daemon = True
    deadline.start()

    def said(item: OutboxItem) -> None:
        if not args.json:
            detail = item.remote_url or item.remote_id if item.state.value == "delivered" else item.last_error
            print(f"{item.id:>5}  #{item.draft_id:<5} {visible(item.destination)}: {item.state.value}"
                  + (f" — {visible(detail)}" if detail else ""), flush=True)

    try:
        with httpx.Client() as client:
            report = deliver_due(store, destinations, os.environ, client, now=clock, stop=stop, on_change=said,
                                 until_empty=True, rules=settings.rules, redaction=settings.redaction)
    except KeyboardInterrupt:
        counts = {state.value: number for state, number in store.send_counts().items()}
        print(f"Stopped: {counts['pending']} sends wait in the outbox; run `escalate-tui outbox --flush` again",
              file=sys.stderr)
        raise
    finally:
        deadline.cancel()
    counts = {state.value: number for state, number in store.send_counts().items()}
    left = {state: number for state, number in counts.items() if number and state != "delivered"}
    if args.json:
        print(json_text({"delivered": report.delivered, "retried": report.retried, "failed": report.failed,
                         "uncertain": report.uncertain, "left": left}))
    else:
        waiting = ", ".join(f"{number} {state}" for state, number in left.items()) or "nothing"
        print(f"Delivered {report.delivered}; left in the outbox: {waiting}")
    return EXIT_CHECK_FAILED if counts["failed"] or counts["uncertain"] else EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"outbox": cmd_outbox}
