"""The queue: every open escalation, the one due first at the top, and the keys that follow one up.

It opens at once however long the queue: the first screenful is read and shown straight away, the
rest is read in a thread and added a few hundred rows per turn of the event loop, so keys keep
working while it arrives. Every write (an update, a severity change, a snooze, a closing) runs in a
thread too; what the store refuses is a notice, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from tui.domain.approval import gate_words
from tui.domain.lifecycle import Approval, Event, EventKind, actor
from tui.domain.queue_filter import QueueFilter, parse_filter
from tui.domain.text_safety import shorten
from tui.screens.approval import requested_for
from tui.screens.queue_rows import COLUMNS, SUMMARY_MIN, age_cell, cells, due_cell
from tui.store.drafts import DraftStore, DraftStoreError
from tui.store.escalations import EscalationError, Record, StoredEvent
from tui.widgets.safe_paste import SafeInput

if TYPE_CHECKING:
    from tui.autosave import Autosaver
    from tui.config import Settings
    from tui.domain.models import Escalation

FIRST_ROWS = 60  # at least a screenful: read before the screen is first drawn
CHUNK = 200  # rows added per turn of the event loop while the rest arrives (~8 ms each)
CHUNK_PAUSE = 0.001  # seconds between two chunks: keys and redraws go in between
FILTER_PAUSE = 0.15  # seconds of no typing in the filter before the queue is narrowed
RETIME_EVERY = 30.0  # seconds between redrawing the due times and ages as the clock moves


class QueueHost(Protocol):
    """The app as the queue uses it (the app is above the screens)."""

    autosaver: Autosaver | None
    settings: Settings
    clock: Callable[[], datetime]

    def open_escalation(self, escalation_id: int) -> bool: ...

    def escalation_logged(self, event: Event, record: Record) -> None: ...

    def connections_line(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CaseOnFile:
    """One escalation as its dialogs need it, read from the store."""

    escalation: Escalation
    record: Record
    timeline: list[StoredEvent]
    who: str  # who what is logged now is recorded as


def _order(record: Record) -> tuple[bool, datetime, int]:
    """The queue's order, as the store sorts it: by next due time (none first), then by id."""
    return record.next_due is not None, record.next_due or datetime.min.replace(tzinfo=UTC), record.id


class QueueScreen(Screen[None]):
    DEFAULT_CSS = """
    QueueScreen #queue-header { height: auto; padding: 0 1; background: $panel; }
    QueueScreen #queue-filter { height: 1; border: none; padding: 0 1; background: $boost; }
    QueueScreen #queue-problem { height: auto; color: $error; padding: 0 1; }
    QueueScreen #queue-problem.-none { display: none; }
    QueueScreen #queue-answers { height: auto; color: $text-muted; padding: 0 1; }
    QueueScreen #queue-answers.-none { display: none; }
    QueueScreen DataTable { height: 1fr; }
    """
    HELP = (
        "Queue: every escalation handed over and not yet closed, the one due first at the top. A row says "
        "OVERDUE when its internal check-in or its customer update is late. On a row: enter opens the case, "
        "u logs an update, c drafts a customer update, s and t change severity and target (with a reason), "
        "z snoozes it, d de-escalates and r resolves it (each walks the closing checklist), l shows its "
        "timeline, g records an approval's decision (approved or rejected, by whom and why) or requests one. A "
        "case going to Leadership for an exception to policy, or to Security for a sign-off, shows \"Approval "
        "needed\" until its decision is recorded, and cannot be resolved before it is approved. / filters by "
        "words, severity:high or target:security; escape goes back to the case."
    )
    AUTO_FOCUS = "#queue-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_case", "Open", id="queue.open"),
        Binding("u", "log_update", "Update", id="queue.update"),
        Binding("c", "customer_update", "Tell customer", id="queue.customer_update"),
        Binding("s", "change", "Severity", id="queue.severity"),
        Binding("t", "change(True)", "Target", id="queue.target"),
        Binding("z", "snooze", "Snooze", id="queue.snooze"),
        Binding("d", "close_case", "De-escalate", id="queue.de_escalate"),
        Binding("r", "close_case(True)", "Resolve", id="queue.resolve"),
        Binding("l", "timeline", "Timeline", id="queue.timeline"),
        Binding("g", "approval", "Approval", id="queue.approval"),
        Binding("slash", "filter", "Filter", id="queue.filter"),
        Binding("ctrl+r", "refresh", "Refresh", id="queue.refresh", show=False),
        Binding("escape", "back", "Back", id="queue.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = QueueFilter()
        self.loading = False  # rows after the first screenful are still on their way
        self.total: int | None = None  # open escalations, whatever the filter
        self.matching: int | None = None  # those the filter lets through
        self.records: dict[int, Record] = {}
        self._generation = 0  # bumped by each (re)load: rows of an older one are dropped
        self._keep: int | None = None  # the escalation the cursor goes back to once its row is shown
        self._resort = False  # a row moved while the rest arrived
        self._summary_width = SUMMARY_MIN
        self._filter_timer: Timer | None = None
        self._store_wait: Timer | None = None
        self._now = datetime.min.replace(tzinfo=UTC)  # the time the rows' due words were written at

    @property
    def host(self) -> QueueHost:
        return cast(QueueHost, self.app)  # EscalateApp, typed as what the queue uses of it

    def compose(self) -> ComposeResult:
        yield Static("Open escalations", id="queue-header")
        yield Static("", id="queue-answers", classes="-none")
        yield SafeInput(placeholder="/ filter: words from the summary, customer or owner; severity:high, "
                                    "target:security", id="queue-filter")
        yield Static("", id="queue-problem", classes="-none")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="queue-table")
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#queue-table", DataTable)

    def on_mount(self) -> None:
        self._summary_width = self._fitting_summary_width()
        if self._store() is not None:
            self.reload()
        else:
            self._waiting_for_store()
        self.set_interval(RETIME_EVERY, self._retime)
        self.show_connections(self.host.connections_line())

    def on_unmount(self) -> None:
        self._generation += 1  # rows still on their way are dropped

    # --- the store ---------------------------------------------------------------------

    def _store(self) -> DraftStore | None:
        saver = self.host.autosaver
        return None if saver is None else saver.store

    def _waiting_for_store(self) -> None:
        """The drafts database opens in the background at start: say so, and load once it is open."""
        saver = self.host.autosaver
        if saver is None:
            self._say("The queue reads the drafts database, which this session does not use.")
            return
        if saver.failed:
            self._say(f"The queue cannot be shown: {saver.failed}")
            return
        self._say("Open escalations: opening the store…")
        if self._store_wait is None:
            self._store_wait = self.set_interval(0.05, self._store_opened_yet)

    def _store_opened_yet(self) -> None:
        saver = self.host.autosaver
        if saver is not None and saver.store is None and not saver.failed:
            return
        if self._store_wait is not None:
            self._store_wait.stop()
            self._store_wait = None
        if self._store() is not None:
            self.reload()
        else:
            self._waiting_for_store()

    def show_connections(self, line: str) -> None:
        """Where the long connections that bring answers stand (nothing when none is configured)."""
        answers = self.query_one("#queue-answers", Static)
        answers.update(Text(line))
        answers.set_class(not line, "-none")

    def _say(self, line: str) -> None:
        self.query_one("#queue-header", Static).update(Text(line))

    # --- loading -----------------------------------------------------------------------

    def _fitting_summary_width(self) -> int:
        fixed = sum(column.width or 0 for column in COLUMNS) + 2 * len(COLUMNS)  # each cell has a space either side
        return max(SUMMARY_MIN, self.app.size.width - fixed - 2)  # 2: the vertical scrollbar

    def on_resize(self) -> None:
        width = self._fitting_summary_width()
        if width != self._summary_width:
            self._summary_width = width
            if self._store() is not None and self.total is not None:
                self.reload(keep=self.highlighted_id())

    def reload(self, keep: int | None = None) -> None:
        """Read the queue again: the first screenful now, the rest in the background. `keep`: the
        escalation the cursor stays on."""
        store = self._store()
        if store is None:
            self._waiting_for_store()
            return
        self._generation += 1
        generation = self._generation
        self._keep = keep
        self._now = self.host.clock()
        table = self.table
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(column.label, key=column.key, width=column.width or self._summary_width)
        self.records.clear()
        wanted = self.filter
        first_rows = max(FIRST_ROWS, self.app.size.height)
        try:
            first = store.queue(first_rows, 0, wanted.text, wanted.severity, wanted.target)
            self.total = store.open_count()
            self.matching = store.open_count(wanted.text, wanted.severity, wanted.target) if wanted.narrows \
                else self.total
        except DraftStoreError as error:
            self._say(f"The queue cannot be read: {error}")
            return
        self._add(first)
        self.loading = len(first) == first_rows
        self._show_counts()
        if self.loading:
            self.run_worker(partial(self._read_rest, store, wanted, first_rows, generation), thread=True,
                            group="queue", name="reading the queue", exit_on_error=False)

    def _read_rest(self, store: DraftStore, wanted: QueueFilter, offset: int, generation: int) -> None:
        try:
            rest = store.queue(None, offset, wanted.text, wanted.severity, wanted.target)
        except DraftStoreError as error:
            self.app.call_from_thread(self._rest_failed, generation, str(error))
            return
        self.app.call_from_thread(self._add_chunks, generation, rest, 0)

    def _rest_failed(self, generation: int, error: str) -> None:
        if generation == self._generation:
            self.loading = False
            self.app.notify(f"Only part of the queue could be read: {error}", severity="error")
            self._show_counts()

    def _add_chunks(self, generation: int, records: list[Record], start: int) -> None:
        """Add CHUNK rows, then let the event loop turn (keys, drawing) before the next ones."""
        if generation != self._generation or not self.is_attached:
            return
        self._add(records[start:start + CHUNK])
        if start + CHUNK < len(records):
            # A timer, not call_later: the screen's own queue would run the chain without letting the
            # event loop turn, and keys would wait for the last row.
            self.set_timer(CHUNK_PAUSE, partial(self._add_chunks, generation, records, start + CHUNK))
            return
        self.loading = False
        if self._resort:
            self._resort = False
            self._sort()
        self._show_counts()

    def _sort(self) -> None:
        self.table.sort("id", key=lambda cell: _order(self.records[int(cell.plain)]))

    def _add(self, records: list[Record]) -> None:
        table = self.table
        colours = self.app.theme_variables
        for record in records:
            self.records[record.id] = record
            table.add_row(*cells(record, self._now, colours), key=str(record.id))
        if self._keep is not None and self._keep in self.records:
            table.move_cursor(row=table.get_row_index(str(self._keep)))
            self._keep = None

    def _show_counts(self) -> None:
        total, matching = self.total or 0, self.matching or 0
        if not total:
            line = ("No open escalations. A case appears here once it is marked escalated on the Brief step "
                    "(or with `escalate-tui escalate FILE`).")
        elif self.filter.narrows:
            line = f"Open escalations: {matching:,} of {total:,} open match the filter"
        else:
            line = f"Open escalations: {total:,} open, the one due first at the top; enter opens one"
        if self.loading:
            line += f" · showing {self.table.row_count:,}, the rest on its way…"
        self._say(line)

    def _retime(self) -> None:
        """Redraw the due times and ages, which change as the clock moves on (not while rows arrive)."""
        if self.loading:
            return
        self._now = now = self.host.clock()
        table, colours = self.table, self.app.theme_variables
        for record in list(self.records.values()):
            key = str(record.id)
            for column, cell in (("due", due_cell(record, now, colours)), ("age", age_cell(record, now))):
                if table.get_cell(key, column).plain != cell.plain:
                    table.update_cell(key, column, cell)

    # --- the filter --------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#queue-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "queue-filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE, partial(self.apply_filter, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "queue-filter":
            return
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.apply_filter(event.value)
        self.table.focus()

    def apply_filter(self, line: str) -> None:
        wanted = parse_filter(line)
        problem = self.query_one("#queue-problem", Static)
        problem.update(Text("; ".join(wanted.problems)))
        problem.set_class(not wanted.problems, "-none")
        if wanted != self.filter:
            self.filter = wanted
            self.reload(keep=self.highlighted_id())

    # --- the highlighted escalation ----------------------------------------------------

    def highlighted_id(self) -> int | None:
        table = self.table
        if not table.row_count or not table.is_valid_row_index(table.cursor_row):
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return None if key is None else int(key)

    def _chosen(self) -> int | None:
        chosen = self.highlighted_id()
        if chosen is None:
            self.app.notify("No escalation is highlighted: the queue is empty." if not self.table.row_count
                            else "Highlight an escalation first.", severity="warning")
        return chosen

    def _with_case(self, then: Callable[[CaseOnFile], object]) -> None:
        """Read the highlighted escalation in a thread, then call `then` with it on the UI thread."""
        chosen, store = self._chosen(), self._store()
        if chosen is None or store is None:
            return
        reporter = self.host.settings.reporter.name

        def read() -> None:
            try:
                escalation = store.load(chosen)
                case = CaseOnFile(escalation, store.record(chosen), store.timeline(chosen),
                                  actor(reporter, escalation.reporter.name))
            except KeyError:
                self.app.call_from_thread(self._gone, chosen)
                return
            except DraftStoreError as error:
                self.app.call_from_thread(self.app.notify, f"Could not read escalation #{chosen}: {error}",
                                          severity="error")
                return
            self.app.call_from_thread(then, case)

        self.run_worker(read, thread=True, group="queue-case", name=f"reading escalation #{chosen}",
                        exit_on_error=False)

    def _gone(self, escalation_id: int) -> None:
        self.app.notify(f"Escalation #{escalation_id} is no longer in the drafts database.", severity="warning")
        self._drop(escalation_id)

    # --- keys on a row -----------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_case()

    def action_open_case(self) -> None:
        chosen = self._chosen()
        if chosen is not None and self.host.open_escalation(chosen):
            self.dismiss(None)

    def action_log_update(self) -> None:
        from tui.screens.log_update import LogUpdateScreen

        self._with_case(lambda case: self.app.push_screen(
            LogUpdateScreen(case.record, self.host.clock, case.who), partial(self._log, case.record.id)))

    def action_change(self, target: bool = False) -> None:
        from tui.screens.change_severity import ChangeSeverityScreen

        self._with_case(lambda case: self.app.push_screen(
            ChangeSeverityScreen(case.record, self.host.clock, case.who, target=target),
            partial(self._log, case.record.id)))

    def action_snooze(self) -> None:
        from tui.screens.snooze import SnoozeScreen

        zone = None if (store := self._store()) is None else store.zone
        self._with_case(lambda case: self.app.push_screen(
            SnoozeScreen(case.record, self.host.clock, case.who, zone), partial(self._log, case.record.id)))

    def action_customer_update(self) -> None:
        def draft(case: CaseOnFile) -> None:
            screen = self._screen_from("tui.screens.customer_update", "CustomerUpdateScreen",
                                       "Drafting customer updates")
            if screen is not None:
                self.app.push_screen(screen(case.escalation, case.record, case.timeline, self.host.clock(),
                                            case.who), partial(self._log, case.record.id))

        self._with_case(draft)

    def action_close_case(self, resolve: bool = False) -> None:
        def close(case: CaseOnFile) -> None:
            if resolve and case.record.approval is Approval.NEEDED:  # say so before the checklist, not after
                asked = requested_for(case.timeline)
                held = gate_words([stored.event for stored in case.timeline]).partition(" — ")[2]
                self.app.notify(f"#{case.record.id} cannot be resolved yet: it waits for an approval"
                                f"{f' ({shorten(asked, 120)})' if asked else ''}"
                                f"{f', {shorten(held, 120)}' if held else ''}. Press g to record the decision.",
                                severity="warning")
                return
            screen = self._screen_from("tui.screens.closing", "ClosingScreen",
                                       "Resolving" if resolve else "De-escalating")
            if screen is not None:
                self.app.push_screen(screen(resolve, case.escalation, case.record, case.timeline, self.host.clock(),
                                            case.who), partial(self._log, case.record.id))

        self._with_case(close)

    def _screen_from(self, module: str, name: str, what: str) -> Any:
        """A dialog class imported when first used (it holds a whole flow the queue need not load)."""
        try:
            return getattr(import_module(module), name)
        except (ImportError, AttributeError):
            self.app.notify(f"{what} is not available in this build of escalate-tui.", severity="warning")
            return None

    def action_approval(self) -> None:
        from tui.screens.approval import ApprovalScreen

        self._with_case(lambda case: self.app.push_screen(
            ApprovalScreen(case.record, case.timeline, self.host.clock, case.who), partial(self._log, case.record.id)))

    def action_timeline(self) -> None:
        from tui.screens.timeline import show_timeline

        chosen, store = self._chosen(), self._store()
        if chosen is not None and store is not None:
            show_timeline(self, store, chosen, self.host.clock)

    def action_refresh(self) -> None:
        self.reload(keep=self.highlighted_id())

    def action_back(self) -> None:
        if self.query_one("#queue-filter", Input).has_focus:
            self.table.focus()
        else:
            self.dismiss(None)

    # --- logging what a dialog returned ------------------------------------------------

    def _log(self, escalation_id: int, event: Event | None) -> None:
        """Append `event` (from a dialog; None when it was closed) in a thread, then redraw its row."""
        store = self._store()
        if event is None or store is None:
            return
        now = self.host.clock()

        def write() -> None:
            try:
                if event.kind in (EventKind.SEVERITY_CHANGED, EventKind.TARGET_CHANGED):
                    store.change(escalation_id, event, now)
                else:
                    store.log(escalation_id, event)
                record = store.record(escalation_id)
            except KeyError:
                self.app.call_from_thread(self._gone, escalation_id)
                return
            except (EscalationError, DraftStoreError) as error:
                self.app.call_from_thread(self.app.notify, f"Not logged: {error}", severity="warning")
                return
            self.app.call_from_thread(self._logged, event, record)

        self.run_worker(write, thread=True, group="queue-write", name=f"logging on escalation #{escalation_id}",
                        exit_on_error=False)

    def _logged(self, event: Event, record: Record) -> None:
        self.app.notify(f"Logged on #{record.id}: {shorten(event.describe(), 160)}")
        self.host.escalation_logged(event, record)
        if not self.is_attached:
            return
        wanted = self.filter
        if not record.status.is_open or (wanted.severity not in (None, record.severity)) \
                or (wanted.target not in (None, record.target)):
            self._drop(record.id)
            if not record.status.is_open and self.total:
                self.total -= 1
            self._show_counts()
            return
        if record.id not in self.records:
            return  # its row has not arrived yet: it will, as it is now
        self.records[record.id] = record
        self._now = self.host.clock()
        for spec, cell in zip(COLUMNS, cells(record, self._now, self.app.theme_variables), strict=True):
            self.table.update_cell(str(record.id), spec.key, cell)
        self._sort()
        self._resort = self.loading  # rows still to come go after it: sort again once they are in
        self.table.move_cursor(row=self.table.get_row_index(str(record.id)))

    def _drop(self, escalation_id: int) -> None:
        if self.records.pop(escalation_id, None) is not None:
            self.table.remove_row(str(escalation_id))
            if self.matching:
                self.matching -= 1
