"""A loopback Slack Web API: a real HTTP server on 127.0.0.1 answering chat.postMessage, chat.update,
conversations.history and users.lookupByEmail with the shapes Slack documents (chat-apps.md §5):
HTTP 200 with ``{"ok": false, "error": …}`` for refusals, 429 with Retry-After for rate limits."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chat_support import Reply, Seen
from loopback import Loopback

TOKEN = "xoxb-1111-2222-SECRETbotTOKEN"
CHANNEL = "C0TEAM"


@dataclass
class SlackDouble(Loopback):
    token: str = TOKEN
    channels: dict[str, str] = field(default_factory=lambda: {CHANNEL: "escalations"})
    users: dict[str, str] = field(default_factory=lambda: {"dana@example.com": "U0DANA"})
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> oldest first
    seen: list[Seen] = field(default_factory=list)
    # method -> replies used, one per call, before the double answers as Slack would
    scripted: dict[str, list[Reply]] = field(default_factory=dict)
    drop_after_post: int = 0  # this many posts are kept, then the connection is cut without an answer
    page: int = 1000  # largest page conversations.history gives, whatever limit is asked

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ts = int(time.time())  # ts are the time of posting, as Slack's are
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve(b"")

            def do_POST(self) -> None:
                self._serve(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

            def _serve(self, body: bytes) -> None:
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with double._lock:
                    double.seen.append(seen)
                    reply = double.answer(seen)
                if reply.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                data = json.dumps(reply.body).encode() if isinstance(reply.body, dict) else bytes(reply.body)  # type: ignore[arg-type]
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        Loopback.__init__(self, Handler)

    @property
    def url(self) -> str:
        return f"{self.origin}/api"

    def calls(self, method: str) -> list[Seen]:
        return [seen for seen in self.seen if urlsplit(seen.path).path == f"/api/{method}"]

    def post(self, channel: str, message: dict[str, Any]) -> str:
        """A message already in the channel (someone else's, or an earlier post); its ts."""
        self._ts += 1
        ts = f"{self._ts}.000100"
        self.messages.setdefault(channel, []).append({"type": "message", "ts": ts, **message})
        return ts

    # --- Slack's answers -------------------------------------------------------------------

    def answer(self, seen: Seen) -> Reply:
        parts = urlsplit(seen.path)
        method = parts.path.removeprefix("/api/")
        queue = self.scripted.get(method)
        if queue:
            return queue.pop(0)
        auth = seen.headers.get("authorization", "")
        if not auth:
            return error("not_authed")
        if auth != f"Bearer {self.token}":
            return error("invalid_auth")
        if seen.method == "POST":
            if not seen.headers.get("content-type", "").startswith("application/json"):
                return error("invalid_arguments")
            args = json.loads(seen.body)
        else:
            args = {key: values[0] for key, values in parse_qs(parts.query).items()}
        handler: Callable[[dict[str, Any]], Reply] | None = {
            "chat.postMessage": self._post_message, "chat.update": self._update,
            "conversations.history": self._history, "users.lookupByEmail": self._lookup,
        }.get(method)
        return handler(args) if handler else Reply(404, {"ok": False, "error": "unknown_method"})

    def _channel(self, given: str) -> str | None:
        if given in self.channels:
            return given
        name = given.removeprefix("#")
        return next((cid for cid, known in self.channels.items() if known == name), None)

    def _post_message(self, args: dict[str, Any]) -> Reply:
        channel = self._channel(str(args.get("channel", "")))
        if channel is None:
            return error("channel_not_found")
        if not args.get("text") and not args.get("blocks"):
            return error("no_text")
        message = {"text": args.get("text", ""), "blocks": args.get("blocks", []), "bot_id": "B0BOT"}
        if "metadata" in args:
            message["metadata"] = args["metadata"]
        ts = self.post(channel, message)
        if self.drop_after_post:
            self.drop_after_post -= 1
            return Reply(drop=True)
        return Reply(200, {"ok": True, "channel": channel, "ts": ts, "message": self.messages[channel][-1]})

    def _update(self, args: dict[str, Any]) -> Reply:
        channel = self._channel(str(args.get("channel", "")))
        if channel is None:
            return error("channel_not_found")
        for message in self.messages.get(channel, []):
            if message["ts"] == args.get("ts"):
                message.update(text=args.get("text", ""), blocks=args.get("blocks", []))
                return Reply(200, {"ok": True, "channel": channel, "ts": message["ts"], "text": message["text"],
                                   "message": message})
        return error("message_not_found")

    def _history(self, args: dict[str, Any]) -> Reply:
        channel = args.get("channel", "")
        if channel not in self.channels:  # an ID, never a name
            return error("channel_not_found")
        oldest = float(args.get("oldest", "0"))
        metadata = args.get("include_all_metadata") == "true"
        newest_first = [m for m in reversed(self.messages.get(channel, [])) if float(m["ts"]) > oldest]
        start = int(args.get("cursor") or 0)
        size = min(int(args.get("limit", "100")), self.page)
        shown = [{key: value for key, value in m.items() if metadata or key != "metadata"}
                 for m in newest_first[start:start + size]]
        more = start + size < len(newest_first)
        return Reply(200, {"ok": True, "messages": shown, "has_more": more, "pin_count": 0,
                           "response_metadata": {"next_cursor": str(start + size) if more else ""}})

    def _lookup(self, args: dict[str, Any]) -> Reply:
        user = self.users.get(str(args.get("email", "")).casefold())
        if user is None:
            return error("users_not_found")
        return Reply(200, {"ok": True, "user": {"id": user, "team_id": "T0TEAM", "name": "dana",
                                                "profile": {"email": args["email"]}}})


def error(code: str, **extra: Any) -> Reply:
    """An ``ok: false`` answer as Slack sends it (HTTP 200)."""
    return Reply(200, {"ok": False, "error": code, **extra})
