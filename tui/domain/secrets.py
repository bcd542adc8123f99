"""Credentials typed or pasted into a case: find them, say what they are, cut them out.

A brief travels: it is exported, copied into tickets and chats, and its file is named after its
summary. A key pasted into it is a key leaked. `find_secrets` gives each credential in a text with
its kind and span, `redact` replaces each with a note of what was there, and `secrets_in` walks
every text of a case and says which field holds what. The quality checklist refuses a brief that
holds one, the export name leaves it out, and a redaction step before sending can reuse them as
they are.

Only shapes that are credentials by construction count: a provider's key prefix and length, a PEM
private-key block, a password between ``://`` and ``@``, a token after ``Bearer``, and a value
assigned to a name such as ``password`` or ``api_key`` that looks made up rather than a word.
There is no guessing by randomness alone, which would flag UUIDs, commit hashes and ticket ids;
the word "password" in a sentence is prose. Each pattern is compiled on first use, and tried only
on a text that holds one of its needles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import NamedTuple

from pydantic import BaseModel

from tui.domain.lazy_pattern import LazyPattern


class Secret(NamedTuple):
    kind: str  # what it is, as a person says it: "AWS access key"
    noun: str  # how to refer to it once it is rotated: "AWS key"
    start: int
    end: int


Check = Callable[[re.Match[str]], tuple[int, int] | None]


class _Detector(NamedTuple):
    kind: str
    noun: str
    pattern: LazyPattern
    # The span of a match that is the secret, or None when the match is no secret after all.
    span: Check


def _whole(match: re.Match[str]) -> tuple[int, int] | None:
    return match.span()


def _made_up_group(name: str) -> Check:
    """The named group, when it looks made up (see `_made_up`)."""

    def span(match: re.Match[str]) -> tuple[int, int] | None:
        return match.span(name) if _made_up(match[name]) else None

    return span


def _unless_placeholder(name: str) -> Check:
    """The named group, unless it is a mask or a placeholder ("***", "<password>", "${TOKEN}")."""

    def span(match: re.Match[str]) -> tuple[int, int] | None:
        return None if _placeholder(match[name]) else match.span(name)

    return span


_NOT_A_VALUE = frozenset((
    "redacted", "removed", "hidden", "masked", "none", "null", "nil", "true", "false", "undefined", "unknown",
    "empty", "changeme", "example", "sample", "password", "passwd", "secret", "token", "value", "string",
    "required", "optional", "placeholder", "yes", "no",
))
_PLACEHOLDER_OPENERS = "<{[($%*#"  # "#": a colour, an anchor or a ticket number
_MASK = frozenset("*•x.-_#")


def _placeholder(value: str) -> bool:
    folded = value.casefold()
    return not value or value[0] in _PLACEHOLDER_OPENERS or folded in _NOT_A_VALUE or set(folded) <= _MASK


def _made_up(value: str) -> bool:
    """Whether `value` looks like a credential rather than a word, a mask, a link, a placeholder or
    code: a letter and a digit or a symbol, six characters at least ("hunter22", "Summer2024!"), where
    "Expired", "changeme", "YOUR_API_KEY", "Name.Builtin" and "#cccccc" are not."""
    if len(value) < 6 or "://" in value or _placeholder(value) or any(c in value for c in "([{"):
        return False  # too short, a link, a placeholder, or code (`token = tokens[i]`, `Token(name)`)
    letter = any(c.isalpha() for c in value)
    return letter and any(c.isdigit() or (not c.isalnum() and c not in " _-.") for c in value)


def _assignment(match: re.Match[str]) -> tuple[int, int] | None:
    """The value of `name = value` (or `name: value`); its quotes are not part of it, nor is a full stop
    or comma that ends it (the sentence's; any other character may be the password's own)."""
    start, end = match.span("value")
    value = match["value"]
    quoted = value[:1] in "\"'"
    if quoted:
        start, end, value = start + 1, end - 1, value[1:-1]
    elif value[-1] in ".,":
        end, value = end - 1, value[:-1]
    return (start, end) if _made_up(value) else None


def _kind_of_name(name: str) -> tuple[str, str]:
    name = name.casefold()
    if "pass" in name:
        return "password", "password"
    for family, kind in (("api", "API key"), ("private", "private key"), ("access_key", "access key"),
                         ("access-key", "access key"), ("accesskey", "access key"), ("secret", "secret"),
                         ("token", "token")):
        if family in name:
            return kind, kind
    return "secret", "secret"


_NAMES = (
    r"password|passwd|passphrase|pass_?word|api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?key|private[_-]?key"
    r"|token"
)
_PEM_END = r"-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
_PEM_GAP = r"(?:\s|\\[rn])"  # a line break, or one written as \n inside JSON or a log line

_DETECTORS: tuple[_Detector, ...] = (
    _Detector("private key", "private key", LazyPattern(
        r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
        rf"(?:{_PEM_GAP}+(?:(?:Proc-Type|DEK-Info|Version|Comment):[^\n\\]*|[A-Za-z0-9+/=]{{16,}}))*"
        rf"(?:(?:{_PEM_GAP}+[A-Za-z0-9+/=]{{1,15}})?{_PEM_GAP}*{_PEM_END})?",
        needles=("private key",)), _whole),
    _Detector("AWS access key", "AWS key", LazyPattern(
        r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])",
        needles=("akia", "asia", "abia", "acca", "a3t")), _whole),
    _Detector("GitHub token", "GitHub token", LazyPattern(
        r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])",
        needles=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")), _whole),
    _Detector("GitLab token", "GitLab token", LazyPattern(
        r"(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}", needles=("glpat-",)), _whole),
    _Detector("Slack token", "Slack token", LazyPattern(
        r"(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-[0-9]+-[A-Za-z0-9-]{8,}", needles=("xox", "xapp-")), _whole),
    _Detector("Slack webhook URL", "Slack webhook", LazyPattern(
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{16,}",
        needles=("hooks.slack.com",)), _whole),
    _Detector("Stripe secret key", "Stripe key", LazyPattern(
        r"(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}(?![A-Za-z0-9])",
        needles=("sk_live_", "sk_test_", "rk_live_", "rk_test_")), _whole),
    _Detector("Stripe webhook secret", "Stripe webhook secret", LazyPattern(
        r"(?<![A-Za-z0-9])whsec_[A-Za-z0-9+/=]{24,}", needles=("whsec_",)), _whole),
    _Detector("Google API key", "Google API key", LazyPattern(
        r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", needles=("aiza",)), _whole),
    _Detector("JSON Web Token", "token", LazyPattern(
        r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", needles=("eyj",)), _whole),
    _Detector("bearer token", "token", LazyPattern(
        r"(?<![A-Za-z])[Bb]earer[ \t]+(?P<token>[A-Za-z0-9._~+/-]{20,}=*)", needles=("bearer",)),
        _made_up_group("token")),
    _Detector("password in a URL", "password", LazyPattern(
        r"://[^\s:/?#@]+:(?P<password>[^\s/?#@]+)@",
        needles=("://",)), _unless_placeholder("password")),
)

# `name = value`, `name: value`, `"name": "value"`, the name ending with one of the words above.
_ASSIGNMENT = LazyPattern(
    rf"(?i)(?P<name>{_NAMES})[\"']?(?:[ \t]*(?::=|=>|=|:)[ \t]*)"
    r"(?P<value>\"[^\"\n]+\"|'[^'\n]+'|[^\s\"',;&)}\]]+)",
    needles=("passw", "passphrase", "pass_word", "api_key", "api-key", "apikey", "secret", "token", "access_key",
             "access-key", "accesskey", "private_key", "private-key"),
)


def _assignments(text: str) -> Iterator[Secret]:
    for match in _ASSIGNMENT.compiled.finditer(text):
        span = _assignment(match)
        if span is not None:
            kind, noun = _kind_of_name(match["name"])
            yield Secret(kind, noun, *span)


_ALL_NEEDLES = tuple(
    {needle for detector in _DETECTORS for needle in detector.pattern.needles} | set(_ASSIGNMENT.needles)
)


def _candidates(text: str) -> Iterator[Secret]:
    """Every secret each detector sees, the specific detectors first; a pattern is tried only when
    the text holds one of its needles."""
    lowered = text.lower()
    present = {needle for needle in _ALL_NEEDLES if needle in lowered}
    if not present:
        return
    for detector in _DETECTORS:
        if not present.isdisjoint(detector.pattern.needles):
            for match in detector.pattern.compiled.finditer(text):
                span = detector.span(match)
                if span is not None:
                    yield Secret(detector.kind, detector.noun, *span)
    if not present.isdisjoint(_ASSIGNMENT.needles):
        yield from _assignments(text)


def find_secrets(text: str) -> tuple[Secret, ...]:
    """The credentials in `text`, in order, none overlapping another (a key assigned to `api_key` is
    reported as what it is, an AWS key, not as a generic API key)."""
    if not text:
        return ()
    kept: list[Secret] = []
    for secret in _candidates(text):
        if all(secret.end <= other.start or secret.start >= other.end for other in kept):
            kept.append(secret)
    return tuple(sorted(kept, key=lambda s: s.start))


def _note(secret: Secret) -> str:
    return f"[redacted {secret.kind}]"


def redact(text: str, replacement: Callable[[Secret], str] = _note) -> str:
    """`text` with each secret replaced, by default with a note such as ``[redacted AWS access key]``."""
    secrets = find_secrets(text)
    if not secrets:
        return text
    parts, at = [], 0
    for secret in secrets:
        parts += [text[at : secret.start], replacement(secret)]
        at = secret.end
    parts.append(text[at:])
    return "".join(parts)


def _collect(value: object, path: str, out: list[tuple[str, str]]) -> None:
    """Append each non-empty text under `value` to `out`, with its path. A choice (a StrEnum) is a
    str but no typed text: `type(value) is str` leaves it out."""
    if type(value) is str:
        if value:
            out.append((path, value))
    elif isinstance(value, BaseModel):
        prefix = f"{path}." if path else ""
        for name in _field_names(type(value)):
            _collect(getattr(value, name), prefix + name, out)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _collect(item, f"{path}.{index}", out)


@cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def texts_in(model: BaseModel) -> list[tuple[str, str]]:
    """Every non-empty text of `model` with its dotted path, in the model's field order."""
    texts: list[tuple[str, str]] = []
    _collect(model, "", texts)
    return texts


def secrets_in(model: BaseModel) -> list[tuple[str, Secret]]:
    """Every secret in every text of `model` (list items and nested parts too), with the dotted path
    of the field that holds it ("summary", "reproduction.evidence.1", "tried.0.result") and its span
    in that field's text, in the model's field order.

    This runs whenever the checklist is drawn, over some fifty texts, nearly all without a needle:
    the needles are looked for in all of them at once, and only the texts holding one are scanned."""
    texts = texts_in(model)
    lowered = [text.lower() for _, text in texts]
    everything = "\n".join(lowered)
    present = [needle for needle in _ALL_NEEDLES if needle in everything]
    if not present:
        return []
    holding = sorted({index for index, text in enumerate(lowered) for needle in present if needle in text})
    return [(texts[index][0], secret) for index in holding for secret in find_secrets(texts[index][1])]
