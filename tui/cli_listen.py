"""`escalate-tui listen`: receive the answers clicked on Lark and Slack cards over HTTP.

    escalate-tui listen --port N [--host 127.0.0.1] [--data-dir DIR] [--config PATH]
    escalate-tui listen --connect [--port N] ...

For teams that host a callback URL (behind a reverse proxy or a tunnel that ends in TLS). Binds to
127.0.0.1 unless --host says otherwise; the secrets come from the environment variables the config's
[callbacks] section names. With --connect, the long connections `[callbacks] connect` names (Lark's
WebSocket, Slack's Socket Mode: no public URL needed) run too, or alone without --port. Runs until
Ctrl-C. Nothing heavy loads at import time.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli_support import EXIT_OK, UserError, _add_config, _settings, open_store
from tui.domain.text_safety import visible

if TYPE_CHECKING:
    from tui.callbacks.longconn import LongConnection, State
    from tui.callbacks.receiver import Secrets
    from tui.config import CallbackSettings

COMMANDS = {"listen": "receive the answers clicked on Lark and Slack cards (POST /lark, POST /slack) until Ctrl-C"}


def add_parsers(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("listen", help=COMMANDS["listen"],
                                                          description=COMMANDS["listen"])
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, metavar="N", help="the port (0: any free one)")
    parser.add_argument("--connect", action="store_true",
                        help="also keep open the long connections [callbacks] connect names (Lark, Slack)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the drafts database is (default: $ESCALATE_TUI_DATA_DIR or the per-user folder)")
    _add_config(parser)


def secrets_from(settings: CallbackSettings, env: dict[str, str] | os._Environ[str]) -> Secrets:
    """The secrets the [callbacks] names point at; UserError naming a variable that is named but unset."""
    from tui.callbacks.receiver import Secrets

    values = {}
    for field in ("lark_encrypt_key", "lark_verification_token", "slack_signing_secret"):
        name = getattr(settings, f"{field}_env")
        value = env.get(name, "") if name else ""
        if name and not value:
            raise UserError(f"listen: [callbacks] {field}_env names the environment variable {name}, which is "
                            "not set (or empty); set it, or remove the setting")
        values[field] = value
    return Secrets(**values)


def cmd_listen(args: argparse.Namespace) -> int:
    if args.port is None and not args.connect:
        raise UserError("listen: give --port N (an HTTP receiver), --connect (long connections), or both")
    if args.port is not None and not 0 <= args.port <= 65535:
        raise UserError(f"listen: --port {args.port} is not a port (0 to 65535)")
    if not args.connect:
        return _serve(args)
    connections = _connections(args)
    for connection in connections:
        connection.start()
    try:
        if args.port is not None:
            return _serve(args)
        print("Connected answers are recorded as they come. Ctrl-C stops.", file=sys.stderr, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Stopped listening.", file=sys.stderr)
        return EXIT_OK
    finally:
        for connection in connections:
            connection.stop()


def _connections(args: argparse.Namespace) -> list[LongConnection]:
    """The long connections [callbacks] connect names, not started; UserError when none can run."""
    from tui.callbacks.connect import configured_connections

    settings = _settings(args.config).callbacks
    if not settings.connect:
        raise UserError('listen: --connect needs [callbacks] connect = ["lark"], ["slack"] or both in the config')
    with open_store(args) as store:  # opened once here: its problems are said before any thread starts
        path = store.path

    def said(name: str, state: State) -> None:
        print(visible(state.words(name)), file=sys.stderr, flush=True)

    connections, problems = configured_connections(settings, os.environ, path, said)
    for problem in problems:
        print(f"listen: {visible(problem)}", file=sys.stderr)
    if not connections:
        raise UserError("listen: no long connection can start; see above")
    return connections


def _serve(args: argparse.Namespace) -> int:
    from tui.callbacks.receiver import CallbackServer

    if not 0 <= args.port <= 65535:
        raise UserError(f"listen: --port {args.port} is not a port (0 to 65535)")
    settings = _settings(args.config)
    secrets = secrets_from(settings.callbacks, os.environ)
    with open_store(args) as store:
        try:
            server = CallbackServer(store, secrets, args.host, args.port, sys.stderr)
        except OSError as error:
            raise UserError(f"listen: cannot listen on {visible(args.host)} port {args.port}: "
                            f"{error.strerror or error}") from None
        stop, follower = _follow_cards(store, settings)
        heard = [name for name, on in (("Lark", secrets.lark_encrypt_key or secrets.lark_verification_token),
                                        ("Slack", secrets.slack_signing_secret)) if on]
        print(f"Listening on {server.url} (POST /lark, POST /slack); answers from "
              f"{' and '.join(heard) or 'nobody yet: no secret is configured in [callbacks]'}. Ctrl-C stops.",
              file=sys.stderr, flush=True)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            print("Stopped listening.", file=sys.stderr)
        finally:
            stop.set()
            server.server_close()
            follower.join(10)  # before the store closes under it
    return EXIT_OK


def _follow_cards(store: Any, settings: Any) -> tuple[threading.Event, threading.Thread]:
    """Sent cards show each answer moments after it is recorded: a thread of their own, so the
    platform's 3-second reply never waits for an update."""
    from tui.send.card_sync import follow_answers
    from tui.send.config import parse_destinations

    destinations = {config.name: config for config in parse_destinations(settings.destinations)[0]}
    stop = threading.Event()
    follower = threading.Thread(target=follow_answers, args=(store, destinations, dict(os.environ), stop),
                                kwargs={"rules": settings.rules, "redaction": settings.redaction},
                                name="cards follow answers", daemon=True)
    follower.start()
    return stop, follower


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"listen": cmd_listen}
