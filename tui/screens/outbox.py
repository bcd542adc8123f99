"""The outbox (F8): every send, the ones needing a person first. A send that may have landed is
answered here (a arrived, n send it again), a failed one retried once its cause is fixed (r)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from tui.domain.text_safety import visible
from tui.domain.timetext import moment
from tui.screens.reason import ReasonScreen
from tui.store.outbox import OutboxItem, OutboxState

if TYPE_CHECKING:
    from tui.store.drafts import DraftStore

SHOWN = 500  # the newest sends listed; older ones stay in `escalate-tui outbox`


class OutboxApp(Protocol):
    """The app as the outbox screen uses it (the app is above the screens)."""

    def clock(self) -> datetime: ...

    def start_outbox(self) -> None: ...

    def reporter_name(self) -> str: ...


def order(items: list[OutboxItem]) -> list[OutboxItem]:
    """Those needing a person first (may have landed, then stopped), then waiting, then delivered;
    newest first within each."""
    rank = {OutboxState.UNCERTAIN: 0, OutboxState.FAILED: 1, OutboxState.SENDING: 2, OutboxState.PENDING: 3,
            OutboxState.DELIVERED: 4}
    return sorted(items, key=lambda item: (rank[item.state], -item.id))


class OutboxScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    OutboxScreen { background: $background 60%; }
    OutboxScreen #outbox-header { padding: 0 1; background: $panel; height: auto; }
    OutboxScreen DataTable { height: 1fr; }
    OutboxScreen #outbox-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $accent; }
    """
    BINDINGS = [
        Binding("a", "arrived", "Arrived", id="outbox.arrived"),
        Binding("n", "not_arrived", "Did not arrive: send again", id="outbox.not_arrived"),
        Binding("r", "retry", "Retry", id="outbox.retry"),
        Binding("ctrl+r", "reload", "Re-read", id="outbox.reload"),
        Binding("escape,q", "close", "Close", id="outbox.close"),
    ]
    HELP = (
        "Outbox: every send, those that need you first. A send whose answer never came back may have landed "
        "(the service cannot be asked): look in that channel or tracker, then press a if it arrived or n to "
        "send it again. A send that stopped says why; fix that (a setting, a variable) and press r to try it "
        "again. ctrl+r re-reads the list; escape closes it. Nothing here is ever sent twice on its own."
    )

    def __init__(self, store: DraftStore) -> None:
        super().__init__()
        self.store = store
        self.items: list[OutboxItem] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="outbox-header")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="outbox-sends")
        yield Static("", id="outbox-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in (("#", "id", 6), ("Case", "case", 6), ("Destination", "destination", 22),
                                  ("State", "state", 18), ("Tries", "tries", 6), ("When (local time)", "when", 22),
                                  ("What", "what", 40)):
            table.add_column(label, key=key, width=width)
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        self.show(order(self.store.sends(limit=SHOWN)))

    def show(self, items: list[OutboxItem]) -> None:
        self.items = items
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for item in items:
            when = item.delivered_at if item.state is OutboxState.DELIVERED else item.next_attempt
            table.add_row(str(item.id), f"#{item.draft_id}", Text(visible(item.destination)),
                          Text(_state_label(item), style="bold" if item.state in _NEEDS_YOU else ""),
                          str(item.attempts), moment(when.astimezone()) if when else "",
                          Text(visible(item.title)), key=str(item.id))
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
        waiting = sum(item.state in _NEEDS_YOU for item in items)
        self.query_one("#outbox-header", Static).update(Text(
            f"Outbox: {len(items)} send(s)" + (f", {waiting} need you" if waiting else "")
            + "  ·  a arrived  n send again  r retry  escape close"))
        self._detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def current(self) -> OutboxItem | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def _detail(self) -> None:
        from tui.send.states import state_words

        item = self.current()
        text = "" if item is None else visible(f"{item.destination}: {state_words(item)}")
        self.query_one("#outbox-detail", Static).update(Text(text))

    def action_arrived(self) -> None:
        self._answer(True)

    def action_not_arrived(self) -> None:
        self._answer(False)

    def _answer(self, arrived: bool) -> None:
        item = self.current()
        if item is None or item.state is not OutboxState.UNCERTAIN:
            self.notify("Only a send that may have landed is answered this way (its state says so).",
                        severity="warning")
            return
        question = (f"Send #{item.id} to {item.destination} arrived? Say how you know (it goes on the case's "
                    "timeline)." if arrived else
                    f"Send #{item.id} to {item.destination} did not arrive, so it is sent again. Say how you "
                    "checked.")

        def answered(reason: str | None) -> None:
            if reason:
                self._record(lambda now, who: self.store.resolve_send(item.id, arrived, who, reason, now))

        self.app.push_screen(ReasonScreen(question, "e.g. seen in #eng-escalations at 14:05"), answered)

    def action_retry(self) -> None:
        item = self.current()
        if item is None or item.state is not OutboxState.FAILED:
            self.notify("Only a send that stopped can be retried.", severity="warning")
            return
        self._record(lambda now, who: self.store.retry_send(item.id, now))

    def _record(self, change: Callable[[datetime, str], Any]) -> None:
        from tui.store.drafts import DraftStoreError
        from tui.store.outbox import OutboxError

        app = cast("OutboxApp", self.app)
        try:
            change(app.clock(), app.reporter_name())
        except (DraftStoreError, OutboxError, KeyError) as error:
            self.notify(visible(f"Nothing changed: {error}"), severity="error", markup=False)
            return
        self.action_reload()
        app.start_outbox()

    def action_close(self) -> None:
        self.dismiss(None)


def _state_label(item: OutboxItem) -> str:
    if item.state is OutboxState.UNCERTAIN:
        return "MAY HAVE LANDED"
    if item.state is OutboxState.FAILED:
        return "STOPPED"
    if item.state is OutboxState.PENDING and item.attempts:
        return "waiting to retry"
    return item.state.value


_NEEDS_YOU = frozenset({OutboxState.UNCERTAIN, OutboxState.FAILED})
