"""Control characters and bidi overrides never get into the case, and are seen, not obeyed, in messages."""

from __future__ import annotations

from pathlib import Path

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


def test_a_brief_file_with_escapes_is_read_without_them_and_the_agent_is_warned_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support import example_path
    from tui.cli import main

    text = example_path("api-500-acme").read_text()
    text = text.replace('name = "Acme Corp"', 'name = "Acme\\u001b]0;pwned\\u0007 Corp"', 1)
    text = text.replace('summary = "', 'summary = "\\u202e', 1)
    brief = tmp_path / "hostile.toml"
    brief.write_text(text)
    for command in (["render", str(brief)], ["triage", str(brief)], ["check", str(brief)]):
        main(command)
        out, err = capsys.readouterr()
        assert "Acme]0;pwned Corp" in out
        assert not has_unsafe(out.replace("\n", "").replace("\t", ""))
        assert not has_unsafe(err.replace("\n", ""))
        warnings = [line for line in err.splitlines() if "control characters" in line]
        assert len(warnings) == 1, err
        assert "customer.name" in warnings[0]
        assert "summary" in warnings[0]
