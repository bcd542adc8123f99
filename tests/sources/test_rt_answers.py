"""What the RT source does with answers a real RT gives only under load or behind a proxy: a 503 or 429
tried again after the wait asked for, an HTML page, no answer in time."""

from __future__ import annotations

from pathlib import Path

import pytest
from rt_double import Reply, RTDouble

from tui.sources import rt
from tui.sources.model import Place, Query, SourceError

ENV = {"RT_TOKEN": "1-14-7a0b3c9f0e2d4c6b8a1e3f5d7c9b0a2e"}
TICKET = (b'{"page":1,"pages":1,"per_page":50,"count":1,"total":1,"items":[{"id":"7","Subject":"Export fails",'
          b'"Status":"open","LastUpdated":"2025-03-04T05:06:07Z","Requestors":[{"EmailAddress":"a@acme.example"}]}]}')


def source(url: str, tmp_path: Path, timeout: float = 5) -> rt.RTSource:
    config = rt.Config.model_validate({"name": "helpdesk", "type": "rt", "base_url": url, "token_env": "RT_TOKEN",
                                       "timeout": timeout})
    return rt.open_source(config, ENV, Place(tmp_path, tmp_path / "drafts.sqlite3"))


async def test_a_503_then_a_429_are_tried_again_after_the_wait_rt_asks_for(tmp_path: Path) -> None:
    replies = [Reply(503, b'{"message":"busy"}', {"Retry-After": "0.3"}), Reply(429, b"{}", {"Retry-After": "0.2"}),
               Reply(200, TICKET)]
    with RTDouble(replies) as double:
        items = await source(double.url, tmp_path).search(Query("export"))
    assert [(item.reference, item.customer, str(item.when)) for item in items] == [
        ("RT #7", "acme.example", "2025-03-04")]
    times = [when for when, _ in double.seen]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.3
    assert times[2] - times[1] >= 0.2


async def test_after_three_tries_the_last_answer_is_said(tmp_path: Path) -> None:
    replies = [Reply(502, b'{"message":"bad gateway"}', {"Retry-After": "0"}) for _ in range(4)]
    with RTDouble(replies) as double:
        with pytest.raises(SourceError, match=r"^helpdesk: Request Tracker answered 502: bad gateway$"):
            await source(double.url, tmp_path).search(Query("export"))
        assert len(double.seen) == 3


async def test_a_page_that_is_not_json_is_shown_escaped_without_the_token(tmp_path: Path) -> None:
    page = Reply(200, b"<html>\x1b]52;c;evil\x07 Sign in", {"Content-Type": "text/html"})
    with RTDouble([page]) as double, pytest.raises(SourceError) as raised:
        await source(double.url, tmp_path).search(Query("export"))
    message = str(raised.value)
    assert "not JSON: “<html>\\e]52;c;evil\\x07 Sign in”" in message
    assert "\x1b" not in message
    assert ENV["RT_TOKEN"] not in message


async def test_no_answer_in_time_names_the_address_and_the_seconds(tmp_path: Path) -> None:
    late = r"at http://127\.0\.0\.1:\d+/REST/2\.0/tickets did not answer within 0\.3 s$"
    with RTDouble([Reply(200, TICKET, delay=1.5)]) as double, pytest.raises(SourceError, match=late):
        await source(double.url, tmp_path, timeout=0.3).search(Query("export"))


async def test_the_token_is_sent_as_rt_expects(tmp_path: Path) -> None:
    with RTDouble([Reply(200, TICKET)]) as double:
        await source(double.url, tmp_path).search(Query("export"))
        assert double.seen[0][1].startswith("/REST/2.0/tickets?query=Subject+LIKE+%27export%27")
