"""The plain brief's heading guard sees through look-alikes: a description line that reads as a
section heading or the title is indented, however it is spelt, and an ordinary line is not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.models import Escalation
from tui.domain.triage import assess
from tui.render.escape import plain_block
from tui.render.lookalike import _LOOK_ALIKES, reads_as
from tui.render.plain import NOTE_SECTIONS, SECTIONS, render_plain

RESERVED = frozenset(SECTIONS)
TITLE = ("ESCALATION:",)

SPOOFS = [
    "WΗAT'S NEEDED",  # Greek capital Eta
    "IМPАCT",  # Cyrillic capital Em and A
    "ISSUЕ DЕSСRIPTIОN",  # Cyrillic Ie, Es, O
    "RЕРRОDUСТIОN SТЕРS",  # Cyrillic Ie, Er, O, U, Te, Es
    "CUSTOMЕR СОMMUNIСАТIОN",
    "SUPPОRТING СОNТЕХТ",  # Cyrillic Ha for X
    "WHAТ'S BЕЕN ТRIЕD",
    "WHАТ'S NЕЕDЕD",
    "ІМРАСТ",  # Cyrillic І, М, Р, А, С, Т throughout
    "НЕLР",  # not a heading: see below
    "ΚΗ",  # Greek Kappa and Eta: not a heading either
    "ＩＭＰＡＣＴ",  # fullwidth
    "ＷＨＡＴ＇Ｓ ＮＥＥＤＥＤ",
    "IMP\u200dACT",  # zero-width joiner inside the word
    "WHAT'S\u200b NEEDED",  # zero-width space
    "IS\u00adSUE DESCRIPTION",  # soft hyphen
    "WHAT'S\u00a0NEEDED",  # non-breaking space
    "WHAT'S\u2003NEEDED",  # em space
    "WHAT'S\u3000\u3000NEEDED",  # ideographic spaces
    "WHAT\u2019S NEEDED",  # typographic apostrophe
    "WHAT\u02bcS NEEDED",  # modifier letter apostrophe
    "what's needed",
    "  Supporting   context  ",
    "lMPACT",  # small L for capital I
    "ЕSСАLАТIОN: all good",  # the title, in Cyrillic
    "ESCALATION\uff1a fake title",  # fullwidth colon
]


@pytest.mark.parametrize("line", [s for s in SPOOFS if s not in ("НЕLР", "ΚΗ")])
def test_a_line_that_reads_as_a_heading_or_the_title_is_indented(line: str) -> None:
    text = f"First line of the description.\n{line}\nLast line."
    assert plain_block(text, RESERVED, TITLE).splitlines()[1] == "  " + line.strip()


@pytest.mark.parametrize(
    "line",
    [
        "What's needed is a fix by Friday.",
        "Impact: three customers",
        "The issue description above is wrong",
        "Escalation was discussed yesterday",
        "ESCALATIONS: none so far",
        "НЕLР",
        "ΚΗ",
        "Supporting context follows",
        "IMPACTS",
    ],
)
def test_a_line_that_merely_contains_a_heading_word_is_left_alone(line: str) -> None:
    text = f"First line.\n{line}"
    assert plain_block(text, RESERVED, TITLE).splitlines()[1] == line


def test_the_support_notes_headings_are_guarded_too() -> None:
    text = "Intro.\nWΟRKАRΟUΝD ΟR АΝЅWЕR\nOutro."  # Greek and Cyrillic capitals
    assert plain_block(text, frozenset(NOTE_SECTIONS), ("SUPPORT NOTE:",)).splitlines()[1].startswith("  ")


def test_the_rendered_brief_has_its_headings_once_whatever_the_description_spells() -> None:
    spoofs = [line for line in SPOOFS if line.strip() not in ("НЕLР", "ΚΗ")]
    esc = Escalation(summary="Export fails", problem={"description": "\n".join(["Intro.", *spoofs])},
                     flags={"production_down": True})
    assessment = assess(esc)
    assert assessment.verdict.kind.value == "escalate"
    lines = render_plain(esc, assessment, date(2026, 3, 2)).splitlines()
    reserved = {reads_as(heading) for heading in SECTIONS}
    unindented = [line for line in lines if line == line.lstrip() and reads_as(line) in reserved]
    assert unindented == [line for line in lines if line in SECTIONS]
    titles = [line for line in lines if line == line.lstrip() and reads_as(line).startswith(reads_as(TITLE[0]))]
    assert titles == [lines[0]]


# Each Latin capital, by its look-alikes in other scripts (and fullwidth); the ones the brief named.
NAMED = {"H": "Η", "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "T": "Т", "K": "К", "M": "М", "X": "Х"}


def test_every_latin_capital_has_its_greek_and_cyrillic_look_alikes_mapped() -> None:
    for latin, cyrillic in NAMED.items():
        assert reads_as(cyrillic) == reads_as(latin), latin
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        assert reads_as(chr(ord(letter) - ord("A") + 0xFF21)) == reads_as(letter)  # fullwidth
        assert _LOOK_ALIKES.get(letter) or letter in "IQ", f"no look-alike of {letter}"  # I: see "l"
    assert reads_as("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ") == reads_as("ABEZHIKMNOPTYX")  # Greek
    assert reads_as("АВЕЅІЈКМНОРСТУХ") == reads_as("ABESIJKMHOPCTYX")  # Cyrillic


def heading_spelt_oddly(heading: str) -> st.SearchStrategy[str]:
    """`heading` with each letter perhaps swapped for a look-alike, in either case, with invisible
    characters inside and any kind of space between words."""
    def letter(char: str) -> st.SearchStrategy[str]:
        if char == " ":
            return st.sampled_from([" ", "\u00a0", "\u2002", "\u2009", "\u202f", "\u3000", "  "])
        choices = [char, char.lower(), *_LOOK_ALIKES.get(char, ""), *_LOOK_ALIKES.get(char.lower(), "")]
        if char == "'":
            choices += ["\u2019", "\u02bc", "\uff07"]
        return st.tuples(st.sampled_from(choices), st.sampled_from(["", "", "\u200b", "\u200d", "\ufe0f"])).map(
            "".join)

    return st.tuples(*(letter(char) for char in heading)).map("".join)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), heading=st.sampled_from(sorted(RESERVED)))
def test_any_spelling_of_a_heading_is_indented(data: st.DataObject, heading: str) -> None:
    line = data.draw(heading_spelt_oddly(heading))
    assert plain_block(f"Intro.\n{line}", RESERVED, TITLE).splitlines()[1].startswith("  ")
