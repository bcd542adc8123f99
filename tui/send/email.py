"""The `email` destination: the brief sent over SMTP as plain text (the Markdown) and HTML.

The HTML part is the Markdown rendered with raw HTML turned off, so every piece of brief text in it
is escaped. SMTP has no way to ask whether a message already arrived, so a send cut off after the
message went out is reported as possibly delivered, never sent again on its own.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from tui.domain.text_safety import shorten, visible
from tui.render.markdown import TITLE_PREFIX
from tui.send.config import DestinationConfig, EnvName, SecretMissing, is_loopback, secret
from tui.send.keys import idempotency_key
from tui.send.model import Brief, Outcome, Payload, Request, mask

if TYPE_CHECKING:
    import httpx
    from markdown_it import MarkdownIt

DEDUP = False
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
MAX_SUBJECT = 200
MAX_REPLY_SHOWN = 300


def _address(value: str) -> str:
    value = value.strip()
    _, address = parseaddr(value)
    if not address or address != value or "@" not in address or any(c in value for c in "\r\n,;<> \t"):
        raise ValueError(f"{value!r} is not one e-mail address (write it alone: team@example.com)")
    return address


Address = Annotated[str, AfterValidator(_address)]


class Config(DestinationConfig):
    type: Literal["email"] = "email"
    host: str = Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:_\[\]-]+$",
                      description="The SMTP server's host name, e.g. smtp.example.com.")
    port: int | None = Field(default=None, ge=1, le=65535, description="Default: 587, 465 for ssl, 25 for none.")
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls or ssl; none only to a server on this machine.")
    username_env: EnvName | None = Field(default=None, description="The variable holding the SMTP user name.")
    password_env: EnvName | None = Field(default=None, description="The variable holding the SMTP password.")
    from_address: Address
    to: tuple[Address, ...] = Field(min_length=1, max_length=100)
    cc: tuple[Address, ...] = Field(default=(), max_length=100)
    ca_file: str | None = Field(default=None, description="A CA bundle to trust, for a self-hosted relay.")
    timeout: float = Field(default=30.0, gt=0, le=120, description="Seconds to wait for the server.")

    @model_validator(mode="after")
    def _check_security(self) -> Self:
        if self.security == "none" and not is_loopback(self.host.strip("[]")):
            raise ValueError("security = \"none\" sends the brief and the password unencrypted, so it is only "
                             "allowed to a server on this machine; use \"starttls\" or \"ssl\"")
        if (self.username_env is None) != (self.password_env is None):
            raise ValueError("set both username_env and password_env (the variables holding the SMTP user "
                             "name and password), or neither for a server that needs no login")
        return self

    @property
    def server_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


# --- the payload: pure ----------------------------------------------------------------------


def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("image")


def brief_title(markdown: str) -> str:
    """The brief's first heading as a reader sees it (escapes undone), on one line."""
    tokens = _markdown_parser().parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
    return ""


def one_line(text: str) -> str:
    """`text` fit for a mail header: no control characters, one line, not too long."""
    return shorten(" ".join(visible(" ".join(text.split())).split()), MAX_SUBJECT)


def to_html(markdown: str) -> str:
    """The brief as a small HTML document: raw HTML in the text is shown as text, never obeyed."""
    body = _markdown_parser().render(markdown)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n"
            f"<body style=\"font-family: sans-serif\">\n{body}</body></html>\n")


def message_id(key: str, from_address: str) -> str:
    domain = from_address.rpartition("@")[2] or "escalate-tui.invalid"
    return f"<escalate-tui.{key}@{domain}>"


def build(brief: Brief, config: Config) -> Payload:
    key = idempotency_key(brief, config.name)
    title = one_line(brief_title(brief.markdown).removeprefix(TITLE_PREFIX)) or brief.reference
    subject = one_line(f"[{brief.reference}] {brief.assessment.severity.effective.label}: {title}")
    body = {
        "subject": subject,
        "from": config.from_address,
        "to": list(config.to),
        "cc": list(config.cc),
        "text": brief.markdown,
        "html": to_html(brief.markdown),
        "message_id": message_id(key, config.from_address),
    }
    return Payload(destination=config.name, type="email", body=body, idempotency_key=key, title=subject)


# --- the request: the exact message ---------------------------------------------------------


def mime_message(payload: Payload, now: datetime) -> EmailMessage:
    body = payload.body
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = body["from"]
    message["To"] = ", ".join(body["to"])
    if body["cc"]:
        message["Cc"] = ", ".join(body["cc"])
    message["Subject"] = body["subject"]
    message["Message-ID"] = body["message_id"]
    message["Date"] = format_datetime(now)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body["text"], subtype="plain", charset="utf-8")
    message.add_alternative(body["html"], subtype="html", charset="utf-8")
    return message


def _credentials(config: Config, env: Mapping[str, str]) -> tuple[str, str] | None:
    if config.username_env is None or config.password_env is None:
        return None
    user = secret(env, config.username_env, f"destination “{config.name}”: the SMTP user name")
    password = secret(env, config.password_env, f"destination “{config.name}”: the SMTP password")
    return user, password


def request(payload: Payload, config: Config, env: Mapping[str, str], now: datetime) -> Request:
    credentials = _credentials(config, env)
    secrets = {config.password_env: credentials[1]} if credentials and config.password_env else {}
    scheme = "smtps" if config.security == "ssl" else "smtp"
    body = payload.body
    headers = {"From": body["from"], "To": ", ".join(body["to"])}
    if body["cc"]:
        headers["Cc"] = ", ".join(body["cc"])
    headers |= {"Subject": body["subject"], "Message-ID": body["message_id"]}
    return Request(method="SMTP", url=f"{scheme}://{config.host}:{config.server_port}", headers=headers,
                   body=mime_message(payload, now).as_bytes(), secrets=secrets)


# --- delivery: one attempt ------------------------------------------------------------------


class _Cut(Exception):
    """The connection broke or timed out after the message may have been handed over."""


def deliver(client: httpx.Client, payload: Payload, config: Config, env: Mapping[str, str], now: datetime,
            unclear: bool) -> Outcome:
    """Send the message once over SMTP and say how it went (`client` is not used: SMTP is not HTTP)."""
    try:
        sending = request(payload, config, env, now)
        credentials = _credentials(config, env)
    except SecretMissing as error:
        return Outcome.permanent(str(error))
    where = f"the mail server {config.host}:{config.server_port}"
    try:
        context = _tls_context(config)
    except (OSError, ssl.SSLError) as error:
        return Outcome.permanent(f"destination “{config.name}”: cannot read ca_file {config.ca_file}: "
                                 f"{_said(error, sending)}")
    try:
        smtp = _connect(config, context)
    except ssl.SSLCertVerificationError as error:
        return Outcome.permanent(_untrusted(config, where, error, sending))
    except (OSError, smtplib.SMTPException) as error:
        return Outcome.retry(f"could not connect to {where}: {_said(error, sending)}")
    try:
        return _converse(smtp, sending, credentials, payload, config, where)
    except ssl.SSLCertVerificationError as error:
        return Outcome.permanent(_untrusted(config, where, error, sending))
    except _Cut as error:
        return Outcome.uncertain(f"the connection to {where} broke after the message was sent ({error}): it may "
                                 "have been delivered; check the recipients' mailbox before sending again")
    except (OSError, smtplib.SMTPException) as error:
        return Outcome.retry(f"{where} broke off before the message was sent: {_said(error, sending)}")
    finally:
        with contextlib.suppress(OSError):
            smtp.close()


def _tls_context(config: Config) -> ssl.SSLContext | None:
    if config.security == "none":
        return None
    return ssl.create_default_context(cafile=config.ca_file)


def _connect(config: Config, context: ssl.SSLContext | None) -> smtplib.SMTP:
    # the machine's short name: getfqdn, smtplib's default, can wait seconds on a slow resolver
    local = socket.gethostname() or "localhost"
    if config.security == "ssl":
        return smtplib.SMTP_SSL(config.host, config.server_port, local_hostname=local, timeout=config.timeout,
                                context=context)
    smtp = smtplib.SMTP(config.host, config.server_port, local_hostname=local, timeout=config.timeout)
    if config.security == "starttls":
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            smtp.close()
            raise smtplib.SMTPNotSupportedError("the server does not offer STARTTLS")
        smtp.starttls(context=context)
        smtp.ehlo()
    return smtp


def _converse(smtp: smtplib.SMTP, sending: Request, credentials: tuple[str, str] | None, payload: Payload,
              config: Config, where: str) -> Outcome:
    smtp.ehlo_or_helo_if_needed()
    if credentials is not None:
        try:
            smtp.login(*credentials)
        except smtplib.SMTPAuthenticationError as error:
            return Outcome.permanent(f"{where} refused the login ({_reply(error.smtp_code, error.smtp_error, sending)})"
                                     f": check the user name in ${config.username_env} and the password in "
                                     f"${config.password_env}")
        except smtplib.SMTPNotSupportedError:
            return Outcome.permanent(f"{where} offers no login, but username_env and password_env are set for "
                                     f"destination “{config.name}”: remove them, or check host and security")
    body = payload.body
    code, said = smtp.mail(body["from"])
    if code != 250:
        return _refused(code, said, sending, f"{where} refused the sender {body['from']}")
    recipients = [*body["to"], *body["cc"]]
    refused: dict[str, tuple[int, bytes]] = {}
    for address in recipients:
        code, said = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, said)
    if len(refused) == len(recipients):
        code, said = next(iter(refused.values()))
        everyone = ", ".join(f"{address} ({_reply(c, s, sending)})" for address, (c, s) in refused.items())
        temporary = all(400 <= c < 500 for c, _ in refused.values())
        if temporary:
            return Outcome.retry(f"{where} cannot take mail for anyone now: {everyone}")
        return Outcome.permanent(f"{where} refused every recipient: {everyone}; check to and cc in destination "
                                 f"“{config.name}”")
    try:
        code, said = smtp.data(sending.body)
    except smtplib.SMTPDataError as error:
        return _refused(error.smtp_code, error.smtp_error, sending, f"{where} did not accept the message")
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        raise _Cut(_said(error, sending)) from None
    if code != 250:
        return _refused(code, said, sending, f"{where} did not accept the message")
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()  # the message is accepted; how the goodbye goes does not matter
    message = ""
    if refused:
        message = "not accepted for " + ", ".join(f"{a} ({_reply(c, s, sending)})" for a, (c, s) in refused.items())
    return Outcome.delivered(remote_id=body["message_id"], message=message)


def _refused(code: int, said: bytes | str, sending: Request, what: str) -> Outcome:
    reply = _reply(code, said, sending)
    if 400 <= code < 500:
        return Outcome.retry(f"{what} for now ({reply})")
    return Outcome.permanent(f"{what} ({reply})")


def _reply(code: int, said: bytes | str, sending: Request) -> str:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return shorten(mask(f"{code} {visible(' '.join(text.split()))}", sending.secrets), MAX_REPLY_SHOWN)


def _said(error: BaseException, sending: Request) -> str:
    return shorten(mask(visible(str(error)) or type(error).__name__, sending.secrets), 160)


def _untrusted(config: Config, where: str, error: BaseException, sending: Request) -> str:
    return (f"{where} showed a certificate that is not trusted ({_said(error, sending)}): for a self-hosted relay, "
            f"set ca_file in destination “{config.name}” to its CA bundle")
