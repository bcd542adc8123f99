"""The queue's filter line: words and severity/target tokens, and the store narrowing the queue by them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from queue_support import escalated

from tui.domain.models import Severity, Target
from tui.domain.queue_filter import QueueFilter, parse_filter
from tui.store.drafts import DraftStore


def test_words_and_tokens_are_told_apart() -> None:
    wanted = parse_filter("  acme  severity:high target:Security export ")
    assert wanted == QueueFilter("acme export", Severity.HIGH, Target.SECURITY)
    assert wanted.narrows


@pytest.mark.parametrize(("line", "severity", "target"), [
    ("sev:crit", Severity.CRITICAL, None), ("SEVERITY:Med", Severity.MEDIUM, None),
    ("target:eng", None, Target.ENGINEERING), ("team:l2", None, Target.L2), ("target:L2 Support", None, Target.L2),
])
def test_values_may_be_cut_short(line: str, severity: Severity | None, target: Target | None) -> None:
    parsed = parse_filter(line)
    assert (parsed.severity, parsed.target) == (severity, target)


@pytest.mark.parametrize("line", ["severity:urgent", "target:l", "sev:"])
def test_a_token_naming_nothing_is_a_problem_in_words(line: str) -> None:
    parsed = parse_filter(line)
    assert parsed.problems
    assert "names no" in parsed.problems[0]
    assert (parsed.severity, parsed.target, parsed.text) == (None, None, "")


def test_an_unknown_key_with_a_colon_is_just_a_word() -> None:
    assert parse_filter("error:500").text == "error:500"
    assert not parse_filter("   ").narrows


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    with DraftStore(tmp_path / "drafts.sqlite3") as opened:
        yield opened


def summaries(store: DraftStore, **narrowing: object) -> list[str]:
    return [record.summary for record in store.queue(**narrowing)]  # type: ignore[arg-type]


def test_the_store_narrows_the_queue_by_words_severity_and_target(store: DraftStore) -> None:
    escalated(store, "Export drops rows", "Acme Corp", Severity.HIGH, Target.ENGINEERING)
    escalated(store, "SSO loop", "Globex", Severity.CRITICAL, Target.SECURITY)
    escalated(store, "Slow export page", "Initech", Severity.MEDIUM, Target.PRODUCT, ago=timedelta(hours=3))
    assert summaries(store, text="EXPORT") == ["Export drops rows", "Slow export page"]
    assert summaries(store, text="export initech") == ["Slow export page"]
    assert summaries(store, text="acme") == ["Export drops rows"]
    assert summaries(store, text="dana") == []  # the reporter is not the owner
    assert summaries(store, severity=Severity.CRITICAL) == ["SSO loop"]
    assert summaries(store, target=Target.PRODUCT, text="export") == ["Slow export page"]
    assert store.open_count(text="export") == 2
    assert store.open_count() == 3


def test_like_wildcards_in_the_filter_are_taken_literally(store: DraftStore) -> None:
    escalated(store, "100% CPU on node_7", "Acme", Severity.HIGH)
    escalated(store, "1000 CPU alerts on nodeX7", "Acme", Severity.HIGH)
    assert summaries(store, text="100%") == ["100% CPU on node_7"]
    assert summaries(store, text="node_7") == ["100% CPU on node_7"]


def test_the_filtered_queue_still_pages_by_due_time(store: DraftStore) -> None:
    for hours in range(1, 6):
        escalated(store, f"Export case {hours}", "Acme", Severity.HIGH, ago=timedelta(hours=hours))
    escalated(store, "Other", "Acme", Severity.HIGH, ago=timedelta(hours=9))
    first = summaries(store, text="export", limit=2)
    rest = summaries(store, text="export", offset=2)
    assert first + rest == [f"Export case {hours}" for hours in range(5, 0, -1)]


def test_the_file_a_draft_belongs_to(store: DraftStore, tmp_path: Path) -> None:
    case = escalated(store, "With a file", "Acme", Severity.HIGH)
    assert store.file_of(case) is None
    store.link_file(case, tmp_path / "brief.toml")
    assert store.file_of(case) == tmp_path / "brief.toml"
    assert store.file_of(9999) is None
