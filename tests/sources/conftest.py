"""Fixtures the source tests share: a real Request Tracker 5 for the whole session (skipped with how to
install it when it is not installed, failed instead when CI_REQUIRE_RT=1 says it must be)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from rt_seed import Seeded, seed
from rt_server import INSTALL, RTServer, installed


@pytest.fixture(scope="session")
def rt() -> Iterator[Seeded]:
    if not installed():
        message = f"Request Tracker 5 is not installed; to run these tests: {INSTALL}"
        if os.environ.get("CI_REQUIRE_RT") == "1":
            pytest.fail(f"CI_REQUIRE_RT=1 but {message}")
        pytest.skip(message)
    with RTServer() as server:
        yield seed(server)
