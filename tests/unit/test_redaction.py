"""Redaction before a send: findings name their field, line and span, masking keeps the case valid and
leaves nothing of a value behind, previews give nothing away, and kept values stay as typed."""

from __future__ import annotations

import string
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from support import NOW, example

from tui.domain.models import ContextItem, Escalation, TriedStep
from tui.domain.redaction import Finding, RedactionOptions, mask, mask_text, preview_of, scan
from tui.domain.triage import assess
from tui.render.markdown import render_markdown

ALL = RedactionOptions()
# Assembled here so that no whole provider token sits in the source.
AWS = "AKIA" + "Z7QW3RT5YU8IOP2A"
GITHUB = "ghp_" + "Xy7Qk2Lm9Np4Rs6Tv8Wz1Ab3Cd5Ef0Gh2Ij4"
CARD = "4539 1488 0343 6467"  # a Luhn-valid test Visa number
RANDOM = "q8Zt3LmV0xK5nR2wP7yB4cJ9"


def leaky_case() -> Escalation:
    esc = example("api-500-acme")
    return esc.model_copy(update={
        "summary": f"Acme ERP sync fails; their key {AWS} was pasted in the ticket",
        "customer": esc.customer.model_copy(update={"notes": "IT contact Dana, dana.whitfield@acme-corp.com"}),
        "tried": [*esc.tried, TriedStep(action="Asked for a test card", result=f"They sent {CARD} by mistake")],
        "context": [*esc.context, ContextItem(title="CI log", reference="https://ci.acme-corp.com/run/4411",
                                               excerpt=f"line 1 ok\nline 2 ok\nexport GH={GITHUB}\nline 4")],
        "edited_brief": f"Call Dana on +1 415 555 0132 (session {RANDOM})",
    })


def test_scan_names_each_finding_with_its_field_kind_and_exact_span_in_field_order() -> None:
    esc = leaky_case()
    findings = scan(esc, ALL)
    tried = f"tried.{len(esc.tried) - 1}.result"
    context = f"context.{len(esc.context) - 1}.excerpt"
    assert [(f.field, f.kind, f.value) for f in findings] == [
        ("summary", "AWS access key", AWS),
        ("customer.notes", "e-mail address", "dana.whitfield@acme-corp.com"),
        (tried, "card number", CARD),
        (context, "GitHub token", GITHUB),
        ("edited_brief", "phone number", "+1 415 555 0132"),
        ("edited_brief", "high-entropy string", RANDOM),
    ]
    texts = {"summary": esc.summary, "customer.notes": esc.customer.notes, tried: esc.tried[-1].result,
             context: esc.context[-1].excerpt, "edited_brief": esc.edited_brief}
    for finding in findings:
        assert texts[finding.field][finding.start : finding.end] == finding.value
    assert {f.category for f in findings if f.kind in ("e-mail address", "card number", "phone number")} == {
        "personal"}
    assert [f.line for f in findings if f.field == context] == [3]


def test_a_case_with_nothing_to_hide_has_no_findings() -> None:
    for name in ("api-500-acme", "churn-audit-log", "export-missing-rows", "sso-login-loop-enterprise"):
        assert scan(example(name), ALL) == [], name


def test_masking_keeps_the_case_valid_and_renderable_and_leaves_no_value_behind() -> None:
    esc = leaky_case()
    findings = scan(esc, ALL)
    masked = mask(esc, findings)
    assert Escalation.model_validate(masked.model_dump()) == masked
    assert scan(masked, ALL) == []
    brief = render_markdown(masked, assess(masked, now=NOW), NOW.date())
    for finding in findings:
        assert finding.value not in masked.model_dump_json()
        assert finding.value not in brief
    assert masked.summary == "Acme ERP sync fails; their key [redacted AWS access key] was pasted in the ticket"
    assert masked.context[-1].excerpt == "line 1 ok\nline 2 ok\nexport GH=[redacted GitHub token]\nline 4"
    assert masked.problem == esc.problem  # the rest as it was
    assert mask(esc, []) == esc


def test_masking_only_the_chosen_findings_keeps_the_others() -> None:
    esc = leaky_case()
    findings = scan(esc, ALL)
    masked = mask(esc, [f for f in findings if f.kind != "e-mail address"])
    assert "dana.whitfield@acme-corp.com" in masked.customer.notes
    assert AWS not in masked.summary


def test_a_finding_from_an_older_scan_still_masks_its_value() -> None:
    esc = Escalation(summary=f"key {AWS}")
    (finding,) = scan(esc, ALL)
    edited = esc.model_copy(update={"summary": f"Since Monday: key {AWS}, twice {AWS}"})
    assert mask(edited, [finding]).summary == (
        "Since Monday: key [redacted AWS access key], twice [redacted AWS access key]")


def test_lines_are_counted_in_the_field_and_keys_stay_the_same_across_scans() -> None:
    text = "first line\nsecond\n\nfourth has jane.roe@acme-corp.com"
    esc = Escalation(problem={"description": text})
    (finding,) = scan(esc, ALL)
    assert (finding.field, finding.line) == ("problem.description", 4)
    assert [f.key for f in scan(esc, ALL)] == [finding.key]
    moved = Escalation(problem={"description": "new first line\n" + text})
    assert [f.key for f in scan(moved, ALL)] != [finding.key]


def test_options_turn_off_e_mails_phones_and_random_strings() -> None:
    text = f"jane.roe@acme-corp.com, phone (415) 555-0132, session {RANDOM}, key {AWS}"
    assert [f.kind for f in mask_text(text, ALL)[1]] == [
        "e-mail address", "phone number", "high-entropy string", "AWS access key"]
    quiet = RedactionOptions(emails=False, phones=False, high_entropy=False)
    assert [f.kind for f in mask_text(text, quiet)[1]] == ["AWS access key"]  # secrets are always masked


def test_mask_text_masks_all_but_the_values_kept() -> None:
    text = f"key {AWS} and token {GITHUB} and again {AWS}"
    masked, findings = mask_text(text, ALL, keep=frozenset({GITHUB}))
    assert masked == f"key [redacted AWS access key] and token {GITHUB} and again [redacted AWS access key]"
    assert [(f.kind, f.field) for f in findings] == [("AWS access key", ""), ("AWS access key", "")]
    assert mask_text("nothing here", ALL) == ("nothing here", [])


def test_a_finding_shown_or_logged_never_shows_its_value() -> None:
    (finding,) = mask_text(f"token {GITHUB}", ALL)[1]
    assert GITHUB not in repr(finding)
    assert GITHUB not in str(finding)
    assert finding.preview == "ghp_… (40 chars)"
    assert preview_of("e-mail address", "dana.whitfield@acme-corp.com") == "d…@acme-corp.com (28 chars)"
    assert preview_of("card number", CARD) == "…6467 (16 digits)"
    assert preview_of("phone number", "+1 415 555 0132") == "…32 (11 digits)"


TOKEN_CHARS = string.ascii_letters + string.digits + "+/_-.=:@!#$%"
KINDS = ["AWS access key", "high-entropy string", "password", "GitHub token", "bearer token", "JSON Web Token"]


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet=TOKEN_CHARS, min_size=6, max_size=200), kind=st.sampled_from(KINDS))
def test_a_preview_holds_neither_the_value_nor_any_eight_characters_of_it(value: str, kind: str) -> None:
    preview = preview_of(kind, value)
    assert value not in preview
    assert all(value[i : i + 8] not in preview for i in range(len(value) - 7))


@settings(max_examples=50, deadline=None)
@given(value=st.text(alphabet=string.ascii_letters + string.digits, min_size=20, max_size=60))
def test_previews_of_scanned_tokens_give_nothing_away(value: str) -> None:
    for text in (f"password={value}", f"Authorization: Bearer {value}", f"sk-proj-{value}", f"id {value} end"):
        for finding in mask_text(text, ALL)[1]:
            assert finding.value not in finding.preview
            assert all(finding.value[i : i + 8] not in finding.preview for i in range(len(finding.value) - 7))


def test_findings_are_frozen_values() -> None:
    finding = Finding("e-mail address", "personal", "summary", 0, 3, 1, "a@b", "a…")
    assert finding.key == "summary:0:3:e-mail address"
    assert finding == Finding("e-mail address", "personal", "summary", 0, 3, 1, "a@b", "a…")


def test_long_hostile_text_is_scanned_quickly() -> None:
    """Every detector runs in time linear in the text: a whole pasted log must not stall a send."""
    texts = [
        "4" * 100_000,
        "4111 " * 20_000,
        "+1 " * 30_000,
        "(" * 50_000 + "1" * 50_000,
        "a@" * 50_000,
        "a" * 64 + "@" + "b." * 40_000,
        "Ab1" * 40_000,
        "https://x.test/" + "Ab1/" * 25_000,
        "Basic " * 20_000,
        "1.2.3.4 " * 15_000,
    ]
    start = time.perf_counter()
    for text in texts:
        mask_text(text, ALL)
    assert time.perf_counter() - start < 2.0
