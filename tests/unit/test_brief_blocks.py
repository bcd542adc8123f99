"""The brief preview cuts the Markdown into pieces that each render as they would in place."""

from __future__ import annotations

from support import NOW, example

from tui.domain.triage import assess
from tui.render.markdown import render_markdown
from tui.widgets.brief_view import split_blocks


def test_every_line_of_the_brief_is_in_exactly_one_piece_in_order() -> None:
    esc = example("api-500-acme")
    text = render_markdown(esc, assess(esc, now=NOW), NOW.date())
    pieces = split_blocks(text)
    assert [line for piece, _ in pieces for line in piece.splitlines()] == [
        line for line in text.splitlines() if line.strip()]


def test_headings_and_list_items_stand_alone_and_items_of_one_list_have_no_gap_between() -> None:
    pieces = split_blocks("## Title\n**Severity:** High\n**Target:** Eng\n\n### Impact\n- a\n- b\n\nText\nmore")
    assert pieces == [("## Title", True), ("**Severity:** High\n**Target:** Eng", True), ("### Impact", True),
                      ("- a", False), ("- b", True), ("Text\nmore", True)]


def test_a_fenced_block_with_blank_lines_stays_whole() -> None:
    pieces = split_blocks("Logs:\n\n```\nline 1\n\n- not an item\n```\nafter")
    assert pieces[1][0] == "```\nline 1\n\n- not an item\n```"
