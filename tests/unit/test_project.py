"""Promises the project makes to a newcomer: the README's two commands, CI running them, the example config."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    return re.findall(r"```sh\n(.+?)\n```", first_screen)


def test_readme_first_screen_has_exactly_two_commands_run_and_test() -> None:
    commands = readme_commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert "pip install ." in run
    assert run.endswith("escalate-tui")
    assert "pip install '.[test]'" in test
    assert test.endswith("-m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, test = readme_commands()
    assert test in ci.splitlines()
    assert "rm -rf .venv" in ci  # a fresh virtual environment every run


def test_themes_dark_light_and_high_contrast_ship_with_the_project() -> None:
    names = sorted(p.stem for p in (ROOT / "themes").glob("*.toml"))
    assert names == ["escalate-dark", "escalate-high-contrast", "escalate-light"]


def test_the_themes_the_app_carries_are_the_theme_files_it_ships() -> None:
    import tomllib

    from tui.themes import SHIPPED_THEMES

    files = {path.stem: tomllib.loads(path.read_text(encoding="utf-8")) for path in (ROOT / "themes").glob("*.toml")}
    assert files == SHIPPED_THEMES
