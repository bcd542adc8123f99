"""What start-up leaves behind: the collector back on, the draft untouched, every field filled in."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from tui import gc_pause
from tui.app import EscalateApp, make_app
from tui.domain.intake import parse_summary
from tui.domain.models import Nature
from tui.screens.base import StepScreen
from tui.widgets.field_view import FieldView, view_id
from tui.widgets.form_sheet import FormSheet

SIZE = (120, 40)


async def settled(pilot: Pilot[None]) -> None:
    """Wait until the screen has opened its first field's editor and unfolded its sheets."""
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    await screen.form_completed.wait()
    await pilot.pause()


def terminal_types(app: EscalateApp, text: str) -> None:
    """Send `text` as the terminal delivers keys: to the app, which routes each to the focus ("\t" is Tab)."""
    for character in text:
        key = {"\t": "tab", " ": "space"}.get(character, character)
        app.post_message(events.Key(key, None if character == "\t" else character))


async def editors_built(pilot: Pilot[None]) -> None:
    """`settled`, and every editor a focus asked for built (each in a worker) and shown."""
    await settled(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
SUMMARY = "Data export is missing rows — 3 customers reported this week"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


@pytest.mark.usefixtures("collector_restored")
async def test_garbage_collection_paused_for_start_up_is_back_on_once_the_screen_is_up() -> None:
    gc_pause.pause()
    assert not gc.isenabled()
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # a long session must not grow without bound


@pytest.mark.usefixtures("collector_restored")
def test_a_collector_someone_else_switched_off_is_left_off() -> None:
    gc.disable()
    gc_pause.pause()
    gc_pause.resume()
    assert not gc.isenabled()


def _shown(app: EscalateApp, path: str) -> str:
    """What the field for `path` shows: its view until it is focused, then its editor."""
    return str(app.screen.query_one(f"#{view_id(path)}", FieldView).render())


async def test_opening_a_draft_shows_every_stored_value_without_editing_it() -> None:
    escalation = parse_summary(SUMMARY).escalation
    escalation.customer.arr = 120000
    escalation.problem.description = "Exports stop at 10,000 rows."
    escalation.problem.bug_confirmed = True
    escalation.breadth.named_customers = ["Acme Corp", "Globex"]
    escalation.tried = [{"action": "Re-ran the export", "result": "Same rows missing"}]
    app = make_app(escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert app.focused is screen.query_one("#f-summary", Input)  # the first field is ready to type in
        assert screen.query_one("#f-summary", Input).value == SUMMARY
        assert "120000" in _shown(app, "customer.arr")
        assert "3" in _shown(app, "breadth.customer_count")
        assert "Data loss or corruption" in _shown(app, "problem.nature")
        assert "▐X▌ Bug confirmed" in _shown(app, "problem.bug_confirmed")
        assert "▐ ▌ Key account" in _shown(app, "customer.key_account")
        description = screen.query_one(f"#{view_id('problem.description')} .long-box", Static)
        assert str(description.render()) == "Exports stop at 10,000 rows."
        assert "1. Acme Corp" in _shown(app, "breadth.named_customers")
        assert "2. Globex" in _shown(app, "breadth.named_customers")
        tried = _shown(app, "tried")
        assert "Re-ran the export" in tried
        assert "Same rows missing" in tried
        assert "ESCALATE" in str(screen.query_one("#verdict").render())
        assert app.revision == 0  # showing a draft is not an edit: nothing to autosave


async def test_tab_turns_each_field_into_its_editor_in_place_with_the_stored_value() -> None:
    escalation = parse_summary(SUMMARY).escalation
    escalation.customer.segment = "Enterprise"
    app = make_app(escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # summary → customer
        await pilot.press("tab")  # → segment
        await settled(pilot)
        segment = app.focused
        assert isinstance(segment, Input)
        assert segment.id == "f-customer-segment"
        assert segment.value == "Enterprise"
        assert not app.screen.query_one(f"#{view_id('customer.segment')}").display
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#f-customer-name", Input)  # the order is the form's
        await pilot.press("tab", "tab", "tab", *"120000")
        await pilot.pause()
        assert app.escalation.customer.arr == 120000


async def test_a_choice_and_a_flag_work_from_the_keyboard_once_reached() -> None:
    app = make_app(parse_summary("Webhooks time out for Acme").escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        app.focus_field("customer.key_account")
        await settled(pilot)
        assert isinstance(app.focused, Checkbox)
        await pilot.press("space")
        await pilot.pause()
        assert app.escalation.customer.key_account is True
        app.focus_field("problem.nature")
        await pilot.pause()
        assert isinstance(app.focused, Select)
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert app.escalation.problem.nature is not Nature.UNKNOWN


async def test_a_list_becomes_its_editor_when_reached_and_keeps_its_rows() -> None:
    escalation = parse_summary(SUMMARY).escalation
    escalation.tried = [{"action": "Re-ran the export", "result": "Same rows missing"}]
    app = make_app(escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        app.focus_field("tried")
        await settled(pilot)
        cells = list(app.screen.query("#f-tried Input"))
        assert [cell.value for cell in cells] == ["Re-ran the export", "Same rows missing"]
        assert app.focused is cells[0]
        await pilot.press("ctrl+n", *"Cleared the cache", "tab", *"No change")
        await pilot.pause()
        assert [(step.action, step.result) for step in app.escalation.tried] == [
            ("Re-ran the export", "Same rows missing"), ("Cleared the cache", "No change")]


async def test_keys_pressed_as_soon_as_the_app_opens_land_where_the_agent_meant() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"Globex")  # no pause: the summary's editor may still be being built
        await settled(pilot)
        assert app.escalation.customer.name == "Globex"
        assert app.escalation.summary == SUMMARY


async def test_the_description_becomes_a_text_area_holding_its_text_when_reached() -> None:
    escalation = parse_summary(SUMMARY).escalation
    escalation.problem.description = "Exports stop at 10,000 rows."
    app = make_app(escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        app.focus_field("problem.description")
        await settled(pilot)
        area = app.focused
        assert isinstance(area, TextArea)
        assert area.text == "Exports stop at 10,000 rows."
        await pilot.press("end", *" Always.")
        await pilot.pause()
        assert app.escalation.problem.description == "Exports stop at 10,000 rows. Always."


async def test_typing_that_reaches_a_field_before_its_editor_exists_is_kept() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        segment = app.screen.query_one(f"#{view_id('customer.segment')}", FieldView)
        key_account = app.screen.query_one(f"#{view_id('customer.key_account')}", FieldView)
        segment.focus()
        for character in "Ent":  # straight to the view, as keys typed in that moment arrive
            segment.post_message(events.Key(character, character))
        await pilot.pause()
        key_account.focus()
        key_account.post_message(events.Key("space", " "))
        await pilot.pause()
        await pilot.pause()
        assert app.escalation.customer.segment == "Ent"
        assert app.escalation.customer.key_account is True


async def test_the_first_frame_paints_the_form_exactly_as_its_fields_will_look() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query(FormSheet)  # the frame Textual draws first
        first_frame = app.export_screenshot()
        assert "Data&#160;export&#160;is&#160;missing&#160;rows" in first_frame  # the summary, drawn by its view
        await settled(pilot)
        assert not app.screen.query(FormSheet)
        assert len(app.screen.query(FieldView)) == 17
        assert app.focused is not None
        assert app.focused.id == "f-summary"
        after = below_the_first_field(app.export_screenshot())
        assert len(after) > 300
        assert after == below_the_first_field(first_frame)


def below_the_first_field(svg: str) -> list[str]:
    """The screenshot's cells and texts between the first field's row (which gains a cursor) and
    the footer (whose keys follow the focus), less the class name hashed from the whole."""
    svg = re.sub(r"terminal-\d+", "t", svg)
    shapes = re.findall(r"<rect\b[^>]*/>|<text\b[^>]*>.*?</text>", svg)
    # Textual's SVG rows are 24.4 units apart; a row's cells and its text baseline both fall inside.
    rows = {shape: int(float(re.search(r'\by="([\d.]+)"', shape).group(1)) // 24.4) for shape in shapes}  # type: ignore[union-attr]
    first_field, footer = 1, max(rows.values())
    return sorted(shape for shape in shapes if first_field < rows[shape] < footer)


async def test_tab_and_typing_that_reach_a_sheet_go_to_its_first_field() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        sheet = app.screen.query(FormSheet).first()
        assert sheet.views[0].path == "customer.name"
        app.screen.focus_next()  # Tab from the summary, before the sheet has unfolded
        terminal_types(app, "Acme")
        await editors_built(pilot)
        assert app.escalation.customer.name == "Acme"
        assert app.focused is not None
        assert app.focused.id == "f-customer-name"


async def test_a_click_on_a_sheet_opens_the_field_under_it() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        sheet = app.screen.query(FormSheet).first()
        row = next(i for i, (view, _) in enumerate(sheet._blocks()) if view.path == "customer.plan")
        await pilot.click(sheet, offset=(30, row))
        await settled(pilot)
        await pilot.pause()
        assert app.focused is not None
        assert app.focused.id == "f-customer-plan"


async def test_keys_typed_before_the_first_field_has_the_focus_reach_it() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is None  # the first frame: the summary is still drawn by its view
        terminal_types(app, " zq")
        await settled(pilot)
        await pilot.pause()
        assert app.escalation.summary == SUMMARY + " zq"
        assert app.focused is not None
        assert app.focused.id == "f-summary"


async def test_a_field_left_before_its_editor_was_built_shows_what_was_typed_into_it() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        segment = app.screen.query_one(f"#{view_id('customer.segment')}", FieldView)
        segment.focus()
        for character in "Ent":
            segment.post_message(events.Key(character, character))
        app.screen.query_one(f"#{view_id('customer.plan')}", FieldView).focus()  # Tab, at once
        await editors_built(pilot)
        assert app.escalation.customer.segment == "Ent"
        assert not segment.display  # the view, still showing the old value, has made way
        editor = app.screen.query_one("#f-customer-segment", Input)
        assert editor.value == "Ent"
        assert editor.parent is not None
        assert editor.parent.display
        assert app.focused is not None
        assert app.focused.id == "f-customer-plan"


async def test_typing_and_tabs_that_reach_a_sheet_while_it_unfolds_land_field_by_field() -> None:
    app = make_app(parse_summary(SUMMARY).escalation, autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        sheet = app.screen.query(FormSheet).first()
        assert [view.path for view in sheet.views[:3]] == ["customer.name", "customer.segment", "customer.plan"]
        terminal_types(app, "\tInitech\t\tPro")  # from the summary, in the first moments
        await editors_built(pilot)
        assert app.escalation.customer.name == "Initech"
        assert app.escalation.customer.segment == ""
        assert app.escalation.customer.plan == "Pro"
        assert app.focused is not None
        assert app.focused.id == "f-customer-plan"
