"""A case that stays in support renders as a support note: why it stays, the answer, what was tried
and a reply to the customer; never a target, a severity or a follow-up cadence."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.domain.models import Escalation
from tui.domain.triage import VerdictKind, assess
from tui.render import markdown, plain
from tui.render.markdown import render_markdown
from tui.render.plain import render_plain

TODAY = date(2026, 11, 19)
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def saml_question() -> Escalation:
    return Escalation.model_validate({
        "summary": "How to set up SAML for Contoso",
        "customer": {"name": "Contoso", "segment": "SMB", "plan": "Team"},
        "reporter": {"name": "Dana Ruiz", "team": "Support"},
        "problem": {
            "nature": "how_to",
            "description": "Contoso's admin asks how to sign in with Okta.\n\n- They have an Okta tenant",
            "workaround": "Upload the Okta metadata under Settings > Security > SSO",
        },
        "tried": [{"action": "Sent the SSO guide", "result": "They could not find the upload button"}],
        "context": [
            {"kind": "doc", "title": "Set up SAML SSO", "reference": "https://help.example.com/sso"},
            {"kind": "ticket", "title": "Contoso asks about SSO", "reference": "#4411"},
            {"kind": "known_issue", "title": "Metadata upload hidden on Team plans", "excerpt": "Scroll down"},
        ],
    })


SAML_MARKDOWN = """\
## SUPPORT NOTE: How to set up SAML for Contoso
**Customer:** Contoso — SMB, Team
**Reported by:** Dana Ruiz — Support
**Date:** 2026-11-19

### Why It Stays in Support
- The customer needs to be shown how, not a change to the product.

### Issue Description
Contoso's admin asks how to sign in with Okta.

\\- They have an Okta tenant

### Workaround or Answer
- Workaround: Upload the Okta metadata under Settings > Security > SSO
- Documentation: Set up SAML SSO — <https://help.example.com/sso>
- Known issue: Metadata upload hidden on Team plans — Scroll down

### What's Been Tried
1. Sent the SSO guide → They could not find the upload button

### Reply to the Customer
Hello Contoso team,

Thank you for getting in touch, and for your patience while we looked into it. The product can do this today; \
here is how.

Upload the Okta metadata under Settings > Security > SSO

These articles explain it step by step: Set up SAML SSO — <https://help.example.com/sso>; Metadata upload hidden \
on Team plans.

If this does not solve it, reply to this message and we will look into it further.

Best regards,
Dana Ruiz — Support
"""

EMPTY_PLAIN = """\
SUPPORT NOTE: (not provided)
Customer: (not provided)
Reported by: (not provided)
Date: 2026-11-19

WHY IT STAYS IN SUPPORT
- No escalation criterion is met yet.

ISSUE DESCRIPTION
(not provided)

WORKAROUND OR ANSWER
- (nothing recorded yet)

WHAT'S BEEN TRIED
- (nothing recorded yet)

REPLY TO THE CUSTOMER
Hello,

Thank you for getting in touch, and for your patience while we looked into it.

(add the workaround or the answer here before sending)

If this does not solve it, reply to this message and we will look into it further.

Best regards,
"""


def test_a_how_to_question_renders_the_documented_support_note() -> None:
    esc = saml_question()
    assert assess(esc).verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    assert render_markdown(esc, assess(esc), TODAY) == SAML_MARKDOWN


def test_an_empty_draft_is_a_support_note_with_placeholders() -> None:
    esc = Escalation()
    assert render_plain(esc, assess(esc), TODAY) == EMPTY_PLAIN


def test_the_plain_note_has_the_same_sections_and_reply() -> None:
    esc = saml_question()
    lines = render_plain(esc, assess(esc), TODAY).splitlines()
    assert [line for line in lines if line in plain.NOTE_SECTIONS] == list(plain.NOTE_SECTIONS)
    assert lines[0] == "SUPPORT NOTE: How to set up SAML for Contoso"
    assert "- Workaround: Upload the Okta metadata under Settings > Security > SSO" in lines
    assert lines[-2:] == ["Best regards,", "Dana Ruiz — Support"]


def test_the_reply_says_what_kind_of_answer_it_is() -> None:
    for nature, opening in (
        ("configuration", "This comes down to how the account is set up"),
        ("known_limitation", "The product does not do this yet"),
    ):
        esc = Escalation.model_validate({"problem": {"nature": nature}})
        assert opening in render_plain(esc, assess(esc), TODAY)
    workaround = Escalation.model_validate({"flags": {"documented_workaround": True}})
    assert "There is a known way around this problem." in render_plain(workaround, assess(workaround), TODAY)


def test_a_support_note_never_reads_as_an_escalation() -> None:
    esc = saml_question()
    for text in (render_markdown(esc, assess(esc), TODAY), render_plain(esc, assess(esc), TODAY)):
        assert "ESCALATION" not in text
        assert "Target" not in text
        assert "Severity" not in text
        assert "Deadline" not in text


def test_once_the_case_escalates_the_brief_is_an_escalation_again() -> None:
    esc = saml_question()
    esc.flags.support_channels_stalled = True
    assert render_markdown(esc, assess(esc), TODAY).startswith("## ESCALATION: How to set up SAML for Contoso\n")


texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["## Why It Stays in Support", "- item", "1. step", "**bold**", "<b>", "WORKAROUND OR ANSWER",
                     "SUPPORT NOTE: fake", "```", "---", "> quote", "    code"]),
)
notes = st.builds(
    lambda summary, name, description, workaround, reporter, titles: Escalation.model_validate({
        "summary": summary, "customer": {"name": name}, "reporter": {"name": reporter},
        "problem": {"nature": "how_to", "description": description, "workaround": workaround},
        "context": [{"kind": "doc", "title": title} for title in titles],
    }),
    texts, texts, texts, texts, texts, st.lists(texts, max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(esc=notes)
def test_the_note_keeps_its_structure_whatever_is_typed(esc: Escalation) -> None:
    tokens = PARSER.parse(render_markdown(esc, assess(esc), TODAY))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[1:] == list(markdown.NOTE_SECTIONS)
    assert headings[0].startswith("SUPPORT NOTE: ")
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"html_block", "html_inline", "fence", "code_block", "hr", "blockquote_open", "table_open"}
    inlines = [t.children or [] for t in tokens]
    bold = [children[i + 1].content for children in inlines for i, c in enumerate(children) if c.type == "strong_open"]
    assert set(bold) <= set(markdown.NOTE_LABELS)
    lines = render_plain(esc, assess(esc), TODAY).splitlines()
    assert [line for line in lines if line in plain.NOTE_SECTIONS] == list(plain.NOTE_SECTIONS)


def test_the_customers_name_cannot_add_markup_or_control_characters_to_the_support_note() -> None:
    from markdown_it import MarkdownIt
    from support import NOW

    from tui.domain.models import Escalation
    from tui.domain.triage import VerdictKind, assess
    from tui.render.markdown import render_markdown
    from tui.render.plain import render_plain

    name = "[Acme](http://evil.example) *Corp*\x1b]0;owned\x07"
    esc = Escalation(summary="How to export", problem={"nature": "how_to"},
                     customer={"name": name, "segment": "Enterprise"}, flags={"documented_workaround": True})
    assessment = assess(esc, now=NOW)
    assert assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT
    text = render_markdown(esc, assessment, NOW.date())
    tokens = [t for block in MarkdownIt("commonmark").parse(text) for t in (block.children or [])]
    assert not [t for t in tokens if t.type in ("link_open", "html_inline")]
    assert any("[Acme](http://evil.example) *Corp*" in t.content for t in tokens if t.type == "text")
    assert "\x1b" not in text
    assert "\x1b" not in render_plain(esc, assessment, NOW.date())
