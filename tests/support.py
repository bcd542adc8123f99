"""Helpers the tests share: the fixed clock, the example briefs, and the app built as the CLI builds it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = ("api-500-acme", "export-missing-rows", "sso-login-loop-enterprise", "churn-audit-log")
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # a Thursday
SIZE = (120, 40)


def fixed_clock() -> datetime:
    return NOW


def example_path(name: str) -> Path:
    return EXAMPLES / f"{name}.toml"


def example(name: str) -> Any:
    """An example brief, loaded as the app loads brief files."""
    from tui.store.brief_file import load_brief

    return load_brief(example_path(name))


def app_for(escalation: Any = None, **options: Any) -> Any:
    """The app as the CLI builds it, on the fixed clock; no autosave unless asked for, and each step
    built when first opened rather than in the background (the end-to-end tests run the real thing)."""
    from tui.app import make_app

    options.setdefault("clock", fixed_clock)
    options.setdefault("autosave", False)
    options.setdefault("build_steps_ahead", False)
    return make_app(escalation, **options)


def from_summary(summary: str, **options: Any) -> Any:
    """The app opened on a summary, as `escalate-tui "SUMMARY"` opens it."""
    from tui.domain.intake import parse_summary

    return app_for(parse_summary(summary, now=NOW).escalation, **options)


async def drafts_open(pilot: Any) -> None:
    """Wait until the app has opened its drafts database (in the background, once the screen is up)
    and done what that leads to (a resume list, an offer of unsaved edits)."""
    app = pilot.app
    for _ in range(200):
        if app.autosaver is not None and app.autosaver.store is not None:
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


def toasts(app: Any) -> str:
    """The text of every notice on screen."""
    return " ".join(str(toast.render()) for toast in app.screen.query("Toast"))
