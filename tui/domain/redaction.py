"""Secrets and personal data in a case, found and masked before anything leaves the machine.

`secrets.py` finds credentials by construction (provider prefixes, PEM blocks, passwords in URLs,
bearer tokens, values assigned to `password`-like names). Before a send this adds: more providers'
key formats and webhook URLs, HTTP basic credentials, card numbers (Luhn-checked), e-mail addresses,
phone numbers, and long random-looking strings of no known format. Each finding says what it is,
which field holds it, where, and shows a preview that never gives the value away.

Where a look-alike is left alone, and why:
- hexadecimal runs (commit hashes, checksums, UUIDs used as ticket or request ids, trace ids) are ids
  an engineer must be able to look up; a hex key is caught when it is named (`token=…`, `Bearer …`);
- the path of a link (`/commit/<sha>`, `/d/<document id>`) is an address to follow; its query string
  (`?sig=…`, `?token=…`) is checked;
- base64 that decodes to readable text is encoded prose, not a key; names in code
  ("getUserAccountById2FromCache") are mostly words;
- an address at a domain reserved for examples (example.com, *.test) is nobody's;
- a run of digits is a phone number only with a country code, a national layout (`(415) 555-0132`,
  `020 7946 0958`) or a word such as "phone" just before it: never a date, a time, an IP address, a
  version, an amount or an order number.

Patterns compile on first use; the module is imported only when a brief is about to be sent.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from tui.domain.lazy_pattern import LazyPattern
from tui.domain.models import Escalation
from tui.domain.redaction_options import RedactionOptions
from tui.domain.secrets import find_secrets, texts_in

__all__ = ["Finding", "RedactionOptions", "mask", "mask_text", "preview_of", "scan"]

SECRET = "secret"
PERSONAL = "personal"


@dataclass(frozen=True)
class Finding:
    kind: str  # as a person says it: "AWS access key", "e-mail address"
    category: str  # SECRET or PERSONAL
    field: str  # dotted path of the case's field ("tried.0.result"); "" for a loose text
    start: int
    end: int
    line: int  # 1-based, in that field's text
    value: str  # the matched text: kept in memory only, never shown, logged or stored
    preview: str  # safe to show

    @property
    def key(self) -> str:
        """The same for the same finding in the same unchanged text, scan after scan."""
        return f"{self.field}:{self.start}:{self.end}:{self.kind}"

    @property
    def note(self) -> str:
        return f"[redacted {self.kind}]"

    def __repr__(self) -> str:  # a finding printed in a traceback or a log shows no value
        return f"Finding({self.kind!r}, {self.field!r}, {self.start}-{self.end}, {self.preview!r})"


class _Hit(NamedTuple):
    kind: str
    category: str
    start: int
    end: int


# --- previews --------------------------------------------------------------------------------


def preview_of(kind: str, value: str) -> str:
    """What a person may see of a finding: enough to recognise it, never enough to rebuild it."""
    if kind == "e-mail address" and "@" in value:
        local, _, domain = value.rpartition("@")
        return f"{local[:1]}…@{domain} ({len(value)} chars)"
    if kind in ("card number", "phone number"):
        digits = [c for c in value if c.isdigit()]
        shown = "".join(digits[-4:] if kind == "card number" else digits[-2:])
        return f"…{shown} ({len(digits)} digits)"
    shown = value[: min(4, len(value) // 3)]
    return f"{shown}… ({len(value)} chars)"


# --- more providers --------------------------------------------------------------------------

_BOUND = r"(?<![A-Za-z0-9_-])"
_END = r"(?![A-Za-z0-9_-])"


class _Provider(NamedTuple):
    kind: str
    pattern: LazyPattern
    group: str  # the group that is the secret ("0": the whole match)


def _provider(kind: str, pattern: str, *needles: str, group: str = "0") -> _Provider:
    return _Provider(kind, LazyPattern(pattern, needles=needles), group)


_PROVIDERS: tuple[_Provider, ...] = (
    _provider("Anthropic API key", rf"{_BOUND}sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{{32,}}", "sk-ant-"),
    _provider("OpenAI API key",
              rf"{_BOUND}sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{{20,}}|[A-Za-z0-9]{{20}}T3BlbkFJ[A-Za-z0-9]{{20}}"
              rf"|[A-Za-z0-9]{{32,}}{_END})", "sk-"),
    _provider("Twilio API key", r"(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])", "sk"),
    _provider("SendGrid API key", rf"{_BOUND}SG\.[A-Za-z0-9_-]{{22}}\.[A-Za-z0-9_-]{{43}}{_END}", "sg."),
    _provider("npm token", rf"{_BOUND}npm_[A-Za-z0-9]{{36}}{_END}", "npm_"),
    _provider("PyPI token", rf"{_BOUND}pypi-AgE[A-Za-z0-9_-]{{50,}}", "pypi-"),
    _provider("Hugging Face token", rf"{_BOUND}hf_[A-Za-z0-9]{{34,}}{_END}", "hf_"),
    _provider("Atlassian API token", rf"{_BOUND}ATATT3[A-Za-z0-9_=-]{{50,}}", "atatt3"),
    _provider("Linear API key", rf"{_BOUND}lin_(?:api|oauth)_[A-Za-z0-9]{{32,}}{_END}", "lin_api_", "lin_oauth_"),
    _provider("Shopify token", rf"{_BOUND}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{{32}}{_END}", "shpat_", "shpca_", "shppa_",
              "shpss_"),
    _provider("Azure key", r"(?i)(?:AccountKey|SharedAccessKey|SharedSecret)=(?P<v>[A-Za-z0-9+/%]{20,}={0,2})",
              "accountkey=", "sharedaccesskey=", "sharedsecret=", group="v"),
    _provider("URL signature", r"[?&](?:sig|signature|X-Amz-Signature|X-Goog-Signature)=(?P<v>[A-Za-z0-9%+/=_-]{16,})",
              "sig=", "signature=", group="v"),
    _provider("Discord webhook URL",
              r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{20,}", "discord"),
    _provider("Lark webhook URL",
              r"https://open\.(?:feishu\.cn|larksuite\.com)/open-apis/bot/v2/hook/[A-Za-z0-9-]{16,}", "/bot/v2/hook/"),
    _provider("Teams webhook URL", r"https://[A-Za-z0-9.-]+\.webhook\.office\.com/webhookb2/[^\s\"'<>|)\]]+",
              "webhook.office.com"),
)

_BASIC = LazyPattern(r"(?<![A-Za-z])Basic[ \t]+(?P<v>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
                     needles=("basic",))


def _printable(raw: bytes) -> bool:
    return bool(raw) and all(32 <= byte < 127 for byte in raw)


def _b64(text: str) -> bytes | None:
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def _providers(text: str, lowered: str) -> Iterator[_Hit]:
    for provider in _PROVIDERS:
        if any(needle in lowered for needle in provider.pattern.needles):
            for match in provider.pattern.compiled.finditer(text):
                start, end = match.span(0 if provider.group == "0" else provider.group)
                yield _Hit(provider.kind, SECRET, start, end)
    if "basic" in lowered:
        for match in _BASIC.compiled.finditer(text):
            raw = _b64(match["v"])
            if raw is not None and b":" in raw:  # user:password
                yield _Hit("basic auth credentials", SECRET, *match.span("v"))


# --- card numbers ----------------------------------------------------------------------------

_CARD = LazyPattern(r"(?<![\w.,/#$€£-])(?<!\d[ -])(?:\d[ -]?){12,18}\d(?![\w/])(?![ .,-]\d)")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def _card(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    groups = re.split(r"[ -]", candidate)
    return (
        13 <= len(digits) <= 19
        and digits[0] in "23456"  # the networks' ranges: Mastercard 2/5, Amex and Diners 3, Visa 4, Discover 6
        and len(set(digits)) > 1
        and (len(groups) == 1 or all(3 <= len(group) <= 6 for group in groups))
        and _luhn(digits)
    )


def _cards(text: str) -> Iterator[_Hit]:
    for match in _CARD.compiled.finditer(text):
        if _card(match[0]):
            yield _Hit("card number", PERSONAL, *match.span())


# --- e-mail addresses ------------------------------------------------------------------------

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = LazyPattern(
    rf"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@{_LABEL}(?:\.{_LABEL})*\.(?P<tld>[A-Za-z]{{2,24}})(?![\w-])"
)
# "icon@2x.png", "app@1.2.js": an asset's name, not an address
_FILE_ENDINGS = frozenset(("png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "css", "map", "py",
                           "rb", "go", "java", "json", "yaml", "yml", "toml", "txt", "log", "tgz", "zip", "whl"))
_IN_URL_AUTHORITY = re.compile(r"://[^\s/@]*$")
# Reserved for documentation and tests (RFC 2606, RFC 6761): nobody's address.
_RESERVED_DOMAIN = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|[^.]+\.(?:example|test|invalid|localhost))$")


def _emails(text: str) -> Iterator[_Hit]:
    for match in _EMAIL.compiled.finditer(text):
        local, domain = match[0].split("@", 1)
        if match["tld"].casefold() in _FILE_ENDINGS or local == "git":  # git@github.com:org/repo
            continue
        if _RESERVED_DOMAIN.search(domain):
            continue
        if _IN_URL_AUTHORITY.search(text, max(0, match.start() - 200), match.start()):
            continue  # user:password@host: the password detector's, and the host is no address
        yield _Hit("e-mail address", PERSONAL, *match.span())


# --- phone numbers ---------------------------------------------------------------------------

_PHONE = LazyPattern(r"(?<![\w#$€£¥@/+.,:=-])(?:\+(?=[1-9])|00(?=[1-9]))?\(?\d[\d ().-]{5,24}\d(?![\w/@%])(?![.,:-]\d)")
_NANP = re.compile(r"(?:1[ .-]?)?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-])\d{3}[ .-]\d{4}")
_SAYS_PHONE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|whatsapp|sms|landline|call(?:ed)? (?:him|her|them|me|us)"
    r"(?: on| at)?|reach (?:him|her|them|me|us) (?:on|at))\b[^\n\d]{0,12}$"
)


def _phone(candidate: str, before: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    separators = set(re.findall(r"[ .-]", candidate))
    groups = [group for group in re.split(r"[ ().-]+", candidate) if group]
    if candidate.startswith(("+", "00")):
        count = len(digits) - (2 if candidate.startswith("00") else 0)
        return 8 <= count <= 15
    if _NANP.fullmatch(candidate):
        return True
    if separators == {"."} or ("." in separators and len(separators) > 1):
        return False  # an IP address, a version, a list of figures
    if digits[0] == "0" and digits[1] != "0" and 9 <= len(digits) <= 11 and len(groups) >= 2:
        return all(len(group) >= 2 for group in groups)  # a national number with its trunk 0
    return 7 <= len(digits) <= 15 and bool(_SAYS_PHONE.search(before))


def _phones(text: str) -> Iterator[_Hit]:
    for match in _PHONE.compiled.finditer(text):
        candidate = match[0]
        if candidate.count("(") != candidate.count(")"):
            continue
        if _phone(candidate, text[max(0, match.start() - 40) : match.start()]):
            yield _Hit("phone number", PERSONAL, *match.span())


# --- high-entropy strings --------------------------------------------------------------------

_RUN = LazyPattern(r"(?<![A-Za-z0-9+/_.-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")
_URL = re.compile(r"https?://[^\s<>\"'|)\]]+")
_HEX = frozenset("0123456789abcdefABCDEF-")
MIN_RANDOM_LENGTH = 20


def entropy(text: str) -> float:
    """Shannon entropy of `text`, in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _threshold(length: int) -> float:
    """A random string from 62 or 64 characters reaches this; words, names and code rarely do. The
    most a string can reach is log2 of its length, so short strings get a lower bar."""
    return min(4.5, 0.8 * math.log2(length))


_WORD = re.compile(r"[A-Z]?[a-z]{3,}")


def _wordy(text: str) -> bool:
    """Mostly words, as names in code are ("getUserAccountById2FromCache"): in a random string from 62
    characters, words of three letters or more cover over 70 % of it less than once in a hundred."""
    return sum(len(word) for word in _WORD.findall(text)) >= 0.7 * len(text)


def random_looking(run: str) -> bool:
    body = run.rstrip("=")
    if len(body) < MIN_RANDOM_LENGTH or set(body) <= _HEX:
        return False
    digit = any(c.isdigit() for c in body)
    upper = any(c.isupper() for c in body)
    lower = any(c.islower() for c in body)
    if not (digit and ((upper and lower) or len(body) >= 32)) or entropy(body) < _threshold(len(body)):
        return False
    if _wordy(body):
        return False
    raw = _b64(body)
    return raw is None or not _printable(raw)


def _path_spans(text: str) -> list[tuple[int, int]]:
    """Where links' host and path are: addresses, not secrets (their query strings are checked)."""
    spans = []
    for match in _URL.finditer(text):
        url = match[0]
        cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        spans.append((match.start(), match.start() + cut))
    return spans


def _in_path(paths: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect_right(paths, start, key=lambda span: span[0]) - 1  # the last link starting at or before it
    return index >= 0 and paths[index][1] >= end


def _random_strings(text: str) -> Iterator[_Hit]:
    paths = _path_spans(text) if "://" in text else []
    for match in _RUN.compiled.finditer(text):
        start, end = match.span()
        if _in_path(paths, start, end) or not random_looking(match[0]):
            continue
        yield _Hit("high-entropy string", SECRET, start, end)


# --- scanning --------------------------------------------------------------------------------


_DIGIT = re.compile(r"\d")


def _hits(text: str, options: RedactionOptions) -> list[_Hit]:
    """Every finding in `text`, in order, none overlapping another: the most specific wins."""
    lowered = text.lower()
    finders: list[Callable[[], Iterable[_Hit]]] = [
        lambda: _providers(text, lowered),
        lambda: (_Hit(s.kind, SECRET, s.start, s.end) for s in find_secrets(text)),
    ]
    digits = len(_DIGIT.findall(text))
    if digits >= 13:
        finders.append(lambda: _cards(text))
    if options.emails and "@" in text:
        finders.append(lambda: _emails(text))
    if options.phones and digits >= 7:
        finders.append(lambda: _phones(text))
    if options.high_entropy and len(text) >= MIN_RANDOM_LENGTH:
        finders.append(lambda: _random_strings(text))
    kept: list[_Hit] = []  # by start; none overlapping, so by end too
    for finder in finders:
        for hit in finder():
            index = bisect_left(kept, hit.start, key=lambda other: other.start)
            before_ends = index == 0 or kept[index - 1].end <= hit.start
            after_starts = index == len(kept) or kept[index].start >= hit.end
            if before_ends and after_starts:
                kept.insert(index, hit)
    return kept


def _findings(field: str, text: str, options: RedactionOptions) -> list[Finding]:
    findings, line, at = [], 1, 0
    for hit in _hits(text, options):  # in order: lines are counted once over the text
        line += text.count("\n", at, hit.start)
        at = hit.start
        value = text[hit.start : hit.end]
        findings.append(Finding(hit.kind, hit.category, field, hit.start, hit.end, line, value,
                                preview_of(hit.kind, value)))
    return findings


def scan(esc: Escalation, options: RedactionOptions) -> list[Finding]:
    """Every finding in every text of the case (list items and nested parts too), in field order."""
    return [finding for field, text in texts_in(esc) for finding in _findings(field, text, options)]


def _masked(text: str, findings: Iterable[Finding]) -> str:
    """`text` with each finding's span replaced by its note. A finding whose span no longer holds its
    value (the text changed since the scan) has every occurrence of its value masked instead."""
    spans: list[tuple[int, int, str]] = []
    stale: list[Finding] = []
    for finding in findings:
        if text[finding.start : finding.end] == finding.value:
            spans.append((finding.start, finding.end, finding.note))
        else:
            stale.append(finding)
    spans.sort()
    parts, at = [], 0
    for start, end, note in spans:
        if start < at:
            continue  # overlaps one already masked
        parts += [text[at:start], note]
        at = end
    parts.append(text[at:])
    result = "".join(parts)
    for finding in stale:
        if finding.value:
            result = result.replace(finding.value, finding.note)
    return result


def _replace(data: Any, path: list[str], change: Callable[[str], str]) -> None:
    *parents, last = path
    for step in parents:
        data = data[int(step)] if isinstance(data, list) else data[step]
    if isinstance(data, list):
        data[int(last)] = change(data[int(last)])
    else:
        data[last] = change(data[last])


def mask(esc: Escalation, findings: Iterable[Finding]) -> Escalation:
    """The case with each given finding replaced by ``[redacted <kind>]``; the rest as it was."""
    by_field: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_field[finding.field].append(finding)
    if not by_field:
        return esc
    data = esc.model_dump()
    for field, group in by_field.items():
        _replace(data, field.split("."), partial(_masked, findings=group))
    return Escalation.model_validate(data)


def mask_text(text: str, options: RedactionOptions, keep: frozenset[str] = frozenset()) -> tuple[str, list[Finding]]:
    """`text` with everything found masked except the values in `keep` (those the agent chose to
    keep, with a reason), and the findings that were masked (their `field` is "")."""
    masked = [finding for finding in _findings("", text, options) if finding.value not in keep]
    return (_masked(text, masked) if masked else text), masked
