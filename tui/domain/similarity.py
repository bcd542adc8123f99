"""What makes two escalations "the same issue": the words they are indexed by and how much they share.

The store finds candidates with full-text search (bm25); this module decides which of them are
really alike, so that a pattern is offered only when the cases share more than a common word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_WORD = re.compile(r"[^\W_]+")
# Words too common in support tickets to tell one issue from another.
_STOP_WORDS = frozenset(
    """
a about after again all also am an and any are as at be been before being but by can cannot could customer
customers did do does doing done for from get gets getting had has have having he her here him his how i if in
into is it its just me more most my no not now of on once only or other our out over same see seen she should
so some still such than that the their them then there these they this those through to too under until up very
was we were what when where which while who why will with would you your reported report reports issue issues
problem problems error errors week weeks day days today yesterday since every each many much some someone
""".split()  # noqa: SIM905 (a word list reads better as text)
)
MAX_TERMS = 24
# The words the index is asked for: the first ones of the summary and the error text, then the description's.
# Fewer than MAX_TERMS because the index's ranking costs grow with every word asked for and with every case
# any one of them matches; the candidates it returns are then compared on all MAX_TERMS words.
QUERY_TERMS = 12
SIMILAR_AT = 0.3  # the share of words two cases must have in common (Dice coefficient) to count as alike
MIN_SHARED = 2  # and at least this many words


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value)
    return ""


def _part(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def search_columns(data: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """A case (as its JSON data) as the search index holds it: summary, description, errors, customers."""
    problem, repro, customer, breadth = (_part(data, key) for key in ("problem", "reproduction", "customer", "breadth"))
    errors = " ".join(_text(repro.get(key)) for key in ("actual", "evidence"))
    customers = " ".join(filter(None, [_text(customer.get("name")), _text(breadth.get("named_customers"))]))
    return _text(data.get("summary")), _text(problem.get("description")), errors, customers


def terms(*texts: str) -> list[str]:
    """The telling words of `texts`, lower-cased, each once, in order of first use; at most MAX_TERMS."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            if len(word) < 3 or word.isdigit() or word in _STOP_WORDS:
                continue
            seen.setdefault(word, None)
            if len(seen) >= MAX_TERMS:
                return list(seen)
    return list(seen)


def query_terms(summary: str, description: str, errors: str) -> list[str]:
    """The words to look a case's likes up by: see QUERY_TERMS."""
    return terms(summary, errors, description)[:QUERY_TERMS]


def match_query(words: Iterable[str]) -> str:
    """An FTS5 query matching any of `words` (each quoted, so none is read as an operator)."""
    return " OR ".join('"' + word.replace('"', '""') + '"' for word in words)


def likeness(ours: Iterable[str], theirs: Iterable[str]) -> float:
    """How much two sets of words overlap, from 0 (nothing) to 1 (the same words)."""
    a, b = set(ours), set(theirs)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def alike(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    a, b = set(ours), set(theirs)
    return len(a & b) >= MIN_SHARED and likeness(a, b) >= SIMILAR_AT
