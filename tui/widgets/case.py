"""What the widgets and screens need from the app that holds the case (the app is above them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.domain.models import Escalation
    from tui.domain.quality import QualityReport
    from tui.domain.triage import Assessment
    from tui.store.escalations import Record


class CaseEditor(Protocol):
    """The running app as its screens see it: the one Escalation and the ways to change it."""

    escalation: Escalation
    settings: Settings
    clock: Callable[[], datetime]
    revision: int
    changes: int
    generation: int
    brief_path: Path | None
    escalation_record: Record | None  # the case's status in the store, once known

    @property
    def assessment(self) -> Assessment: ...

    @property
    def quality(self) -> QualityReport: ...

    @property
    def final_text(self) -> str | None: ...

    @property
    def final_text_outdated(self) -> bool: ...

    @property
    def file_has_unsaved_changes(self) -> bool: ...

    def edit(self, path: str, value: Any) -> None: ...

    def insert_item(self, path: str, index: int, item: Any) -> None: ...

    def remove_item(self, path: str, index: int) -> None: ...

    def move_item(self, path: str, index: int, offset: int) -> int: ...

    def set_final_text(self, text: str | None) -> None: ...

    async def focus_field(self, path: str) -> None: ...

    def saved_phrase(self) -> str: ...


def case_of(widget: Any) -> CaseEditor:
    """The case `widget`'s app holds (typed as the protocol, not as the app class)."""
    app: CaseEditor = widget.app
    return app
