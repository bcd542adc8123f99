"""A loopback Lark Open Platform for the lark_app tests: a real HTTP server on 127.0.0.1 answering the
token, message-send, card-update, wiki node, docx children and task calls in the shapes chat-apps.md §2 gives (errors as
``{"code", "msg", "data": {}}`` with HTTP 400, the token reply at the top level). It keeps the
messages, pages and tasks it made, drops a repeated ``uuid`` (answering with the first message) and a
repeated ``client_token`` (a docx write applied once, a task made once), and can be told to
refuse tokens, rate-limit, or answer any call with a scripted reply. For lark-oapi's long connection it
also answers the bot's identity (`GET /bot/v3/info`) and the WebSocket endpoint (`POST
/callback/ws/endpoint`, at the root: "system busy" unless `ws_url` is set).

Approval v4 (§2.6): it keeps the instances it opened, answers 60012 to a second create with a used
``uuid``, refuses a form whose widgets are not the definition's (1390001), and lets a test decide an
instance (`decide`) as an approver in Lark would."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import Loopback

APP_ID = "cli_a1b2c3d4e5f60718"
APP_SECRET = "lark-app-secret-0123456789abcdef"
CHAT = "oc_84983ff6516d731e5b5f6a1b8e1c1a2b"
SPACE = "6946843325487912356"
APPROVAL_CODE = "7C468A54-8745-2245-9675-08B7C63E7A85"
APPLICANT = "ou_3cda9c969f737aaa05e6915dce306cb9"
APPROVER = "ou_806a18fb5bdf525e38ba219733bdbd73"
BAD_TOKEN_MSG = "Invalid access token for authorization. Please make a request with token attached."


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Node:
    node_token: str
    document_id: str
    title: str
    parent: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Message:
    message_id: str
    receive_id: str
    content: str
    uuid: str
    updates: list[str] = field(default_factory=list)
    recalled: bool = False
    too_old: bool = False


@dataclass
class Instance:
    code: str
    uuid: str
    open_id: str
    form: list[dict[str, Any]]
    status: str = "PENDING"
    timeline: list[dict[str, Any]] = field(default_factory=list)
    task_list: list[dict[str, Any]] = field(default_factory=list)


class LarkDouble(Loopback):
    def __init__(self, expire: int = 7200) -> None:
        self.expire = expire
        self.tokens: set[str] = set()
        self.issued = 0
        self.issued_tokens: list[str] = []
        self.chats = {CHAT}
        self.people: dict[str, str] = {}  # e-mail -> open_id, the users the app may see
        self.messages: dict[str, Message] = {}
        self.by_uuid: dict[str, str] = {}
        self.calls: Counter[str] = Counter()  # "POST /im/v1/messages" -> how many arrived
        self.auth_seen: list[str] = []  # the Authorization header of each API call
        self.script: dict[str, list[Scripted]] = {}  # call -> replies to give before answering normally
        self.ws_url = ""  # what the WebSocket endpoint hands out (ws://…?device_id=…&service_id=…)
        self.spaces = {SPACE}
        self.nodes: list[Node] = []  # wiki pages made, oldest first
        self.written: set[str] = set()  # docx client_tokens already applied
        self.tasks: dict[str, dict[str, Any]] = {}  # client_token -> the task made
        # The approval definition's form: widget id -> type; a create must fill exactly these.
        self.definition: dict[str, str] = {"widget_summary": "input", "widget_details": "textarea"}
        self.instances: dict[str, Instance] = {}
        self.instance_uuids: dict[str, str] = {}
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return f"{self.origin}/open-apis"

    @property
    def root(self) -> str:
        """The domain, as lark-oapi takes it (it adds /open-apis/… and /callback/… itself)."""
        return self.origin

    def revoke_tokens(self) -> None:
        """Every token issued so far stops working, as an expired one does."""
        with self._lock:
            self.tokens.clear()

    def then(self, call: str, *replies: Scripted) -> None:
        self.script.setdefault(call, []).extend(replies)

    # --- the API -----------------------------------------------------------------------------

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Scripted:
        parts = urlsplit(path)
        route = parts.path.removeprefix("/open-apis")
        call = f"{method} {route}" if not route.startswith("/im/v1/messages/") else f"{method} /im/v1/messages/:id"
        if route.startswith("/wiki/v2/spaces/"):
            call = f"{method} /wiki/v2/spaces/:space/nodes"
        elif route.startswith("/docx/v1/documents/"):
            call = f"{method} /docx/v1/documents/:doc/blocks/:doc/children"
        if route.startswith("/approval/v4/instances/"):
            call = f"{method} /approval/v4/instances/:code"
        with self._lock:
            self.calls[call] += 1
            if self.script.get(call):
                return self.script[call].pop(0)
        data = json.loads(body or b"{}")
        if call == "POST /auth/v3/tenant_access_token/internal":
            return self._token(data)
        if call == "POST /callback/ws/endpoint":
            return self._endpoint(data)
        self.auth_seen.append(headers.get("authorization", ""))
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return Scripted(400, {"code": 99991663, "msg": BAD_TOKEN_MSG, "data": {}})
        if call == "POST /im/v1/messages":
            return self._send(data, parse_qs(parts.query).get("receive_id_type", [""])[0])
        if call == "POST /contact/v3/users/batch_get_id":
            users = [{"user_id": self.people[email], "email": email} if email in self.people else {"email": email}
                     for email in data.get("emails", [])]
            return Scripted(200, {"code": 0, "msg": "success", "data": {"user_list": users}})
        if call == "GET /bot/v3/info":
            return Scripted(200, {"code": 0, "msg": "ok", "bot": {
                "activate_status": 2, "app_name": "escalate-tui", "ip_white_list": [],
                "open_id": "ou_e6d3fa6bb1a8c2cd3d0fbbd6f1c4f8c1", "avatar_url": ""}})
        if call == "PATCH /im/v1/messages/:id":
            return self._patch(route.rsplit("/", 1)[1], data)
        if call == "POST /wiki/v2/spaces/:space/nodes":
            return self._node(route.split("/")[4], data)
        if call == "POST /docx/v1/documents/:doc/blocks/:doc/children":
            return self._children(route.split("/")[4], parse_qs(parts.query), data)
        if call == "POST /task/v2/tasks":
            return self._task(data)
        if call == "POST /approval/v4/instances":
            return self._create_instance(data)
        if call == "GET /approval/v4/instances/:code":
            return self._get_instance(route.rsplit("/", 1)[1])
        return Scripted(404, {"code": 404, "msg": "404 page not found", "data": {}})

    def _token(self, data: dict[str, Any]) -> Scripted:
        if data.get("app_id") != APP_ID or data.get("app_secret") != APP_SECRET:
            return Scripted(400, {"code": 10014, "msg": "app secret invalid"})
        with self._lock:
            self.issued += 1
            token = f"t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1{self.issued:03d}"
            self.tokens.add(token)
            self.issued_tokens.append(token)
        return Scripted(200, {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": self.expire})

    def _endpoint(self, data: dict[str, Any]) -> Scripted:
        if data.get("AppID") != APP_ID or data.get("AppSecret") != APP_SECRET:
            return Scripted(200, {"code": 403, "msg": "app_id or app_secret is invalid", "data": {}})
        if not self.ws_url:
            return Scripted(200, {"code": 1, "msg": "system busy", "data": {}})
        return Scripted(200, {"code": 0, "msg": "ok", "data": {"URL": self.ws_url, "ClientConfig": {
            "ReconnectCount": -1, "ReconnectInterval": 120, "ReconnectNonce": 30, "PingInterval": 120}}})

    def _send(self, data: dict[str, Any], receive_id_type: str) -> Scripted:
        if receive_id_type != "chat_id" or data.get("msg_type") != "interactive" or not isinstance(
                data.get("content"), str):
            return Scripted(400, {"code": 230001, "msg": "Your request contains an invalid request parameter.",
                                  "data": {}})
        if data.get("receive_id") not in self.chats:
            return Scripted(400, {"code": 230002, "msg": "Bot/User can NOT be out of the chat.", "data": {}})
        with self._lock:
            uuid = data.get("uuid", "")
            known = self.by_uuid.get(uuid) if uuid else None
            if known is None:
                known = f"om_dc13264520392913993dd051dba{len(self.messages) + 1:05d}"
                self.messages[known] = Message(known, data["receive_id"], data["content"], uuid)
                if uuid:
                    self.by_uuid[uuid] = known
            message = self.messages[known]
        return Scripted(200, {"code": 0, "msg": "success", "data": {
            "message_id": message.message_id, "chat_id": message.receive_id, "msg_type": "interactive",
            "create_time": "1615380573411", "update_time": "1615380573411", "deleted": False, "updated": False,
            "sender": {"id": "cli_9f5343c580712544", "id_type": "app_id", "sender_type": "app",
                       "tenant_key": "2ca1d211f64f6438"},
            "body": {"content": message.content}}})

    def _patch(self, message_id: str, data: dict[str, Any]) -> Scripted:
        message = self.messages.get(message_id)
        if message is None:
            return Scripted(400, {"code": 230001, "msg": "invalid message_id", "data": {}})
        if message.recalled:
            return Scripted(400, {"code": 230011, "msg": "The message is recalled.", "data": {}})
        if message.too_old:
            return Scripted(400, {"code": 230031, "msg": "The message has exceeded the update period.", "data": {}})
        content = data.get("content")
        if not isinstance(content, str) or not json.loads(content).get("config", {}).get("update_multi"):
            return Scripted(400, {"code": 230001, "msg": "update_multi must be true", "data": {}})
        message.updates.append(content)
        return Scripted(200, {"code": 0, "msg": "success", "data": {}})

    def _node(self, space: str, data: dict[str, Any]) -> Scripted:
        if space not in self.spaces or data.get("obj_type") != "docx" or data.get("node_type") != "origin":
            return Scripted(400, {"code": 131005, "msg": "not found", "data": {}})
        with self._lock:
            number = len(self.nodes) + 1
            node = Node(f"wikcnKQ1k3p{number:05d}", f"doxcnXy7LiDVq{number:05d}", data.get("title", ""),
                        data.get("parent_node_token", ""))
            self.nodes.append(node)
        return Scripted(200, {"code": 0, "msg": "success", "data": {"node": {
            "space_id": space, "node_token": node.node_token, "obj_token": node.document_id, "obj_type": "docx",
            "parent_node_token": node.parent, "node_type": "origin", "title": node.title, "has_child": False}}})

    def _children(self, document: str, query: dict[str, list[str]], data: dict[str, Any]) -> Scripted:
        node = next((node for node in self.nodes if node.document_id == document), None)
        children, index = data.get("children"), data.get("index", -1)
        if node is None:
            return Scripted(400, {"code": 1770002, "msg": "not found", "data": {}})
        if not isinstance(children, list) or not 0 < len(children) <= 50 or not all(
                isinstance(child, dict) and isinstance(child.get("block_type"), int) for child in children):
            return Scripted(400, {"code": 1770001, "msg": "invalid param", "data": {}})
        token = query.get("client_token", [""])[0]
        with self._lock:
            if token and token in self.written:  # the same write again: applied once
                return Scripted(200, {"code": 0, "msg": "success", "data": {"client_token": token}})
            if not isinstance(index, int) or index > len(node.blocks):
                return Scripted(400, {"code": 1770001, "msg": "invalid param", "data": {}})
            at = len(node.blocks) if index < 0 else index
            node.blocks[at:at] = children
            if token:
                self.written.add(token)
        return Scripted(200, {"code": 0, "msg": "success", "data": {"children": children, "client_token": token,
                                                                   "document_revision_id": len(node.blocks)}})

    def _task(self, data: dict[str, Any]) -> Scripted:
        due = data.get("due", {})
        if not data.get("summary") or not isinstance(due.get("timestamp"), str) or not due["timestamp"].isdigit():
            return Scripted(400, {"code": 1470400, "msg": "invalid param", "data": {}})
        token = data.get("client_token", "")
        with self._lock:
            task = self.tasks.get(token) if token else None
            if task is None:
                guid = f"83912691-2e43-47fc-94a4-d512e03a{len(self.tasks) + 1:04d}"
                task = {**data, "guid": guid, "task_id": f"t{len(self.tasks) + 100001}",
                        "url": f"https://applink.larksuite.com/client/todo/detail?guid={guid}"}
                self.tasks[token or guid] = task
        return Scripted(200, {"code": 0, "msg": "success", "data": {"task": {
            key: task[key] for key in ("guid", "task_id", "summary", "description", "due", "members", "url")
            if key in task}}})
    # --- approval v4 ---------------------------------------------------------------------------

    def decide(self, code: str, status: str, who: str = APPROVER, comment: str = "") -> None:
        """What an approver (or the applicant, canceling) does in Lark."""
        with self._lock:
            instance = self.instances[code]
            instance.status = status
            task = {"id": "7195063112", "user_id": "f7cb567e", "open_id": who, "status": status,
                    "node_id": "46e6d96cfa756980907209209ec03b64", "node_name": "Approval", "type": "AND",
                    "start_time": "1564590532967", "end_time": "1564590539967"}
            instance.task_list = [task]
            step = {"APPROVED": "PASS", "REJECTED": "REJECT", "CANCELED": "CANCEL"}.get(status)
            if step is not None:
                instance.timeline.append({"type": step, "create_time": "1564590539967", "user_id": "f7cb567e",
                                          "open_id": who, "task_id": "7195063112", "comment": comment,
                                          "node_key": "APPROVAL_240330_4058663"})

    def _create_instance(self, data: dict[str, Any]) -> Scripted:
        invalid = Scripted(400, {"code": 1390001, "msg": "param is invalid", "data": {}})
        uuid = data.get("uuid", "")
        if data.get("approval_code") != APPROVAL_CODE or not isinstance(data.get("form"), str):
            return invalid
        if uuid and not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uuid):
            return invalid
        if data.get("open_id") != APPLICANT:
            return Scripted(400, {"code": 1390004, "msg": "user_id or open_id not found", "data": {}})
        form = json.loads(data["form"])
        if {widget.get("id"): widget.get("type") for widget in form} != self.definition or not all(
                isinstance(widget.get("value"), str) for widget in form):
            return Scripted(400, {"code": 1390001, "msg": "param is invalid: 控件= widget_summary", "data": {}})
        with self._lock:
            if uuid in self.instance_uuids:
                return Scripted(400, {"code": 60012, "msg": "uuid has been used", "data": {}})
            code = f"81D31358-93AF-92D6-7425-{len(self.instances) + 1:012X}"
            self.instances[code] = Instance(code, uuid, data["open_id"], form)
            if uuid:
                self.instance_uuids[uuid] = code
        return Scripted(200, {"code": 0, "msg": "success", "data": {"instance_code": code}})

    def _get_instance(self, code: str) -> Scripted:
        with self._lock:
            instance = self.instances.get(code)
            if instance is None:
                return Scripted(400, {"code": 1390003, "msg": "instance code not found", "data": {}})
            return Scripted(200, {"code": 0, "msg": "success", "data": {
                "approval_name": "Policy exception", "approval_code": APPROVAL_CODE, "instance_code": code,
                "start_time": "1564590532967", "end_time": "0", "open_id": instance.open_id,
                "serial_number": "202102060002", "status": instance.status, "uuid": instance.uuid,
                "form": json.dumps(instance.form), "task_list": instance.task_list, "comment_list": [],
                "timeline": instance.timeline, "reverted": False}})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                reply = double._answer(method, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                self._serve("POST")

            def do_GET(self) -> None:
                self._serve("GET")

            def do_PATCH(self) -> None:
                self._serve("PATCH")

        return Handler
