"""Fixtures the sender tests share: a drafts database file, an HTTP client, the loopback Lark
Open Platform, and no Lark token kept from one test to the next."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lark_double import LarkDouble

from tui.send import lark_app
from tui.store.drafts import DraftStore


@pytest.fixture(autouse=True)
def fresh_lark_tokens() -> Iterator[None]:
    lark_app.forget_tokens()
    yield
    lark_app.forget_tokens()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    with DraftStore(tmp_path / "drafts.sqlite3") as opened:
        yield opened


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as made:
        yield made


@pytest.fixture
def lark() -> Iterator[LarkDouble]:
    with LarkDouble() as double:
        yield double
