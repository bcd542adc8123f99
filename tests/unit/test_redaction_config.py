"""`[redaction]` in the config: read as typed, defaults when absent, a wrong value reported."""

from __future__ import annotations

from pathlib import Path

from tui.config import default_settings, load_settings
from tui.domain.redaction_options import RedactionOptions


def test_redaction_defaults_mask_everything() -> None:
    assert default_settings().redaction == RedactionOptions(emails=True, phones=True, high_entropy=True)


def test_redaction_section_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[redaction]\nphones = false\nhigh_entropy = false\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.redaction == RedactionOptions(emails=True, phones=False, high_entropy=False)


def test_a_wrong_redaction_setting_is_reported_on_its_line_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "escalate-light"\n\n[redaction]\nemails = "sometimes"\ncards = false\n',
                    encoding="utf-8")
    settings, problems = load_settings(path)
    assert settings.ui.theme == "escalate-light"
    assert settings.redaction == RedactionOptions()
    assert sorted((problem.line, problem.field) for problem in problems) == [
        (5, "redaction.emails"), (6, "redaction.cards")]
