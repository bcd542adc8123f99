"""fan_out: every source asked at once, each answer as it comes, failures in words."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.domain.models import ContextKind
from tui.sources.fanout import Answered, fan_out
from tui.sources.local import Config, open_source
from tui.sources.model import Place, Provenance, Query, SourceError, SourceItem


class Scripted:
    """A source that answers after `delay` seconds with one item, or raises `error`."""

    def __init__(self, name: str, delay: float = 0.0, error: BaseException | None = None) -> None:
        self.name = name
        self.delay = delay
        self.error = error

    async def search(self, query: Query) -> list[SourceItem]:
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return [SourceItem(kind=ContextKind.TICKET, title=f"{query.text} at {self.name}", reference="#1",
                           provenance=Provenance(self.name, "1"))]


async def collect(sources: list[Scripted], timeout: float = 5.0) -> list[Answered]:
    return [answer async for answer in fan_out(sources, Query("export"), timeout)]


async def test_the_fast_source_answers_before_the_slow_one_and_a_failure_is_words() -> None:
    answers = await collect([Scripted("slow", delay=0.5), Scripted("broken", error=RuntimeError("boom\x1b[2J")),
                             Scripted("fast", delay=0.01)])
    assert [answer.source for answer in answers] == ["broken", "fast", "slow"]
    broken, fast, slow = answers
    assert broken.items is None
    assert broken.error == "broken failed unexpectedly (RuntimeError); please report it"  # never its text
    assert fast.items is not None
    assert [item.title for item in fast.items] == ["export at fast"]
    assert fast.seconds < 0.4 <= slow.seconds


async def test_a_source_error_keeps_its_own_words() -> None:
    [answer] = await collect([Scripted("zendesk", error=SourceError("401 from Zendesk: check $ZENDESK_TOKEN"))])
    assert answer.error == "401 from Zendesk: check $ZENDESK_TOKEN"


async def test_a_source_over_the_timeout_says_so_and_the_others_still_answer() -> None:
    answers = await collect([Scripted("stuck", delay=30), Scripted("quick")], timeout=0.2)
    assert [(answer.source, answer.error) for answer in answers] == [
        ("quick", None), ("stuck", "stuck did not answer within 0.2 seconds; try again, or raise its timeout")]


async def test_the_local_source_answers_through_fan_out_with_its_file_problems(tmp_path: Path) -> None:
    (tmp_path / "tickets.csv").write_text('Id,Subject\n1,Export missing rows\n2,"bad"x\n', encoding="utf-8")
    (tmp_path / "tickets-ok.csv").write_text("Id,Subject\n7,Export slow\n", encoding="utf-8")
    local = open_source(Config(name="local files"), {}, Place(tmp_path, tmp_path / "drafts.sqlite3"))
    [answer] = [answer async for answer in fan_out([local], Query("export"), 10)]
    assert answer.items is not None
    assert [item.reference for item in answer.items] == ["#7"]
    assert len(answer.problems) == 1
    assert "tickets.csv line 3, column 7" in answer.problems[0]
