"""Config: the example file is valid, mistakes are named by file, line and key, comments survive writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import Settings, default_config_path, default_settings, load_settings, save_setting

ROOT = Path(__file__).resolve().parents[2]


def test_example_config_loads_cleanly_and_equals_the_defaults() -> None:
    settings, problems = load_settings(ROOT / "config.example.toml")
    assert problems == []
    assert settings == Settings()


def test_missing_default_config_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESCALATE_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings, problems = load_settings()
    assert problems == []
    assert settings.ui.theme == "escalate-dark"
    assert default_config_path() == tmp_path / "escalate-tui" / "config.toml"


def test_env_var_points_at_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "team.toml"
    config.write_text('[ui]\ntheme = "escalate-light"\n', encoding="utf-8")
    monkeypatch.setenv("ESCALATE_TUI_CONFIG", str(config))
    settings, problems = load_settings()
    assert problems == []
    assert settings.ui.theme == "escalate-light"


def test_missing_named_config_is_reported(tmp_path: Path) -> None:
    settings, problems = load_settings(tmp_path / "nope.toml")
    assert settings == Settings()
    assert len(problems) == 1
    assert "nope.toml:1" in str(problems[0])


def test_unknown_key_names_file_line_and_a_suggestion_and_keeps_the_rest(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[ui]\ntheme = "escalate-light"\n\n[rules]\nhigh_value_ar = 5\npattern_customer_count = 4\n',
        encoding="utf-8",
    )
    settings, problems = load_settings(config)
    assert [str(p).split(": ")[0] for p in problems] == [f"{config}:5"]
    assert "rules.high_value_ar" in str(problems[0])
    assert "high_value_arr" in str(problems[0])
    assert settings.ui.theme == "escalate-light"  # the good section is kept
    assert settings.rules.pattern_customer_count == 3  # the broken section falls back whole


def test_wrong_type_is_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[rules]\n\nwaiting_too_long_days = \"a week\"\n", encoding="utf-8")
    settings, problems = load_settings(config)
    assert settings.rules.waiting_too_long_days == 5
    assert str(problems[0]).startswith(f"{config}:3: rules.waiting_too_long_days:")


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "dark\n', encoding="utf-8")
    settings, problems = load_settings(config)
    assert settings == Settings()
    assert str(problems[0]).startswith(f"{config}:2:")


def test_saving_a_setting_keeps_the_users_comments(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "# my settings\n[ui]\n# I like it dark\ntheme = \"escalate-dark\"  # for now\n\n[rules]\nhigh_value_arr = 5\n",
        encoding="utf-8",
    )
    save_setting(config, "ui", "theme", "escalate-light")
    text = config.read_text(encoding="utf-8")
    assert "# my settings" in text
    assert "# I like it dark" in text
    assert 'theme = "escalate-light"' in text
    assert "high_value_arr = 5" in text
    assert load_settings(config)[0].ui.theme == "escalate-light"


def test_saving_creates_the_file_and_folder(tmp_path: Path) -> None:
    config = tmp_path / "new" / "config.toml"
    save_setting(config, "ui", "theme", "escalate-high-contrast")
    assert load_settings(config)[0].ui.theme == "escalate-high-contrast"


def test_the_embedded_defaults_equal_what_validation_gives() -> None:
    # default_settings() skips validation for speed; it must not drift from the model's defaults.
    assert default_settings() == Settings()
    assert default_settings().model_dump() == Settings().model_dump()


def test_callbacks_name_environment_variables_never_secrets(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[callbacks]\nslack_signing_secret_env = "SLACK_SIGNING_SECRET"\n'
                      'lark_encrypt_key_env = "LARK ENCRYPT KEY"\n', encoding="utf-8")
    settings, problems = load_settings(config)
    assert [problem.field for problem in problems] == ["callbacks.lark_encrypt_key_env"]
    assert settings.callbacks.slack_signing_secret_env == ""  # the section with a mistake falls back whole
    config.write_text('[callbacks]\nslack_signing_secret = "8f742231b10e8888abcd99yyyzzz85a5"\n', encoding="utf-8")
    _, problems = load_settings(config)
    assert [problem.field for problem in problems] == ["callbacks.slack_signing_secret"]
