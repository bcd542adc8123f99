"""The rendered brief taken apart into title, label lines and sections, and its inline Markdown
rewritten for a chat service."""

from __future__ import annotations

from support import NOW, example

from tui.domain.triage import assess
from tui.render.markdown import SECTIONS, render_markdown
from tui.send.sections import Style, convert, plain, split

UPPER = Style(text=str.upper, bold=lambda value: f"<b>{value}</b>", link=lambda url: f"<a {url}>")


def test_the_example_brief_splits_into_its_title_labels_and_sections_in_order() -> None:
    esc = example("api-500-acme")
    layout = split(render_markdown(esc, assess(esc, now=NOW), NOW.date()))
    assert layout.title.startswith("ESCALATION: API returning 500 errors")
    assert [label for label, _ in layout.facts] == ["Severity", "Target team", "Reported by", "Date"]
    assert [section.heading for section in layout.sections] == list(SECTIONS)
    impact = layout.section("Impact")
    assert impact is not None
    assert impact.lines[0].startswith("- **Customers affected:**")


def test_escaped_markup_is_text_and_template_bold_and_links_are_marks() -> None:
    line = r"- **Label:** a \*\*not bold\*\* \<b\> see <https://e.com/x_y>"
    assert convert(line, UPPER) == "- <b>LABEL:</b> A **NOT BOLD** <B> SEE <a https://e.com/x_y>"
    assert plain(line) == "- Label: a **not bold** <b> see https://e.com/x_y"


def test_a_bold_mark_left_open_stays_text() -> None:
    assert convert("a **b", UPPER) == "A **B"


def test_control_characters_and_bidi_overrides_are_gone() -> None:
    layout = split("## T\x1b]0;x\x07\n### Impact\nsafe\u202etext\r\nmore")
    assert layout.title == "T]0;x"
    assert layout.sections[0].lines == ("safetext", "more")


def test_lines_before_the_first_section_that_are_not_labels_are_kept() -> None:
    layout = split("## T\n**A:** 1\nloose line\n### S\nbody\n\n\n\nend\n\n")
    assert layout.facts == (("A", "1"),)
    assert [(s.heading, s.lines) for s in layout.sections] == [("", ("loose line",)), ("S", ("body", "", "end"))]
