"""What every HTTP source does when its service refuses, stalls or answers badly: a message that
names the source and what to check, never a secret, and retries only where they can help."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from conftest import Case
from http_double import Reply

from tui.sources.model import SourceError


async def test_a_refused_token_names_the_variable_to_check_and_never_the_token(case: Case) -> None:
    source = case.make(timeout=2.0)
    case.double.then(Reply(401, {"error": f"bad credentials {case.token}"}))
    with pytest.raises(SourceError) as raised:
        await source.search(case.query)
    message = str(raised.value)
    assert "401" in message
    assert f"${case.variable}" in message
    assert case.token not in message


async def test_a_rate_limit_is_waited_out_as_asked_then_the_search_answers(case: Case) -> None:
    source = case.make(timeout=2.0)
    case.double.then(Reply(429, {"error": "slow down"}, {"Retry-After": "0.3"}))
    items = await source.search(case.query)
    assert items
    first, second = case.double.seen[0], case.double.seen[1]
    assert second.at - first.at >= 0.28
    assert first.path == second.path


async def test_a_wait_longer_than_the_timeout_is_not_waited(case: Case) -> None:
    source = case.make(timeout=1.0)
    case.double.then(Reply(429, {"error": "slow down"}, {"Retry-After": "120"}))
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"429 and asked to wait 120 s, longer than .* 1 s timeout"):
        await source.search(case.query)
    assert time.monotonic() - started < 0.5
    assert len(case.double.seen) == 1


async def test_a_failing_server_is_tried_three_times_then_said(case: Case) -> None:
    source = case.make(timeout=2.0)
    case.double.then(*[Reply(503, b"upstream unavailable", {"Retry-After": "0"})] * 3)
    with pytest.raises(SourceError, match=r"503 3 times in a row.*upstream unavailable"):
        await source.search(case.query)
    assert len(case.double.seen) == 3


async def test_a_stalled_answer_ends_at_the_timeout_naming_address_and_seconds(case: Case) -> None:
    source = case.make(timeout=0.2)
    case.double.then(Reply(200, {}, delay=0.8))
    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        await source.search(case.query)
    assert time.monotonic() - started < 0.6
    assert "within 0.2 s" in str(raised.value)
    assert case.double.url in str(raised.value)


async def test_truncated_json_is_said_with_its_first_bytes(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(200, b'{"results": [{"id": 4211, "subj'))
    with pytest.raises(SourceError, match=r'not JSON \(first bytes: \{"results": \[\{"id": 4211'):
        await source.search(case.query)


async def test_an_answer_broken_off_mid_body_is_said(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(200, b'{"results": [', cut=True))
    with pytest.raises(SourceError, match="broke off its answer"):
        await source.search(case.query)


async def test_an_html_page_instead_of_json_is_said_plainly(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(200, b"<html><body>\x1b]52;c;aGk=\x07Sign in</body></html>"))
    with pytest.raises(SourceError) as raised:
        await source.search(case.query)
    message = str(raised.value)
    assert "not JSON (first bytes: <html><body>" in message
    assert "\x1b" not in message
    assert "\x07" not in message


async def test_a_redirect_is_not_followed(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(302, b"", {"Location": "https://elsewhere.example/login"}))
    with pytest.raises(SourceError, match=r"elsewhere\.example/login; redirects are not followed"):
        await source.search(case.query)
    assert len(case.double.seen) == 1


async def test_an_answer_of_another_shape_is_said_not_raised(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(200, ["not", "an", "object"]))
    with pytest.raises(SourceError, match="without a"):
        await source.search(case.query)


async def test_a_forbidden_search_says_which_permission_and_a_missing_one_which_address(case: Case) -> None:
    source = case.make()
    case.double.then(Reply(403, {"message": "Forbidden"}), Reply(404, {"message": "Not Found"}))
    with pytest.raises(SourceError, match=r"403: ") as forbidden:
        await source.search(case.query)
    with pytest.raises(SourceError, match=f"404 at {re.escape(case.double.url)}") as missing:
        await source.search(case.query)
    assert any(word in str(forbidden.value) for word in ("role", "permission", "scope", "read"))
    assert "check" in str(missing.value)


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    import httpx

    from tui.sources.http_source import retry_after

    now = datetime(2025, 3, 4, 12, 0, 0, tzinfo=UTC)
    assert retry_after(httpx.Response(429, headers={"Retry-After": "7"}), now) == 7.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": "Tue, 04 Mar 2025 12:00:30 GMT"}), now) == 30.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"}), now) is None
