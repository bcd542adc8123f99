"""Autosave: every edit reaches the draft database within a second, written off the UI thread.

Edits, and changes to the hand-edited brief text, bump the app's `changes`; `Autosaver.changed()`
(re)starts a timer that fires after a short pause in typing, or at the latest `MAX_WAIT` after the
first edit not yet saved, however steadily the agent types. When it fires, a snapshot of the
Escalation is taken on the UI thread (so later keystrokes cannot race the write) and saved by a
thread worker. Quitting flushes whatever is still pending.

Each save names the stored revision its edits started from. When another app instance has saved
the draft since, the two versions are merged field by field; when both changed the same field,
this instance's version is kept as a draft of its own. Either way nothing is overwritten unseen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from textual.timer import Timer

from tui.domain.models import Escalation
from tui.widgets.case import CaseEditor

if TYPE_CHECKING:
    from tui.store.drafts import DraftConflict, DraftStore, DraftSummary, StoredDraft


class FileDraft(NamedTuple):
    """The draft of a brief file as it was last saved in the database."""

    id: int
    escalation: Escalation
    updated: datetime | None
    revision: int


class OpenedDrafts(NamedTuple):
    recent: list[DraftSummary]
    file_draft: FileDraft | None
    moved_aside: str | None = None  # a sentence: the database could not be used and was kept aside
    open_escalations: int = 0  # escalations handed over and not yet closed: the queue


class Merged(NamedTuple):
    """Another instance saved the draft too; its edits to `fields` were taken into this one."""

    fields: tuple[str, ...]
    merged: Escalation


class Forked(NamedTuple):
    """Another instance changed the same fields: this version was saved as a draft of its own."""

    old_id: int
    new_id: int
    clashes: tuple[str, ...]


Outcome = Merged | Forked | None


class Assessed(NamedTuple):
    """What the rules make of the case when it is saved: shown in the resume list, and, for an open
    escalation, compared with its record (a difference is logged as a change)."""

    severity: str
    target: str


class SavingApp(CaseEditor, Protocol):
    """The app as the autosaver uses it: the case, and Textual's timers, workers and notices."""

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def run_worker(self, work: Callable[[], Any], *, thread: bool = False, group: str = "default",
                   name: str | None = "", exit_on_error: bool = True) -> Any: ...

    def notify(self, message: str, *, severity: Literal["information", "warning", "error"] = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    def save_state_changed(self) -> None: ...

    def saved_alongside_another(self, outcome: Merged | Forked, snapshot: Escalation) -> None: ...

QUIET_PERIOD = 0.3  # seconds without typing before a save
MAX_WAIT = 0.8  # seconds from the first unsaved edit to its save, however steady the typing (1 s promised)
RETRY_AFTER = 5.0  # seconds between attempts while saving fails (disk full, database locked…)


class Autosaver:
    def __init__(self, app: SavingApp, data_dir: Path | None) -> None:
        self.app = app
        self.data_dir = data_dir
        self.draft_id: int | None = None  # set by the first save, or by resuming a draft
        self.store: DraftStore | None = None
        self._timer: Timer | None = None
        self._saved_revision = 0  # the case as opened needs no saving until it is edited
        self._written_revision = -1
        self._lock = threading.Lock()  # one write at a time, never an older snapshot over a newer one
        self._pending_since: float | None = None  # when the first edit not yet handed to a save was made
        self._retry: Timer | None = None  # set while saving fails
        # The stored version this instance's edits are based on, and its revision in the database.
        self._base: Escalation | None = None
        self._base_revision: int | None = None
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
            moved = None if self.store.moved_aside is None else self.store.moved_aside.sentence()
            recent = self.store.recent(10)
            open_count = self.store.open_count()
            if self.file is None:
                return OpenedDrafts(recent, None, moved, open_count)
            draft_id = self.store.draft_of_file(self.file)
            if draft_id is None:
                return OpenedDrafts(recent, None, moved, open_count)
            updated = next((row.updated for row in recent if row.id == draft_id), None)
            stored = self.store.load_stored(draft_id)
            return OpenedDrafts(recent, FileDraft(draft_id, stored.escalation, updated, stored.revision), moved,
                                open_count)
        except (DraftStoreError, KeyError) as error:
            self.failed = str(error)
            return OpenedDrafts([], None)

    def adopt(self, draft_id: int, escalation: Escalation, revision: int) -> None:
        """Carry on in a stored draft: later saves are based on this version of it."""
        with self._lock:
            self.draft_id = draft_id
            self._base = escalation.model_copy(deep=True)
            self._base_revision = revision
            self._written_revision = -1

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

    def write(self, revision: int, snapshot: Escalation, now: datetime,
              assessed: Assessed) -> tuple[int | None, Outcome]:
        """Save `snapshot` (the case at edit number `revision`); the draft's id (None when the save
        failed) and what became of another instance's saves, if there were any."""
        from tui.store.drafts import DraftConflict, DraftStoreError

        with self._lock:
            if self.store is None:
                return None, None
            if revision <= self._written_revision:
                return self.draft_id, None
            outcome: Outcome = None
            try:
                if self.draft_id is None:
                    self.draft_id = self.store.create(snapshot, now, file=self.file)
                    self._base_revision = 1
                try:
                    self._base_revision = self.store.save(self.draft_id, snapshot, now, assessed.severity,
                                                          based_on=self._base_revision, target=assessed.target)
                    self._base = snapshot
                except DraftConflict as conflict:
                    outcome = self._reconcile(conflict, snapshot, now, assessed.severity)
            except DraftStoreError as error:
                self.failed = str(error)
                return None, None
            self.failed = None
            self._written_revision = revision
            return self.draft_id, outcome

    def _reconcile(self, conflict: DraftConflict, snapshot: Escalation, now: datetime, severity: str) -> Outcome:
        """Another instance saved this draft since our base: merge its edits in, or, when both changed
        the same field, keep ours as a draft of its own. (Under the write lock.)"""
        from tui.domain.merge import merge
        from tui.store.drafts import DraftConflict

        assert self.store is not None
        assert self.draft_id is not None
        for _ in range(5):  # the other instance may save again in between
            stored = conflict.stored
            result = merge(self._base or stored.escalation, snapshot, stored.escalation)
            if result.merged is None:
                old_id = self.draft_id
                self.draft_id = self.store.create(snapshot, now, file=self.file)
                self._base_revision = self.store.save(self.draft_id, snapshot, now, severity)
                self._base = snapshot
                return Forked(old_id, self.draft_id, result.clashes)
            try:
                self._base_revision = self.store.save(self.draft_id, result.merged, now, severity,
                                                      based_on=stored.revision)
            except DraftConflict as again:
                conflict = again
                continue
            self._base = result.merged
            return Merged(result.theirs, result.merged) if result.theirs else None
        raise conflict

    # --- runs on the UI thread ---------------------------------------------------------

    def changed(self) -> None:
        """An edit was made: save after a pause in typing, and within MAX_WAIT of the first unsaved edit."""
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        if self._timer is not None:
            self._timer.stop()
        delay = min(QUIET_PERIOD, self._pending_since + MAX_WAIT - now)
        # Never 0: a zero-interval timer that starts late divides by zero inside Textual.
        self._timer = self.app.set_timer(max(delay, 0.001), self.save_now)

    @property
    def has_unsaved_edits(self) -> bool:
        """Edits that have not reached the database (yet, or because saving fails)."""
        return self._saved_revision != self.app.changes

    def save_now(self, force: bool = False) -> None:
        """Save the case unless it is saved already (`force`: save it anyway, e.g. a new draft)."""
        self._pending_since = None
        if self.store is None or not (force or self.has_unsaved_edits):
            return
        revision = self.app.changes
        snapshot = self.app.escalation.model_copy(deep=True)
        assessed = self._assessed()
        now = self.app.clock()

        def save() -> None:
            saved_id, outcome = self.write(revision, snapshot, now, assessed)
            self.app.call_from_thread(self._saved, revision, saved_id, outcome, snapshot)

        self.app.run_worker(save, thread=True, group="autosave", name="saving the draft", exit_on_error=False)

    def _saved(self, revision: int, draft_id: int | None, outcome: Outcome, snapshot: Escalation) -> None:
        if draft_id is None:
            self.app.save_state_changed()
            if self.failed:
                if self._retry is None:
                    self.app.notify(f"Autosave failed: {self.failed}. Your edits are kept here and saving is "
                                    "tried again every few seconds; the status line says NOT SAVED until it "
                                    "works.", severity="error", timeout=15, markup=False)
                self._retry = self.app.set_timer(RETRY_AFTER, self._try_again)
            return
        if self._retry is not None:
            self._retry = None
            self.app.notify("Autosave works again: your edits are saved.", markup=False)
        self._saved_revision = max(self._saved_revision, revision)
        self.saved_at = self.app.clock()
        self.app.save_state_changed()
        if outcome is not None:
            self.app.saved_alongside_another(outcome, snapshot)

    def _try_again(self) -> None:
        if self.failed:
            self.save_now(force=True)

    def flush(self) -> None:
        """Save synchronously on the way out, so quitting right after typing loses nothing."""
        if self._timer is not None:
            self._timer.stop()
        if self.store is None or not self.has_unsaved_edits:
            return
        written, _ = self.write(self.app.changes, self.app.escalation, self.app.clock(), self._assessed())
        if written is not None:
            self._saved_revision = self.app.changes

    def save_sync(self) -> int | None:
        """Save the case now, on this thread, creating its draft if it has none yet; the draft's id
        (None while the store is not open or saving fails). For a step that needs the stored draft."""
        if self._timer is not None:
            self._timer.stop()
        if self.store is None:
            return None
        if self.draft_id is None or self.has_unsaved_edits:
            snapshot = self.app.escalation.model_copy(deep=True)
            revision = self.app.changes
            written, outcome = self.write(revision, snapshot, self.app.clock(), self._assessed())
            if written is None:
                return None
            self._saved_revision = max(self._saved_revision, revision)
            if outcome is not None:
                self.app.saved_alongside_another(outcome, snapshot)
        return self.draft_id

    def _assessed(self) -> Assessed:
        assessment = self.app.assessment
        return Assessed(assessment.severity.effective.value, assessment.target.effective.value)

    def load(self, draft_id: int) -> StoredDraft | None:
        """The draft (its hand-edited brief inside it, when there is one) and its revision."""
        from tui.store.drafts import DraftStoreError

        if self.store is None:
            return None
        try:
            return self.store.load_stored(draft_id)
        except (DraftStoreError, KeyError) as error:
            self.app.notify(f"Could not open that draft: {error}", severity="error", markup=False)
            return None
