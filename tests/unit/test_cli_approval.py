"""`escalate-tui approval`: a gated case shows "approval needed" in `due` until its decision is recorded
with who and why, and cannot be resolved before it is approved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import NOW, example_path

from tui.cli import main

RESOLVE = ("--done", "notify_team", "update_ticket", "inform_customer", "record_learnings")


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--data-dir", str(data), "--now", NOW.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


def approval_of(capsys: pytest.CaptureFixture[str], data: Path) -> list[tuple[int, str, str]]:
    code, out, _ = run(capsys, data, "due", "--json")
    assert code in (0, 1)
    return [(row["id"], row["status"], row["approval"]) for row in json.loads(out)]


@pytest.fixture
def exception_brief(tmp_path: Path) -> Path:
    """The churn example, asking Leadership for an exception to policy."""
    text = example_path("churn-audit-log").read_text(encoding="utf-8")
    text = text.replace("policy_exception = false", "policy_exception = true")
    brief = tmp_path / "exception.toml"
    brief.write_text(text, encoding="utf-8")
    return brief


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_gated_case_waits_for_approval_and_resolves_after_it(capsys, data: Path, exception_brief: Path) -> None:
    code, out, err = run(capsys, data, "escalate", str(exception_brief), "--as", "Dana")
    assert code == 0, err
    assert approval_of(capsys, data) == [(1, "escalated", "needed")]
    code, out, _ = run(capsys, data, "due")
    assert "Escalated, approval needed" in out

    code, _, err = run(capsys, data, "resolve", "1", *RESOLVE, "--as", "Dana")
    assert code != 0
    assert "escalation 1 cannot take this: it waits for an approval" in err
    assert approval_of(capsys, data) == [(1, "escalated", "needed")]

    code, out, err = run(capsys, data, "approval", "1", "--approved", "--reason", "one-off for a key account",
                         "--as", "Vera Lin")
    assert code == 0, err
    assert out.startswith("#1 Approved by Vera Lin: one-off for a key account; next internal check-in")
    assert approval_of(capsys, data) == [(1, "escalated", "approved")]
    code, _, err = run(capsys, data, "resolve", "1", *RESOLVE, "--as", "Dana")
    assert code == 0, err
    assert approval_of(capsys, data) == []


def test_a_rejection_is_shown_and_the_case_stays_open(capsys, data: Path, exception_brief: Path) -> None:
    run(capsys, data, "escalate", str(exception_brief))
    code, _, err = run(capsys, data, "approval", "1", "--rejected", "--reason", "not within policy", "--as", "Vera")
    assert code == 0, err
    assert approval_of(capsys, data) == [(1, "escalated", "rejected")]
    code, out, _ = run(capsys, data, "timeline", "1")
    assert "Rejected by Vera: not within policy" in out


def test_an_approval_can_be_requested_by_hand(capsys, data: Path) -> None:
    run(capsys, data, "escalate", str(example_path("api-500-acme")))
    assert approval_of(capsys, data) == [(1, "escalated", "")]
    code, out, err = run(capsys, data, "approval", "1", "--request", "--reason", "Security signs off the patch",
                         "--as", "Dana")
    assert code == 0, err
    assert out.startswith("#1 Approval requested by Dana: Security signs off the patch;")
    assert approval_of(capsys, data) == [(1, "escalated", "needed")]


@pytest.mark.parametrize(("argv", "message"), [
    (("--approved", "--as", "Vera"), 'approval: say why it was approved with --reason "…"'),
    (("--request", "--reason", "  "), 'approval: say what the approval is for with --reason "…"'),
    (("--approved", "--reason", "fine", "--as", "Vera"), "no approval is waiting for a decision: request one first"),
])
def test_mistakes_are_refused_in_words(capsys, data: Path, argv: tuple[str, ...], message: str) -> None:
    run(capsys, data, "escalate", str(example_path("api-500-acme")))
    code, _, err = run(capsys, data, "approval", "1", *argv)
    assert code != 0
    assert message in err
    assert approval_of(capsys, data) == [(1, "escalated", "")]


def test_one_of_request_approved_rejected_is_needed(capsys, data: Path) -> None:
    with pytest.raises(SystemExit):
        main(["approval", "1", "--reason", "x", "--data-dir", str(data)])
    assert "one of the arguments --request --approved --rejected --check is required" in capsys.readouterr().err
