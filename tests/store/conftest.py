"""Fixtures the store tests share: a fresh drafts database file, read in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from tui.store.drafts import DraftStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    with DraftStore(tmp_path / "drafts.sqlite3", zone=UTC) as opened:
        yield opened
