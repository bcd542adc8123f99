"""Long sections are cut at a line, never inside a word or a Markdown construct, with a pointer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.send.cut import POINTER, cut_line, fit


def test_text_that_fits_is_left_alone() -> None:
    assert fit("a\nb", 3) == "a\nb"


def test_whole_lines_are_kept_and_the_pointer_says_where_the_rest_is() -> None:
    text = "\n".join(f"- item number {n}" for n in range(100))
    cut = fit(text, 200)
    assert len(cut) <= 200
    assert cut.endswith("\n" + POINTER)
    kept = cut.removesuffix("\n" + POINTER).split("\n")
    assert kept == text.split("\n")[:len(kept)]


def test_a_long_single_line_is_cut_at_a_space_with_an_ellipsis() -> None:
    text = "word " * 400
    cut = fit(text, 300)
    first = cut.split("\n")[0]
    assert first.endswith("word…")
    assert len(cut) <= 300


def test_bold_code_links_and_entities_are_never_split() -> None:
    line = "x " * 10 + "**bold words here** `code span here` [a link](https://e.com/a b) &#42; <https://x.y/z> end"
    for room in range(5, len(line)):
        part = cut_line(line, room)
        head = part.removesuffix("…")
        counts = (head.count("**") % 2, head.count("`") % 2, head.count("[") - head.count("]"),
                  head.count("<") - head.count(">"))
        assert counts == (0, 0, 0, 0), (room, part)
        assert len(part) <= room


def test_a_word_longer_than_the_limit_leaves_only_the_pointer() -> None:
    assert fit("x" * 500, 100) == POINTER


def test_a_list_marker_alone_is_not_kept() -> None:
    assert cut_line("- " + "y" * 300, 100) == ""


def test_a_pointer_longer_than_the_limit_gives_nothing_rather_than_half_a_pointer() -> None:
    assert fit("a" * 50, 10) == ""


words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1,
                max_size=15)
lines = st.lists(words, max_size=40).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(lines, max_size=30).map("\n".join), st.integers(min_value=60, max_value=2000))
def test_the_cut_fits_and_keeps_only_whole_words_from_the_start(text: str, limit: int) -> None:
    cut = fit(text, limit)
    assert len(cut) <= limit
    if cut == text:
        return
    body = cut.removesuffix(POINTER).rstrip("\n")
    original_words = re.split(r"[ \n]+", text)
    kept_words = [w for w in re.split(r"[ \n]+", body.removesuffix("…")) if w]
    assert kept_words == [w for w in original_words if w][:len(kept_words)]
