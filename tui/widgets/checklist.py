"""The quality checklist: every check that applies, failed ones first; Enter jumps to the field."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.domain.quality import CheckLevel, QualityReport
from tui.widgets.case import case_of


class QualityChecklist(OptionList):
    DEFAULT_CSS = "QualityChecklist { height: auto; max-height: 24; border: round $primary; }"

    _shown: QualityReport | None = None
    _fields: dict[str, str] = {}  # replaced on every show, never changed in place

    def show(self, report: QualityReport) -> None:
        """Redraw for `report`; nothing to do when it is the one shown (edits to the brief's own text,
        typing elsewhere that leaves every check as it was)."""
        if report == self._shown:
            return
        self._shown = report
        self.border_title = f"Quality {report.score}/100"
        ordered = sorted(report.results, key=lambda r: (r.passed, r.level is not CheckLevel.BLOCKING))
        highlighted = self.highlighted
        self.clear_options()
        for result in ordered:
            if result.passed:
                mark, style = "✓ ok  ", "$text-success"
            elif result.level is CheckLevel.BLOCKING:
                mark, style = "✗ must", "bold $text-error"
            else:
                mark, style = "! tip ", "$text-warning"
            parts: list[tuple[str, str] | str] = [(mark, style), f" {result.title}"]
            if not result.passed:
                parts.append((f"\n       {result.message}", "$text-muted"))
            self.add_option(Option(Content.assemble(*parts), id=result.id))
        self._fields = {result.id: result.field for result in report.results if not result.passed}
        if self.option_count:  # something is always highlighted, so enter works at once
            self.highlighted = min(highlighted or 0, self.option_count - 1)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field = self._fields.get(event.option.id or "")
        if field:
            await case_of(self).focus_field(field)
