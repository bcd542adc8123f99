"""Request signatures and Lark's encryption, as the platforms publish them. Pure: no clock is read
here (the caller passes `now`), no network, no secret kept.

- Lark v2 event/callback requests: `X-Lark-Signature == sha256_hex(timestamp + nonce + encrypt_key + body)`.
- Lark encrypted bodies `{"encrypt": …}`: AES-256-CBC with key `sha256(encrypt_key)`, the IV the first
  16 bytes, PKCS#7 padding.
- Lark custom bots: `tui.send.lark.sign` (re-exported here as `lark_bot_sign`).
- Slack v0: `X-Slack-Signature == "v0=" + hmac_sha256_hex(secret, f"v0:{timestamp}:{body}")`, refused
  when the timestamp is more than five minutes from now.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import datetime

from tui.send.lark import sign as lark_bot_sign

__all__ = ["SLACK_WINDOW_SECONDS", "LarkDecryptError", "lark_bot_sign", "lark_decrypt", "lark_encrypt",
           "lark_signature", "lark_signature_ok", "slack_problem", "slack_signature", "slack_signature_ok"]

SLACK_WINDOW_SECONDS = 300
_BLOCK = 16


class LarkDecryptError(ValueError):
    """An `encrypt` value that does not decrypt with the configured key."""


def lark_signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256(timestamp.encode() + nonce.encode() + encrypt_key.encode() + body).hexdigest()


def lark_signature_ok(signature: str, timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> bool:
    expected = lark_signature(timestamp, nonce, encrypt_key, body)
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode("ascii", "replace"))


def _aes_key(encrypt_key: str) -> bytes:
    return hashlib.sha256(encrypt_key.encode()).digest()


def lark_decrypt(encrypted: str, encrypt_key: str) -> str:
    """The text Lark encrypted with `encrypt_key`; LarkDecryptError when it does not decrypt."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError):
        raise LarkDecryptError("the encrypted body is not base64") from None
    if len(raw) < 2 * _BLOCK or len(raw) % _BLOCK:
        raise LarkDecryptError("the encrypted body has the wrong length for AES-CBC")
    decryptor = Cipher(algorithms.AES(_aes_key(encrypt_key)), modes.CBC(raw[:_BLOCK])).decryptor()
    padded = decryptor.update(raw[_BLOCK:]) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes([pad]) * pad:
        raise LarkDecryptError("the encrypted body does not decrypt with the configured encrypt key")
    try:
        return padded[:-pad].decode("utf-8")
    except UnicodeDecodeError:
        raise LarkDecryptError("the encrypted body does not decrypt with the configured encrypt key") from None


def lark_encrypt(text: str, encrypt_key: str, iv: bytes) -> str:
    """`text` encrypted as Lark does (for tests and loopback doubles: Lark itself is the sender)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(iv) != _BLOCK:
        raise ValueError("the IV is 16 bytes")
    data = text.encode("utf-8")
    pad = _BLOCK - len(data) % _BLOCK
    encryptor = Cipher(algorithms.AES(_aes_key(encrypt_key)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode("ascii")


def slack_signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def slack_problem(signature: str, timestamp: str, body: bytes, signing_secret: str, now: datetime) -> str | None:
    """Why a Slack request cannot be trusted, in a few words; None when it is signed with
    `signing_secret` and was sent within five minutes of `now`."""
    if not signature or not timestamp:
        return "unsigned"
    if not (timestamp.isascii() and timestamp.isdecimal() and len(timestamp) <= 12):
        return "a timestamp that is not a number"
    if abs(now.timestamp() - int(timestamp)) > SLACK_WINDOW_SECONDS:
        return "sent more than 5 minutes from now (a replay?)"
    expected = slack_signature(signing_secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.encode("ascii", "replace")):
        return "a signature that does not match"
    return None


def slack_signature_ok(signature: str, timestamp: str, body: bytes, signing_secret: str, now: datetime) -> bool:
    """Whether a Slack request is signed with `signing_secret` and sent within five minutes of `now`."""
    return slack_problem(signature, timestamp, body, signing_secret, now) is None
