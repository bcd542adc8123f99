"""Colour themes: the three that ship with the app, and any the agent adds as `themes/*.toml`.

The shipped themes are `themes/*.toml` in the repository (and in the wheel, as templates to copy).
Their values are also written below, so the app starts without reading files or a TOML parser; a
test keeps the two the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.theme import Theme

from tui.domain.text_safety import quoted

DEFAULT_THEME = "escalate-dark"
_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
            "success", "warning", "error", "boost")
# Fallbacks so a user theme that leaves out the app's own variables still renders.
VARIABLE_DEFAULTS = {
    "severity-critical": "#E5534B",
    "severity-high": "#F08C2E",
    "severity-medium": "#D9C45B",
}


SHIPPED_THEMES: dict[str, dict[str, Any]] = {
    "escalate-dark": {
        "name": "escalate-dark",
        "dark": True,
        "primary": "#5FA8D3",
        "secondary": "#8E7CC3",
        "accent": "#F2B134",
        "foreground": "#E6E6E6",
        "background": "#14181F",
        "surface": "#1C222B",
        "panel": "#252D38",
        "success": "#6BBF59",
        "warning": "#F2B134",
        "error": "#E5534B",
        "variables": {"severity-critical": "#E5534B", "severity-high": "#F08C2E", "severity-medium": "#D9C45B"},
    },
    "escalate-high-contrast": {
        "name": "escalate-high-contrast",
        "dark": True,
        "primary": "#00D7FF",
        "secondary": "#FFFFFF",
        "accent": "#FFFF00",
        "foreground": "#FFFFFF",
        "background": "#000000",
        "surface": "#000000",
        "panel": "#1A1A1A",
        "success": "#00FF00",
        "warning": "#FFFF00",
        "error": "#FF3030",
        "variables": {"severity-critical": "#FF3030", "severity-high": "#FF9900", "severity-medium": "#FFFF00"},
    },
    "escalate-light": {
        "name": "escalate-light",
        "dark": False,
        "primary": "#1F6FA8",
        "secondary": "#6A4FB0",
        "accent": "#B56A00",
        "foreground": "#1D232B",
        "background": "#F7F7F5",
        "surface": "#FFFFFF",
        "panel": "#E9ECEF",
        "success": "#2E7D32",
        "warning": "#B56A00",
        "error": "#C62828",
        "variables": {"severity-critical": "#C62828", "severity-high": "#C25400", "severity-medium": "#8A6D00"},
    },
}


def shipped_themes() -> list[Theme]:
    return [theme_from_data(name, data) for name, data in SHIPPED_THEMES.items()]


def theme_from_data(default_name: str, data: dict[str, Any]) -> Theme:
    """A theme from a theme file's values; ValueError says what is missing or wrong."""
    if "primary" not in data:
        raise ValueError('a theme needs at least primary = "#RRGGBB"')
    colours = {key: _colour(key, data[key]) for key in _COLOURS if key in data}
    given = data.get("variables", {})
    if not isinstance(given, dict):
        raise ValueError('variables must be a table, such as variables = { severity-critical = "#ff5555" }')
    variables = {**VARIABLE_DEFAULTS, **{str(k): str(v) for k, v in given.items()}}
    for key in VARIABLE_DEFAULTS:
        _colour(f"variables.{key}", variables[key])
    return Theme(
        name=str(data.get("name", default_name)), dark=bool(data.get("dark", True)), variables=variables,
        primary=colours["primary"], secondary=colours.get("secondary"), accent=colours.get("accent"),
        foreground=colours.get("foreground"), background=colours.get("background"),
        surface=colours.get("surface"), panel=colours.get("panel"), success=colours.get("success"),
        warning=colours.get("warning"), error=colours.get("error"), boost=colours.get("boost"),
    )


def _colour(key: str, value: Any) -> str:
    """`value` if it is a colour Textual can draw; ValueError naming `key` otherwise."""
    from textual.color import Color, ColorParseError

    try:
        Color.parse(str(value))
    except ColorParseError:
        raise ValueError(f"{key} = {quoted(str(value))} is not a colour; write one such as \"#RRGGBB\"") from None
    return str(value)


def load_themes(folders: Iterable[Path]) -> tuple[list[Theme], list[str]]:
    """Every readable theme file in `folders`, and one message per file that could not be used."""
    themes: list[Theme] = []
    problems: list[str] = []
    files = [path for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.toml"))]
    if not files:
        return themes, problems
    import tomllib

    for path in files:
        try:
            themes.append(theme_from_data(path.stem, tomllib.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError) as error:
            problems.append(f"{path}: theme not loaded: {error}")
    return themes, problems
