"""The command-line twin: what a script or a person at a shell sees, exit codes included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NOW = "2026-11-19T10:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("ESCALATE_TUI_CONFIG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_prefills_from_the_summary_and_triage_reads_it_back(tmp_path: Path, capsys) -> None:
    brief = tmp_path / "export.toml"
    code, _, err = run(capsys, "new", "Data export is missing rows — 3 customers reported this week", "-o", str(brief))
    assert code == 0
    assert "3 customers" in err  # says what it read
    code, out, _ = run(capsys, "triage", str(brief), "--json", "--now", NOW)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"verdict", "triggers", "severity", "target", "cc", "reasons", "cadence"}
    assert data["verdict"] == "escalate"
    assert "pattern" in {t["category"] for t in data["triggers"]}
    assert data["severity"] == "critical"
    assert data["target"] == "engineering"
    assert data["cadence"]["internal"]["every"] == "Every 2 hours"
    assert data["cadence"]["internal"]["earliest"] == "2026-11-19T12:00:00+00:00"


def test_new_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    brief = tmp_path / "b.toml"
    brief.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "new", "SSO login loop", "-o", str(brief))
    assert code == 2
    assert "already exists" in err
    assert brief.read_text(encoding="utf-8") == "keep me"
    assert run(capsys, "new", "SSO login loop", "-o", str(brief), "--force")[0] == 0
    assert "SSO login loop" in brief.read_text(encoding="utf-8")


def test_new_uses_the_explicit_customer(tmp_path: Path, capsys) -> None:
    brief = tmp_path / "b.toml"
    run(capsys, "new", "Webhooks fail with 502", "--customer", "Globex", "-o", str(brief))
    code, out, _ = run(capsys, "render", str(brief), "--format", "json")
    assert code == 0
    assert json.loads(out)["escalation"]["customer"]["name"] == "Globex"


def test_handle_in_support_verdict_is_lower_case_in_json(tmp_path: Path, capsys) -> None:
    brief = tmp_path / "howto.toml"
    brief.write_text('summary = "How to set up SAML"\n[problem]\nnature = "how_to"\n', encoding="utf-8")
    code, out, _ = run(capsys, "triage", str(brief), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "handle_in_support"
    assert data["severity"] == "medium"
    assert data["target"] == "l2"


def test_render_markdown_to_a_file_and_plain_to_stdout(tmp_path: Path, capsys) -> None:
    example = EXAMPLES / "sso-login-loop-enterprise.toml"
    out_file = tmp_path / "brief.md"
    code, out, _ = run(capsys, "render", str(example), "-o", str(out_file), "--now", NOW)
    assert code == 0
    assert out == ""
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("## ESCALATION: SSO login loop affecting all Enterprise customers\n")
    assert "**Severity:** Critical" in text
    code, out, _ = run(capsys, "render", str(example), "--format", "plain", "--now", NOW)
    assert code == 0
    assert out.startswith("ESCALATION: SSO login loop affecting all Enterprise customers\n")
    assert "\nIMPACT\n" in out


def test_check_passes_a_complete_example_and_fails_a_thin_draft(tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLES / "api-500-acme.toml"), "--now", NOW)
    assert code == 0, out
    assert "verdict: Escalate" in out
    # the contract's 4-hour updates ran out at 00:30 UTC, the morning after Acme last heard from us
    assert "warn communication.overdue (communication.last_update): The customer update is 9 hours 30 minutes" in out
    thin = tmp_path / "thin.toml"
    thin.write_text('summary = "Export broken"\n[problem]\nnature = "data_loss"\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", str(thin))
    assert code == 1
    assert "FAIL ask.deadline (ask.deadline)" in out
    code, out, _ = run(capsys, "check", str(thin), "--json")
    assert code == 1
    failing = {c["id"] for c in json.loads(out)["checks"] if not c["passed"] and c["level"] == "blocking"}
    assert {"ask.deadline", "tried.present", "repro.steps"} <= failing


def test_bad_file_gets_file_line_field_message_and_exit_2(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('summary = "x"\n\n[customer]\nname = "Acme"\narr = "lots"\n', encoding="utf-8")
    for command in ("render", "check", "triage"):
        code, out, err = run(capsys, command, str(bad))
        assert code == 2
        assert out == ""
        assert f"{bad}:5: customer.arr:" in err
        assert "Traceback" not in err


def test_missing_file_is_a_clear_message(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "render", str(tmp_path / "nope.toml"))
    assert code == 2
    assert "nope.toml" in err
    assert "Traceback" not in err


def test_unwritable_output_is_a_clear_message(tmp_path: Path, capsys) -> None:
    target = tmp_path / "missing-dir" / "brief.md"
    code, _, err = run(capsys, "render", str(EXAMPLES / "api-500-acme.toml"), "-o", str(target))
    assert code == 2
    assert "cannot write" in err


def test_bad_now_is_a_clear_message(capsys) -> None:
    code, _, err = run(capsys, "triage", str(EXAMPLES / "api-500-acme.toml"), "--now", "yesterday")
    assert code == 2
    assert "--now" in err


def test_broken_config_warns_with_file_and_line_and_carries_on(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[rules]\nhigh_value_ar = 5\n", encoding="utf-8")
    code, out, err = run(capsys, "triage", str(EXAMPLES / "api-500-acme.toml"), "--config", str(config))
    assert code == 0
    assert f"{config}:2: rules.high_value_ar:" in err
    assert "high_value_arr" in err  # did you mean
    assert "Verdict:" in out


def test_schema_is_json_schema_of_the_brief(capsys) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert {"summary", "customer", "reproduction", "ask"} <= set(schema["properties"])


def test_bare_command_does_not_crash_and_version_prints(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("escalate-tui ")


def test_python_dash_m_tui_is_the_same_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "triage", str(EXAMPLES / "churn-audit-log.toml"), "--json", "--now", NOW],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == "leadership"
    assert data["cc"] == ["product"]


def test_help_names_every_way_to_open_the_app_and_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    for option in ("SUMMARY", "FILE", "--customer", "--config", "--data-dir", "ESCALATE_TUI_DATA_DIR"):
        assert option in shown
    for command in ("new", "render", "check", "triage", "schema"):
        assert f"\n  {command} " in shown


def test_check_and_triage_of_a_case_that_stays_in_support(tmp_path: Path, capsys) -> None:
    note = tmp_path / "howto.toml"
    note.write_text(
        'summary = "How to set up SAML"\n[problem]\nnature = "how_to"\ndescription = "Asks about SSO."\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(note), "--now", NOW)
    assert code == 1
    assert "verdict: Handle in support" in out
    assert "FAIL support.answer (problem.workaround)" in out
    assert "ask.deadline" not in out
    code, out, _ = run(capsys, "triage", str(note), "--now", NOW)
    assert code == 0
    assert "Verdict:  Handle in support" in out
    assert "Stays in support: no target team, no follow-up cadence." in out
    assert "Target:" not in out
    assert "Follow-up:" not in out
    data = json.loads(run(capsys, "triage", str(note), "--json", "--now", NOW)[1])
    assert data["cadence"] is None


def test_render_prints_the_brief_as_edited_by_hand_and_generated_on_request(tmp_path: Path, capsys) -> None:
    brief = tmp_path / "edited.toml"
    brief.write_text('summary = "Exports miss rows"\nedited_brief = """\n## ESCALATION: by hand\\nSigned off.\n"""\n',
                     encoding="utf-8")
    code, out, err = run(capsys, "render", str(brief), "--now", NOW)
    assert code == 0
    assert out == "## ESCALATION: by hand\nSigned off.\n"
    assert "edited by hand" in err
    code, out, _ = run(capsys, "render", str(brief), "--generated", "--now", NOW)
    assert out.startswith("## ")
    assert "Signed off." not in out
