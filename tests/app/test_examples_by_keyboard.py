"""Each of the seed's four cases worked from launch to exported Markdown with the keyboard only.

The case starts the way an agent starts it — with the one-line summary — and every other fact is
entered at the keyboard: the cursor goes to a field as the palette's field commands send it
(`focus_field`; the palette itself is tested once, in test_pilot), choices and checkboxes are set
with keys, and text is pasted as an agent pastes it from a ticket (a terminal's bracketed paste).
What is entered comes from the complete example files, so the exported brief must reach the same
severity and target team the example does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLE_NAMES, NOW, SIZE, example, from_summary
from textual import events
from textual.pilot import Pilot

from tui.domain.models import Escalation
from tui.domain.triage import assess

pytestmark = pytest.mark.slow


def typable(text: str, limit: int = 24) -> str:
    """What a test keyboard can send (no em dashes), kept short."""
    return text.replace("—", "-").replace("–", "-").replace("\n", " ")[:limit].strip()


async def jump(pilot: Pilot, path: str) -> None:
    await pilot.app.focus_field(path)
    await pilot.pause()
    focused = pilot.app.focused
    assert focused is not None
    assert getattr(focused, "path", "").startswith(path), (path, focused)


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



@pytest.mark.parametrize("name", EXAMPLE_NAMES)
async def test_case_from_summary_to_exported_markdown(name: str, tmp_path: Path) -> None:
    case = example(name)
    expected = assess(case, now=NOW)
    app = from_summary(case.summary)
    async with app.run_test(size=SIZE) as pilot:
        await fill_from(pilot, case, app.escalation.model_copy(deep=True))
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
    assert text.startswith(f"## ESCALATION: {case.summary}\n")
    assert f"**Severity:** {expected.severity.effective.label}\n" in text
    assert f"**Target team:** {expected.target.effective.label}" in text
    assert typed.tried[0] == case.tried[0]
    assert typed.problem.description == case.problem.description
    assert typed.ask.text == case.ask.text
    assert typable(case.tried[0].action) in text
    assert typed.ask.kind is case.ask.kind
    assert typed.ask.deadline == case.ask.deadline
