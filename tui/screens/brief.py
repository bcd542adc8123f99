"""Step 5, the brief: the rendered Markdown beside the quality checklist; edit, export, copy."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, cast

from rich.console import Console
from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static, TextArea

from tui.render.markdown import render_markdown
from tui.render.plain import render_plain
from tui.screens.base import StepPane
from tui.widgets.brief_view import BriefView
from tui.widgets.checklist import QualityChecklist
from tui.widgets.external_editor import edit_in_editor
from tui.widgets.safe_paste import SafeTextArea

if TYPE_CHECKING:
    from tui.screens.escalate_case import EscalatingApp
    from tui.screens.send import SendingApp

PREVIEW_DELAY = 0.15  # seconds of quiet before the preview is redrawn: typing never waits for it
# The brief's label lines ("**Severity:** …", "Expected: …") are separate lines in the template but one
# paragraph to a Markdown renderer; the preview shows them on their own lines, the export stays exact.
_LABEL_LINE = re.compile(r"(?m)^((?:\*\*[^*\n]+:\*\*|(?:Starting state|Expected|Actual|Environment|Frequency|"
                         r"Evidence|Ruled out):) [^\n]*)\n(?=\S)")


def preview_markdown(text: str) -> str:
    return _LABEL_LINE.sub(r"\1  \n", text)


def markdown_as_plain(markdown: str, width: int = 100) -> str:
    """Markdown laid out as text, its markup gone: headings, bullets and emphasis become plain words."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False, legacy_windows=False).print(
        Markdown(markdown))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


class BriefTextArea(SafeTextArea):
    """The brief's own text, edited by hand."""


class BriefPane(StepPane):
    STEP = "brief"
    HELP = (
        "Brief: the escalation as the receiving team will read it, with the quality checklist beside it. "
        "Enter on a failed check jumps to the field that fixes it. ctrl+t edits the final text here, ctrl+g "
        "in your $EDITOR, ctrl+k drops those edits; ctrl+o exports Markdown, ctrl+y copies it, ctrl+s saves "
        "the brief file. ctrl+e marks the case escalated: the brief as it reads then is kept as what was handed "
        "over, and the follow-up clocks start. alt+s sends it where the target team works (Slack, Jira, "
        "e-mail… as the config lists), after showing exactly what would leave."
    )
    BINDINGS = [
        Binding("ctrl+o", "export", "Export Markdown", id="brief.export"),
        Binding("ctrl+y", "copy", "Copy", id="brief.copy"),
        Binding("alt+y", "copy_plain", "Copy as plain text", id="brief.copy_plain", show=False),
        Binding("ctrl+t", "toggle_edit", "Edit text", id="brief.edit"),
        Binding("ctrl+e", "escalate", "Mark escalated", id="brief.escalate"),
        Binding("alt+s", "send", "Send…", id="brief.send"),
        Binding("ctrl+g", "external_editor", "$EDITOR", id="brief.external_editor", show=False),
        # A priority binding: in the text editor ctrl+k would otherwise delete to the end of the line.
        Binding("ctrl+k", "discard_edits", "Discard text edits", id="brief.discard_edits", show=False,
                priority=True),
    ]
    DEFAULT_CSS = """
    BriefPane #brief-preview { width: 2fr; }
    BriefPane #brief-text { width: 2fr; display: none; }
    BriefPane.-editing #brief-preview { display: none; }
    BriefPane.-editing #brief-text { display: block; }
    BriefPane #outdated-note { display: none; border: round $warning; padding: 0 1; color: $text-warning; }
    BriefPane.-outdated #outdated-note { display: block; }
    """
    OUTDATED_NOTE = (
        "⚠ The case changed after this brief was edited by hand. Export and copy still use your text: "
        "ctrl+t to review it, ctrl+k to go back to the brief generated from the case."
    )

    _opened_with = ""  # the text the editor was opened on

    def compose_main(self) -> ComposeResult:
        yield BriefView(id="brief-preview")
        yield BriefTextArea("", id="brief-text", soft_wrap=True, language=None)

    def compose_panels(self) -> ComposeResult:
        yield Static(self.OUTDATED_NOTE, id="outdated-note")
        yield QualityChecklist(id="checklist")

    def first_field(self) -> Widget | None:
        return self.query_one(QualityChecklist)

    def editor_for(self, path: str) -> Widget | None:
        """The brief's own text ("edited_brief", where a check may point) opens in its editor."""
        if path != "edited_brief":
            return None
        if not self.has_class("-editing"):
            self.action_toggle_edit()
        return self.query_one("#brief-text", TextArea)

    def brief_text(self) -> str:
        """The text to export: the agent's edited version when there is one, else the rendering."""
        return self.case.final_text or self.rendered()

    def action_escalate(self) -> None:
        from tui.screens.escalate_case import ask_and_escalate
        if self.has_class("-editing"):
            self.action_toggle_edit()  # the text being edited is what is handed over
        ask_and_escalate(cast("EscalatingApp", self.app), self.brief_text())  # the EscalateApp

    def action_send(self) -> None:
        from tui.screens.send import open_send_dialog

        if self.has_class("-editing"):
            self.action_toggle_edit()  # the text being edited is what is sent
        open_send_dialog(cast("SendingApp", self.app), self.brief_text())

    def rendered(self) -> str:
        app = self.case
        return render_markdown(app.escalation, app.assessment, app.clock().date())

    def refresh_panels(self) -> None:
        self.set_class(self.case.final_text_outdated, "-outdated")
        self.query_one(QualityChecklist).show(self.case.quality)
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        timer = getattr(self, "_preview_timer", None)
        if timer is not None:
            timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._draw_preview)

    def _draw_preview(self) -> None:
        self.query_one(BriefView).show(preview_markdown(self.brief_text()))

    def action_toggle_edit(self) -> None:
        area = self.query_one("#brief-text", TextArea)
        editing = not self.has_class("-editing")
        if editing:
            self._opened_with = self.brief_text()
            area.load_text(self._opened_with)
            area.focus()
        else:
            self.case.set_final_text(area.text if area.text != self.rendered() else None)
            self.refresh_panels()
        self.set_class(editing, "-editing")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Kept as typed; whether it still equals the generated brief is asked once, on leaving the editor.
        if event.text_area.id == "brief-text":
            text = event.text_area.text
            if self.case.final_text is not None or text != self._opened_with:
                self.case.set_final_text(text)

    def action_external_editor(self) -> None:
        text = edit_in_editor(self.app, self.brief_text(), "the brief")
        if text is not None:
            self.case.set_final_text(text)
            self.notify("Brief text updated from your editor.")
        self._draw_preview()

    def action_discard_edits(self) -> None:
        if self.case.final_text is None:
            self.notify("The brief has no hand edits; it is the one generated from the case.")
            return
        self.case.set_final_text(None)
        self.set_class(False, "-editing")
        self.refresh_panels()
        self.notify("Hand edits discarded: the brief is generated from the case again.")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.brief_text())
        self.notify("Brief copied as Markdown (where your terminal allows it).")

    def action_copy_plain(self) -> None:
        """For a receiver that shows Markdown as typed: the plain-text layout, or the hand-edited brief
        with its Markdown rendered away."""
        self.app.copy_to_clipboard(self.plain_text())
        self.notify("Brief copied as plain text (where your terminal allows it).")

    def plain_text(self) -> str:
        case = self.case
        if case.final_text is not None:
            return markdown_as_plain(case.final_text)
        return render_plain(case.escalation, case.assessment, case.clock().date())

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.brief_text()))
