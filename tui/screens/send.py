"""The Send dialog of the Brief step: pick destinations, see what would be masked, read the exact
requests (the dry run), then send; each destination's state shows as the outbox delivers it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from tui.domain.text_safety import visible
from tui.screens.question import Answer, QuestionScreen
from tui.screens.reason import ReasonScreen
from tui.widgets.case import CaseEditor

if TYPE_CHECKING:
    from tui.autosave import Autosaver
    from tui.domain.redaction import Finding
    from tui.send.config import DestinationConfig
    from tui.send.plan import SendPlan


class SendingApp(CaseEditor, Protocol):
    """The app as the Send dialog uses it (the app is above the screens)."""

    autosaver: Autosaver | None

    def push_screen(self, screen: Any, callback: Callable[[Any], object] | None = None) -> Any: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def run_worker(self, work: Callable[[], Any], *, thread: bool = False, group: str = "default",
                   name: str | None = "", exit_on_error: bool = True) -> Any: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    def send_destinations(self) -> tuple[list[DestinationConfig], list[str]]:
        """The destinations to offer (the Markdown file when none is configured) and the config's
        problems with them, in words."""
        ...

    def start_outbox(self) -> None:
        """Deliver what the outbox holds, in the background."""
        ...


def destination_prompt(config: DestinationConfig) -> Content:
    takes = ", ".join(target.label for target in config.targets) or "all but Security"
    severities = ", ".join(severity.label for severity in config.severities) or "any severity"
    return Content(f"{config.name}  ({config.type}; {takes}; {severities})")


def finding_prompt(finding: Finding) -> Content:
    return Content(visible(f"{finding.kind} in {finding.field}, line {finding.line}: {finding.preview}"))


def keep_reason_screen(finding: Finding) -> ReasonScreen:
    """Why a finding may leave unmasked: the reason goes on the timeline."""
    return ReasonScreen(f"Send the {finding.kind} in {finding.field} unmasked? Say why (it is written on the case's "
                        "timeline); escape keeps it masked.",
                        "e.g. a test key the customer revoked; engineering needs its prefix")


class SendScreen(ModalScreen[None]):
    """Pick, check, send. Nothing leaves before alt+s and its question."""

    DEFAULT_CSS = """
    SendScreen { align: center middle; }
    SendScreen > Vertical { width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1; }
    SendScreen .heading { text-style: bold; padding-top: 1; }
    SendScreen #send-destinations { height: auto; max-height: 8; }
    SendScreen #send-findings { height: auto; max-height: 7; }
    SendScreen #send-request { height: 1fr; }
    SendScreen #send-status { height: auto; max-height: 8; }
    SendScreen #send-findings.-none { display: none; }
    SendScreen .keys { color: $text-muted; height: 1; }
    SendScreen #send-problems { color: $text-warning; height: auto; }
    """
    BINDINGS = [
        Binding("alt+s", "send", "Send", id="send.send"),
        Binding("escape", "close", "Close", id="send.close"),
    ]
    HELP = (
        "Send: the destinations routing proposes for this case are picked; space picks or drops one. Findings "
        "are secrets and personal data found in the case: each is masked unless you press space on it and say "
        "why it may leave as it is. The request pane shows exactly what would be sent to each picked "
        "destination, secrets shown as the names of the variables that hold them. alt+s sends (after a "
        "question); each send is written to the outbox first, so nothing is lost if the app stops, and "
        "nothing is sent twice."
    )

    def __init__(self, plan_for: Callable[[list[str], dict[str, str]], SendPlan],
                 destinations: list[DestinationConfig], proposed: list[str], problems: list[str],
                 send: Callable[[SendPlan, Callable[[str, str], None]], None], draft_id: int = 0) -> None:
        super().__init__()
        self.draft_id = draft_id  # the case whose sends this dialog shows
        self.plan_for = plan_for
        self.destinations = destinations
        self.proposed = proposed
        self.problems = problems
        self._send = send
        self.kept: dict[str, str] = {}
        self.plan: SendPlan | None = None
        self.states: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Send the brief", classes="heading")
            if self.problems:
                yield Static(Text("\n".join(visible(problem) for problem in self.problems)), id="send-problems")
            yield Label("Destinations (space picks or drops)", classes="heading")
            yield SelectionList[str](*(Selection(destination_prompt(config), config.name, config.name in self.proposed)
                                       for config in self.destinations), id="send-destinations")
            yield Label("Found in the case: masked unless kept (space keeps one, with a reason)", classes="heading",
                        id="send-findings-heading")
            yield SelectionList[str](id="send-findings")
            yield Label("Exactly what would leave (dry run)", classes="heading")
            yield TextArea("", id="send-request", read_only=True, soft_wrap=True, language=None)
            yield Static("", id="send-status")
            yield Static(Text("space pick or drop · tab next list · alt+s send · escape close · F1 help"),
                         classes="keys")

    def on_mount(self) -> None:
        self.query_one("#send-destinations", SelectionList).focus()
        self.replan()

    def chosen(self) -> list[str]:
        return list(self.query_one("#send-destinations", SelectionList).selected)

    @work(thread=True, exclusive=True, group="send-plan")
    def replan(self) -> None:
        plan = self.plan_for(self.chosen(), dict(self.kept))
        self.app.call_from_thread(self._show_plan, plan)

    def _show_plan(self, plan: SendPlan) -> None:
        self.plan = plan
        findings = self.query_one("#send-findings", SelectionList)
        highlighted = findings.highlighted
        findings.clear_options()
        findings.add_options([Selection(finding_prompt(finding), finding.key, finding.key not in plan.kept)
                              for finding in plan.findings])
        if highlighted is not None and plan.findings:
            findings.highlighted = min(highlighted, len(plan.findings) - 1)
        findings.set_class(not plan.findings, "-none")
        self.query_one("#send-findings-heading", Label).update(
            f"Found in the case: {len(plan.findings)} (masked unless kept; space keeps one, with a reason)"
            if plan.findings else "Found in the case: no secrets or personal data")
        self.query_one("#send-request", TextArea).load_text(self.dry_run_text(plan))

    def dry_run_text(self, plan: SendPlan) -> str:
        from tui.send.config import SecretMissing
        from tui.send.kinds import load_kind

        if not plan.planned:
            return "Pick a destination to see what would be sent."
        parts: list[str] = []
        for planned in plan.planned:
            parts.append(f"── {planned.config.name} ({planned.config.type}) ──")
            if planned.payload is None:
                parts.append(planned.problem)
                continue
            try:
                request = load_kind(planned.config.type).request(planned.payload, planned.config, os.environ,
                                                                 self._now())
                parts.append(request.shown())
            except SecretMissing as error:
                parts += [f"Cannot be sent yet: {error}.", "", planned.payload.body_text()]
            if planned.masked_late:
                parts.append(f"({planned.masked_late} more finding(s) masked in the built message)")
            parts.append("")
        return visible("\n".join(parts), keep_newlines=True)

    def _now(self) -> datetime:
        return cast("SendingApp", self.app).clock()

    @on(SelectionList.SelectedChanged, "#send-destinations")
    def _destinations_changed(self) -> None:
        self.replan()

    @on(SelectionList.SelectionToggled, "#send-findings")
    def _finding_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        key = event.selection.value
        if self.plan is None:
            return
        finding = next((item for item in self.plan.findings if item.key == key), None)
        if finding is None:
            return
        if key in self.kept:  # masked again
            del self.kept[key]
            self.replan()
            return

        def answered(reason: str | None) -> None:
            if reason:
                self.kept[key] = reason
            self.replan()

        self.app.push_screen(keep_reason_screen(finding), answered)

    def action_send(self) -> None:
        plan = self.plan
        if plan is None or not [planned for planned in plan.planned if planned.payload is not None]:
            self.notify("Pick at least one destination that can be sent to.", severity="warning")
            return
        names = ", ".join(planned.config.name for planned in plan.planned if planned.payload is not None)
        masked = len(plan.masked)
        kept = len(plan.kept)
        lines = [f"Send the brief to {names}?",
                 f"{masked} finding(s) are masked; {kept} kept unmasked with your reason." if plan.findings
                 else "Nothing secret or personal was found in the case.",
                 "Each send is written to the outbox first and delivered in the background; its state shows "
                 "here and on the case's timeline."]
        answers = [Answer("enter", "send", "send"), Answer("escape", "not yet", "no")]

        def answered(choice: str | None) -> None:
            if choice == "send":
                for planned in plan.planned:
                    if planned.payload is not None:
                        self.states[planned.config.name] = "queued"
                self._draw_states()
                self._send(plan, self.on_state)

        self.app.push_screen(QuestionScreen("\n\n".join(lines), answers), answered)

    def on_state(self, destination: str, state: str) -> None:
        """A destination's send changed state (called on the app's thread)."""
        self.states[destination] = state
        self._draw_states()

    def _draw_states(self) -> None:
        text = Text()
        for name, state in self.states.items():
            text.append(visible(f"{name}: {state}") + "\n")
        self.query_one("#send-status", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)


def open_send_dialog(app: SendingApp, brief_text: str) -> None:
    """Open the Send dialog on the case as it is now; sending hands the case over and queues each
    payload in the outbox, then starts delivering."""
    from tui.domain.lifecycle import actor
    from tui.send.plan import CaseToSend, plan_send, proposed

    autosaver = app.autosaver
    if autosaver is None or autosaver.store is None:
        why = "autosave is off" if autosaver is None else "the drafts database is still opening"
        app.notify(f"The brief cannot be sent yet: {why}, and sends are written to the outbox there first.",
                   severity="warning")
        return
    draft_id = autosaver.save_sync()
    store = autosaver.store
    if draft_id is None or store is None:
        app.notify(f"The case could not be saved, so nothing can be sent: {autosaver.failed}", severity="error",
                   markup=False)
        return
    from tui.send.dispatch import hand_over, planned_version, queue

    destinations, problems = app.send_destinations()
    assessment, today = app.assessment, app.clock().date()
    esc = app.escalation
    options = app.settings.redaction
    version = planned_version(store, draft_id, brief_text)

    def plan_for(names: list[str], kept: dict[str, str]) -> SendPlan:
        chosen = [config for config in destinations if config.name in names]
        return plan_send(CaseToSend(draft_id, version, esc, assessment, today), chosen, options, kept)

    def send(plan: SendPlan, on_state: Callable[[str, str], None]) -> None:
        app.run_worker(lambda: _queue_in_thread(plan, on_state), thread=True, group="send",
                       name="queueing the send", exit_on_error=False)

    def _queue_in_thread(plan: SendPlan, on_state: Callable[[str, str], None]) -> None:
        from tui.store.drafts import DraftStoreError
        from tui.store.escalations import EscalationError

        now = app.clock()
        who = actor(app.settings.reporter.name, esc.reporter.name)
        try:
            number, escalated = hand_over(store, draft_id, brief_text, assessment, who, now)
            if number != plan.version:  # another window kept a version meanwhile: the payloads carry this one
                chosen = [config for config in destinations if any(p.config.name == config.name for p in plan.planned)]
                plan = plan_send(CaseToSend(draft_id, number, esc, assessment, today), chosen, options, plan.kept)
            queued = queue(store, draft_id, plan, who, now)
        except (DraftStoreError, EscalationError, KeyError) as error:
            app.call_from_thread(app.notify, f"Nothing was sent: {error}", severity="error", markup=False)
            return
        for item, new in queued:
            app.call_from_thread(on_state, item.destination,
                                 "queued" if new else f"already in the outbox ({item.state.value})")
        if escalated:
            app.call_from_thread(app.notify, f"The case is now escalated to {assessment.target.effective.label} as "
                                 f"{assessment.severity.effective.label}; the follow-up clocks run.", markup=False)
        app.call_from_thread(app.start_outbox)

    proposal = proposed(destinations, assessment.target.effective, assessment.severity.effective)
    app.push_screen(SendScreen(plan_for, destinations, proposal, problems, send, draft_id))
