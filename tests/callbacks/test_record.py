"""Answers recorded in a real drafts database: once per event id, on the right escalation, refused in
words when they cannot apply, and seen by `escalate-tui due` afterwards."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from support import NOW, example_path

from tui.callbacks.answers import Answer
from tui.callbacks.record import record_answer, record_or_say
from tui.cli import main
from tui.domain.lifecycle import EventKind
from tui.domain.models import Severity, Target
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore

LATER = NOW + timedelta(minutes=20)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--data-dir", str(data), "--now", LATER.isoformat()])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, out


def escalated(capsys: pytest.CaptureFixture[str], data: Path) -> int:
    _, out = cli(capsys, data, "escalate", str(example_path("api-500-acme")))
    return int(out.split()[1].lstrip("#"))


def answer(escalation: int, action: str = "take", event_id: str = "ev-1", who: str = "Kim Lee",
           question: str = "") -> Answer:
    return Answer("lark", event_id, escalation, action, who, question, "om_1", "ou_7d8a6e6df76215")


def test_take_makes_the_clicker_the_owner_shown_by_due(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    draft_id = escalated(capsys, data)
    with DraftStore.open_default(data) as store:
        result = record_answer(store, answer(draft_id), LATER)
    assert result.outcome == "recorded"
    assert result.message == f"Taken by Kim Lee on ESC-{draft_id}."
    _, out = cli(capsys, data, "due", "--json")
    row = next(row for row in json.loads(out) if row["id"] == draft_id)
    assert (row["owner"], row["status"]) == ("Kim Lee", "taken")


def test_a_take_keeps_who_clicked_and_on_which_card(data: Path) -> None:
    with DraftStore.open_default(data) as store:
        draft_id = store.create(load_brief(example_path("api-500-acme")), NOW)
        store.escalate(draft_id, "brief", Severity.HIGH, Target.ENGINEERING, "Dana", NOW)
        record_answer(store, answer(draft_id), LATER)
        taken = store.timeline(draft_id)[-1].event
    assert (taken.who_id, taken.link) == ("ou_7d8a6e6df76215", "om_1")


def test_a_repeated_delivery_is_recorded_once(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    draft_id = escalated(capsys, data)
    with DraftStore.open_default(data) as store:
        first = record_answer(store, answer(draft_id, "acknowledge"), LATER)
        second = record_answer(store, answer(draft_id, "acknowledge"), LATER + timedelta(seconds=15))
        kinds = [stored.event.kind for stored in store.timeline(draft_id)]
    assert (first.outcome, second.outcome) == ("recorded", "duplicate")
    assert second.ok
    assert "already recorded" in second.message
    assert kinds.count(EventKind.ACKNOWLEDGED) == 1


def test_need_info_keeps_the_question(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    draft_id = escalated(capsys, data)
    with DraftStore.open_default(data) as store:
        record_answer(store, answer(draft_id, "need_info", question="Which EU region?"), LATER)
    _, out = cli(capsys, data, "timeline", str(draft_id))
    assert "Need info: Which EU region?" in out
    assert "Kim Lee" in out


def test_an_unknown_escalation_is_refused_in_words(tmp_path: Path) -> None:
    with DraftStore(tmp_path / "drafts.sqlite3") as store:
        result = record_answer(store, answer(77), LATER)
        assert not store.inbound_seen("ev-1")
    assert result.outcome == "unknown"
    assert not result.ok
    assert result.message == "There is no escalation ESC-77 here."


def test_an_answer_on_a_resolved_case_is_refused_not_a_crash(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    draft_id = escalated(capsys, data)
    cli(capsys, data, "resolve", str(draft_id), "--note", "Fixed by the rollback", "--done", "notify_team",
        "update_ticket", "inform_customer", "record_learnings")
    with DraftStore.open_default(data) as store:
        status = store.record(draft_id).status.value
        result = record_answer(store, answer(draft_id), LATER + timedelta(minutes=1))
        owner = store.record(draft_id).owner
    assert status == "resolved"
    assert result.outcome == "refused"
    assert result.message == f"ESC-{draft_id} was not changed: it is resolved: reopen it before “Taken”"
    assert owner == ""


@pytest.mark.slow
def test_a_database_held_by_another_writer_is_said_not_raised(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    import sqlite3

    draft_id = escalated(capsys, data)
    with DraftStore.open_default(data) as store:
        holder = sqlite3.connect(store.path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            result = record_or_say(store, answer(draft_id), LATER)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        owner = store.record(draft_id).owner
    assert result.outcome == "refused"
    assert result.message.startswith(f"ESC-{draft_id} was not changed: ")
    assert owner == ""
