"""The redaction corpus: every positive is found as what it is, with its exact span; no look-alike is
masked, apart from the few written down as known with the reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from redaction_corpus import CORPUS, Negative, Positive, negatives, positives

from tui.domain.redaction import RedactionOptions, mask_text

ALL = RedactionOptions()
POSITIVES = positives()
NEGATIVES = negatives()


@pytest.mark.parametrize("positive", POSITIVES, ids=lambda p: p.kind)
def test_each_positive_is_found_as_what_it_is_with_its_exact_span(positive: Positive) -> None:
    masked, findings = mask_text(positive.text, ALL)
    assert [(f.kind, f.category, f.start, f.value) for f in findings] == [
        (positive.kind, positive.category, positive.start, positive.value)]
    assert positive.value not in masked


@pytest.mark.parametrize("negative", [n for n in NEGATIVES if not n.known], ids=lambda n: n.why)
def test_no_look_alike_is_masked(negative: Negative) -> None:
    assert mask_text(negative.text, ALL) == (negative.text, [])


@pytest.mark.parametrize("negative", [n for n in NEGATIVES if n.known], ids=lambda n: n.why)
def test_a_known_false_positive_is_still_one(negative: Negative) -> None:
    """When a change stops masking it, drop its `known` so that it is held to the strict test above."""
    assert mask_text(negative.text, ALL)[1]


def test_the_corpus_covers_every_kind_and_both_categories() -> None:
    kinds = {p.kind for p in POSITIVES}
    assert {"card number", "e-mail address", "phone number", "high-entropy string", "JSON Web Token",
            "private key", "password in a URL", "AWS access key", "OpenAI API key", "Anthropic API key"} <= kinds
    assert len(NEGATIVES) >= 40
    assert len([n for n in NEGATIVES if n.known]) <= 2


def test_personal_data_is_left_when_its_option_is_off() -> None:
    quiet = RedactionOptions(emails=False, phones=False, high_entropy=False)
    for positive in POSITIVES:
        found = [f.kind for f in mask_text(positive.text, quiet)[1]]
        if positive.kind in ("e-mail address", "phone number", "high-entropy string"):
            assert found == [], positive.text
        else:
            assert found == [positive.kind], positive.text


def test_no_whole_fake_token_is_written_in_the_corpus_file() -> None:
    text = (CORPUS / "positives.toml").read_text(encoding="utf-8")
    for positive in POSITIVES:
        if positive.category == "secret":
            assert positive.value not in text, positive.kind


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.sampled_from([p.text for p in POSITIVES] + [n.text for n in NEGATIVES if not n.known]),
                       min_size=1, max_size=6),
       glue=st.sampled_from([" ", "\n", ", ", "; ", "\n\n- "]))
def test_a_masked_text_holds_no_value_it_masked_and_nothing_more_to_mask(pieces: list[str], glue: str) -> None:
    text = glue.join(pieces)
    masked, findings = mask_text(text, ALL)
    for finding in findings:
        assert finding.value not in masked
        assert text[finding.start : finding.end] == finding.value
    assert mask_text(masked, ALL) == (masked, [])
