"""Colour themes from `themes/*.toml`: the files shipped inside the package, plus any the user adds."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from textual.theme import Theme

DEFAULT_THEME = "escalate-dark"
_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
            "success", "warning", "error", "boost")
# Fallbacks so a user theme that leaves out the app's own variables still renders.
VARIABLE_DEFAULTS = {
    "severity-critical": "#E5534B",
    "severity-high": "#F08C2E",
    "severity-medium": "#D9C45B",
}


def shipped_theme_dir() -> Path:
    """`tui/themes` inside an installed wheel; the repository's `themes/` when run from source."""
    packaged = Path(str(resources.files("tui"))) / "themes"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "themes"


def theme_from_toml(path: Path) -> Theme:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    colours = {key: str(data[key]) for key in _COLOURS if key in data}
    variables = {**VARIABLE_DEFAULTS, **{str(k): str(v) for k, v in data.get("variables", {}).items()}}
    return Theme(
        name=str(data.get("name", path.stem)), dark=bool(data.get("dark", True)), variables=variables,
        primary=colours["primary"], secondary=colours.get("secondary"), accent=colours.get("accent"),
        foreground=colours.get("foreground"), background=colours.get("background"),
        surface=colours.get("surface"), panel=colours.get("panel"), success=colours.get("success"),
        warning=colours.get("warning"), error=colours.get("error"), boost=colours.get("boost"),
    )


def load_themes(folders: Iterable[Path]) -> tuple[list[Theme], list[str]]:
    """Every readable theme in `folders`, and one message per file that could not be used."""
    themes: list[Theme] = []
    problems: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                themes.append(theme_from_toml(path))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
                problems.append(f"{path}: theme not loaded: {error}")
    return themes, problems
