"""The Textual app: five step screens sharing one Escalation, autosaved as you type."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.config import Settings, default_settings
from tui.domain.field_paths import get_field, insert_item, move_item, remove_item, set_field
from tui.domain.form import step_for
from tui.domain.models import Escalation, build_validators
from tui.domain.text_safety import visible
from tui.domain.triage import Assessment, assess
from tui.screens.steps import STEPS, neighbour

if TYPE_CHECKING:
    from tui.autosave import FileDraft, Forked, Merged, OpenedDrafts
    from tui.callbacks.longconn import LongConnection, State
    from tui.domain.lifecycle import Event
    from tui.domain.quality import QualityReport
    from tui.screens.case import CaseScreen
    from tui.send.config import DestinationConfig
    from tui.sources.model import Place, Source
    from tui.store.drafts import DraftSummary
    from tui.store.escalations import Record, StoredEvent
    from tui.store.outbox import OutboxItem

ANSWERS_POLL = 3.0  # seconds between looks for answers recorded by another process

# Palette entries for the actions that live on one step: (name, help, step, action).
SCREEN_COMMANDS = (
    ("brief: export Markdown", "Write the brief to a Markdown file (ctrl+o on the Brief step)", "brief", "export"),
    ("brief: copy to clipboard", "Copy the brief's Markdown (ctrl+y on the Brief step)", "brief", "copy"),
    ("brief: copy as plain text", "Copy the brief without Markdown, for tools that show it as typed (alt+y)",
     "brief", "copy_plain"),
    ("brief: edit text", "Edit the final text of the brief here (ctrl+t on the Brief step)", "brief", "toggle_edit"),
    ("brief: edit in $EDITOR", "Edit the brief in your own editor (ctrl+g on the Brief step)", "brief",
     "external_editor"),
    ("brief: discard text edits", "Go back to the brief generated from the case (ctrl+k on the Brief step)",
     "brief", "discard_edits"),
    ("brief: send…", "Send the brief to Slack, Jira, e-mail… as the config lists, after a dry run (alt+s on the "
     "Brief step)", "brief", "send"),
    ("brief: mark escalated", "Hand the case over: keep the brief as version 1 and start the follow-up clocks "
     "(ctrl+e on the Brief step)", "brief", "escalate"),
    ("impact: override severity or target", "Overrule the proposal, with a reason (ctrl+o on Impact)", "impact",
     "override"),
)


WARM_UP_AFTER = 0.3  # seconds after the first frame before the background start-up work


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _case_screen() -> Screen[Any]:
    from tui.screens.case import CaseScreen

    return CaseScreen()


class ConnectionChanged(Message):
    """A long connection to Lark or Slack changed state (posted from its own thread)."""

    def __init__(self, name: str, state: State) -> None:
        super().__init__()
        self.name, self.state = name, state


class EscalateApp(App[None]):
    TITLE = "escalate-tui"
    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"  # also for subclasses defined elsewhere
    ENABLE_COMMAND_PALETTE = True
    # One mode per kind of work; a case is written on one screen, its steps panes of it.
    MODES = {"case": _case_screen}
    DEFAULT_MODE = "case"

    BINDINGS = [
        *(
            Binding(f"{step.key},ctrl+{step.number}", f"go('{step.mode}')", step.title,
                    id=f"step.{step.mode}", priority=True, show=False)
            for step in STEPS
        ),
        Binding("ctrl+pagedown,alt+right", "step(1)", "Next step", id="step.next", priority=True, show=False),
        Binding("ctrl+pageup,alt+left", "step(-1)", "Previous step", id="step.previous",
                priority=True, show=False),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f7", "queue", "Queue", id="app.queue", priority=True, show=False),
        Binding("f8", "outbox", "Outbox", id="app.outbox", priority=True, show=False),
        Binding("ctrl+s", "save_brief", "Save brief", id="brief.save"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    # Plain `var`s, not `reactive`s: a reactive repaints the whole screen on every change, which on
    # every keystroke was felt in key echo; watchers redraw only the panels that show results.
    revision: var[int] = var(0, init=False)  # bumped by every edit of the case
    generation: var[int] = var(0, init=False)  # bumped when a different draft is loaded

    def __init__(
        self,
        escalation: Escalation | None = None,
        *,
        settings: Settings | None = None,
        clock: Callable[[], datetime] = _local_now,
        brief_path: Path | None = None,
        startup_problems: list[str] | None = None,
        data_dir: Path | None = None,
        autosave: bool = True,
        offer_resume: bool = False,
        config_path: Path | None = None,
        build_steps_ahead: bool = True,
    ) -> None:
        super().__init__()  # Textual reads NO_COLOR here and turns the whole UI monochrome
        self.config_path = config_path
        self.build_steps_ahead = build_steps_ahead  # the other steps built in the background after start
        from tui.autosave import Autosaver

        self.startup_problems = list(startup_problems or [])
        self.first_frame_drawn = False  # set once the first screen is on the terminal
        self._data_dir = data_dir
        self.autosaver = Autosaver(self, data_dir) if autosave else None
        self.offer_resume = offer_resume
        self.escalation = escalation or Escalation()
        self.settings = settings or default_settings()
        self.clock = clock
        self.brief_path = brief_path
        self._final_text_revision = 0  # the revision the hand edit of the brief was made at
        self.changes = 0  # every edit, of the case or of the brief's text: what autosave keeps up with
        self._file_changes = 0  # `changes` when the brief file was last read or written
        self._assessment: tuple[int, Assessment] | None = None
        import threading

        self._outbox_stop = threading.Event()  # set on quit: sends not yet started are given back, unsent
        self._outbox_running = False
        self._outbox_again = False  # more was queued while the outbox was being delivered
        self._answers_seen = 0  # the newest answer from a chat app already told (see _poll_answers)
        self._answers_polling = False
        self.connections: list[LongConnection] = []  # Lark / Slack long connections, started once drafts open
        self._connection_phases: dict[str, str] = {}
        self._connection_states: dict[str, State] = {}  # the newest state of each, for the queue to show
        self.escalation_record: Record | None = None  # the case's status in the store, once known
        if self.settings.keymap:
            self._apply_keymap()

        self._apply_themes()

    def _apply_keymap(self) -> None:
        from tui.keymap import binding_ids, unknown_ids

        keymap = self.settings.keymap
        unknown = unknown_ids(keymap, binding_ids())
        if unknown:
            from tui.config import keymap_problems

            where = self.config_path or Path("config.toml")
            self.startup_problems.extend(str(problem) for problem in keymap_problems(where, unknown))
        self.set_keymap({key: keys for key, keys in keymap.items() if key not in unknown})

    def _apply_themes(self) -> None:
        from tui.themes import DEFAULT_THEME, load_themes, shipped_themes

        folders = [self.config_path.parent / "themes"] if self.config_path is not None else []
        user_themes, problems = load_themes(folders)  # the agent's own, beside their config
        themes = [*shipped_themes(), *user_themes]
        for theme in themes:
            self.register_theme(theme)
        wanted = self.settings.ui.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        if wanted not in self.available_themes:
            problems.append(f"theme '{wanted}' not found; using {DEFAULT_THEME}")
        self.startup_problems.extend(problems)

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the agent picks (ctrl+p → theme), keeping the config file's comments."""
        if self.config_path is None or not self.is_running or theme == self.settings.ui.theme:
            return
        path = self.config_path

        def save() -> None:
            from tui.config import save_setting

            try:
                save_setting(path, "ui", "theme", theme)
            except (OSError, ValueError) as error:
                self.call_from_thread(
                    self.notify, f"Theme not saved to {path}: {error}", severity="warning", markup=False
                )

        self.settings.ui.theme = theme
        self.run_worker(save, thread=True, group="config", name="saving the theme to the config", exit_on_error=False)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice is plain text with its control characters made visible: notices quote file
        names, settings and errors, any of which may hold brackets or escape sequences. (`markup` is
        accepted for Textual's signature and ignored.)"""
        super().notify(visible(message, keep_newlines=True), title=visible(title), severity=severity,
                       timeout=timeout, markup=False)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from tui.themes import VARIABLE_DEFAULTS

        return dict(VARIABLE_DEFAULTS)

    @property
    def case_screen(self) -> CaseScreen:
        from tui.screens.case import CaseScreen

        return next(screen for screen in self.screen_stack if isinstance(screen, CaseScreen))

    @property
    def step(self) -> str:
        """The step on show: "intake", "context", "impact", "repro" or "brief"."""
        return self.case_screen.step

    async def on_mount(self) -> None:
        # The first screen is mounted; its first field takes the focus here, in the app's own task,
        # before any key already waiting in the queue is read, so that key reaches it.
        await self.case_screen.show_step(self.step)
        self.call_after_refresh(self._first_screen_shown)

    def _first_screen_shown(self) -> None:
        """Start-up work the first screen does not need waits until it is drawn."""
        from tui import gc_pause

        gc_pause.resume()
        self.first_frame_drawn = True
        self._show_startup_problems()  # toasts need a screen to sit on
        if self.build_steps_ahead:
            self.case_screen.build_panes_soon()
        # Threads share the interpreter with the keys typed in the first moments: they start once those
        # have had the time to show.
        self.set_timer(WARM_UP_AFTER, self._warm_up)

    def _warm_up(self) -> None:
        # A draft made from a summary was built without pydantic's validators (blank_escalation);
        # build them now, while the agent reads the screen, not on the first keystroke.
        self.run_worker(build_validators, thread=True, group="warm-up", name="preparing the case's checks",
                        exit_on_error=False)
        if self.autosaver is not None:
            self.run_worker(self._open_drafts, thread=True, group="autosave", name="opening the drafts database",
                            exit_on_error=False)
        self.run_worker(self._remove_stale_temps, thread=True, group="warm-up",
                        name="clearing files left by interrupted saves", exit_on_error=False)

    def _remove_stale_temps(self) -> None:
        """Temporary files of saves that were killed half-way, where this app writes: here and
        beside the brief file."""
        from tui.store.atomic import remove_stale_temps

        folders = {Path.cwd(), *([self.brief_path.absolute().parent] if self.brief_path else [])}
        for folder in folders:
            remove_stale_temps(folder)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker that fails says so (workers run with exit_on_error=False, so a failure in
        one never closes the app, and would otherwise go unseen)."""
        if event.state is WorkerState.ERROR:
            what = event.worker.name or event.worker.group
            self.notify(f"Something went wrong while {what}: {event.worker.error}", title="Error",
                        severity="error", timeout=15, markup=False)

    def _show_startup_problems(self) -> None:
        for problem in self.startup_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=12, markup=False)

    def _open_drafts(self) -> None:
        assert self.autosaver is not None
        self.autosaver.file = self.brief_path
        opened = self.autosaver.open()
        self.call_from_thread(self._drafts_opened, opened)
        store = self.autosaver.store
        if store is not None and store.next_send_due() is not None:
            self.call_from_thread(self.start_outbox)  # sends queued before a restart resume
        if store is not None:
            self._answers_seen = store.answers_latest()
            self.call_from_thread(self.set_interval, ANSWERS_POLL, self._poll_answers)
            self._start_connections(store.path)

    def _start_connections(self, store_path: Path) -> None:
        """The long connections [callbacks] connect names (in a worker thread: nothing heavy is imported
        until a connection's own thread runs)."""
        import os

        from tui.callbacks.connect import configured_connections

        def changed(name: str, state: State) -> None:
            self.post_message(ConnectionChanged(name, state))  # thread-safe, and never waits on the app

        connections, problems = configured_connections(self.settings.callbacks, os.environ, store_path, changed)
        for problem in problems:
            self.call_from_thread(self.notify, problem, title="Answers", severity="warning", timeout=15,
                                  markup=False)
        self.connections = connections
        for connection in connections:
            connection.start()

    def on_connection_changed(self, message: ConnectionChanged) -> None:
        """Shown on the queue at every change; said when the phase changes (not at every retry of
        the same outage)."""
        from tui.screens.queue import QueueScreen

        self._connection_states[message.name] = message.state
        line = self.connections_line()
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                screen.show_connections(line)
        phase = message.state.phase
        if self._connection_phases.get(message.name) == phase or phase == "connecting":
            return
        self._connection_phases[message.name] = phase
        severity: SeverityLevel = "information" if phase == "connected" else "error" if phase == "failed" else "warning"
        self.notify(message.state.words(message.name), title="Answers", severity=severity, markup=False)

    def connections_line(self) -> str:
        """"Answers: Lark connected · Slack reconnecting at 14:05:10 (…)", or "" with no connection."""
        if not self._connection_states:
            return ""
        return "Answers: " + " · ".join(state.words(name) for name, state in self._connection_states.items())

    def _drafts_opened(self, opened: OpenedDrafts) -> None:
        assert self.autosaver is not None
        if self.autosaver.failed:
            message = f"Drafts will not be saved: {self.autosaver.failed}"
            self.notify(message, severity="error", timeout=30, markup=False)
            self.save_state_changed()
            return
        if opened.moved_aside:
            self.notify(opened.moved_aside, title="Drafts", severity="warning", timeout=30, markup=False)
        file_draft = opened.file_draft
        if file_draft is not None:
            self._offer_file_draft(file_draft)
        elif self.offer_resume and opened.open_escalations:
            self.call_later(self.show_queue)  # escalations to follow up: their queue comes first
            if self.escalation.summary or self.changes:
                self.autosaver.save_now(force=True)
        elif self.offer_resume and opened.recent:
            from tui.screens.resume import ResumeScreen

            self.push_screen(ResumeScreen(opened.recent, self.clock(), self.autosaver), self._resume)
        elif self.escalation.summary or self.changes:
            self.autosaver.save_now(force=True)  # a new draft, and anything typed while the database opened

    def _offer_file_draft(self, draft: FileDraft) -> None:
        """The brief file was opened before: carry on in its draft, and when that draft holds edits
        never saved to the file, ask which version to work on."""
        assert self.autosaver is not None
        assert self.brief_path is not None
        if draft.escalation == self.escalation:
            self.autosaver.adopt(draft.id, draft.escalation, draft.revision)
            self.escalation_record = self._record_of(draft.id)
            return
        from tui.screens.question import Answer, QuestionScreen

        when = f" (last edited {draft.updated.astimezone():%Y-%m-%d %H:%M})" if draft.updated else ""
        question = (f"{self.brief_path.name} has edits that were never saved to it{when}. Carry on with "
                    "those edits, or open the file as it is saved? Either way nothing is lost: the other "
                    "version stays in the drafts.")
        answers = [Answer("enter", "carry on with the edits", "draft"), Answer("f", "open the file as saved", "file")]

        def answered(choice: str | None) -> None:
            assert self.autosaver is not None
            if choice == "draft":
                self._load_draft(draft.id, draft.escalation, draft.revision)
                self.notify(f"Carrying on with the edits; ctrl+s saves them to {self.brief_path}.", markup=False)
            else:
                archive = partial(self.autosaver.archive, draft.id, self.clock())
                self.run_worker(archive, thread=True, group="autosave", name="putting the old draft away",
                                exit_on_error=False)

        self.push_screen(QuestionScreen(question, answers), answered)

    def _resume(self, chosen: DraftSummary | None) -> None:
        if chosen is None or self.autosaver is None:
            return
        loaded = self.autosaver.load(chosen.id)
        if loaded is not None:
            self.brief_path = chosen.file
            self.autosaver.file = chosen.file
            self._load_draft(chosen.id, loaded.escalation, loaded.revision)
            self.notify("Draft resumed.")

    def _load_draft(self, draft_id: int, escalation: Escalation, revision: int) -> None:
        """Work on a stored draft from now on (its edits not yet in its brief file, if it has one)."""
        assert self.autosaver is not None
        self.autosaver.adopt(draft_id, escalation, revision)
        self.escalation_record = self._record_of(draft_id)
        self.escalation = escalation
        self._final_text_revision = self.revision + 1
        self.generation += 1
        self.revision += 1

    def _record_of(self, draft_id: int) -> Record | None:
        """Draft `draft_id`'s status in the store (a quick read), or None when it cannot be read."""
        from tui.store.drafts import DraftStoreError

        store = self.autosaver.store if self.autosaver is not None else None
        if store is None:
            return None
        try:
            return store.record(draft_id)
        except (DraftStoreError, KeyError):
            return None

    def watch_revision(self) -> None:
        self._changed()

    def _changed(self) -> None:
        was_saved_to_file = not self.file_has_unsaved_changes
        self.changes += 1
        if self.autosaver is not None:
            self.autosaver.changed()
        if was_saved_to_file and self.brief_path is not None:
            self.case_screen.refresh_status()  # the file name now says it has changes to save

    def save_state_changed(self) -> None:
        """A save reached the database, or failed: the status line says so at once."""
        self.case_screen.refresh_status()

    def saved_alongside_another(self, outcome: Merged | Forked, snapshot: Escalation) -> None:
        """Another app instance saved this draft too (see `tui.autosave`): show what became of it."""
        from tui.autosave import Merged
        from tui.domain.form import label_of

        def names(paths: Iterable[str]) -> str:
            return ", ".join(dict.fromkeys(label_of(path) for path in paths))

        if isinstance(outcome, Merged):
            taken = [path for path in outcome.fields
                     if get_field(self.escalation, path) == get_field(snapshot, path)]  # not edited here since
            for path in taken:
                set_field(self.escalation, path, get_field(outcome.merged, path))
            self.case_screen.show_stored(taken)
            self.revision += 1
            self.notify(f"This draft was also saved by another escalate-tui; its changes to {names(outcome.fields)} "
                        "were merged with yours.", title="Draft merged", timeout=20, markup=False)
        else:
            self.notify(f"Another escalate-tui changed the same fields of this draft ({names(outcome.clashes)}). "
                        f"Your version goes on as draft {outcome.new_id}; the other stays as draft "
                        f"{outcome.old_id}. Both are in the list of recent drafts.", title="Draft kept apart",
                        severity="warning", timeout=30, markup=False)

    def saved_phrase(self) -> str:
        from tui.widgets.status_line import saved_phrase

        if self.autosaver is None:
            return "autosave off"
        return saved_phrase(self.autosaver.saved_at, self.clock(), self.autosaver.failed)

    @property
    def file_has_unsaved_changes(self) -> bool:
        """The case was opened from (or saved to) a brief file and changed since that file was written."""
        return self.brief_path is not None and self.changes != self._file_changes

    async def action_quit(self) -> None:
        from tui.screens.question import QuestionScreen

        if isinstance(self.screen, QuestionScreen):
            self._leave()
            return
        if self.autosaver is not None:
            self.autosaver.flush()
            if self.autosaver.failed and self.autosaver.has_unsaved_edits:
                self._ask_before_losing_edits(self.autosaver.failed)
                return
        if not self.file_has_unsaved_changes:
            self._leave()
            return
        assert self.brief_path is not None
        self._ask_before_quitting(
            f"{self.brief_path.name} has changes that are not saved to it. They are kept in the draft either way; "
            "save them to the file before quitting?", "save and quit", "quit without saving", self._leave)

    def _ask_before_losing_edits(self, why: str) -> None:
        where = self.brief_path.name if self.brief_path is not None else "a new brief file in this folder"
        self._ask_before_quitting(
            f"Your latest edits are not saved anywhere: autosave fails ({why}). Save the case to {where} before "
            "quitting?", "save to the file and quit", "quit and lose the edits", self.exit)

    def _ask_before_quitting(self, question: str, save: str, discard: str, leave: Callable[[], object]) -> None:
        """s saves the brief file and leaves, q leaves as things are, escape stays."""
        from tui.screens.question import Answer, QuestionScreen

        answers = [Answer("s", save, "save"), Answer("q", discard, "quit"), Answer("escape", "stay", "stay")]

        def answered(choice: str | None) -> None:
            if choice == "quit" or (choice == "save" and self.action_save_brief()):
                leave()

        self.push_screen(QuestionScreen(question, answers), answered)

    def _leave(self) -> None:
        self._outbox_stop.set()
        for connection in self.connections:
            connection.stop(timeout=1.5)
        if self.autosaver is not None:
            self.autosaver.flush()
            self.keep_version()
        self.exit()

    def brief_text(self) -> str:
        """The brief as it would be handed over now: the hand-edited text when there is one."""
        from tui.render.markdown import render_markdown

        return self.final_text or render_markdown(self.escalation, self.assessment, self.clock().date())

    def keep_version(self) -> None:
        """Leaving an escalated case edited since its last version: keep its brief as the next version
        (a draft has no versions; an unchanged brief makes none)."""
        from tui.domain.lifecycle import actor
        from tui.store.drafts import DraftStoreError

        autosaver = self.autosaver
        if autosaver is None or autosaver.store is None or autosaver.draft_id is None:
            return
        who = actor(self.settings.reporter.name, self.escalation.reporter.name)
        try:
            autosaver.store.add_version(autosaver.draft_id, self.brief_text(), who, self.clock())
        except (DraftStoreError, KeyError) as error:
            self.notify(f"The brief's new version could not be kept: {error}", severity="error", markup=False)

    # --- the model ---------------------------------------------------------------------

    def edit(self, path: str, value: Any) -> None:
        """Store one field; FieldError (from the model's validation) leaves the model unchanged.

        Storing what is already there is not an edit (inputs report the values they were built
        with), so it neither redraws the panels nor autosaves."""
        before = get_field(self.escalation, path)
        if value == before:
            return  # also spares validating, which on a new draft would build pydantic's validators
        set_field(self.escalation, path, value)
        if get_field(self.escalation, path) != before:
            self.revision += 1

    def insert_item(self, path: str, index: int, item: Any) -> None:
        insert_item(self.escalation, path, index, item)
        self.revision += 1

    def remove_item(self, path: str, index: int) -> None:
        remove_item(self.escalation, path, index)
        self.revision += 1

    def move_item(self, path: str, index: int, offset: int) -> int:
        moved_to = move_item(self.escalation, path, index, offset)
        if moved_to != index:
            self.revision += 1
        return moved_to

    @property
    def final_text(self) -> str | None:
        """The agent's hand-edited brief, when there is one (it is part of the case and its file)."""
        return self.escalation.edited_brief

    def set_final_text(self, text: str | None) -> None:
        """Keep the agent's hand-edited brief (None: use the rendering); autosaved like any edit.
        Nothing the rules compute reads it, so nothing is recomputed."""
        if text != self.final_text:
            self.escalation.edited_brief = text
            self._final_text_revision = self.revision  # "outdated" once the case moves past this
            self._changed()

    @property
    def final_text_outdated(self) -> bool:
        """The case has been edited since the brief's text was last edited by hand."""
        return self.final_text is not None and self.revision != self._final_text_revision

    @property
    def assessment(self) -> Assessment:
        if self._assessment is None or self._assessment[0] != self.revision:
            self._assessment = (self.revision, assess(self.escalation, self.settings.rules, self.clock()))
        return self._assessment[1]

    @property
    def quality(self) -> QualityReport:
        from tui.domain.quality import check_quality  # only the later steps show it

        return check_quality(self.escalation, self.assessment, self.settings.rules, self.clock())

    # --- navigation --------------------------------------------------------------------

    async def action_go(self, step: str) -> None:
        """Show a step with the cursor in it, before the next key is read: a step key is a priority
        binding, which the app runs (and waits for) as it reads the key."""
        await self._close_dialogs()
        await self.case_screen.show_step(step)

    async def action_step(self, offset: int) -> None:
        await self.action_go(neighbour(self.step, offset))

    async def focus_field(self, path: str) -> None:
        """Show the step that holds `path` and put the cursor in its editor."""
        await self._close_dialogs()
        await self.case_screen.focus_path(path, step_for(path))

    async def _run_on(self, step: str, action: str) -> None:
        """Show a step, then run one of its actions, as its key would."""
        await self.action_go(step)
        await self.case_screen.pane.run_action(action)

    async def _close_dialogs(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        about = getattr(self.screen, "HELP", None) or self.case_screen.pane.HELP  # the queue has its own
        self.push_screen(HelpScreen(about, self._binding_rows()))

    def _binding_rows(self) -> list[tuple[str, str, str]]:
        """The app's own bindings active here (each has an id users can remap), keys merged per id."""
        keys: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            if binding.id:
                keys.setdefault(binding.id, []).append(self.get_key_display(binding))
                described[binding.id] = binding.description
        return sorted((bid, " / ".join(dict.fromkeys(keys[bid])), described[bid]) for bid in keys)

    def action_save_brief(self) -> bool:
        """Save the brief file: where it was opened from, else a new file in the current folder.
        True once it is saved."""
        from tui.screens.export import default_export_name
        from tui.store.brief_file import BriefFileError, save_brief

        export_name = default_export_name(self.escalation.summary, self.clock().date().isoformat())
        path = self.brief_path or Path.cwd() / (export_name.removesuffix(".md").replace("escalation-", "brief-", 1)
                                                + ".toml")
        try:
            save_brief(self.escalation, path)
        except (BriefFileError, OSError) as error:
            self.notify(f"Could not save {path}: {error}", severity="error", markup=False)
            return False
        if self.brief_path != path and self.autosaver is not None:
            self.run_worker(partial(self.autosaver.link, path), thread=True, group="autosave",
                            name="linking the draft to its file", exit_on_error=False)
        self.brief_path = path
        self._file_changes = self.changes
        self.case_screen.refresh_status()
        self.notify(f"Saved {path}", markup=False)
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for step in STEPS:
            yield SystemCommand(f"step: {step.title}", f"Open the {step.title} step ({step.key.upper()})",
                                lambda step=step.mode: self.action_go(step))
        yield SystemCommand("brief: save brief file", "Save the escalation as a TOML brief file (ctrl+s)",
                            self.action_save_brief)
        for name, help_text, mode, action in SCREEN_COMMANDS:
            yield SystemCommand(name, help_text, lambda mode=mode, action=action: self._run_on(mode, action))
        yield SystemCommand("case: link similar escalations as a pattern",
                            "Link this case with the similar escalations of other customers (ctrl+l)",
                            lambda: self.case_screen.run_action("link_pattern"))
        yield SystemCommand("context: search sources",
                            "Search the team's tools and local files for this case's context (ctrl+f)",
                            self.action_search_context)
        yield SystemCommand("case: mark as back after a supposed fix",
                            "Flag the case as recurring and point at the closed escalation it matches (alt+r)",
                            lambda: self.case_screen.run_action("mark_recurring"))
        yield SystemCommand("app: help", "What this screen is for and every key (F1)", self.action_help)
        yield SystemCommand("outbox: sends", "Every send, those that may have landed or stopped first (F8)",
                            self.action_outbox)
        yield SystemCommand("queue: open escalations", "Every open escalation, the one due first at the top (F7)",
                            self.show_queue)
        yield SystemCommand("case: timeline", "Everything logged on this case, oldest first", self.show_case_timeline)
        from tui.screens.field_commands import field_entries

        for name, path in field_entries():
            yield SystemCommand(name, f"Go to this field ({path})", lambda path=path: self.focus_field(path))


    # --- context: the team's tools searched for the case ---------------------------------

    def action_search_context(self) -> None:
        """Search every source for this case's context (over the case; escape comes back to it)."""
        from tui.screens.context_search import ContextSearchScreen

        self.push_screen(ContextSearchScreen())

    def source_place(self) -> Place:
        """Where local sources read from and keep their index: the data folder's `workspace/`, and the
        drafts database (the one open, else the data folder's)."""
        from tui.sources.model import Place
        from tui.store.drafts import FILE_NAME
        from tui.store.paths import data_dir

        store = self.autosaver.store if self.autosaver is not None else None
        folder = store.path.parent if store is not None else data_dir(self._data_dir)
        return Place(workspace=folder / "workspace", database=store.path if store is not None else folder / FILE_NAME)

    def context_sources(self) -> tuple[list[Source], list[str]]:
        """The configured sources, opened (the local files when none is configured), and one line per
        source that cannot search (a secret not set), saying why."""
        import os

        from tui.domain.service_config import SecretMissing
        from tui.sources.config import parse_sources
        from tui.sources.kinds import load_kind
        from tui.sources.local import default_sources
        from tui.sources.model import SourceError

        place = self.source_place()
        configs = parse_sources(self.settings.sources)[0] if self.settings.sources else default_sources(place)
        sources: list[Source] = []
        problems: list[str] = []
        for config in configs:
            try:
                sources.append(load_kind(config.type).open_source(config, os.environ, place))
            except (SourceError, SecretMissing) as error:
                problems.append(f"{config.name}: not searched: {error}")
        return sources, problems

    def apply_changes(self, changes: dict[str, Any]) -> bool:
        """Make `changes` (field path -> value) through the edits (so autosave and the triage follow) and
        show them on the case; False, said, when the case cannot take one."""
        from tui.domain.field_paths import FieldError

        try:
            for path, value in changes.items():
                self.edit(path, value)
        except FieldError as error:
            self.notify(f"The case could not take it: {error}", severity="error", markup=False)
            return False
        finally:
            self.case_screen.show_stored(changes)
        return True

    def pattern_threshold(self) -> int:
        return self.settings.rules.pattern_customer_count

    # --- escalations: the queue, a case's timeline --------------------------------------

    async def action_queue(self) -> None:
        await self.show_queue()

    async def show_queue(self) -> None:
        """Show the open escalations (over the case; escape comes back to it)."""
        from tui.screens.queue import QueueScreen

        if isinstance(self.screen, QueueScreen):
            return
        await self._close_dialogs()
        if self.autosaver is not None:
            self.autosaver.flush()  # what the queue changes on this case then meets no edit in flight
        await self.push_screen(QueueScreen())

    def escalation_logged(self, event: Event, record: Record) -> None:
        """The queue logged `event` on `record`: when that is the case on the case screen, its status line
        follows, and a change of severity or target (which the store also made the case's override)
        is loaded into it, as that override."""
        from tui.domain.lifecycle import EventKind

        saver = self.autosaver
        if saver is None or saver.draft_id != record.id:
            return
        self.escalation_record = record
        if event.kind in (EventKind.SEVERITY_CHANGED, EventKind.TARGET_CHANGED):
            loaded = saver.load(record.id)
            if loaded is not None:
                self._load_draft(record.id, loaded.escalation, loaded.revision)
        self.case_screen.refresh_status()

    def open_escalation(self, escalation_id: int) -> bool:
        """Work on escalation `escalation_id` in the case screen, as resuming its draft does (the case
        being worked on is saved first). False, with a notice saying why, when it cannot be read."""
        from tui.store.drafts import DraftStoreError

        saver = self.autosaver
        if saver is None or saver.store is None:
            self.notify("Escalations are kept in the drafts database, which is not open.", severity="warning")
            return False
        if saver.draft_id == escalation_id:
            return True
        saver.flush()
        self.keep_version()  # the case being left, if escalated and its brief edited since
        loaded = saver.load(escalation_id)
        if loaded is None:
            return False
        try:
            file = saver.store.file_of(escalation_id)
        except DraftStoreError:
            file = None  # the case opens all the same; ctrl+s then asks for no file of its own
        self.brief_path = file
        saver.file = file
        self._load_draft(escalation_id, loaded.escalation, loaded.revision)
        self.notify(f"Escalation #{escalation_id} opened.")
        return True

    def show_case_timeline(self) -> None:
        """The timeline of the case on the case screen."""
        from tui.screens.timeline import show_timeline

        saver = self.autosaver
        if saver is None or saver.store is None or saver.draft_id is None:
            self.notify("This case has no timeline yet: nothing of it has been saved.", severity="warning")
            return
        show_timeline(self, saver.store, saver.draft_id, self.clock)


    # --- sending: destinations and the outbox ---------------------------------------------

    def send_destinations(self) -> tuple[list[DestinationConfig], list[str]]:
        """The destinations the Send dialog offers (the Markdown file when none is configured), and
        what is wrong with the config's other tables, in words."""
        from tui.send.config import parse_destinations
        from tui.send.plan import with_default
        from tui.store.toml_problems import dotted

        found, problems = parse_destinations(self.settings.destinations)
        where = self.config_path.name if self.config_path is not None else "the config"
        return with_default(found), [f"{where}, {dotted(loc)}: {message}" for loc, message in problems]

    def start_outbox(self) -> None:
        """Deliver what the outbox holds in a background thread (one at a time), until it is empty or
        the app quits; each change of a send's state reaches the Send dialog and, when it matters, a
        notice."""
        saver = self.autosaver
        if saver is None or saver.store is None:
            return
        if self._outbox_running:
            self._outbox_again = True
            return
        self._outbox_running = True
        store = saver.store
        destinations = {config.name: config for config in self.send_destinations()[0]}
        rules, redaction = self.settings.rules, self.settings.redaction

        def work() -> None:
            import os

            import httpx

            from tui.send.outbox_worker import deliver_due

            try:
                with httpx.Client(follow_redirects=False) as client:
                    while True:
                        self._outbox_again = False
                        deliver_due(store, destinations, dict(os.environ), client, stop=self._outbox_stop,
                                    on_change=lambda item: self.call_from_thread(self._send_changed, item),
                                    until_empty=True, rules=rules, redaction=redaction)
                        if not self._outbox_again or self._outbox_stop.is_set():
                            break
            finally:
                self._outbox_running = False

        self.run_worker(work, thread=True, group="outbox", name="delivering the outbox", exit_on_error=False)

    def _poll_answers(self) -> None:
        """Answers clicked on a card reach the store through `escalate-tui listen` (or a long connection),
        possibly in another process: look for new ones now and then, off the UI thread."""
        saver = self.autosaver
        if saver is None or saver.store is None or self._answers_polling:
            return
        store, after = saver.store, self._answers_seen
        self._answers_polling = True

        def work() -> None:
            try:
                found = store.answers_since(after)
            finally:
                self._answers_polling = False
            if found:
                self.call_from_thread(self._answers_arrived, found)

        self.run_worker(work, thread=True, group="answers", name="reading answers from chat apps",
                        exit_on_error=False)

    def _answers_arrived(self, found: list[tuple[int, StoredEvent]]) -> None:
        """Tell the agent what came back, and bring the case and the queue up to date."""
        from tui.screens.queue import QueueScreen

        self._answers_seen = max(self._answers_seen, *(position for position, _ in found))
        for _, stored in found:
            self.notify(visible(f"#{stored.escalation}: {stored.event.describe()} — {stored.event.who}"),
                        title="Answer from the team", markup=False)
            saver = self.autosaver
            if saver is not None and saver.draft_id == stored.escalation:
                self.escalation_record = self._record_of(stored.escalation)
                self.case_screen.refresh_status()
        for screen in self.screen_stack:
            if isinstance(screen, QueueScreen):
                screen.action_refresh()

    def reporter_name(self) -> str:
        """Who what the agent records is recorded as."""
        from tui.domain.lifecycle import actor

        return actor(self.settings.reporter.name, self.escalation.reporter.name)

    async def action_outbox(self) -> None:
        from tui.screens.outbox import OutboxScreen

        saver = self.autosaver
        if saver is None or saver.store is None:
            self.notify("The outbox is kept in the drafts database, which is not open.", severity="warning")
            return
        if isinstance(self.screen, OutboxScreen):
            return
        await self._close_dialogs()
        await self.push_screen(OutboxScreen(saver.store))

    def _send_changed(self, item: OutboxItem) -> None:
        from tui.screens.send import SendScreen
        from tui.send.states import state_words
        from tui.store.outbox import OutboxState

        words = state_words(item)
        shown = False
        for screen in self.screen_stack:
            if isinstance(screen, SendScreen) and screen.draft_id == item.draft_id:
                screen.on_state(item.destination, words)
                shown = True
        if not shown and item.state in (OutboxState.DELIVERED, OutboxState.FAILED, OutboxState.UNCERTAIN):
            self.notify(visible(f"#{item.draft_id} → {item.destination}: {words}"),
                        severity="information" if item.state is OutboxState.DELIVERED else "warning", markup=False)
        if item.state in (OutboxState.DELIVERED, OutboxState.FAILED):
            saver = self.autosaver
            if saver is not None and saver.draft_id == item.draft_id:
                self.escalation_record = self._record_of(item.draft_id)
                self.case_screen.refresh_status()


def make_app(escalation: Escalation | None = None, **options: Any) -> EscalateApp:
    """The app as the CLI and the tests build it; `options` are EscalateApp's keyword arguments."""
    return EscalateApp(escalation, **options)
