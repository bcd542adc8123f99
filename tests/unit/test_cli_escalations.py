"""The escalation commands as a person at a shell or a cron job sees them: what each prints, its exit
status, and what it leaves in a real drafts database."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from support import NOW, example, example_path

from tui.cli import main
from tui.cli_escalations import parse_until
from tui.cli_support import UserError
from tui.domain.timetext import moment
from tui.domain.triage import assess
from tui.store.drafts import DraftStore

NOW_ISO = NOW.isoformat()
ACME = example_path("api-500-acme")  # triage: High, to Engineering


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str, now: datetime = NOW) -> tuple[int, str, str]:
    code = main([*argv, "--data-dir", str(data), "--now", now.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


def local(value: datetime) -> str:
    return moment(value.astimezone())


def due_rows(capsys: pytest.CaptureFixture[str], data: Path, now: datetime = NOW) -> list[dict[str, object]]:
    code, out, _ = run(capsys, data, "due", "--json", now=now)
    assert code in (0, 1)
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def escalated(capsys: pytest.CaptureFixture[str], data: Path, brief: Path = ACME) -> int:
    code, out, err = run(capsys, data, "escalate", str(brief))
    assert code == 0, err
    return int(out.split()[1].lstrip("#"))


def utc(text: object) -> datetime:
    assert isinstance(text, str)
    return datetime.fromisoformat(text)


# --- escalate --------------------------------------------------------------------------


def test_escalating_a_brief_file_hands_over_the_brief_render_prints(data: Path, capsys) -> None:
    code, out, _ = run(capsys, data, "escalate", str(ACME))
    assert code == 0
    assessment = assess(example("api-500-acme"), now=NOW)
    severity, target = assessment.severity.effective, assessment.target.effective
    assert out.startswith(f"Escalated #1 as {severity.label} to {target.label};")
    assert f"internal check-in by {local(NOW + timedelta(hours=4))}" in out  # High: every 4 hours
    assert out.count("\n") == 1

    [row] = due_rows(capsys, data)
    assert (row["id"], row["severity"], row["target"], row["status"]) == (1, severity.value, target.value, "escalated")
    assert main(["render", str(ACME), "--now", NOW_ISO]) == 0
    rendered = capsys.readouterr().out
    with DraftStore(data / "drafts.sqlite3") as store:
        [version] = store.versions(1)
        assert store.draft_of_file(ACME) == 1
    assert version.number == 1
    assert version.text == rendered


def test_a_hand_edited_brief_is_what_is_handed_over(tmp_path: Path, data: Path, capsys) -> None:
    brief = tmp_path / "edited.toml"
    edited = 'edited_brief = """\n# Acme: 500s\n\nOur words.\n"""\n'
    text = ACME.read_text(encoding="utf-8").replace("\n[customer]", f"{edited}\n[customer]", 1)
    brief.write_text(text, encoding="utf-8")
    escalated(capsys, data, brief)
    with DraftStore(data / "drafts.sqlite3") as store:
        assert store.versions(1)[0].text == "# Acme: 500s\n\nOur words.\n"


def test_escalating_a_stored_draft_by_its_number(data: Path, capsys) -> None:
    with DraftStore.open_default(data) as store:
        draft_id = store.create(example("export-missing-rows"), NOW)
    code, out, _ = run(capsys, data, "escalate", str(draft_id), "--as", "Dana")
    assert code == 0
    assert out.startswith(f"Escalated #{draft_id} as ")
    code, out, _ = run(capsys, data, "timeline", str(draft_id), "--json")
    escalation = json.loads(out)["events"][-1]
    assert (escalation["kind"], escalation["who"], escalation["data"]["version"]) == ("escalated", "Dana", 1)


def test_escalating_twice_is_refused_saying_since_when(data: Path, capsys) -> None:
    escalated(capsys, data)
    later = NOW + timedelta(hours=1)
    code, out, err = run(capsys, data, "escalate", str(ACME), now=later)
    assert code == 2
    assert out == ""
    assert f"escalation 1 was escalated already: it is escalated since {local(NOW)}" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, data, "escalate", "1", now=later)
    assert code == 2
    assert "escalated already" in err


def test_an_unknown_number_is_named(data: Path, capsys) -> None:
    commands = (["escalate", "42"], ["timeline", "42"], ["update", "42", "text"], ["reopen", "42", "--reason", "x"])
    for command in commands:
        code, out, err = run(capsys, data, *command)
        assert code == 2, command
        assert "there is no escalation 42" in err
        assert out == ""


# --- due -------------------------------------------------------------------------------


def test_due_exits_1_once_a_clock_runs_out(data: Path, capsys) -> None:
    code, out, _ = run(capsys, data, "due")
    assert (code, out) == (0, "No open escalations: nothing is due.\n")
    assert due_rows(capsys, data) == []
    escalated(capsys, data)

    code, out, _ = run(capsys, data, "due", now=NOW + timedelta(hours=3))
    assert code == 0
    assert out.split()[:4] == ["#1", "in", "1", "h:"]
    assert "Acme Corp" in out
    assert "API returning 500 errors" in out

    code, out, _ = run(capsys, data, "due", now=NOW + timedelta(hours=4, minutes=30))
    assert code == 1
    assert "OVERDUE 30 min: internal check-in and customer update" in out


def test_due_json_rows_carry_every_field(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, out, _ = run(capsys, data, "due", "--json", now=NOW + timedelta(hours=5))
    assert code == 1
    [row] = json.loads(out)
    assert set(row) == {"id", "summary", "customer", "severity", "target", "status", "owner", "acknowledged_by",
                        "escalated", "internal_due", "customer_due", "next_due", "snoozed_until", "overdue",
                        "approval"}
    assert row["approval"] == ""  # this case needs no gate
    assert row["overdue"] == ["internal", "customer"]
    assert utc(row["escalated"]) == NOW
    assert row["internal_due"] == (NOW + timedelta(hours=4)).isoformat()  # UTC ISO
    assert row["customer"] == "Acme Corp"


def test_a_snooze_keeps_the_case_off_overdue_until_it_ends(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, out, _ = run(capsys, data, "snooze", "1", "--until", "6h", "--reason", "waiting for the 4.19 deploy")
    assert code == 0
    assert f"snoozed until {local(NOW + timedelta(hours=6))}" in out
    assert run(capsys, data, "due", now=NOW + timedelta(hours=5))[0] == 0
    assert due_rows(capsys, data, NOW + timedelta(hours=5))[0]["overdue"] == []
    assert run(capsys, data, "due", now=NOW + timedelta(hours=6, minutes=1))[0] == 1


def test_a_snooze_needs_an_end_after_now_and_a_reason(data: Path, capsys) -> None:
    escalated(capsys, data)
    for arguments, says in ((["--reason", "x"], "--until"), (["--until", "2h"], "--reason"),
                            (["--until", "2026-11-19T09:00:00+00:00", "--reason", "x"], "has already passed"),
                            (["--until", "soon", "--reason", "x"], "is not a time this understands")):
        code, _, err = run(capsys, data, "snooze", "1", *arguments)
        assert code == 2, arguments
        assert says in err
        assert err.count("\n") == 1


@pytest.mark.parametrize(("text", "after"), [("2h", timedelta(hours=2)), ("90m", timedelta(minutes=90)),
                                             ("1d", timedelta(days=1)), ("1d 12h", timedelta(hours=36)),
                                             ("45min", timedelta(minutes=45))])
def test_snooze_durations_count_from_the_clock(text: str, after: timedelta) -> None:
    assert parse_until(text, NOW) == NOW + after


def test_snooze_until_a_date_time() -> None:
    assert parse_until("2026-11-20T09:00:00+01:00", NOW) == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with pytest.raises(UserError):
        parse_until("2x", NOW)


# --- logging what happens --------------------------------------------------------------


def test_an_update_restarts_the_internal_clock(data: Path, capsys) -> None:
    escalated(capsys, data)
    later = NOW + timedelta(hours=3)
    code, out, _ = run(capsys, data, "update", "1", "orders-service pool exhausted above 500 items", now=later)
    assert code == 0
    assert out.startswith("#1 Update logged: orders-service pool exhausted above 500 items")
    [row] = due_rows(capsys, data, later)
    assert utc(row["internal_due"]) == later + timedelta(hours=4)
    assert utc(row["customer_due"]) == NOW + timedelta(hours=4)  # the customer clock runs on


def test_a_customer_update_restarts_the_customer_clock(data: Path, capsys) -> None:
    escalated(capsys, data)
    later = NOW + timedelta(hours=2)
    code, out, _ = run(capsys, data, "customer-updated", "1", "Still investigating; next update by 4 pm",
                       now=later)
    assert code == 0
    assert "Customer updated: Still investigating" in out
    [row] = due_rows(capsys, data, later)
    assert utc(row["customer_due"]) == later + timedelta(hours=4)
    assert utc(row["internal_due"]) == NOW + timedelta(hours=4)


def test_an_empty_update_is_refused(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, _, err = run(capsys, data, "update", "1", "   ")
    assert code == 2
    assert "empty" in err


def test_a_severity_change_moves_the_clocks_and_is_in_the_timeline(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, out, _ = run(capsys, data, "severity", "1", "Critical", "--reason", "Black Friday peak is at risk")
    assert code == 0
    assert out.startswith("#1 Severity High → Critical: Black Friday peak is at risk")
    [row] = due_rows(capsys, data)
    assert row["severity"] == "critical"
    assert utc(row["internal_due"]) == NOW + timedelta(hours=2)  # Critical: every 2 hours
    _, text, _ = run(capsys, data, "timeline", "1")
    assert "Severity High → Critical: Black Friday peak is at risk" in text
    with DraftStore(data / "drafts.sqlite3") as store:
        override = store.load(1).severity_override
    assert override is not None
    assert (override.value.value, override.reason) == ("critical", "Black Friday peak is at risk")


def test_a_change_needs_a_reason_a_known_level_and_a_new_value(data: Path, capsys) -> None:
    escalated(capsys, data)
    for arguments, says in ((["severity", "1", "critical"], "--reason"),
                            (["severity", "1", "urgent", "--reason", "x"], "'urgent' is not a severity"),
                            (["severity", "1", "high", "--reason", "x"], "already High"),
                            (["target", "1", "sales", "--reason", "x"], "'sales' is not a target team")):
        code, _, err = run(capsys, data, *arguments)
        assert code == 2, arguments
        assert says in err
        assert err.count("\n") == 1
    code, _, _ = run(capsys, data, "target", "1", "product", "--reason", "works as designed")
    assert code == 0
    assert due_rows(capsys, data)[0]["target"] == "product"


def test_a_draft_cannot_take_follow_up_events(data: Path, capsys) -> None:
    with DraftStore.open_default(data) as store:
        store.create(example("api-500-acme"), NOW)
    code, _, err = run(capsys, data, "update", "1", "note")
    assert code == 2
    assert "still a draft" in err


# --- closing and reopening -------------------------------------------------------------

ALL_DONE = ("--done", "notify_team", "update_ticket", "inform_customer", "record_learnings")


def test_de_escalating_walks_the_checklist_and_takes_the_case_off_due(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, out, err = run(capsys, data, "de-escalate", "1", "--reason", "workaround", "--done", "notify_team")
    assert (code, out) == (2, "")
    assert "update_ticket" in err
    assert "inform_customer" in err
    assert "record_learnings" in err
    assert "--skip STEP=WHY" in err
    code, _, err = run(capsys, data, "de-escalate", "1", *ALL_DONE)
    assert code == 2
    assert "workaround" in err  # the reasons are listed

    code, out, _ = run(capsys, data, "de-escalate", "1", "--reason", "workaround", "--note", "retry wrapper",
                       "--done", "notify_team", "update_ticket", "inform_customer",
                       "--skip", "record_learnings=KB article next week")
    assert code == 0
    assert "de-escalated: A workaround unblocks the customer (closing checklist: 3 done, 1 skipped)" in out
    assert "no follow-up clocks run" in out
    assert run(capsys, data, "due", now=NOW + timedelta(days=9)) == (0, "No open escalations: nothing is due.\n", "")
    _, text, _ = run(capsys, data, "timeline", "1")
    assert "Record what was learned: skipped (KB article next week)" in text

    code, out, _ = run(capsys, data, "reopen", "1", "--reason", "the 500s came back", now=NOW + timedelta(days=1))
    assert code == 0
    assert "Reopened: the 500s came back" in out
    [row] = due_rows(capsys, data, NOW + timedelta(days=1))
    assert utc(row["internal_due"]) == NOW + timedelta(days=1, hours=4)


def test_resolving_needs_a_word_for_each_skipped_step(data: Path, capsys) -> None:
    escalated(capsys, data)
    code, _, err = run(capsys, data, "resolve", "1", "--done", "notify_team", "update_ticket", "inform_customer",
                       "--skip", "record_learnings")
    assert code == 2
    assert "skipping record_learnings needs a word on why" in err
    code, _, err = run(capsys, data, "resolve", "1", *ALL_DONE, "--skip", "notify_team=x")
    assert code == 2
    assert "given twice" in err
    code, out, _ = run(capsys, data, "resolve", "1", *ALL_DONE, "--note", "fixed in orders-service 4.19")
    assert code == 0
    assert out.startswith("#1 resolved (closing checklist: 4 done, 0 skipped)")
    code, _, err = run(capsys, data, "resolve", "1", *ALL_DONE)
    assert code == 2
    assert "reopen it" in err


# --- the timeline ----------------------------------------------------------------------


def test_the_timeline_in_text_markdown_and_json(data: Path, capsys) -> None:
    escalated(capsys, data)
    later = NOW + timedelta(hours=1)
    run(capsys, data, "update", "1", "Line one\nLine two", "--as", "Kim", now=later)

    code, text, _ = run(capsys, data, "timeline", "1", now=later)
    assert code == 0
    assert text.startswith("Escalation #1: API returning 500 errors intermittently for Acme Corp\n")
    assert "Customer: Acme Corp" in text
    assert "Next due: in 3 h: customer update" in text
    lines = text.splitlines()
    update = next(index for index, line in enumerate(lines) if "Update logged" in line)
    assert lines[update].split()[:4] == [*local(later).split()[:3], "Kim"]
    assert lines[update + 1].strip() == "Line two"

    code, markdown, _ = run(capsys, data, "timeline", "1", "--format", "markdown", now=later)
    assert code == 0
    assert markdown.startswith("# Escalation #1: API returning 500 errors intermittently for Acme Corp\n")
    assert f"- **{local(later)}** — Kim: Update logged: Line one\n  Line two\n" in markdown

    code, out, _ = run(capsys, data, "timeline", "1", "--json")
    data_ = json.loads(out)
    assert (data_["id"], data_["status"], data_["severity"]) == (1, "escalated", "high")
    assert [event["kind"] for event in data_["events"]] == ["created", "escalated", "update_logged"]
    assert data_["events"][-1] == {"kind": "update_logged", "at": later.isoformat(), "who": "Kim",
                                   "description": "Update logged: Line one\nLine two",
                                   "data": {"text": "Line one\nLine two"}}


HOSTILE = "# Pwned\x1b]0;title\x07 [click](http://evil.example) <img src=x onerror=alert(1)> *loud* `code` | cell"


def test_a_hostile_summary_is_shown_not_obeyed(tmp_path: Path, data: Path, capsys) -> None:
    brief = tmp_path / "hostile.toml"
    text = ACME.read_text(encoding="utf-8").replace(
        'summary = "API returning 500 errors intermittently for Acme Corp"', f"summary = {json.dumps(HOSTILE)}")
    brief.write_text(text, encoding="utf-8")
    escalated(capsys, data, brief)
    run(capsys, data, "update", "1", "**bold** <script>x</script>\n# heading\n[a](http://b)")
    # A database written by something else may hold what the app itself never stores.
    with sqlite3.connect(data / "drafts.sqlite3") as conn:
        conn.execute("UPDATE drafts SET summary = ?, customer = ?", (HOSTILE + "\x9b2J\u202e", "Acme\x1b[31m"))

    outputs = {}
    for name, arguments in {"due": ["due"], "due-json": ["due", "--json"], "text": ["timeline", "1"],
                            "markdown": ["timeline", "1", "--format", "markdown"],
                            "json": ["timeline", "1", "--json"]}.items():
        code, out, err = run(capsys, data, *arguments)
        assert code == 0, name
        for stream in (out, err):
            assert not any(char in stream for char in "\x1b\x07\x9b\u202e"), name
        outputs[name] = out
    assert "# Pwned\\e]0;title\\x07" in outputs["text"]
    assert "\\x9b2J\\u202e" in outputs["text"]
    assert "Acme\\e[31m" in outputs["due"]
    assert json.loads(outputs["json"])["summary"] == HOSTILE + "\x9b2J\u202e"
    assert json.loads(outputs["due-json"])[0]["customer"] == "Acme\x1b[31m"

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(outputs["markdown"])
    headings = [token.tag for token in tokens if token.type == "heading_open"]
    assert headings == ["h1", "h2"]
    inline = [child.type for token in tokens if token.type == "inline" for child in token.children or []]
    assert not {"link_open", "html_inline", "em_open", "code_inline", "image"} & set(inline)
    assert not any(token.type in ("html_block", "table_open") for token in tokens)


# --- drafts for the customer and the knowledge base ------------------------------------


def test_customer_update_prints_an_interim_draft_from_the_logged_updates(data: Path, capsys) -> None:
    draft_id = escalated(capsys, data)
    run(capsys, data, "update", str(draft_id), "Engineering found a lock held by the nightly sync",
        now=NOW + timedelta(hours=1))
    code, out, _ = run(capsys, data, "customer-update", str(draft_id), now=NOW + timedelta(hours=2))
    assert code == 0
    assert "Engineering found a lock held by the nightly sync" in out
    assert "High" not in out  # the customer is told how seriously it is taken, not our severity word


def test_kb_article_prints_the_article_with_the_cause_once_resolved(data: Path, capsys) -> None:
    draft_id = escalated(capsys, data)
    code, _, err = run(capsys, data, "resolve", str(draft_id), "--note", "orders-service 4.18 pool size",
                       "--done", "notify_team", "update_ticket", "inform_customer", "record_learnings")
    assert code == 0, err
    code, out, _ = run(capsys, data, "kb-article", str(draft_id))
    assert code == 0
    assert "## Cause" in out
    assert "orders-service 4.18 pool size" in out.split("## Cause", 1)[1]


def test_taken_makes_the_team_member_the_owner_the_queue_shows(data: Path, capsys) -> None:
    draft_id = escalated(capsys, data)
    code, _, err = run(capsys, data, "acknowledged", str(draft_id))
    assert code == 2
    assert "--as" in err
    assert run(capsys, data, "acknowledged", str(draft_id), "--as", "Kim (orders team)")[0] == 0
    assert run(capsys, data, "taken", str(draft_id), "--as", "Lee")[0] == 0
    (row,) = due_rows(capsys, data)
    assert (row["status"], row["owner"], row["acknowledged_by"]) == ("taken", "Lee", "Kim (orders team)")
