"""An escalation's timeline: every event, oldest first, in local time, with who did it and what it was."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from tui.domain.due_words import due_words
from tui.domain.lifecycle import Event
from tui.domain.text_safety import visible
from tui.domain.timetext import moment
from tui.screens.queue_rows import plain, status_words, title
from tui.store.drafts import DraftStore, DraftStoreError
from tui.store.escalations import Record


def header(record: Record, now: datetime | None) -> Text:
    """The case, its severity and target, status and owner, and what is due next."""
    line = title(record)
    facts = [part for part in (record.severity.label if record.severity else "",
                               record.target.label if record.target else "", status_words(record)) if part]
    line.append("\n" + " · ".join(facts))
    if now is not None:
        due = due_words(record.internal_due, record.customer_due, record.snoozed_until, now)
        if due:
            line.append(f" · {due}", style="bold" if due.startswith("OVERDUE") else "")
    return line


class TimelineScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TimelineScreen { background: $background 60%; }
    TimelineScreen #timeline-header { padding: 0 1; background: $panel; height: auto; }
    TimelineScreen DataTable { height: 1fr; }
    TimelineScreen #timeline-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $accent; }
    """
    BINDINGS = [Binding("escape,q", "close", "Close", id="timeline.close")]

    def __init__(self, record: Record, events: Sequence[Event], now: datetime | None = None) -> None:
        super().__init__()
        self.record = record
        self.events = list(events)
        self.now = now

    def compose(self) -> ComposeResult:
        yield Static(header(self.record, self.now), id="timeline-header")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="timeline-events")
        yield Static("", id="timeline-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When (local time)", key="when", width=22)
        table.add_column("Who", key="who", width=16)
        table.add_column("What", key="what")
        table.add_rows([Text(moment(event.at.astimezone())), Text(plain(event.who, 40)),
                        Text(plain(event.describe()))] for event in self.events)
        if self.events:
            table.move_cursor(row=len(self.events) - 1)  # the latest event is what is usually wanted
        else:
            self.query_one("#timeline-detail", Static).update("Nothing has been logged on this escalation yet.")
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole of the highlighted event, which the table may cut short."""
        if 0 <= event.cursor_row < len(self.events):
            chosen = self.events[event.cursor_row]
            self.query_one("#timeline-detail", Static).update(
                Text(visible(chosen.describe(), keep_newlines=True)))

    def action_close(self) -> None:
        self.dismiss(None)


def show_timeline(host: Any, store: DraftStore, escalation_id: int, clock: Callable[[], datetime]) -> None:
    """Read escalation `escalation_id`'s record and events in a thread, then show them on `host`'s app.
    (`host`: the app or a screen, whose worker it runs in.) A case that cannot be read is a notice."""
    app = host.app

    def read() -> None:
        try:
            record = store.record(escalation_id)
            events = [stored.event for stored in store.timeline(escalation_id)]
        except KeyError:
            app.call_from_thread(app.notify, f"There is no escalation #{escalation_id} in the drafts database.",
                                 severity="warning")
            return
        except DraftStoreError as error:
            app.call_from_thread(app.notify, f"Could not read the timeline: {error}", severity="error")
            return
        app.call_from_thread(app.push_screen, TimelineScreen(record, events, clock()))

    host.run_worker(read, thread=True, group="timeline", name="reading the timeline", exit_on_error=False)
