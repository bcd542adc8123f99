"""A theme file with a colour that cannot be drawn is refused with a message naming the file and key;
the app carries on with the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.themes import load_themes

GOOD = 'primary = "#1F6FA8"\n'


@pytest.mark.parametrize(("body", "named"), [
    ('primary = "#zzz"\n', "primary"),
    ('primary = "#1F6FA8"\nbackground = "nope"\n', "background"),
    ('primary = "#1F6FA8"\nvariables = "x"\n', "variables"),
    ('primary = "#1F6FA8"\nvariables = { severity-critical = "nope" }\n', "variables.severity-critical"),
    ('primary = "#1F6FA8"\nvariables = { severity-high = "\\u001b]0;x\\u0007" }\n', "\\e]0;x\\x07"),
])
def test_a_colour_that_cannot_be_drawn_is_refused_naming_the_key(tmp_path: Path, body: str, named: str) -> None:
    (tmp_path / "broken.toml").write_text(body)
    (tmp_path / "fine.toml").write_text(GOOD)
    themes, problems = load_themes([tmp_path])
    assert [theme.name for theme in themes] == ["fine"]
    (problem,) = problems
    assert str(tmp_path / "broken.toml") in problem
    assert named in problem
    assert "\x1b" not in problem
