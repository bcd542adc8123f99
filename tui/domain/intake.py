"""Intake: read a one-line summary and prefill an ``Escalation`` draft.

Deterministic and pure (standard library, pydantic and ``tui.domain`` only). Every field the
parser fills comes with a ``Signal`` naming the words it read, so the app can say "I read: …"
and the agent can correct anything it got wrong. The parser never writes the description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from tui.domain.lazy_pattern import LazyPattern
from tui.domain.models import Depth, Escalation, Frequency, Nature, Part, SlaStatus, blank_escalation
from tui.domain.text_safety import strip_unsafe


class Signal(NamedTuple):
    """One thing read from the summary and what it prefilled."""

    id: str
    text: str
    effect: str


class IntakeResult(NamedTuple):
    escalation: Escalation
    signals: tuple[Signal, ...]


# --- vocabulary ---------------------------------------------------------------------------

_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS: dict[str, int] = {word: i for i, word in enumerate(_UNITS, start=1)} | _TENS
_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_CUSTOMER_NOUNS = r"customers?|accounts?|clients?|orgs?|organi[sz]ations?|tenants?|compan(?:y|ies)"
_USER_NOUNS = r"users?|seats?|people|employees"
_SEGMENT_WORDS = r"enterprise|pro|premium|strategic|starter|free|basic|smb|mid-market|self-serve"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREVIATIONS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
_WEEKDAY_NAMES = tuple(day[:3] for day in _WEEKDAYS)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)
_MONTH_NAMES = tuple(month[:3] for month in _MONTHS[:12])
# Capitalised words that open a sentence or a clause ("It's", "Today's"), or name a group, a time, a
# team, a place in the product or a technology or tool customers sign in or integrate with: never a customer.
_NOT_A_NAME = {
    *_UNITS, *_TENS, *_WEEKDAYS, *_WEEKDAY_ABBREVIATIONS, *_MONTHS, "all", "every", "each", "some", "many", "several",
    "multiple", "most", "any", "no", "our", "their", "my", "your", "his", "her", "its", "these", "those", "this",
    "that", "both", "other", "another", "more", "affected", "new", "existing", "paying", "active", "key", "major",
    "customer", "customers", "user", "users", "account", "accounts", "client", "clients", "everyone", "enterprise",
    "pro", "premium", "strategic", "starter", "free", "basic", "smb", "api", "sso", "saml", "oauth", "scim", "ui",
    "ios", "android", "windows", "mac", "macos", "linux", "chrome", "firefox", "safari", "excel", "csv", "pdf",
    "weeks", "days", "hours", "months", "years", "minutes", "the", "a", "an", "it", "there", "here", "what", "who",
    "where", "how", "when", "why", "let", "he", "she", "everybody", "nobody", "someone", "somebody", "anyone",
    "today", "tomorrow", "yesterday", "tonight", "week", "month", "year", "weekend", "morning", "night", "noon",
    "midnight", "eod", "eow", "q1", "q2", "q3", "q4", "sev", "severity", "priority", "p1", "p2", "p3", "admin",
    "admins", "team", "tenant", "tenants", "company", "org", "vendor", "partner", "agent", "support", "engineering",
    "eng", "product", "security", "leadership", "legal", "sales", "finance", "billing", "marketing", "ops", "devops",
    "qa", "hr", "l1", "l2", "l3", "tier", "production", "prod", "staging", "sandbox", "beta", "login", "logout",
    "signup", "checkout", "step", "page", "row", "line", "column", "field", "version", "release", "region", "setup",
    "onboarding", "settings", "dashboard", "report", "reports", "export", "exports", "import", "search", "risk",
    "scale", "arr", "mrr", "acv", "usd", "sla", "slo", "pii", "gdpr", "hipaa", "mfa", "2fa", "ldap", "vpn", "dns",
    "ssl", "tls", "http", "https", "json", "xml", "xlsx", "eu", "us", "uk", "apac", "emea", "utc", "edge", "okta",
    "onelogin", "auth0", "azure", "entra", "google", "gmail", "microsoft", "outlook", "slack", "teams", "zoom",
    "jira", "zendesk", "salesforce", "hubspot", "github", "gitlab", "aws", "gcp",
}
_SEGMENT_STOP = _NOT_A_NAME - {"enterprise", "pro", "premium", "strategic", "starter", "free", "basic", "smb"}
_MAX_AMOUNT = 2**63 - 1  # what an amount field holds (a TOML integer)
_ABBREVIATIONS = {"inc.", "co.", "corp.", "ltd.", "bros.", "plc.", "llc.", "jr.", "sr.", "st."}

# --- patterns -----------------------------------------------------------------------------

_I = re.IGNORECASE


def _rx(pattern: str, *needles: str) -> LazyPattern:
    """A case-insensitive pattern; every branch of it matches text holding one of `needles`."""
    return LazyPattern(pattern, _I, needles)


_WORD = r"[\w'’-]+"
_NAME_WORD = r"(?!(?i:for|at)\b)[A-Z0-9][\w&.'’-]*"  # "for"/"at" never inside a name: keeps matching linear
_CONNECTOR = r"(?:&|and|of|de|the|von|van|du|la|y)"
_CONNECTORS = {"&", "and", "of", "de", "the", "von", "van", "du", "la", "y"}
# The capitalised words after "for"/"at"; `_name_in` decides where the name ends.
_CUSTOMER = LazyPattern(
    rf"\b(?i:for|at)\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*)",
    needles=("for ", "at "),
)
# "Globex's exports", "Umbrella Corp’s SSO": the capitalised words before a possessive.
_POSSESSIVE = LazyPattern(
    rf"(?<![\w'’&.-])(?P<name>[A-Z0-9][\w&.-]*(?:\s+(?:{_CONNECTOR}\s+)?[A-Z0-9][\w&.-]*)*)['’]s\b",
    needles=("'s", "’s"),
)
# "Globex ($480k ARR) …": the capitalised words before an aside that gives their ARR.
_ARR_ASIDE = LazyPattern(
    rf"(?<![\w'’&.-])(?P<name>{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_NAME_WORD})*)\s+\([^()]*\b(?i:arr)\b",
    needles=("arr",),
)
_COUNT = _rx(
    rf"(?<![\w.,])(?P<n>\d{{1,3}}(?:,\d{{3}}){{1,2}}|\d{{1,9}}|{_NUM})\+?\s+(?:(?!of\b){_WORD}\s+)?"
    rf"(?P<noun>{_CUSTOMER_NOUNS}|{_USER_NOUNS})\b",
    "customer", "account", "client", "org", "tenant", "compan", "user", "seat", "people", "employee",
)
_QUANT = r"\b(?i:all|every|each)\s+(?:(?i:of\s+)?(?i:our|the|their|its)\s+)?"
_SEGMENT_ALL = LazyPattern(
    rf"{_QUANT}(?P<seg>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?|(?i:{_SEGMENT_WORDS}))\s+(?P<noun>(?i:{_CUSTOMER_NOUNS}|{_USER_NOUNS}))\b",
    needles=("all ", "every ", "each "),
)
_SEGMENT_SOME = LazyPattern(
    rf"\b(?P<seg>(?i:{_SEGMENT_WORDS}))\s+(?P<noun>(?i:customers|accounts|clients|tenants|users))\b"
    rf"|\b(?P<seg2>[A-Z][\w-]*)[\s-](?i:plan|tier)\s+(?i:customers|accounts|clients|tenants|users)\b"
    rf"|\b(?i:customers|accounts|clients|tenants|users)\s+(?i:on)\s+(?i:the\s+)?(?P<seg3>[A-Z][\w-]*)\s+(?i:plan|tier)\b",
    needles=("plan", "tier", *(word + " " for word in _SEGMENT_WORDS.split("|"))),
)
_EVERYONE = LazyPattern(
    rf"{_QUANT}(?P<noun>(?i:{_CUSTOMER_NOUNS}|{_USER_NOUNS}))\b|\b(?i:everyone|everybody)\b",
    needles=("all", "every", "each"),
)
_SINCE = r"(?:since|start(?:ed|ing)|began|beginning)\s+(?:on\s+)?"
_WEEKDAY_WORDS = "|".join(sorted((*_WEEKDAYS, *_WEEKDAY_ABBREVIATIONS), key=len, reverse=True))
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ABOUT = r"(?:(?:more\s+than|over|almost|nearly|about|around|at\s+least)\s+)?"
_UNIT = r"hours?|days?|weeks?|months?"
_STARTED = _rx(
    r"\b(?:(?:since\s+)?(?:(?P<this_week>this\s+week(?!['’]))|(?P<last_week>last\s+week(?!['’]))"
    r"|(?P<today>today|this\s+morning)|(?P<yesterday>yesterday|last\s+night)"
    r"|(?P<weekend>(?:this\s+past|last)\s+weekend(?!['’]))|(?:over|during|since)\s+(?P<weekend2>the\s+weekend))"
    r"|since\s+(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?P<span>(?:for|over)\s+(?:the\s+(?:last|past)\s+)?|in\s+the\s+(?:last|past)\s+)?{_ABOUT}"
    rf"(?P<n>\d{{1,4}}|an?|{_NUM})\s+(?P<unit>{_UNIT})(?(span)|\s+ago))\b",
    "this", "last", "today", "yesterday", "weekend", "since", "for", "over", "past", "ago",
)
# The weekday and the date readings stand apart, so that only a summary naming a day or a month
# pays for compiling those names.
_STARTED_DAY = _rx(
    rf"\b(?:{_SINCE}(?:last\s+)?(?P<weekday>{_WEEKDAY_WORDS})|last\s+(?P<weekday2>{'|'.join(_WEEKDAYS)}))\b",
    *_WEEKDAY_NAMES,
)
_STARTED_ON = _rx(
    rf"\b{_SINCE}(?:(?P<month>{_MONTH_WORDS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_WORDS})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?\b",
    *_MONTH_NAMES,
)
_SCALE = r"k|mm|mn|m|bn|b|thousand|million|billion"
_SCALES = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mm": 10**6, "mn": 10**6, "million": 10**6, "b": 10**9,
           "bn": 10**9, "billion": 10**9}
_DOLLARS = r"\s?(?:usd|dollars)\b"


def _money(group: str) -> str:
    """An amount in dollars: "$480k", "$1.2M", "USD 250,000", "480,000 USD", or a number with a scale
    or four digits or more ("480k", "480,000") for the words around it to call money."""
    number = rf"(?P<{group}>\d{{1,3}}(?:,\d{{3}})+|\d{{1,15}}(?:\.\d{{1,6}})?)(?![.,]\d)"
    bare = rf"(?=\d{{1,3}},\d{{3}}|\d{{4}}|[\d.]+\s?(?:{_SCALE})\b|[\d.]+{_DOLLARS})"
    return (
        rf"(?:(?<![\w$])(?:\$|us\$|usd\s?)\s?|(?<![\w$€£¥.,]){bare})"
        rf"{number}(?:\s?(?P<{group}_scale>{_SCALE})\b)?(?:{_DOLLARS})?"
    )


_ARR = r"(?:arr|annual(?:ly)?\s+recurring\s+revenue|annual\s+contract\s+value|acv)\b"
_PER_YEAR = r"(?:(?:a|per)\s+(?:year|yr)|annually|per\s+annum)\b"
_RISK = r"(?:at[\s-]risk|at\s+stake|in\s+jeopardy|on\s+the\s+line)\b"
_ARR_AT_RISK = _rx(
    rf"{_money('risk')}(?:\s+(?:of\s+|in\s+)?(?:{_ARR}|{_PER_YEAR}|revenue\b|renewal\b|contract\b))?"
    rf"(?:\s+(?:is|are|now|currently)){{0,2}}\s+{_RISK}"
    rf"|\b(?:(?:arr|revenue|renewal)\s+{_RISK}|at[\s-]risk\s+(?:{_ARR}|revenue|renewal))"
    rf"\s*(?:[:=~]|of|is|around|about|worth)?\s*{_money('risk2')}"
    rf"|\brisk(?:s|ing)?\s+(?:losing\s+)?{_money('risk3')}",
    "risk", "stake", "jeopard", "the line",
)
_CUSTOMER_ARR = _rx(
    rf"{_money('arr')}(?:\s+(?:in\s+|of\s+)?(?:{_ARR}|{_PER_YEAR})|\s?/\s?(?:year|yr)\b)"
    rf"|\b{_ARR}\s*(?:[:=~]|of|is|was|around|about|worth|at)?\s*{_money('arr2')}",
    "arr", "annual", "acv", "year", "yr", "annum",
)
_DEAL = _rx(
    rf"{_money('deal')}\s+(?:(?:expansion|upsell|upgrade|renewal|new)\s+)?(?:deal|opportunity|expansion|upsell)s?\b",
    "deal", "opportunit", "expansion", "upsell",
)
_HTTP_5XX = _rx(
    r"(?<![\w$.,])(?<!usd\s)(?P<code>5(?:0\d|1[01])|5xx)(?=s?\b)s?(?![.,]\d)"
    rf"(?!\s*(?:%|ms\b|s\b|sec|min|rows?\b|records?\b|usd\b|dollars?\b|arr\b|{_CUSTOMER_NOUNS}|{_USER_NOUNS}))"
    r"(?:\s+(?:errors?|responses?|status(?:\s+codes?)?))?",
    "50", "51", "5x",
)
_ERRORS = _rx(
    r"\berror(?:s|ed|ing)?\b|(?<!policy\s)\bexceptions?\b(?!\s+(?:to|for|from)\b)|\bcrash(?:es|ed|ing)?\b"
    r"|\bfail(?:s|ed|ing|ures?)?\b|\btime-?outs?\b|\btiming\s+out\b|\btimed\s+out\b|\bbroken\b"
    r"|\blogin\s+loop\b|\bnot\s+working\b|\b(?:does\s*n['’]?t|does\s+not|won['’]?t)\s+work\b|\bbug(?:s|gy)?\b",
    "error", "exception", "crash", "fail", "tim", "broken", "login", "work", "bug",
)
_INTERMITTENT = _rx(
    r"\b(?:does\s*n['’]?t|does\s+not|do\s*n['’]?t|do\s+not|not)\s+always\b|\bintermittent(?:ly)?\b"
    r"|\bsometimes\b|\bsporadic(?:ally)?\b|\brandom(?:ly)?\b|\bflak(?:y|iness)\b|\boccasional(?:ly)?\b"
    r"|\b(?:on\s+and\s+off|off\s+and\s+on)\b",
    "always", "intermittent", "sometimes", "sporadic", "random", "flak", "occasional", "off",
)
_ALWAYS = _rx(
    r"\balways\b|\b(?:every|each)\s+time\b|\bconsistently\b|\b100%\s+of\s+the\s+time\b",
    "always", "every", "each", "consistently", "100%",
)
_FEATURE_WORDS = r"(?:features?|capabilit(?:y|ies)|functionality|options?|integrations?)\b"
_FEATURE_GAP = _rx(
    rf"\bmissing\s+(?:{_WORD}\s+){{0,3}}?{_FEATURE_WORDS}|\bfeature\s+requests?\b|\bno\s+way\s+to\b"
    r"|\b(?:does\s*n['’]?t|does\s+not|do\s*n['’]?t|do\s+not)\s+support\b|\black(?:s|ing)?\b"
    rf"|\bneeds?\s+(?:{_WORD}\s+){{0,3}}?{_FEATURE_WORDS}",
    "missing", "feature", "way", "support", "lack", "need",
)
_DATA = _rx(
    rf"\bmissing\s+(?:{_WORD}\s+){{0,2}}?(?:rows?|records?|data|entries|entry|transactions?)\b"
    r"|\b(?:rows|records|data|entries|transactions)\s+(?:(?:is|are|was|were|went|have\s+gone|has\s+gone)\s+)?missing\b"
    r"|\bdata\s+loss\b|\blost\s+(?:(?:all|some|their|its|our|the)\s+)?(?:data|rows|records|entries|transactions)\b"
    r"|\blos(?:ing|es)\s+data\b|\bcorrupt(?:s|ed|ion|ing)?\b"
    r"|\bduplicat(?:e|ed|es)\s+(?:rows|records|entries|transactions|charges)\b|\b(?:wrong|incorrect)\s+totals?\b",
    "missing", "data", "lost", "corrupt", "duplicat", "total",
)
_LOGIN = _rx(
    r"\blog(?:-|\s)?in(?:s|to)?\b|\blogging\s+in\b|\bsign(?:-|\s)?in\b|\bsigning\s+in\b|\bsso\b|\bsaml\b"
    r"|\boauth\s?2?\b|\b(?:can['’]?t|cannot|unable\s+to)\s+access\b|\blocked\s+out\b",
    "log", "sign", "sso", "saml", "oauth", "access", "locked",
)
_OUTAGE = _rx(
    r"\boutages?\b|\bdowntime\b|\b(?:is|are|was|were|went|been|goes|going)\s+down\b(?!\s*(?:\d|by\b|to\b|from\b))"
    r"|\boffline\b|\bunreachable\b|\bunavailable\b",
    "outage", "down", "offline", "unreachable", "unavailable",
)
_SLOW = _rx(
    r"\bslow(?:s|er|ly|ness|ing)?\b|\blatency\b|\bperformance\b|\btime-?outs\b|\btiming\s+out\b|\bsluggish\b"
    r"|\blag(?:s|gy|ging)?\b",
    "slow", "latency", "performance", "tim", "sluggish", "lag",
)
_CHURN = _rx(
    r"\bthreat(?:en|ens|ened|ening)?\s+to\s+(?:churn|leave|cancel|switch|walk)\b|\bwon['’]?t\s+renew\b"
    r"|\bwill\s+not\s+renew\b|\bnot\s+renewing\b|\bconsidering\s+(?:switching|leaving|cancell?ing|churning)\b"
    r"|\bcancel(?:l?ing|s)?\s+(?:their|the|its)\s+(?:contract|subscription)\b",
    "threat", "renew", "considering", "cancel",
)
_SECURITY = _rx(
    r"\bsecurity\b|\bvulnerab(?:le|ility|ilities)\b|\bexposure\b|\bxss\b|\bsql\s+injection\b|\bcve(?:-\d{4}-\d+)?\b"
    r"|\bphishing\b|\bprivilege\s+escalation\b",
    "security", "vulnerab", "exposure", "xss", "sql", "cve", "phishing", "privilege",
)
_BREACH = _rx(
    r"\bbreach(?:ed|es)?\b(?!\s+(?:of\s+)?(?:the\s+|our\s+|their\s+|its\s+)?(?:sla|contract|agreement)\b)"
    r"|(?<!memory\s)(?<!resource\s)(?<!connection\s)\bleak(?:s|ed|ing)?\b|\bexposed\b|\bcompromised\b"
    r"|\bunauthori[sz]ed\s+access\b",
    "breach", "leak", "exposed", "compromised", "unauthori",
)
_PARTY = r"(?:tenant|customer|account|user|compan(?:y|ie)|org|organi[sz]ation|client|workspace)s?"
_SEEN = (
    r"(?:see|sees|seeing|saw|seen|view|views|viewing|viewed|access(?:es|ing|ed)?|download(?:s|ing|ed)?"
    r"|get|gets|getting|got|receiv(?:e|es|ing|ed)|show(?:s|ing|n)?|display(?:s|ing|ed)?|return(?:s|ing|ed)?)"
)
_THEIR_DATA = (
    r"(?:data|pii|invoices?|records?|files?|documents?|e-?mails?|messages?|tickets?|reports?|details|info"
    r"|information|profiles?|transactions?|orders?|payments?|contacts?|conversations?|names|addresses)\b"
)
# Someone seeing another party's data: an exposure that has happened. A negation before the verb
# ("can't see other users' invoices") makes it a permissions problem instead.
_NOT = r"(?<!n't\s)(?<!n’t\s)(?<!\bnot\s)(?<!cannot\s)(?<!\bno\s)(?<!never\s)(?<!longer\s)(?<!unable\sto\s)"
_EXPOSURE = _rx(
    rf"{_NOT}\b{_SEEN}\s+(?:{_WORD}\s+){{0,3}}?"
    rf"(?:(?P<owned>{_THEIR_DATA}\s+(?:of|from|belonging\s+to)\s+)?(?:another|other|different|the\s+wrong)"
    rf"\s+{_PARTY}(?(owned)\b|(?:['’]s?(?!\w)|\s+{_THEIR_DATA}))|(?:each\s+other|someone\s+else)['’]s\b)"
    r"|\bcross[\s-]?(?:tenant|account|customer|org|workspace)\s+(?:data\s+)?(?:leak(?:s|age)?|exposure|access"
    r"|visibility)\b"
    rf"|\bexpos(?:es|ing)\s+(?:{_WORD}\s+){{0,2}}?{_THEIR_DATA}",
    "other", "different", "wrong", "else", "cross", "expos",
)
_SLA = _rx(
    r"(?P<risk>\bsla\s+(?:is\s+)?at\s+risk\b|\bsla\s+breach\s+(?:is\s+)?(?:imminent|likely)\b)"
    r"|(?P<breached>\bsla\s+(?:(?:was|is|has\s+been|got)\s+)?(?:breach(?:ed)?|missed)\b"
    r"|\b(?:breach(?:ed)?|past|missed|beyond|outside)\s+(?:of\s+)?(?:the\s+|our\s+|their\s+|its\s+)?sla\b)",
    "sla",
)
# Words that state what the contract promises; `_read_obligations` takes the rest of their clause.
_OBLIGATION = _rx(
    r"\b(?:contract|msa|agreement|sla|order\s+form)s?\s+(?:guarantee[sd]?|promise[sd]?|requires?|commits?"
    r"|specifies|says|states|mandates|includes|covers|calls\s+for|provides)\b(?!\s+(?:nothing|no|not)\b)"
    r"|\b(?:sla|slo)s?\s*(?:of|is|=|:)\s*(?=\d)"
    r"|(?P<measured>(?<![\w.])\d+(?:\.\d+)?\s?%|\b\d+[\s-]?(?:hours?|hrs?|h|minutes?|mins?|days?|business[\s-]days?)\b)"
    r"[\s-]+(?:[\w-]+\s+){0,2}?(?:sla|slo|guarantee|commitment)s?\b"
    r"|\bcontractual(?:ly)?\b",
    "contract", "msa", "agreement", "sla", "slo", "order form", "guarantee", "commitment",
)
_CLAUSE_BREAK = r"[;:,()!?]|\.(?!\S)|\s[-–—]\s"
# Where a promise ends: at punctuation, at a word joining another clause, or at a verb saying how
# the promise is going ("already missed", "is at risk").
_CLAUSE_END = LazyPattern(
    rf"{_CLAUSE_BREAK}|\s(?:since|but|because|so|while|although|though|unless|until|yet|which|and(?!\s+\d)"
    r"|already|is|are|was|were|has|have|had|got|will|would|breached|missed)\b",
    _I,
)
_CLAUSE_STARTS = LazyPattern(_CLAUSE_BREAK)
_RECURRING = _rx(
    r"(?<!try\s)(?<!tried\s)(?<!trying\s)(?<!retry\s)\bagain\b|\brecurr(?:ing|ed|ence|s)?\b|\breoccurr(?:ing|ed)\b"
    r"|\bstill\b(?!\s+(?:waiting|awaiting|pending|open|unresolved|no\b|not\b|has\s+not|hasn|have\s+not|haven))"
    r"|\bregress(?:ed|ion|ions)\b|\bcame\s+back\b|\bcoming\s+back\b|\breappeared\b|\bresurfaced\b|\breopened\b",
    "again", "recurr", "reoccurr", "still", "regress", "back", "reappeared", "resurfaced", "reopened",
)
_TITLES = r"(?:ceo|cto|cio|cfo|coo|ciso|vp|svp|evp|c-level|c-suite|execs?|executives?)"
_ASKS = r"(?:ask(?:s|ed|ing)?|request(?:s|ed|ing)?|demand(?:s|ed|ing)?|involved|involvement|wants?|insist(?:s|ed|ing)?)"
_EXECUTIVE = _rx(
    rf"\b{_TITLES}\b(?:\s+{_WORD}){{0,4}}?\s+{_ASKS}\b|\b{_ASKS}\s+(?:{_WORD}\s+){{0,4}}?{_TITLES}\b",
    "ceo", "cto", "cio", "cfo", "coo", "ciso", "vp", "c-level", "c-suite", "exec",
)
_PR_LEGAL = _rx(
    r"\blawyers?\b|\blegal\b|\blawsuits?\b|\bsu(?:e|ed|ing)\b|\b(?:the|to|in)\s+press\b"
    r"|\bpress\s+(?:coverage|release|inquir(?:y|ies)|article|story)\b|\bjournalists?\b"
    r"|\bpublic(?:ly)?\b(?!\s+(?:api|apis|endpoints?|links?|urls?|pages?|holiday|keys?|cloud|repo|beta|preview|ip|docs|status))"
    r"|\btwitter\b|\btweet(?:s|ed|ing)?\b|\bsocial\s+media\b",
    "law", "legal", "sue", "suing", "press", "journalist", "public", "twitter", "tweet", "social",
)
_HOW_TO = _rx(
    r"(?:\bhow\s+(?:do|does|can|could|should|would)\s+(?:i|we|they|you|he|she|one|the\s+customer|users?|customers?)\b"
    r"|\bhow\s+to\b)(?:\s+(?:configure|set\s*up|enable))?|\btraining\b|\bguidance\b",
    "how", "training", "guidance",
)
_CONFIGURATION = _rx(
    r"\b(?:mis-?)?configur(?:e|ed|es|ing|ation|ations)\b|\bset\s?up\b",
    "configur", "set",
)

_NATURE_RANK = {
    Nature.SECURITY: 7, Nature.DATA_LOSS: 6, Nature.INFRASTRUCTURE: 5, Nature.FEATURE_GAP: 4,
    Nature.BUG: 3, Nature.CONFIGURATION: 2, Nature.HOW_TO: 1,
}
_DEPTH_RANK = {Depth.BLOCKED: 2, Depth.DEGRADED: 1}


class _Family(NamedTuple):
    """A group of words that each set the same things."""

    id: str
    pattern: LazyPattern
    nature: Nature | None = None
    depth: Depth | None = None
    workflow: str = ""
    flag: str = ""
    effect: str = ""


_FAMILIES = (
    _Family("errors", _ERRORS, Nature.BUG),
    _Family("data_integrity", _DATA, Nature.DATA_LOSS, flag="data_integrity_at_risk",
            effect="data integrity flagged as at risk"),
    _Family("outage", _OUTAGE, Nature.INFRASTRUCTURE, Depth.BLOCKED,
            "The service cannot be reached, so work has stopped", "production_down", "production flagged as down"),
    _Family("slowness", _SLOW, depth=Depth.DEGRADED),
    _Family("churn", _CHURN, flag="churn_threat", effect="flagged that the customer may leave"),
    _Family("feature_gap", _FEATURE_GAP, Nature.FEATURE_GAP),
    _Family("security", _SECURITY, Nature.SECURITY),
    _Family("breach", _BREACH, Nature.SECURITY, flag="security_breach", effect="flagged as a security breach"),
    _Family("exposure", _EXPOSURE, Nature.SECURITY, flag="security_breach",
            effect="flagged as a security breach: data reached people it does not belong to"),
    _Family("recurring", _RECURRING, flag="recurring_after_fix", effect="flagged as back after a supposed fix"),
    _Family("executive", _EXECUTIVE, flag="executive_involvement_requested",
            effect="flagged that the customer wants executives involved"),
    _Family("pr_legal", _PR_LEGAL, flag="pr_legal_risk", effect="flagged a PR or legal risk"),
    _Family("how_to", _HOW_TO, Nature.HOW_TO),
    _Family("configuration", _CONFIGURATION, Nature.CONFIGURATION),
)


@dataclass(slots=True)
class _Hit:
    id: str
    start: int
    text: str
    effects: list[str] = field(default_factory=list)
    nature: Nature | None = None
    depth: Depth | None = None
    workflow: str = ""
    frequency: Frequency | None = None


def _spans(pattern: LazyPattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _first(pattern: LazyPattern, text: str, skip: Sequence[tuple[int, int]] = ()) -> re.Match[str] | None:
    """The first match that does not overlap a span another, more specific, reading claimed."""
    for match in pattern.finditer(text):
        if not any(match.start() < end and start < match.end() for start, end in skip):
            return match
    return None


def _hit(hit_id: str, match: re.Match[str], *effects: str) -> _Hit:
    return _Hit(hit_id, match.start(), match.group(), list(effects))


def _store(part: Part, name: str, value: object) -> None:
    """Set a field without validating it, as pydantic's model_construct does: the parser stores
    only values of the field's own type, and validating would build pydantic's validators before
    the first screen (see `blank_escalation`)."""
    part.__dict__[name] = value
    part.model_fields_set.add(name)


def _number(raw: str) -> int:
    word = raw.casefold()
    return 1 if word in ("a", "an") else NUMBER_WORDS.get(word) or int(raw.replace(",", ""))


def _name_in(words: list[str]) -> list[str]:
    """The customer's name at the start of `words`: it ends before a word that cannot be part of it
    ("since", "SSO", "Tuesday", a bare number) and after a word ending a sentence or an abbreviation;
    none when a single word is followed by a number."""
    kept: list[str] = []
    for word in words:
        folded = word.casefold()
        if kept and folded in _CONNECTORS:
            kept.append(word)
            continue
        if kept and not re.search(r"[^\W\d_]", word):
            if len(kept) == 1:
                return []  # "at Row 5000", "for Step 3": a label and its number
            break
        if kept and folded.rstrip(".") in _NOT_A_NAME:
            break
        kept.append(word)
        if (word.endswith(".") and word.count(".") == 1) or re.search(r"['’]s$", word):
            break  # "Acme Inc. Started Monday", "for Globex. Exports …", "for Acme's Billing Team"
    while kept and kept[-1].casefold() in _CONNECTORS:
        kept.pop()
    return kept


def _customer_name(text: str) -> tuple[int, int, str] | None:
    """Where the first customer name is read (from the introducing word to the name's end) and the name."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_CUSTOMER, _POSSESSIVE, _ARR_ASIDE):
        for match in pattern.finditer(text):
            words = match["name"].split()
            if pattern is not _CUSTOMER:  # "Customer Globex's" names Globex
                while words and words[0].casefold().rstrip(".") in _NOT_A_NAME:
                    words.pop(0)
            words = _name_in(words)
            if not words:
                continue
            name = " ".join(words)
            if words[0].casefold() in _NOT_A_NAME or name.casefold() in _NOT_A_NAME or not re.search("[A-Z]", name):
                continue
            if re.fullmatch(r"\d{1,2}(?::\d\d)?\s*(?:am|pm)", name, _I):
                continue
            first = match.start("name") + match["name"].index(words[0])
            start = match.start() if pattern is _CUSTOMER else first
            end = match.end() if pattern is _POSSESSIVE else first + len(name)
            found.append((start, end, name))
            break
    return min(found, default=None)


def _read_customer(text: str, esc: Escalation) -> list[_Hit]:
    found = _customer_name(text)
    if found is None:
        return []
    start, end, name = found
    name = re.sub(r"['’]s$", "", name)
    if name.endswith(".") and name.split()[-1].casefold() not in _ABBREVIATIONS and name.count(".") == 1:
        name = name[:-1]
        end -= 1
    _store(esc.customer, "name", name)
    esc.breadth.named_customers.append(name)
    return [_Hit("customer", start, text[start:end], [f"customer set to {name} and listed as affected"])]


def _read_counts(text: str, esc: Escalation) -> list[_Hit]:
    hits: list[_Hit] = []
    for match in _COUNT.finditer(text):
        users = re.fullmatch(_USER_NOUNS, match["noun"], _I) is not None
        if users and esc.breadth.user_count is None:
            _store(esc.breadth, "user_count", _number(match["n"]))
            hits.append(_hit("user_count", match, f"affected users counted as {esc.breadth.user_count}"))
        elif not users and esc.breadth.customer_count is None:
            _store(esc.breadth, "customer_count", _number(match["n"]))
            hits.append(_hit("customer_count", match, f"affected customers counted as {esc.breadth.customer_count}"))
    return hits


def _months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def _start_date(match: re.Match[str], now: datetime) -> date | None:
    today = now.date()
    if match["this_week"] or match["last_week"]:
        return today - timedelta(days=today.weekday() + (7 if match["last_week"] else 0))
    if match["today"] or match["yesterday"]:
        return today - timedelta(days=1 if match["yesterday"] else 0)
    if match["weekend"] or match["weekend2"]:  # the Saturday that began the latest weekend before today
        return today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    if match["iso"]:
        return date.fromisoformat(match["iso"])
    amount, unit = _number(match["n"]), match["unit"].casefold()
    if unit.startswith("month"):
        return _months_before(today, amount)
    hours = amount if unit.startswith("hour") else amount * 24 * (7 if unit.startswith("week") else 1)
    return (now - timedelta(hours=hours)).date()


def _weekday_before(match: re.Match[str], today: date) -> date:
    """The latest such weekday before today: on a Tuesday, "since Tuesday" means a week ago, as
    people say "today" or "this morning" for today."""
    weekday = _WEEKDAY_NAMES.index((match["weekday"] or match["weekday2"]).casefold()[:3])
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _date_on(match: re.Match[str], today: date) -> date | None:
    """"since 12 Nov", "since November 12th, 2026"; without a year, the latest such date up to today."""
    month = _MONTH_NAMES.index((match["month"] or match["month2"]).casefold()[:3]) + 1
    day = int(match["day"] or match["day2"])
    if match["year"]:
        return date(int(match["year"]), month, day)
    for year in range(today.year, today.year - 9, -1):  # 29 February comes back within eight years
        try:
            started = date(year, month, day)
        except ValueError:
            continue
        if started <= today:
            return started
    return None


def _read_started(text: str, esc: Escalation, now: datetime | None) -> list[_Hit]:
    if now is None:
        return []
    today = now.date()
    readers: tuple[tuple[LazyPattern, Callable[[re.Match[str]], date | None]], ...] = (
        (_STARTED, lambda match: _start_date(match, now)),
        (_STARTED_DAY, lambda match: _weekday_before(match, today)),
        (_STARTED_ON, lambda match: _date_on(match, today)),
    )
    readings = sorted(
        ((match, read) for pattern, read in readers for match in pattern.finditer(text)), key=lambda r: r[0].start()
    )
    for match, read in readings:
        try:
            started = read(match)
        except (ValueError, OverflowError):
            continue
        if started is not None and started <= now.date():
            _store(esc.timeline, "issue_started", started)
            return [_hit("started", match, f"issue start dated {started.isoformat()}")]
    return []


def _amount_in(match: re.Match[str]) -> int | None:
    """The dollars a money match names, or None past what a brief can store."""
    group = next(name for name, value in match.groupdict().items() if value and not name.endswith("_scale"))
    whole, _, fraction = match[group].replace(",", "").partition(".")
    scale = _SCALES.get((match[f"{group}_scale"] or "").casefold(), 1)
    amount = int(whole) * scale + int(fraction or "0") * scale // 10 ** len(fraction)
    return amount if amount <= _MAX_AMOUNT else None


def _read_money(text: str, esc: Escalation) -> list[_Hit]:
    """Dollars said to be at risk are the ARR at risk; ARR said otherwise is the customer's own; an
    amount named as a deal, expansion or upsell is a pending deal."""
    hits: list[_Hit] = []
    claimed: list[tuple[int, int]] = []
    for hit_id, pattern in (("arr_at_risk", _ARR_AT_RISK), ("arr", _CUSTOMER_ARR), ("pending_deals", _DEAL)):
        readings = [(match, _amount_in(match)) for match in pattern.finditer(text)]
        free = (
            (match, amount) for match, amount in readings
            if amount is not None and not any(match.start() < end and start < match.end() for start, end in claimed)
        )
        match, amount = next(free, (None, None))
        claimed += [match.span() for match, _ in readings]  # "$120k ARR at risk" is no customer ARR
        if match is None or amount is None:
            continue
        if hit_id == "arr_at_risk":
            _store(esc.revenue, "arr_at_risk", amount)
            hits.append(_hit(hit_id, match, f"ARR at risk set to ${amount:,}"))
        elif hit_id == "arr":
            _store(esc.customer, "arr", amount)
            hits.append(_hit(hit_id, match, f"customer ARR set to ${amount:,}"))
        else:
            _store(esc.revenue, "pending_deals", match.group())
            hits.append(_hit(hit_id, match, f"pending deal noted: {match.group()}"))
    return hits


def _read_segment(text: str, esc: Escalation) -> list[_Hit]:
    single = bool(esc.customer.name)
    for pattern, whole in ((_SEGMENT_ALL, True), (_SEGMENT_SOME, False), (_EVERYONE, True)):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            segment = groups.get("seg") or groups.get("seg2") or groups.get("seg3") or ""
            if segment and segment.casefold().split()[0] in _SEGMENT_STOP:
                continue
            noun = groups.get("noun") or ""
            if whole and single and re.fullmatch(_USER_NOUNS, noun, _I):
                continue  # "all users at Acme" means all of Acme's users, not every customer
            effects = [f"segment set to {segment}"] if segment else []
            _store(esc.breadth, "segment", segment or esc.breadth.segment)
            if whole:
                _store(esc.breadth, "whole_segment", True)
                effects.append(f"every {'customer in it' if segment else 'customer'} counted as affected")
            if segment and not single:
                _store(esc.customer, "segment", segment)
                effects.append("also used as the customer's segment")
            return [_hit("segment", match, *effects)]
    return []


def _read_obligations(text: str, esc: Escalation) -> list[_Hit]:
    """What the contract promises, in the agent's words: from the words that introduce it to the end of
    their clause ("contract guarantees 5-minute delivery"), a measured promise as said ("99.9% uptime
    SLA"), or the clause that calls something contractual ("the 5-minute delivery is contractual")."""
    hits: list[_Hit] = []
    for match in _OBLIGATION.finditer(text):
        start, end = match.span()
        if not match["measured"]:
            rest = _CLAUSE_END.search(text, end)
            end = rest.start() if rest else len(text)
            if not text[match.end():end].strip():
                if not match.group().casefold().startswith("contractual"):
                    continue  # "the contract says." quotes no promise
                start = max((b.end() for b in _CLAUSE_STARTS.compiled.finditer(text, 0, start)), default=0)
        phrase = text[start:end].strip()
        if any(phrase.casefold() in hit.text.casefold() for hit in hits):
            continue
        start = text.index(phrase, start)
        hits.append(_Hit("obligations", start, phrase, [f"contract obligation noted: {phrase}"]))
    if hits:
        _store(esc.contract, "obligations", "; ".join(hit.text for hit in hits))
    return hits


def _read_http(text: str, esc: Escalation) -> list[_Hit]:
    hits: list[_Hit] = []
    for match in _HTTP_5XX.finditer(text):
        code = match["code"].lower()
        evidence = f"HTTP {code} responses reported by the customer"
        if evidence in esc.reproduction.evidence:
            continue
        esc.reproduction.evidence.append(evidence)
        hit = _hit("http_error", match, f"HTTP {code} responses added as evidence")
        if not esc.flags.beyond_support_diagnosis:
            _store(esc.flags, "beyond_support_diagnosis", True)
            hit.effects.append("server-side errors flagged as beyond what support can diagnose")
        hit.nature = Nature.BUG
        hits.append(hit)
    return hits


def _read_families(text: str, esc: Escalation) -> list[_Hit]:
    how_to, features = _spans(_HOW_TO, text), _spans(_FEATURE_GAP, text)
    skip = {"data_integrity": features, "breach": _spans(_SLA, text), "configuration": how_to}
    hits: list[_Hit] = []
    for family in _FAMILIES:
        match = _first(family.pattern, text, skip.get(family.id, []))
        if match is None:
            continue
        hit = _hit(family.id, match)
        hit.nature, hit.depth, hit.workflow = family.nature, family.depth, family.workflow
        if family.flag and not getattr(esc.flags, family.flag):
            _store(esc.flags, family.flag, True)
            hit.effects.append(family.effect)
        hits.append(hit)
    # Sign-in words inside a feature request ("needs an SSO option") name the feature, and a
    # "how do I …" question about sign-in asks for guidance: in neither is anybody locked out.
    login = _first(_LOGIN, text, features)
    if login and not any(text[start:end].casefold().startswith("how") for start, end in how_to):
        hits.append(_Hit("login", login.start(), login.group(), [], Nature.BUG, Depth.BLOCKED,
                         "People cannot sign in to the product"))
    sla = _SLA.search(text)
    if sla:
        _store(esc.contract, "sla_status", SlaStatus.AT_RISK if sla["risk"] else SlaStatus.BREACHED)
        hits.append(_hit("sla", sla, f"SLA status set to {esc.contract.sla_status.label}"))
    for pattern, frequency in ((_INTERMITTENT, Frequency.INTERMITTENT), (_ALWAYS, Frequency.ALWAYS)):
        match = pattern.search(text)
        if match:
            hit = _hit(frequency.value, match)
            hit.frequency = frequency
            hits.append(hit)
    return hits


def _resolve(hits: list[_Hit], esc: Escalation) -> None:
    """Settle the fields several readings compete for; credit the first reading that won."""
    ordered = sorted(hits, key=lambda h: h.start)
    natures = [(h, h.nature) for h in ordered if h.nature is not None]
    if natures:  # max() keeps the earliest of equally strong readings
        hit, nature = max(natures, key=lambda pair: _NATURE_RANK[pair[1]])
        _store(esc.problem, "nature", nature)
        hit.effects.insert(0, f"problem type set to {nature.label}")
    depths = [(h, h.depth) for h in ordered if h.depth is not None]
    if depths:
        hit, depth = max(depths, key=lambda pair: _DEPTH_RANK[pair[1]])
        _store(esc.depth, "level", depth)
        hit.effects.append(f"impact depth set to {depth.label}")
        if hit.workflow:
            _store(esc.depth, "workflow_impact", hit.workflow)
            hit.effects.append(f"workflow impact noted as: {hit.workflow}")
    frequencies = [(h, h.frequency) for h in ordered if h.frequency is not None]
    if frequencies:
        hit, frequency = frequencies[0]
        _store(esc.reproduction, "frequency", frequency)
        _store(esc.reproduction, "frequency_detail", hit.text)
        hit.effects.append(f"frequency set to {frequency.label}")


def _sentence(effects: list[str]) -> str:
    text = "; ".join(effects)
    return text[:1].upper() + text[1:]


def parse_summary(summary: str, customer: str | None = None, now: datetime | None = None) -> IntakeResult:
    """Prefill a draft from a one-line summary; ``customer`` (when given) wins over a parsed name."""
    text = strip_unsafe(summary).strip()  # built without validating: made safe here, as the model would
    esc = blank_escalation(summary=text, created=now)
    explicit = strip_unsafe(customer or "").strip()
    if explicit:
        _store(esc.customer, "name", explicit)
        esc.breadth.named_customers.append(explicit)
    if not text:
        return IntakeResult(esc, ())
    hits = [] if explicit else _read_customer(text, esc)
    hits += _read_counts(text, esc) + _read_started(text, esc, now) + _read_segment(text, esc)
    hits += _read_money(text, esc) + _read_obligations(text, esc) + _read_http(text, esc) + _read_families(text, esc)
    _resolve(hits, esc)
    kept = sorted((h for h in hits if h.effects), key=lambda h: h.start)
    return IntakeResult(esc, tuple(Signal(h.id, h.text, _sentence(h.effects)) for h in kept))
