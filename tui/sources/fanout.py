"""One query to every source at once: each answer is yielded as it arrives, so a slow source never
delays the others, and whatever goes wrong with one source becomes words on its own answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass

from tui.domain.text_safety import strip_unsafe
from tui.sources.model import Query, Source, SourceError, SourceItem

DEFAULT_TIMEOUT = 30.0  # seconds, for a source the timeouts given do not name


@dataclass(frozen=True, slots=True)
class Answered:
    """What one source answered: its items, or an error in words; and how long it took.
    `problems` are files or pages it skipped while still answering (the local source's unreadable files)."""

    source: str
    items: list[SourceItem] | None
    error: str | None
    seconds: float
    problems: tuple[str, ...] = ()


async def fan_out(sources: Sequence[Source], query: Query,
                  timeout: float | Mapping[str, float]) -> AsyncIterator[Answered]:
    """Ask every source at once and yield each answer as it comes; a source still silent after `timeout`
    seconds (one for all, or by source name) answers with an error saying so. Leaving the loop early
    stops the sources still asking."""
    def limit(source: Source) -> float:
        return timeout if isinstance(timeout, (int, float)) else timeout.get(source.name, DEFAULT_TIMEOUT)

    tasks = [asyncio.create_task(_ask(source, query, limit(source))) for source in sources]
    try:
        for next_answer in asyncio.as_completed(tasks):
            yield await next_answer
    finally:
        for task in tasks:
            task.cancel()


async def _ask(source: Source, query: Query, timeout: float) -> Answered:
    name = str(getattr(source, "name", "a source"))
    started = time.perf_counter()

    def answered(items: list[SourceItem] | None, error: str | None) -> Answered:
        problems = tuple(str(problem) for problem in getattr(source, "problems", ()) or ())
        return Answered(name, items, error, time.perf_counter() - started, problems)

    try:
        async with asyncio.timeout(timeout):
            items = await source.search(query)
    except TimeoutError:
        return answered(None, f"{name} did not answer within {timeout:g} seconds; try again, or raise its timeout")
    except SourceError as error:
        return answered(None, _words(str(error)) or f"{name} could not answer")
    except Exception as error:  # a fault inside a source: said on its line, never raised; by its type only,
        # as its text may hold a URL with a token in it
        return answered(None, f"{name} failed unexpectedly ({type(error).__name__}); please report it")
    return answered(list(items), None)


def _words(text: str) -> str:
    return " ".join(strip_unsafe(text).split())[:500]
