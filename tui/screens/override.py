"""Overrule the proposed severity or target team — always with a reason the brief keeps."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.domain.models import Severity, SeverityOverride, Target, TargetOverride
from tui.widgets.case import case_of
from tui.widgets.safe_paste import SafeInput


class OverrideScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    OverrideScreen { align: center middle; }
    OverrideScreen > Vertical { width: 70; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    OverrideScreen #override-error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_screen", "Cancel", id="override.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="override.apply", priority=True),
        Binding("ctrl+r", "clear", "Clear overrides", id="override.clear"),
    ]

    def __init__(self, at_reason: bool = False) -> None:
        """`at_reason`: the cursor starts in the reason (to edit it) rather than on the severity."""
        super().__init__()
        self.at_reason = at_reason

    def compose(self) -> ComposeResult:
        app = case_of(self)
        esc = app.escalation
        proposed = app.assessment
        with Vertical():
            yield Label(f"Proposed: {proposed.severity.proposed.label} severity → {proposed.target.proposed.label}")
            yield Label("Severity")
            severity = esc.severity_override.value.value if esc.severity_override else proposed.severity.proposed.value
            yield Select(
                [(s.label, s.value) for s in Severity], value=severity, allow_blank=False, id="override-severity"
            )
            yield Label("Target team")
            target = esc.target_override.value.value if esc.target_override else proposed.target.proposed.value
            yield Select([(t.label, t.value) for t in Target], value=target, allow_blank=False, id="override-target")
            reason = (esc.severity_override or esc.target_override)
            yield Label("Reason (required; it goes into the brief)")
            yield SafeInput(reason.reason if reason else "", id="override-reason")
            yield Static("", id="override-error")
            yield Label("ctrl+s apply · ctrl+r clear overrides · esc cancel", classes="hint")

    def on_mount(self) -> None:
        if self.at_reason:
            self.query_one("#override-reason", Input).focus()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        app = case_of(self)
        reason = self.query_one("#override-reason", Input).value.strip()
        if not reason:
            self.query_one("#override-error", Static).update("Say why you are overriding the proposal.")
            self.query_one("#override-reason", Input).focus()
            return
        severity = Severity(str(self.query_one("#override-severity", Select).value))
        target = Target(str(self.query_one("#override-target", Select).value))
        proposed = app.assessment
        app.edit("severity_override", None if severity is proposed.severity.proposed
                 else SeverityOverride(value=severity, reason=reason))
        app.edit("target_override", None if target is proposed.target.proposed
                 else TargetOverride(value=target, reason=reason))
        self.dismiss(None)

    def action_clear(self) -> None:
        app = case_of(self)
        app.edit("severity_override", None)
        app.edit("target_override", None)
        self.dismiss(None)
