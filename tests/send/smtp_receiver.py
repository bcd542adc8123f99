"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives and answers as told:
plain, STARTTLS or implicit TLS, with or without a login, refusing recipients or the message with
4xx/5xx replies, or dropping the connection once the message has been sent."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "relay-user"
PASSWORD = "s3cret-Relay-Pa55word"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data, policy=default)


@dataclass
class Receiver:
    """The handler: what arrived, and how to answer the next time."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> the reply to RCPT
    data_reply: str | None = None  # the reply to the message instead of 250
    drop_after_data: bool = False  # close the connection once the message has arrived, without a reply
    port: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_after_data:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
            server.transport.abort()
            return "250 OK"
        if self.data_reply is not None:
            return self.data_reply
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=good, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(*, login: bool = False, starttls: ssl.SSLContext | None = None,
                implicit_tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.port = free_port()
    options: dict[str, Any] = {}
    if login:
        options |= {"authenticator": _authenticator, "auth_require_tls": starttls is not None}
    if starttls is not None:
        options |= {"tls_context": starttls, "require_starttls": True}
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port, ssl_context=implicit_tls,
                            server_hostname="localhost", **options)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[Path, ssl.SSLContext] | None:
    """A certificate for 127.0.0.1 made with the openssl command, and the server's TLS context;
    None when openssl is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context
