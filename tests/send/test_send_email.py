"""The `email` destination against a real SMTP server on 127.0.0.1: what arrives, and each way a
send can go wrong (login, 4xx/5xx replies, an untrusted certificate, a connection dropped after
the message was sent)."""

from __future__ import annotations

import re
import ssl
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from tests.send.brief_cases import TODAY, make_brief
from tests.send.smtp_receiver import PASSWORD, USER, free_port, self_signed, smtp_server
from tests.unit.test_render_properties import assessments, escalations
from tui.domain.models import Escalation
from tui.domain.triage import Assessment
from tui.render.markdown import render_markdown
from tui.send import email as email_kind
from tui.send.config import parse_destinations
from tui.send.kinds import load_kind
from tui.send.model import Brief, OutcomeKind

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
ENV = {"SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD}


def config(port: int, **extra: object) -> email_kind.Config:
    return email_kind.Config.model_validate({
        "name": "eng-mail", "type": "email", "host": "127.0.0.1", "port": port, "security": "none",
        "from_address": "support@example.com", "to": ["eng@example.com"], "cc": ["lead@example.com"],
        "timeout": 5, **extra,
    })


def send(cfg: email_kind.Config, env: dict[str, str] | None = None, brief: Brief | None = None):
    payload = email_kind.build(brief or make_brief(), cfg)
    with httpx.Client() as client:
        return payload, email_kind.deliver(client, payload, cfg, env or {}, NOW, unclear=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ssl.SSLContext]:
    made = self_signed(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("the openssl command is not installed")
    return made


def test_the_email_type_follows_the_kind_contract() -> None:
    assert load_kind("email") is email_kind
    found, problems = parse_destinations([{"name": "eng-mail", "type": "email", "host": "smtp.example.com",
                                           "from_address": "a@example.com", "to": ["b@example.com"]}])
    assert problems == []
    assert isinstance(found[0], email_kind.Config)
    assert found[0].server_port == 587
    assert email_kind.DEDUP is False


def test_settings_that_would_leak_are_refused_with_what_to_do() -> None:
    base = {"name": "m", "type": "email", "host": "smtp.example.com", "from_address": "a@example.com",
            "to": ["b@example.com"]}
    with pytest.raises(ValidationError, match="only allowed to a server on this machine"):
        email_kind.Config.model_validate(base | {"security": "none"})
    with pytest.raises(ValidationError, match="password_env"):
        email_kind.Config.model_validate(base | {"password": "hunter2"})
    with pytest.raises(ValidationError, match="both username_env and password_env"):
        email_kind.Config.model_validate(base | {"username_env": "SMTP_USER"})
    with pytest.raises(ValidationError, match="not one e-mail address"):
        email_kind.Config.model_validate(base | {"to": ["b@example.com\r\nBcc: evil@example.com"]})


def test_a_plain_send_arrives_with_its_headers_and_both_parts() -> None:
    with smtp_server() as server:
        cfg = config(server.port)
        brief = make_brief(version=2)
        payload, outcome = send(cfg, brief=brief)
    assert outcome.kind is OutcomeKind.DELIVERED, outcome.message
    assert outcome.remote_id == payload.body["message_id"]
    assert payload.body["message_id"].startswith("<escalate-tui.")
    assert payload.body["message_id"].endswith("@example.com>")
    [got] = server.received
    assert got.sender == "support@example.com"
    assert got.recipients == ["eng@example.com", "lead@example.com"]
    message = got.message
    assert message["From"] == "support@example.com"
    assert message["To"] == "eng@example.com"
    assert message["Cc"] == "lead@example.com"
    assert message["Subject"] == "[ESC-42] High: Data export drops rows for Acme Corp"
    assert message["Message-ID"] == payload.body["message_id"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert text.get_content().replace("\r\n", "\n") == brief.markdown
    assert "<h2>ESCALATION: Data export drops rows for Acme Corp</h2>" in html.get_content()
    assert "<li>Re-ran the export → same truncated file</li>" in html.get_content()


def test_the_message_id_is_the_same_for_the_same_send_and_differs_per_version() -> None:
    cfg = config(2525)
    assert email_kind.build(make_brief(), cfg).body == email_kind.build(make_brief(), cfg).body
    assert email_kind.build(make_brief(version=2), cfg).body["message_id"] != \
        email_kind.build(make_brief(), cfg).body["message_id"]


def test_a_login_is_used_and_its_password_is_nowhere_in_what_is_shown_or_sent() -> None:
    with smtp_server(login=True) as server:
        cfg = config(server.port, username_env="SMTP_USER", password_env="SMTP_PASSWORD")
        payload, outcome = send(cfg, ENV)
        request = email_kind.request(payload, cfg, ENV, NOW)
        _, refused = send(cfg, {"SMTP_USER": USER, "SMTP_PASSWORD": "wrong-password"})
        _, missing = send(cfg, {"SMTP_USER": USER})
    assert outcome.kind is OutcomeKind.DELIVERED, outcome.message
    assert request.url == f"smtp://127.0.0.1:{server.port}"
    assert request.secrets == {"SMTP_PASSWORD": PASSWORD}
    assert PASSWORD not in request.shown()
    assert PASSWORD.encode() not in server.received[0].data
    assert PASSWORD not in payload.body_text()
    assert refused.kind is OutcomeKind.PERMANENT
    assert "$SMTP_USER" in refused.message
    assert "$SMTP_PASSWORD" in refused.message
    assert "wrong-password" not in refused.message
    assert missing.kind is OutcomeKind.PERMANENT
    assert "SMTP_PASSWORD" in missing.message
    assert len(server.received) == 1


def test_starttls_with_the_relays_own_ca(certificate: tuple[Path, ssl.SSLContext]) -> None:
    cert, context = certificate
    with smtp_server(login=True, starttls=context) as server:
        cfg = config(server.port, security="starttls", ca_file=str(cert), username_env="SMTP_USER",
                     password_env="SMTP_PASSWORD")
        _, outcome = send(cfg, ENV)
        untrusted = config(server.port, security="starttls", username_env="SMTP_USER", password_env="SMTP_PASSWORD")
        _, refused = send(untrusted, ENV)
    assert outcome.kind is OutcomeKind.DELIVERED, outcome.message
    assert len(server.received) == 1
    assert refused.kind is OutcomeKind.PERMANENT
    assert "not trusted" in refused.message
    assert "ca_file" in refused.message


def test_implicit_tls(certificate: tuple[Path, ssl.SSLContext]) -> None:
    cert, context = certificate
    with smtp_server(implicit_tls=context) as server:
        cfg = config(server.port, security="ssl", ca_file=str(cert))
        payload, outcome = send(cfg)
    assert outcome.kind is OutcomeKind.DELIVERED, outcome.message
    assert email_kind.request(payload, cfg, {}, NOW).url == f"smtps://127.0.0.1:{server.port}"
    assert len(server.received) == 1


@pytest.mark.parametrize(("where", "reply", "kind"), [
    ("rcpt", "550 5.1.1 <{address}>: no such mailbox", OutcomeKind.PERMANENT),
    ("rcpt", "450 4.2.1 mailbox busy", OutcomeKind.RETRY),
    ("data", "554 5.7.1 message rejected as spam", OutcomeKind.PERMANENT),
    ("data", "451 4.3.0 try again later", OutcomeKind.RETRY),
])
def test_refusals_are_permanent_for_5xx_and_retried_for_4xx(where: str, reply: str, kind: OutcomeKind) -> None:
    with smtp_server() as server:
        if where == "rcpt":
            server.refuse = {address: reply.format(address=address) for address in ("eng@example.com",
                                                                                    "lead@example.com")}
        else:
            server.data_reply = reply
        _, outcome = send(config(server.port))
    assert outcome.kind is kind
    assert reply.split()[0] in outcome.message
    assert reply.split()[-1] in outcome.message
    assert server.received == []


def test_one_refused_recipient_does_not_stop_the_others() -> None:
    with smtp_server() as server:
        server.refuse = {"lead@example.com": "550 5.1.1 no such mailbox"}
        _, outcome = send(config(server.port))
    assert outcome.kind is OutcomeKind.DELIVERED
    assert "lead@example.com" in outcome.message
    assert "550" in outcome.message
    assert server.received[0].recipients == ["eng@example.com"]


def test_a_connection_dropped_after_the_message_was_sent_may_have_been_delivered() -> None:
    with smtp_server() as server:
        server.drop_after_data = True
        _, outcome = send(config(server.port))
    assert outcome.kind is OutcomeKind.UNCERTAIN
    assert "may have been delivered" in outcome.message
    assert len(server.received) == 1  # it did arrive: sending again on its own would make two


def test_nobody_listening_is_tried_again_later() -> None:
    _, outcome = send(config(free_port()))
    assert outcome.kind is OutcomeKind.RETRY
    assert "could not connect to the mail server 127.0.0.1" in outcome.message


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        assert not any(name.startswith("on") or name in ("src", "style") for name, _ in attrs if tag != "body")


TEMPLATE_TAGS = {"html", "head", "meta", "body", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "a", "br",
                 "code"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(esc=escalations, assessment=assessments())
def test_any_escalation_mails_as_escaped_html_with_one_line_headers(esc: Escalation, assessment: Assessment) -> None:
    markdown = render_markdown(esc, assessment, TODAY)
    brief = Brief(escalation_id=7, version=1, esc=esc, assessment=assessment, markdown=markdown, today=TODAY)
    cfg = config(2525)
    payload = email_kind.build(brief, cfg)
    html = payload.body["html"]
    parser = _Tags()
    parser.feed(html)
    assert parser.tags <= TEMPLATE_TAGS
    assert not re.search(r"<(script|img|iframe|style|svg|object)", html, re.IGNORECASE)
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://")), href
    message = message_from_bytes(email_kind.request(payload, cfg, {}, NOW).body, policy=default)
    for name in ("From", "To", "Cc", "Subject", "Message-ID"):
        assert "\n" not in str(message[name])
        assert "\r" not in str(message[name])
    assert list(message.keys()).count("Subject") == 1
    assert not any(ord(c) < 32 for c in payload.body["subject"])
    for value in email_kind.request(payload, cfg, {}, NOW).headers.values():
        assert "\n" not in value
