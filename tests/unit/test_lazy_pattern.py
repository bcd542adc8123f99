"""Skipping a pattern whose needles are absent never changes what the intake parser reads."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tui.domain.intake as intake
from tui.domain.lazy_pattern import LazyPattern, fold

GATED = {name: value for name, value in vars(intake).items() if isinstance(value, LazyPattern) and value.needles}

# Words the patterns spell out, so that random sentences built from them often match.
VOCABULARY = sorted(
    {
        word
        for pattern in GATED.values()
        for word in re.findall(r"[A-Za-z%][A-Za-z%'-]+", re.sub(r"\\[bBsSwWdD]|\(\?P?<?\w*>?|\?", " ", pattern.pattern))
    }
    | {"3", "500", "503", "5xx", "2026-11-02", "Acme", "Globex", "Corp", "Globex's", "Hooli’s", "—", "-", ",", ".",
       "(", "’t"}
)
CASINGS = (str.lower, str.upper, str.title)
SEPARATORS = (" ", "  ", "\t", "\u00a0", "")
SUMMARIES = (
    "Data export is missing rows — 3 customers reported this week",
    "API returning 500 errors intermittently for Acme Corp",
    "SSO login loop for all Enterprise customers since Monday, SLA breached",
    "Globex threatens to churn: their CFO asked for our VP to get involved after the outage came back",
    "Customer asks how to configure SAML; no way to set up SCIM either",
    "Possible data leak: exposed API keys in public repo, security team not yet told",
    "Umbrella Corp’s admins see other tenants' invoices since 12 Nov; $1.2M ARR, $300k renewal at risk",
    "Webhooks failing for Initech since Tue; contract guarantees 5-minute delivery, 99.9% uptime SLA",
)


def spans(pattern: re.Pattern[str] | LazyPattern, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(GATED))
@pytest.mark.parametrize("summary", SUMMARIES)
def test_gated_pattern_finds_what_the_compiled_one_finds(name: str, summary: str) -> None:
    pattern = GATED[name]
    assert spans(pattern, summary) == spans(pattern.compiled, summary)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(CASINGS), st.sampled_from(SEPARATORS)),
        min_size=1, max_size=12,
    )
)
def test_gating_never_hides_a_match(parts: list[tuple[str, object, str]]) -> None:
    text = "".join(casing(word) + separator for word, casing, separator in parts)  # type: ignore[operator]
    for name, pattern in GATED.items():
        assert spans(pattern, text) == spans(pattern.compiled, text), name


@pytest.mark.parametrize("name", sorted(GATED))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_every_text_a_pattern_matches_holds_one_of_its_needles(name: str, data: st.DataObject) -> None:
    # Texts made from the pattern itself reach every branch, odd spaces and letter cases included.
    pattern = GATED[name]
    text = data.draw(st.from_regex(pattern.compiled, fullmatch=True))
    assert (pattern.search(text) is None) == (pattern.compiled.search(text) is None)


@pytest.mark.parametrize(
    ("odd", "letter", "word", "name"),
    [("İ", "i", "security", "_SECURITY"), ("ı", "i", "security", "_SECURITY"), ("ſ", "s", "security", "_SECURITY"),
     ("\u212a", "k", "leak", "_BREACH")],
)
def test_letters_matched_without_case_count_as_that_letter(odd: str, letter: str, word: str, name: str) -> None:
    assert re.fullmatch(letter, odd, re.IGNORECASE)  # what case-insensitive matching does
    text = f"Reported as a {word.replace(letter, odd)} problem"
    assert fold(text).count(letter) >= word.count(letter)
    assert spans(GATED[name], text) == spans(GATED[name].compiled, text) != []


def test_a_pattern_whose_needles_are_absent_is_never_compiled() -> None:
    pattern = LazyPattern(r"\boutage\b", re.IGNORECASE, ("outage",))
    assert pattern.search("Exports are slow") is None
    assert pattern._compiled is None
    assert pattern.search("An OUTAGE in eu-west") is not None


@pytest.mark.parametrize("summary", SUMMARIES)
def test_parsing_never_compiles_a_pattern_whose_needles_are_absent(summary: str) -> None:
    for pattern in GATED.values():
        pattern._compiled = None
    intake.parse_summary(summary, now=datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    compiled = {name for name, pattern in GATED.items() if pattern._compiled is not None}
    assert compiled
    assert compiled <= {name for name, pattern in GATED.items() if pattern.may_match(summary)}
