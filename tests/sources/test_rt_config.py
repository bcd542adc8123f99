"""Request Tracker settings a person could get wrong, refused with what to do; the TicketSQL a search sends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.sources import rt
from tui.sources.config import parse_sources
from tui.sources.model import Place, SourceError
from tui.sources.rt_wire import ticket_sql

BASIC = {"name": "helpdesk", "type": "rt", "base_url": "https://rt.example.com", "user": "support",
         "password_env": "RT_PASSWORD"}


def problems(**changes: object) -> list[str]:
    table = {key: value for key, value in {**BASIC, **changes}.items() if value is not None}
    _, found = parse_sources([table])
    return [message for _, message in found]


def test_good_settings_are_read() -> None:
    configs, found = parse_sources([BASIC, {"name": "rt-token", "type": "rt", "base_url": "http://127.0.0.1:8080/",
                                            "token_env": "RT_TOKEN", "queue": "General"}])
    assert found == []
    assert [config.name for config in configs] == ["helpdesk", "rt-token"]
    assert isinstance(configs[1], rt.Config)
    assert configs[1].base_url == "http://127.0.0.1:8080"


def test_a_password_written_inline_is_refused_with_how_to_move_it() -> None:
    [message] = problems(password="hunter2-but-longer", password_env=None)
    assert "password_env" in message
    assert "hunter2" not in message


def test_plain_http_to_another_machine_is_refused() -> None:
    [message] = problems(base_url="http://rt.example.com")
    assert "only https" in message


def test_a_source_with_no_way_to_sign_in_or_two_is_refused() -> None:
    assert "needs a way to sign in" in problems(password_env=None)[0]
    assert "needs a way to sign in" in problems(user=None)[0]
    assert "not both" in problems(token_env="RT_TOKEN")[0]


def test_a_missing_variable_is_named(tmp_path: Path) -> None:
    config = rt.Config.model_validate(BASIC)
    with pytest.raises(SourceError, match="RT_PASSWORD, which is not set"):
        rt.open_source(config, {}, Place(tmp_path, tmp_path / "drafts.sqlite3"))


def test_ticketsql_ands_each_word_and_escapes_quotes_and_backslashes() -> None:
    assert ticket_sql("export  missing rows", None) == (
        "Subject LIKE 'export' AND Subject LIKE 'missing' AND Subject LIKE 'rows'")
    assert ticket_sql("O'Brien C:\\temp", "Tier 2") == (
        "Subject LIKE 'O\\'Brien' AND Subject LIKE 'C:\\\\temp' AND Queue = 'Tier 2'")
    assert ticket_sql("\x1b[31m  \"", None) == "Subject LIKE '31m'"  # edge punctuation goes too
    assert ticket_sql("  ", "General") is None
