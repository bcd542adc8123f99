"""Autosave: every edit reaches the draft database within a second, written off the UI thread.

Edits, and changes to the hand-edited brief text, bump the app's `changes`; `Autosaver.changed()`
restarts a short quiet-period timer; when it fires, a snapshot of the Escalation and the brief
text is taken on the UI thread (so later keystrokes cannot race the write) and saved by a thread
worker. Quitting flushes whatever is still pending.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from textual.timer import Timer

from tui.domain.models import Escalation
from tui.widgets.case import CaseEditor

if TYPE_CHECKING:
    from tui.store.drafts import DraftStore, DraftSummary


class FileDraft(NamedTuple):
    """The draft of a brief file as it was last saved in the database."""

    id: int
    escalation: Escalation
    updated: datetime | None


class OpenedDrafts(NamedTuple):
    recent: list[DraftSummary]
    file_draft: FileDraft | None


class SavingApp(CaseEditor, Protocol):
    """The app as the autosaver uses it: the case, and Textual's timers, workers and notices."""

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def run_worker(self, work: Callable[[], Any], *, thread: bool = False, group: str = "default",
                   name: str | None = "", exit_on_error: bool = True) -> Any: ...

    def notify(self, message: str, *, severity: Literal["information", "warning", "error"] = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    def save_state_changed(self) -> None: ...

QUIET_PERIOD = 0.3  # seconds without typing before a save; well under the promised 1 s


class Autosaver:
    def __init__(self, app: SavingApp, data_dir: Path | None) -> None:
        self.app = app
        self.data_dir = data_dir
        self.draft_id: int | None = None  # set by the first save, or by resuming a draft
        self.store: DraftStore | None = None
        self._timer: Timer | None = None
        self._saved_revision = -1
        self._written_revision = -1
        self._lock = threading.Lock()  # one write at a time, never an older snapshot over a newer one
        self.failed: str | None = None
        self.saved_at: datetime | None = None  # when the last save reached the database
        self.file: Path | None = None  # the brief file this case belongs to, if any

    # --- runs in a worker thread -------------------------------------------------------

    def open(self) -> OpenedDrafts:
        """Open the database: the recent drafts, for the resume prompt, and the draft of the brief
        file the case was opened from. (sqlite3 loads here, in the worker, not on the way to the
        first screen.)"""
        from tui.store.drafts import DraftStore, DraftStoreError

        try:
            self.store = DraftStore.open_default(self.data_dir)
            recent = self.store.recent(10)
            if self.file is None:
                return OpenedDrafts(recent, None)
            draft_id = self.store.draft_of_file(self.file)
            if draft_id is None:
                return OpenedDrafts(recent, None)
            updated = next((row.updated for row in recent if row.id == draft_id), None)
            return OpenedDrafts(recent, FileDraft(draft_id, self.store.load(draft_id), updated))
        except (DraftStoreError, KeyError) as error:
            self.failed = str(error)
            return OpenedDrafts([], None)

    def link(self, file: Path) -> None:
        """The case now belongs to `file` (first saved there); its draft says so from now on."""
        from tui.store.drafts import DraftStoreError

        self.file = file
        with self._lock:
            if self.store is not None and self.draft_id is not None:
                try:
                    self.store.link_file(self.draft_id, file)
                except DraftStoreError as error:
                    self.failed = str(error)

    def archive(self, draft_id: int, now: datetime) -> None:
        """Put a draft away (the agent chose the file's version over it); the row is kept."""
        from tui.store.drafts import DraftStoreError

        with self._lock:
            if self.store is not None:
                try:
                    self.store.archive(draft_id, now)
                except (DraftStoreError, KeyError) as error:
                    self.failed = str(error)

    def delete(self, draft_id: int) -> None:
        from tui.store.drafts import DraftStoreError

        with self._lock:
            if self.store is not None:
                try:
                    self.store.delete(draft_id)
                except DraftStoreError as error:
                    self.failed = str(error)

    def write(self, revision: int, snapshot: Escalation, now: datetime, severity: str) -> int | None:
        from tui.store.drafts import DraftStoreError

        with self._lock:
            if self.store is None:
                return None
            if revision <= self._written_revision:
                return self.draft_id
            try:
                if self.draft_id is None:
                    self.draft_id = self.store.create(snapshot, now, file=self.file)
                self.store.save(self.draft_id, snapshot, now, severity)
            except DraftStoreError as error:
                self.failed = str(error)
                return None
            self.failed = None
            self._written_revision = revision
            return self.draft_id

    # --- runs on the UI thread ---------------------------------------------------------

    def changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(QUIET_PERIOD, self.save_now)

    def save_now(self) -> None:
        if self.store is None or self._saved_revision == self.app.changes:
            return
        revision = self.app.changes
        snapshot = self.app.escalation.model_copy(deep=True)
        severity = self.app.assessment.severity.effective.value
        now = self.app.clock()

        def save() -> None:
            saved_id = self.write(revision, snapshot, now, severity)
            self.app.call_from_thread(self._saved, revision, saved_id)

        self.app.run_worker(save, thread=True, group="autosave", name="saving the draft", exit_on_error=False)

    def _saved(self, revision: int, draft_id: int | None) -> None:
        if draft_id is None:
            self.app.save_state_changed()
            if self.failed:
                self.app.notify(f"Autosave failed: {self.failed}", severity="error", timeout=10, markup=False)
            return
        self._saved_revision = max(self._saved_revision, revision)
        self.saved_at = self.app.clock()
        self.app.save_state_changed()

    def flush(self) -> None:
        """Save synchronously on the way out, so quitting right after typing loses nothing."""
        if self._timer is not None:
            self._timer.stop()
        if self.store is None or self._saved_revision == self.app.changes:
            return
        severity = self.app.assessment.severity.effective.value
        written = self.write(self.app.changes, self.app.escalation, self.app.clock(), severity)
        if written is not None:
            self._saved_revision = self.app.changes

    def load(self, draft_id: int) -> Escalation | None:
        """The draft (its hand-edited brief inside it, when there is one)."""
        from tui.store.drafts import DraftStoreError

        if self.store is None:
            return None
        try:
            return self.store.load(draft_id)
        except (DraftStoreError, KeyError) as error:
            self.app.notify(f"Could not open that draft: {error}", severity="error", markup=False)
            return None
