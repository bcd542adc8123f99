"""Control characters and bidi overrides never get into the case, and are seen, not obeyed, in messages."""

from __future__ import annotations

import pytest

from tui.domain.field_paths import set_field
from tui.domain.models import Escalation
from tui.domain.text_safety import has_unsafe, quoted, strip_unsafe, visible

HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\u202eevil\u2066x\u2069"


def test_the_model_drops_what_a_terminal_would_obey_and_keeps_the_words() -> None:
    esc = Escalation.model_validate({"summary": f"Export fails{HOSTILE}", "customer": {"name": "Acme\x1b[2J"},
                                     "reproduction": {"steps": [f"Open{HOSTILE}"]}})
    for text in (esc.summary, esc.customer.name, esc.reproduction.steps[0]):
        assert not has_unsafe(text)
    assert esc.summary == "Export fails]0;pwned]52;c;cm0gLXJmIH4=[2J31mevilx"
    assert esc.customer.name == "Acme[2J"


def test_typed_and_pasted_text_is_made_safe_too() -> None:
    esc = Escalation()
    set_field(esc, "problem.description", "line one\r\nline two\rline three\x1b[2J\tend")
    assert esc.problem.description == "line one\nline two\nline three[2J\tend"
    esc.reproduction.steps.append("")
    set_field(esc, "reproduction.steps.0", "Click\x9b2J Save")
    assert esc.reproduction.steps == ["Click2J Save"]


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain", "plain"),
    ("a\x1b]0;t\x07b", "a\\e]0;t\\x07b"),
    ("tab\there\nnext", "tab\\there\\nnext"),
    ("\x9b2J", "\\x9b2J"),
    ("\u202eabc", "\\u202eabc"),
])
def test_visible_writes_each_control_as_an_escape(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert strip_unsafe(visible(raw)) == visible(raw)


def test_a_long_name_is_cut_and_says_how_much_was_left_out() -> None:
    name = "k" * 10_000_000
    assert quoted(name) == f"'{'k' * 60}… (9,999,940 more characters)'"
