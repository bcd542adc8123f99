"""Every key, Backspace and paste lands in the field that has (or is about to have) the cursor, in order.

The keys are sent the way a terminal sends them: all at once, to the app, without waiting for the app
to catch up between two of them — a fast typist, a paste of keys, or a slow moment of the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from support import SIZE, app_for, example, from_summary
from textual import events
from textual.app import App

from tui.domain.models import Escalation


@dataclass(frozen=True)
class Key:
    name: str


@dataclass(frozen=True)
class Paste:
    text: str


TAB, BACKSPACE, UP, DOWN = Key("tab"), Key("backspace"), Key("up"), Key("down")


def terminal_sends(app: App[None], *parts: str | Key | Paste) -> None:
    """Post keys and pastes as the terminal delivers them: straight to the app, one after another."""
    for part in parts:
        if isinstance(part, Paste):
            app.post_message(events.Paste(part.text))
        elif isinstance(part, Key):
            app.post_message(events.Key(part.name, None))
        else:
            for character in part:
                app.post_message(events.Key("space" if character == " " else character, character))


async def test_typing_at_once_with_a_backspace_and_a_tab_lands_in_order() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        terminal_sends(app, "Webhooks", "s", BACKSPACE, " fail", TAB, Paste("Umbrella Corp"))
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.summary == "Webhooks fail"
        assert app.focused is not None
        assert getattr(app.focused, "path", None) == "problem.nature"  # the field after the summary


async def test_a_paste_right_after_tab_lands_in_the_next_field() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("customer.name")
        terminal_sends(app, "Umbrella", TAB, Paste("Enterprise"), TAB, "Annual")
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.customer.name == "Umbrella"
        assert app.escalation.customer.segment == "Enterprise"
        assert app.escalation.customer.plan == "Annual"


async def test_keys_after_a_step_key_land_in_that_steps_first_field_even_while_it_is_built() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        terminal_sends(app, Key("f5"), "Admin accountz", BACKSPACE, "s", TAB, Paste("Open Settings > Billing"))
        await pilot.pause()
        await pilot.pause()
        assert app.step == "repro"
        assert app.escalation.reproduction.starting_state == "Admin accounts"
        assert app.escalation.reproduction.steps == ["Open Settings > Billing"]


async def test_fast_tabs_through_text_and_list_fields_put_each_word_in_its_own_field() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("reproduction.starting_state")
        terminal_sends(app, "start", TAB, "step one", TAB, "expected", TAB, "actual", Key("shift+tab"), "!")
        await pilot.pause()
        await pilot.pause()
        repro = app.escalation.reproduction
        assert (repro.starting_state, repro.steps, repro.expected, repro.actual) == (
            "start", ["step one"], "expected!", "actual")


async def test_rows_are_added_moved_and_removed_in_the_order_the_keys_were_typed() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("reproduction.steps")
        terminal_sends(app, "open the page", Key("ctrl+n"), "click Export", Key("ctrl+n"), "wait",
                       BACKSPACE, "t for the file", UP, Key("alt+up"), Key("ctrl+r"))
        await pilot.pause()
        await pilot.pause()
        # "click Export" went up above "open the page", then was removed; the cursor stays in the list.
        assert app.escalation.reproduction.steps == ["open the page", "wait for the file"]


async def test_several_pasted_lines_become_rows_of_a_list_of_lines() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("reproduction.evidence")
        terminal_sends(app, Paste("HTTP 500 at 10:02\nreq_8f2c1a\n\nHAR file attached"), " (ticket #4411)")
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.reproduction.evidence == [
            "HTTP 500 at 10:02", "req_8f2c1a", "HAR file attached (ticket #4411)"]


async def test_a_pasted_block_keeps_all_its_lines_in_a_one_line_field() -> None:
    app = app_for(Escalation())
    async with app.run_test(size=SIZE) as pilot:
        terminal_sends(app, Paste("Exports are missing rows\nfor three customers"))
        await pilot.pause()
        assert app.escalation.summary == "Exports are missing rows for three customers"


async def test_a_record_row_is_typed_column_by_column_and_a_blank_row_left_behind_is_dropped() -> None:
    app = from_summary("Webhooks failing for Umbrella Corp")
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("tried")
        terminal_sends(app, Paste("Replayed the webhook"), TAB, "200 OK", Key("ctrl+n"), DOWN, UP, UP)
        await pilot.pause()
        await pilot.pause()
        tried = app.escalation.tried
        assert [(step.action, step.result) for step in tried] == [("Replayed the webhook", "200 OK")]


async def test_moving_between_rows_shows_each_rows_values_and_edits_that_row() -> None:
    app = app_for(example("api-500-acme"))
    async with app.run_test(size=SIZE) as pilot:
        await app.focus_field("tried.1.result")
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.value == app.escalation.tried[1].result  # type: ignore[attr-defined]
        terminal_sends(app, Key("end"), " (checked twice)", DOWN, Key("end"), "!")
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.tried[1].result.endswith("(checked twice)")
        assert app.escalation.tried[2].result.endswith("issue.!")


async def test_keys_that_arrive_before_the_first_frame_land_in_the_first_field() -> None:
    from support import fixed_clock

    from tui.app import EscalateApp

    class TypedAtLaunch(EscalateApp):
        async def on_mount(self) -> None:
            # In the queue before the first screen has its focus or its first frame: as keys typed while
            # the app starts wait in the terminal.
            terminal_sends(self, "Login loop", BACKSPACE, "p", Paste(" for Hooli"), TAB, Key("f3"), "Ticket")
            await super().on_mount()

    app = TypedAtLaunch(Escalation(), clock=fixed_clock, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.summary == "Login loop for Hooli"
        assert app.step == "context"
        assert [item.title for item in app.escalation.context] == ["Ticket"]
