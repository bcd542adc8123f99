"""Credentials in a case: each kind is found with its exact span, look-alikes are left alone, and
redaction leaves nothing of the secret behind."""

from __future__ import annotations

import time

import pytest

from tui.domain.models import ContextItem, Escalation, Reproduction, TargetOverride, TriedStep
from tui.domain.secrets import find_secrets, redact, secrets_in

AWS = "AKIAIOSFODNN7EXAMPLE"
PEM_BODY = "MIIEpAIBAAKCAQEA7bq98wjdR2oWvS1sXoCr0HuBEtGhLj4wxkmAqHsZ3bU8AbpR\nQvKZmNfT2oWvS1sXoCr0Hu=="
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----"
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AIzaSyA-1234567890abcdefghijklmnopqrstu"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"

# (text, kind, the secret itself): the span found must be exactly the secret.
FOUND = [
    (f"Key {AWS} leaked in a public repo", "AWS access key", AWS),
    (f"aws_access_key_id={AWS}", "AWS access key", AWS),
    (f"They pasted this:\n{PEM}\nand asked why it fails", "private key", PEM),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n\nThe rest was cut off",
     "private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
    ('{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}',
     "private key", "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----"),
    (f"CI uses {GITHUB} to push", "GitHub token", GITHUB),
    ("token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "GitHub token",
     "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
    (f"bot token {SLACK}", "Slack token", SLACK),
    ("posts to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX daily",
     "Slack webhook URL", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
    (f"Stripe key {STRIPE}.", "Stripe secret key", STRIPE),
    ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw in the webhook settings", "Stripe webhook secret",
     "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    (f"maps key {GOOGLE} in the page source", "Google API key", GOOGLE),
    (f"session cookie {JWT}", "JSON Web Token", JWT),
    (f"token={JWT}", "JSON Web Token", JWT),  # the specific kind wins over the assignment
    ("Authorization: Bearer 8f2b0c1d9e7a4f6b3c5d7e9f1a2b4c6d", "bearer token", "8f2b0c1d9e7a4f6b3c5d7e9f1a2b4c6d"),
    ("connects with https://user:pass@db.acme.com/prod", "password in a URL", "pass"),
    ("DATABASE_URL=postgres://admin:S3cr3t!pw@10.0.0.4:5432/app", "password in a URL", "S3cr3t!pw"),
    ("password=hunter22", "password", "hunter22"),
    ("Password: Summer2024!", "password", "Summer2024!"),
    ("set db_password = 'Tr0ub4dor&3' in the config", "password", "Tr0ub4dor&3"),
    ('{"api_key": "a1b2c3d4e5f6"}', "API key", "a1b2c3d4e5f6"),
    ("client_secret: xK9#mQ2$vL7p", "secret", "xK9#mQ2$vL7p"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "access key",
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("the access_token=Zm9vYmFyYmF6cXV4MTIz.", "token", "Zm9vYmFyYmF6cXV4MTIz"),  # the full stop ends the sentence
]


@pytest.mark.parametrize(("text", "kind", "secret"), FOUND)
def test_each_kind_of_secret_is_found_with_its_exact_span(text: str, kind: str, secret: str) -> None:
    found = find_secrets(text)
    assert [(s.kind, text[s.start : s.end]) for s in found] == [(kind, secret)]


NOT_SECRETS = [
    "Ticket ZD-4821 was reopened",
    "Request id 123e4567-e89b-12d3-a456-426614174000 failed",
    "Fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8, released in 4.12.0",
    "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "Password reset emails are not arriving since the password policy changed",
    "The customer reset their password: it did not help",
    "Password: Expired",
    "password=changeme",
    "password: ********",
    "api_key=YOUR_API_KEY",
    "api_key=<your key>",
    "token=${GITHUB_TOKEN}",
    "secret: none",
    "tokens: 3 left this month",
    "the API key is set in Settings > API",
    "pk_live_4eC39HqLyjWDarjtT1zdp7dc is the publishable key",
    "https://user:***@db.acme.com and https://user:<password>@host",
    "ssh git@github.com:acme/app.git and https://app.acme.com:8443/login",
    "Bearer authentication is not supported by the proxy",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
    "Invoice INV-2041 for ACME-PROD, feature_flag new_export on",
    "token = state.push(rule, 0)",  # code pasted from a stack trace
    "token = Name.Builtin",
    "Token: '#cccccc'",
    "token: #4411",
    "the session token:\nexpired_at 2026-11-19T10:00",
    "",
]


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert find_secrets(text) == ()


def test_redact_replaces_each_secret_with_its_kind_and_keeps_the_rest() -> None:
    text = f"Key {AWS} and password=hunter22 from https://bob:pa55word@host/x, see ZD-4821."
    assert redact(text) == (
        "Key [redacted AWS access key] and password=[redacted password] from "
        "https://bob:[redacted password in a URL]@host/x, see ZD-4821."
    )
    assert redact(f"a {PEM} b") == "a [redacted private key] b"
    assert redact("nothing to hide") == "nothing to hide"


def test_redact_takes_a_replacement_and_leaves_no_part_of_any_secret() -> None:
    text = " ".join(text for text, _, _ in FOUND)
    cleaned = redact(text, lambda secret: "•")
    for _, _, secret in FOUND:
        for line in secret.splitlines():
            assert len(line) < 8 or line not in cleaned  # "pass" is also part of "password"
    assert find_secrets(cleaned) == ()


def test_secrets_in_walks_every_text_of_the_case_and_names_its_field() -> None:
    esc = Escalation(
        summary=f"Key {AWS} leaked",
        tried=[TriedStep(action="Logged in as admin", result=f"Got {JWT}")],
        reproduction=Reproduction(evidence=["HTTP 500 at 10:02", f"log line: {GITHUB}"]),
        context=[ContextItem(reference="https://user:hunter2@jira.acme.com/ZD-4821")],
        target_override=TargetOverride(value="security", reason="password=hunter22"),
        edited_brief=f"## ESCALATION\n{PEM}",
    )
    assert [(path, secret.kind) for path, secret in secrets_in(esc)] == [
        ("summary", "AWS access key"),
        ("tried.0.result", "JSON Web Token"),
        ("reproduction.evidence.1", "GitHub token"),
        ("context.0.reference", "password in a URL"),
        ("target_override.reason", "password"),
        ("edited_brief", "private key"),
    ]
    assert secrets_in(Escalation(problem={"nature": "bug"})) == []  # choices are not text


def test_long_hostile_text_is_scanned_quickly() -> None:
    """Each pattern runs in time linear in the text: a paste of a whole log must not freeze typing."""
    texts = [
        "a." * 50_000 + "token",
        "token" * 20_000,
        "The customer says the password is fine. " * 2_500,
        "password=" * 20_000,
        "-----BEGIN PRIVATE KEY-----" + " A" * 50_000,
        "https://" + "a:" * 50_000,
        "eyJ" + "a" * 100_000 + ".eyJ",
    ]
    start = time.perf_counter()
    for text in texts:
        find_secrets(text)
    assert time.perf_counter() - start < 0.5
