"""The brief as docx blocks for a Lark wiki page: its sections in the template's order, its kinds of
lines kept, hostile text left plain, and the blocks sent 50 at a time."""

from __future__ import annotations

from typing import Any

from brief_cases import make_brief
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.models import Escalation
from tui.render.markdown import SECTIONS
from tui.send import lark_wiki
from tui.send.model import Brief


def text_of(block: dict[str, Any]) -> str:
    body = block[lark_wiki._KEYS[block["block_type"]]]
    return "".join(element["text_run"]["content"] for element in body["elements"])


def test_the_headings_follow_the_template_s_order() -> None:
    blocks = lark_wiki.blocks_for(make_brief())
    headings = [text_of(block) for block in blocks if block["block_type"] in (3, 4, 5)]
    assert headings[0] == "ESCALATION: Data export drops rows for Acme Corp"
    assert headings[1:] == [name for name in SECTIONS if name in headings]
    assert len(headings) > 5


def test_labelled_lines_are_text_with_the_label_in_bold() -> None:
    blocks = lark_wiki.blocks_for(make_brief())
    severity = next(block for block in blocks if text_of(block).startswith("Severity:"))
    assert severity["block_type"] == 2
    first, second = severity["text"]["elements"][:2]
    assert first["text_run"] == {"content": "Severity:", "text_element_style": {"bold": True}}
    assert second["text_run"] == {"content": " High"}


def test_bullets_and_numbered_steps_keep_their_kind() -> None:
    blocks = lark_wiki.blocks_for(make_brief())
    assert any(block["block_type"] == 12 and text_of(block).startswith("Customers affected:") for block in blocks)
    tried = next(block for block in blocks if block["block_type"] == 13)
    assert text_of(tried) == "Re-ran the export → same truncated file"


def hostile_brief(markdown: str) -> Brief:
    brief = make_brief()
    return Brief(brief.escalation_id, brief.version, brief.esc, brief.assessment, markdown, brief.today)


def test_hostile_text_stays_plain_and_loses_its_control_characters() -> None:
    markdown = ("## Title <at id=all></at>\n\n[click](javascript:alert(1)) \x1b]52;c;aGk=\x07 "
                "<b>bold?</b> \u202eevil\n\n---\n\n```\nrm -rf /\x07\n```\n")
    blocks = lark_wiki.blocks_for(hostile_brief(markdown))
    assert [block["block_type"] for block in blocks] == [3, 2, 22, 14]
    assert text_of(blocks[0]) == "Title <at id=all></at>"  # shown as written: a text_run is never markup
    assert text_of(blocks[1]) == "[click](javascript:alert(1)) ]52;c;aGk= <b>bold?</b> evil"
    assert "link" not in str(blocks)  # no piece of the brief becomes a live link
    assert text_of(blocks[3]) == "rm -rf /"


def test_more_than_fifty_blocks_go_in_batches_of_fifty() -> None:
    esc = Escalation.model_validate({"summary": "Many steps", "tried": [
        {"action": f"Step {number}", "result": "no change"} for number in range(120)]})
    blocks = lark_wiki.blocks_for(make_brief(esc))
    assert len(blocks) > 120
    sizes = [len(batch) for batch in lark_wiki.batches(blocks)]
    assert max(sizes) == 50
    assert sum(sizes) == len(blocks)
    assert [block for batch in lark_wiki.batches(blocks) for block in batch] == blocks


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_blocks_without_control_characters(text: str) -> None:
    for block in lark_wiki.blocks_for(hostile_brief(text)):
        if block["block_type"] == 22:
            continue
        content = text_of(block)
        assert content.strip()
        assert not any((ord(char) < 32 and char != "\n") or 0x7f <= ord(char) <= 0x9f for char in content)


def test_the_page_title_names_the_escalation() -> None:
    assert lark_wiki.title_of(make_brief()) == "ESC-42 · Data export drops rows for Acme Corp"


def test_a_batch_sent_again_has_the_same_client_token() -> None:
    first = lark_wiki.client_token("esc42-v1-eng-lark", "doxcnA", 0)
    assert first == lark_wiki.client_token("esc42-v1-eng-lark", "doxcnA", 0)
    assert len({first, lark_wiki.client_token("esc42-v1-eng-lark", "doxcnA", 1),
                lark_wiki.client_token("esc42-v1-eng-lark", "doxcnB", 0)}) == 3
