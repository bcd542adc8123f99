"""Search the team's tools for the case's context: one query to every source at once, each answer shown
as it arrives, and enter on a result attaches it to the brief.

The query starts as the case's summary (the customer goes with it) and can be edited; enter in the query
searches again. Sources answer in a worker on the app's event loop, so typing never waits for them and a
slow source delays none of the others. Each source's line says what it is doing: searching, how many it
found and how long it took, or what went wrong in its own words.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.domain.models import Escalation
from tui.domain.text_safety import shorten, visible
from tui.widgets.safe_paste import SafeInput

if TYPE_CHECKING:
    from tui.sources.model import Source, SourceItem

SEARCH_TIMEOUT = 30.0  # seconds a source has to answer before it is said to be too slow
COLUMNS = (("", 1), ("Source", 10), ("Kind", 12), ("Title", 0), ("Customer", 18), ("Date", 10), ("Status", 8))
FILLED = {"customer.name": "customer's name", "customer.plan": "plan", "customer.segment": "segment",
          "customer.arr": "ARR", "revenue.arr_at_risk": "ARR at risk"}
QUERY_CATCH_UP = 1.0  # seconds enter waits for the query to take the keys typed before it
TITLE_MIN = 20  # columns the title keeps however narrow the terminal
CELL_LIMIT = 120


class SearchHost(Protocol):
    """The app as the search uses it (the app is above the screens)."""

    escalation: Escalation

    def context_sources(self) -> tuple[list[Source], list[str]]: ...

    def apply_changes(self, changes: dict[str, Any]) -> bool: ...

    def pattern_threshold(self) -> int: ...


def _cell(text: str, limit: int = CELL_LIMIT) -> Text:
    return Text(shorten(visible(" ".join(text.split())), limit), no_wrap=True)


class ContextSearchScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the case", id="context_search.close"),
        # Enter is read by the screen as the app reads it (priority), so that the keys typed right after
        # it reach the widget it gives the cursor to: the results after the query, never the query again.
        Binding("enter", "enter", "Search / attach", id="context_search.enter", priority=True, show=False),
        Binding("slash", "focus_query", "New search", id="context_search.query", priority=True),
        Binding("ctrl+l", "record_pattern", "Record the pattern", id="context_search.pattern"),
        Binding("ctrl+r", "search", "Search again", id="context_search.search", show=False),
    ]
    DEFAULT_CSS = """
    ContextSearchScreen #context-heading { height: auto; padding: 0 1; background: $panel; }
    ContextSearchScreen #context-query { margin: 0 1; }
    ContextSearchScreen #context-progress { height: auto; padding: 0 1; color: $text-muted; }
    ContextSearchScreen #context-offer { height: auto; padding: 0 1; color: $warning; }
    ContextSearchScreen #context-offer.-none { display: none; }
    ContextSearchScreen #context-body { height: 1fr; }
    ContextSearchScreen #context-results { height: 1fr; }
    ContextSearchScreen #context-preview-box { height: 12; padding: 0 1; border-top: solid $panel-lighten-2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[SourceItem] = []  # the results, in the table's order
        self.attached: list[SourceItem] = []  # attached from this screen (the pattern offer counts their customers)
        self.states: dict[str, str] = {}
        self.problems: list[str] = []
        self._title_width = TITLE_MIN
        self._shown = 0  # which search's results the table holds (row keys carry it)
        self._searched: str | None = None  # the words of the search shown
        self._to_results = False  # the results take the cursor when they come (enter in the query)

    @property
    def host(self) -> SearchHost:
        return cast(SearchHost, self.app)

    def compose(self) -> ComposeResult:
        esc = self.host.escalation
        who = f" · customer: {esc.customer.name}" if esc.customer.name.strip() else ""
        yield Static(_cell(f"Search context for this case{who}", 200), id="context-heading")
        yield SafeInput(value=" ".join(esc.summary.split()), id="context-query", select_on_focus=False,
                        placeholder="words to look for: an error, a feature, a symptom")
        yield Static("", id="context-progress")
        yield Static("", id="context-offer", classes="-none")
        with Vertical(id="context-body"):
            yield DataTable(cursor_type="row", zebra_stripes=True, id="context-results")
            with VerticalScroll(id="context-preview-box", can_focus=False):
                yield Static("", id="context-preview")
        yield Footer()

    def on_mount(self) -> None:
        self._title_width = self._fitting_title_width()
        self._columns()
        self.set_focus(self.query_one(Input))
        self.action_search()

    def _fitting_title_width(self) -> int:
        fixed = sum(width for _, width in COLUMNS) + 2 * len(COLUMNS)  # each cell has a space either side
        return max(TITLE_MIN, self.app.size.width - fixed - 2)  # 2: the vertical scrollbar

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width or self._title_width, key=label or "attached")

    def on_resize(self) -> None:
        width = self._fitting_title_width()
        if width == self._title_width:
            return
        self._title_width = width
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self._columns()
        shown, self.items = self.items, []
        self._add(shown)
        if shown:
            table.move_cursor(row=min(row, len(shown) - 1))

    # --- searching -----------------------------------------------------------------------------

    async def action_enter(self) -> None:
        """In the query: the results take the cursor, after searching again if the words changed. On a
        result, the key goes on to the table (in order with the keys before it), which attaches it."""
        table = self.query_one(DataTable)
        query = self.query_one(Input)
        if self.focused is not query:
            raise SkipAction()
        typed = asyncio.Event()
        query.call_later(typed.set)  # after the keys already on their way to the query
        with contextlib.suppress(TimeoutError):  # the query is not taking messages: search for what it holds
            await asyncio.wait_for(typed.wait(), QUERY_CATCH_UP)
        if query.value.strip() == self._searched and table.row_count:
            self.set_focus(table)
            return
        self._to_results = True
        self.action_search()

    def action_search(self) -> None:
        from tui.sources.model import Query

        esc = self.host.escalation
        text = self.query_one(Input).value.strip()
        self._searched = text
        self._search(Query(text=text, customer=esc.customer.name.strip()))

    @work(exclusive=True, group="context-search", exit_on_error=False)
    async def _search(self, query: Any) -> None:
        from tui.sources.fanout import fan_out

        sources, problems = await asyncio.to_thread(self.host.context_sources)  # imports and settings: off the UI
        self.problems = problems
        self.items = []
        self._shown += 1  # rows of the results before are no longer on screen
        table = self.query_one(DataTable)
        table.clear()
        self._preview(None)
        self.states = {source.name: "searching…" for source in sources}
        self._show_progress()
        async for answered in fan_out(sources, query, SEARCH_TIMEOUT):
            if answered.error is not None:
                self.states[answered.source] = f"not answered: {answered.error}"
            else:
                found = answered.items or []
                self.states[answered.source] = f"{len(found)} found in {answered.seconds:.1f} s"
                self._add(found)
            for problem in answered.problems:
                self.states[answered.source] += f"\n  {problem}"
            self._show_progress()

    def _show_progress(self) -> None:
        lines = [f"{name}: {state}" for name, state in self.states.items()] or ["No source to search."]
        lines += self.problems
        self.query_one("#context-progress", Static).update(Text("\n".join(visible(line) for line in lines)))

    def _add(self, found: Sequence[SourceItem]) -> None:
        table = self.query_one(DataTable)
        for item in found:
            index = len(self.items)
            self.items.append(item)
            when = item.when.isoformat() if item.when is not None else ""
            mark = Text("✓") if item in self.attached else Text(" ")
            table.add_row(mark, _cell(item.provenance.source, 40), _cell(item.kind.label), _cell(item.title),
                          _cell(item.customer, 60), _cell(when), _cell(item.status, 40), key=f"{self._shown}:{index}")
        if table.row_count and table.cursor_row == 0:
            self._preview(self.items[0])
        if table.row_count and self._to_results:
            self._to_results = False
            self.set_focus(table)

    # --- looking and attaching ------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self._item(event.row_key.value)
        if item is not None:
            self._preview(item)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._item(event.row_key.value)
        if item is not None:
            self._attach_item(item, event.row_key.value or "")

    def _item(self, key: str | None) -> SourceItem | None:
        """The result a row key names; None for a row of results no longer shown (a search started
        between the key and its handling)."""
        shown, _, index = (key or "").partition(":")
        if shown != str(self._shown) or not index.isdigit() or int(index) >= len(self.items):
            return None
        return self.items[int(index)]

    def _preview(self, item: SourceItem | None) -> None:
        preview = self.query_one("#context-preview", Static)
        if item is None:
            preview.update("")
            return
        text = Text()
        text.append(visible(item.title, keep_newlines=False) + "\n", style="bold")
        facts = [item.kind.label, item.reference, item.customer, item.status,
                 item.when.isoformat() if item.when is not None else "", item.provenance.source]
        text.append(" · ".join(visible(fact) for fact in facts if fact) + "\n")
        if item.provenance.url:
            text.append(visible(item.provenance.url) + "\n")
        if item.account is not None:
            arr = f"{item.account.arr:,}" if item.account.arr is not None else "unknown"
            text.append(f"\nPlan: {visible(item.account.plan)} · Segment: {visible(item.account.segment)} · "
                        f"ARR: {arr} · Owner: {visible(item.account.owner)}\n")
        if item.excerpt:
            text.append("\n" + visible(item.excerpt, keep_newlines=True) + "\n")
        if item.workaround:
            text.append("\nWorkaround: ", style="bold")
            text.append(visible(item.workaround, keep_newlines=True) + "\n")
        preview.update(text)

    def _attach_item(self, item: SourceItem, key: str) -> None:
        from tui.sources.attach import attach_changes

        changes = attach_changes(self.host.escalation, [item])
        if not changes:
            self.notify(f"{visible(item.reference or item.title)} is already in the context.", markup=False)
            return
        if not self.host.apply_changes(changes):
            return
        if item not in self.attached:
            self.attached.append(item)
        self.query_one(DataTable).update_cell(key, "attached", Text("✓"))
        said = [f"Attached {visible(item.reference or item.title)} to the context."]
        filled = [FILLED[path] for path in changes if path in FILLED]
        if filled:
            said.append("It filled the " + ", ".join(filled) + ".")
        if "flags.documented_workaround" in changes or "problem.workaround" in changes:
            said.append("Its documented workaround is recorded: the case may belong in support.")
        self.notify(" ".join(said), title="Context", markup=False)
        self._offer()

    # --- the pattern ---------------------------------------------------------------------------

    def _offer(self) -> None:
        from tui.sources.attach import pattern_changes, ticket_customers

        offer = self.query_one("#context-offer", Static)
        customers = ticket_customers(self.host.escalation, self.attached)
        changes = pattern_changes(self.host.escalation, self.attached)
        shown = len(customers) >= self.host.pattern_threshold() and bool(changes)
        offer.set_class(not shown, "-none")
        if shown:
            names = ", ".join(visible(name) for name in customers)
            offer.update(Text(f"The tickets attached come from {len(customers)} customers ({names}): "
                              "ctrl+l records them as a pattern (customers affected and their names)."))

    def action_record_pattern(self) -> None:
        from tui.sources.attach import pattern_changes, ticket_customers

        customers = ticket_customers(self.host.escalation, self.attached)
        changes = pattern_changes(self.host.escalation, self.attached)
        if len(customers) < self.host.pattern_threshold() or not changes:
            self.notify(f"Attach tickets from {self.host.pattern_threshold()} or more customers first "
                        f"(now {len(customers)}).", severity="warning", markup=False)
            return
        if self.host.apply_changes(changes):
            self.notify(f"Recorded as a pattern: {len(customers)} customers affected.", title="Pattern",
                        markup=False)
        self._offer()

    def action_focus_query(self) -> None:
        """From the results: the cursor to the query, as the app reads the key (so the words typed next are
        the new search); in the query, / is a character like any other."""
        query = self.query_one(Input)
        if self.focused is query:
            raise SkipAction()
        self.set_focus(query)
        query.select_all()

    def action_close(self) -> None:
        self.dismiss()

