"""While a case is written, similar escalations of other customers are shown; three customers make
a pattern, which links them all; a closed one that matches is flagged as back after a supposed fix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from support import NOW, SIZE, app_for, drafts_open, toasts

from tui.app import EscalateApp
from tui.domain.lifecycle import Event, EventKind
from tui.domain.models import Escalation, Severity, Target
from tui.domain.rules import TriggerCategory
from tui.store.drafts import DraftStore
from tui.widgets.similar import SimilarPanel

SUMMARY = "CSV export drops rows for large accounts"


def seed(data: Path, *cases: tuple[str, str, bool]) -> list[int]:
    """Escalations other agents wrote: (customer, summary, resolved since), each escalated ten days ago."""
    ids = []
    with DraftStore.open_default(data) as store:
        for customer, summary, resolved in cases:
            esc = Escalation(summary=summary)
            esc.customer.name = customer
            draft_id = store.create(esc, NOW - timedelta(days=10))
            store.escalate(draft_id, summary, Severity.HIGH, Target.ENGINEERING, "Sam", NOW - timedelta(days=10))
            if resolved:
                store.log(draft_id, Event(kind=EventKind.RESOLVED, at=NOW - timedelta(days=3), who="Sam",
                                          text="fixed in 4.2"))
            ids.append(draft_id)
    return ids


def our_case(customer: str = "Acme") -> Escalation:
    esc = Escalation(summary=SUMMARY)
    esc.customer.name = customer
    esc.reporter.name = "Robin"
    return esc


async def looked_up(pilot: object, app: EscalateApp) -> None:
    """Wait until the drafts database is open and the first lookup has answered."""
    await drafts_open(pilot)
    for _ in range(100):
        if app.case_screen.patterns.looked_up:
            break
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def panel_text(app: EscalateApp) -> str:
    panel = app.screen.query_one(SimilarPanel)
    assert panel.display
    return str(panel.render())


def triggers(app: EscalateApp) -> set[tuple[TriggerCategory, str]]:
    return {(trigger.category, trigger.id) for trigger in app.assessment.verdict.triggers}


async def test_similar_escalations_are_listed_with_the_customers_they_cover_and_three_make_a_pattern(
        tmp_path: Path) -> None:
    globex, initech, _ = seed(tmp_path, ("Globex", "Export to CSV drops rows on big accounts", False),
                              ("Initech", "CSV export drops rows for some large accounts", True),
                              ("Hooli", "Login loop after the SSO change", False))
    app = app_for(our_case(), autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await looked_up(pilot, app)
        await pilot.press("f3")
        text = panel_text(app)
        assert f"#{globex} · Escalated · High · Globex · Export to CSV drops rows on big accounts" in text
        assert f"#{initech} · Resolved · High · Initech" in text
        assert "came back after a supposed fix" in text
        assert "Hooli" not in text
        assert "3 customers share this issue" in text
        assert "ctrl+l links them as one pattern" in text
        assert "3 customers share this issue (Acme, " in toasts(app)


async def test_two_customers_are_no_pattern_and_linking_then_says_how_many_it_takes(tmp_path: Path) -> None:
    seed(tmp_path, ("Globex", "Export to CSV drops rows on big accounts", False),
         ("ACME ", "CSV export drops rows for large accounts again", False))  # the same customer, another case
    app = app_for(our_case(), autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await looked_up(pilot, app)
        await pilot.press("f3")
        text = panel_text(app)
        assert "2 customers share this issue" in text
        assert "ctrl+l" not in text
        assert "pattern" not in toasts(app)
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "A pattern needs 3 customers sharing the issue; 2 do so far." in toasts(app)
        assert app.escalation.context == []


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_linking_logs_a_link_on_every_escalation_and_counts_the_customers_in_the_case(tmp_path: Path) -> None:
    globex, initech = seed(tmp_path, ("Globex", "Export to CSV drops rows on big accounts", False),
                           ("Initech", "CSV export drops rows for some large accounts", False))
    app = app_for(our_case(), autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await looked_up(pilot, app)
        assert (TriggerCategory.PATTERN, "three_plus_customers") not in triggers(app)
        await pilot.press("f3", "ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.autosaver is not None
        ours = app.autosaver.draft_id
        assert ours is not None
        breadth = app.escalation.breadth
        assert breadth.customer_count == 3
        assert sorted(breadth.named_customers) == ["Globex", "Initech"]
        assert sorted((item.reference, item.title) for item in app.escalation.context) == [
            (f"escalation #{globex}", "Export to CSV drops rows on big accounts"),
            (f"escalation #{initech}", "CSV export drops rows for some large accounts")]
        assert (TriggerCategory.PATTERN, "three_plus_customers") in triggers(app)
        assert f"Linked this case (#{ours}) with #" in toasts(app)
        assert "ctrl+l" not in panel_text(app)  # linked: no longer offered
        await app.focus_field("summary")
        await pilot.press("!")
        await pilot.pause(0.6)  # a new lookup reads what this case is linked with from the store
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ctrl+l" not in panel_text(app)
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "already linked with the 2 similar escalations" in toasts(app)
        app.autosaver.flush()
    with DraftStore.open_default(tmp_path) as store:
        everyone = {ours, globex, initech}
        for draft_id in everyone:
            [link] = [stored.event for stored in store.timeline(draft_id) if stored.event.kind is EventKind.LINKED]
            assert set(link.linked) == everyone - {draft_id}
            assert link.who == "Robin"
            assert link.reason == "same issue: csv, export, drops, rows"
        assert store.load(ours).breadth.customer_count == 3  # autosaved like any edit


@pytest.mark.slow
async def test_a_resolved_match_is_flagged_as_back_after_a_fix_and_marking_it_sets_the_flag(tmp_path: Path) -> None:
    [initech] = seed(tmp_path, ("Initech", "CSV export drops rows for some large accounts", True))
    app = app_for(our_case(), autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await looked_up(pilot, app)
        await pilot.press("f3")
        resolved_on = (NOW - timedelta(days=3)).astimezone().strftime("%Y-%m-%d")
        assert f"came back after a supposed fix (resolved on {resolved_on})" in panel_text(app)
        assert f"Escalation #{initech} looks like this case and was resolved on {resolved_on}" in toasts(app)
        assert (TriggerCategory.PATTERN, "recurring") not in triggers(app)
        await pilot.press("alt+r")
        await pilot.pause()
        assert app.escalation.flags.recurring_after_fix
        [item] = app.escalation.context
        assert item.reference == f"escalation #{initech}"
        assert f"resolved on {resolved_on}" in item.excerpt
        assert (TriggerCategory.PATTERN, "recurring") in triggers(app)
        assert "alt+r" not in panel_text(app)  # marked: no longer offered


@pytest.mark.slow  # several dialogs or thousands of rows: run by .ci/run
async def test_the_lookup_follows_edits_of_the_words_it_reads_and_not_of_other_fields(tmp_path: Path) -> None:
    seed(tmp_path, ("Globex", "Export to CSV drops rows on big accounts", False))
    app = app_for(our_case(), autosave=True, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await looked_up(pilot, app)
        [later] = seed(tmp_path, ("Initech", "CSV export drops rows for some large accounts", False))
        await app.focus_field("customer.plan")
        await pilot.press(*"Pro")
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        assert f"#{later} " not in panel_text(app)
        await app.focus_field("summary")
        await pilot.press(*" 2x")
        await pilot.pause(0.1)
        assert f"#{later} " not in panel_text(app)  # not on every keystroke: after a pause
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"#{later} · Escalated · High · Initech" in panel_text(app)
        assert app.autosaver is not None
        ours = app.autosaver.draft_id
        assert ours is not None
        with DraftStore.open_default(tmp_path) as store:  # this case is escalated too: never its own match
            store.escalate(ours, SUMMARY, Severity.HIGH, Target.ENGINEERING, "Robin", NOW)
        await pilot.press("x")
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"#{later} · Escalated" in panel_text(app)
        assert f"#{ours} " not in panel_text(app)


@pytest.mark.slow
async def test_without_a_drafts_database_the_panel_stays_hidden_and_the_palette_has_both_actions() -> None:
    app = app_for(our_case())  # autosave off: nothing stored to compare with
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause(0.6)
        assert not app.screen.query_one(SimilarPanel).display
        names = {command.title for command in app.get_system_commands(app.screen)}
        assert {"case: link similar escalations as a pattern", "case: mark as back after a supposed fix"} <= names
