"""Each of the seed's four cases worked from launch to exported Markdown with the keyboard only.

The case starts the way an agent starts it — with the one-line summary — and every other fact is
entered at the keyboard: the command palette jumps to a field by name (ctrl+p, the first letters
of "impact: ARR at risk", enter), choices and checkboxes are set with keys, and text is pasted
as an agent pastes it from a ticket (a terminal's bracketed paste). What is entered comes from
the complete example files, so the exported brief must reach the same severity and target team
the example does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual import events
from textual.fuzzy import Matcher
from textual.pilot import Pilot

from tui.app import make_app
from tui.domain.intake import parse_summary
from tui.domain.models import Escalation
from tui.domain.triage import assess
from tui.screens.field_commands import field_entries
from tui.store.brief_file import load_brief

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
EXAMPLES = ("api-500-acme", "export-missing-rows", "sso-login-loop-enterprise", "churn-audit-log")
QUERIES: dict[str, str] = {}


def shortest_query(name: str, titles: list[str]) -> str:
    """The fewest first letters of `name` that make the palette rank it above every other command
    (Pilot waits ~50 ms after each key, so typing whole names would make this test crawl)."""
    others = [title for title in titles if title != name]
    for length in range(1, len(name) + 1):
        matcher = Matcher(name[:length])
        if matcher.match(name) > max(matcher.match(other) for other in others):
            return name[:length]
    return name


def typable(text: str, limit: int = 24) -> str:
    """What a test keyboard can send (no em dashes), kept short for the same reason."""
    return text.replace("—", "-").replace("–", "-").replace("\n", " ")[:limit].strip()


async def jump(pilot: Pilot, path: str) -> None:
    if not QUERIES:
        titles = [command.title for command in pilot.app.get_system_commands(pilot.app.screen)]
        QUERIES.update({p: shortest_query(name, titles) for name, p in field_entries()})
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*QUERIES[path])
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    focused = pilot.app.focused
    assert focused is not None
    owner = next((n for n in (focused, *focused.ancestors) if getattr(n, "path", None) == path), None)
    assert owner is not None, f"the palette query {QUERIES[path]!r} did not reach {path}"


async def paste(pilot: Pilot, text: str) -> None:
    """What a terminal sends for a bracketed paste: one event to the app, which hands it to the focus."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def type_text(pilot: Pilot, path: str, text: str) -> None:
    await jump(pilot, path)
    await pilot.press("end", "ctrl+u")
    await paste(pilot, text)


async def choose(pilot: Pilot, path: str, label: str) -> None:
    await jump(pilot, path)
    await pilot.press("enter", *label, "enter")


async def tick(pilot: Pilot, path: str) -> None:
    await jump(pilot, path)
    await pilot.press("space")


async def fill_from(pilot: Pilot, example: Escalation, typed: Escalation) -> None:
    """Type every fact of `example` that the summary did not already give."""
    customer, problem, breadth = example.customer, example.problem, example.breadth
    if customer.name and customer.name != typed.customer.name:
        await type_text(pilot, "customer.name", customer.name)
    for path, value in (("customer.segment", customer.segment), ("customer.arr", customer.arr),
                        ("breadth.customer_count", breadth.customer_count),
                        ("breadth.user_count", breadth.user_count)):
        if value not in (None, ""):
            await type_text(pilot, path, str(value))
    if customer.key_account:
        await tick(pilot, "customer.key_account")
    if problem.nature is not typed.problem.nature:
        await choose(pilot, "problem.nature", problem.nature.label)
    if problem.bug_confirmed:
        await tick(pilot, "problem.bug_confirmed")
    await type_text(pilot, "problem.description", problem.description)
    first_try = example.tried[0]
    await jump(pilot, "tried")
    await paste(pilot, first_try.action)
    await pilot.press("tab")
    await paste(pilot, first_try.result)
    await choose(pilot, "depth.level", example.depth.level.label)
    await type_text(pilot, "revenue.arr_at_risk", str(example.revenue.arr_at_risk or ""))
    await choose(pilot, "contract.sla_status", example.contract.sla_status.label)
    for name, value in example.flags:
        if value and not getattr(typed.flags, name):
            await tick(pilot, f"flags.{name}")
    if example.reproduction.steps:
        await jump(pilot, "reproduction.steps")
        await paste(pilot, example.reproduction.steps[0])
        await pilot.press("ctrl+n")
        await paste(pilot, example.reproduction.steps[1])
        await type_text(pilot, "reproduction.expected", example.reproduction.expected)
        await type_text(pilot, "reproduction.actual", example.reproduction.actual)
    await choose(pilot, "ask.kind", example.ask.kind.label)
    await type_text(pilot, "ask.text", example.ask.text)
    assert example.ask.deadline is not None
    await type_text(pilot, "ask.deadline", example.ask.deadline.isoformat(sep=" ", timespec="minutes"))


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.mark.parametrize("name", EXAMPLES)
async def test_case_from_summary_to_exported_markdown(name: str, tmp_path: Path) -> None:
    example = load_brief(ROOT / "examples" / f"{name}.toml")
    expected = assess(example, now=NOW)
    app = make_app(parse_summary(example.summary, now=NOW).escalation, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await fill_from(pilot, example, app.escalation.model_copy(deep=True))
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")  # accept the suggested file name
        await pilot.pause()
        await app.workers.wait_for_complete()
        typed = app.escalation
    exported = list(tmp_path.glob("escalation-2026-11-19-*.md"))
    assert len(exported) == 1, exported
    text = exported[0].read_text(encoding="utf-8")
    assert text.startswith(f"## ESCALATION: {example.summary}\n")
    assert f"**Severity:** {expected.severity.effective.label}\n" in text
    assert f"**Target team:** {expected.target.effective.label}" in text
    assert typed.tried[0] == example.tried[0]
    assert typed.problem.description == example.problem.description
    assert typed.ask.text == example.ask.text
    assert typable(example.tried[0].action) in text
    assert typed.ask.kind is example.ask.kind
    assert typed.ask.deadline == example.ask.deadline
