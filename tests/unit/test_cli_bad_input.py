"""Bad input on the command line: each mistake is one short line naming the file, the line and the
field, with exit status 2; never a traceback, never a file that cannot be read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main

NOW = "2026-11-19T10:00:00+00:00"
HUGE = "1" * 5000  # Python reads at most 4,300 digits


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, err: str, *, lines: int = 1) -> str:
    """The error text, once it is checked to be exit 2, no traceback, and at most `lines` lines."""
    assert code == 2, err
    assert "Traceback" not in err
    assert 1 <= len(err.strip().splitlines()) <= lines, err
    return err.strip()


def refusal(capsys: pytest.CaptureFixture[str], *argv: str, lines: int = 1) -> str:
    """The error `escalate-tui ARGV` prints, once it is checked to be a refusal (see `refused`)."""
    code, _, err = run(capsys, *argv)
    return refused(code, err, lines=lines)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- numbers too long to read ----------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "check", "triage"])
def test_a_5000_digit_number_in_a_brief_names_its_line_and_field(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "big.toml", f'summary = "x"\n[customer]\nname = "Acme"\narr = {HUGE}\n')
    code, _, err = run(capsys, command, str(brief), "--now", NOW)
    message = refused(code, err)
    assert message.startswith(f"escalate-tui: {brief}:4: customer.arr: ")
    assert "5,000 digits" in message
    assert "9,223,372,036,854,775,807" in message  # what to write instead
    assert len(message) < 300


def test_the_app_refuses_a_brief_file_with_a_5000_digit_number_before_it_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "big.toml", f'summary = "x"\n[[tried]]\naction = "{HUGE}"\n[contract]\n'
                                         f"customer_update_hours = [1, {HUGE}]\n")
    code, _, err = run(capsys, str(brief))
    message = refused(code, err)
    assert message.startswith(f"escalate-tui: {brief}:5: contract.customer_update_hours[2]: ")


def test_a_5000_digit_number_in_the_config_is_a_warning_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", f'[ui]\ntheme = "escalate-dark"\n[rules]\nhigh_value_arr = {HUGE}\n')
    code, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert code == 1  # the check ran, on the default settings
    assert "Traceback" not in err
    assert f"warning: {config}:4: rules.high_value_arr: " in err
    assert "5,000 digits" in err


@pytest.mark.parametrize("text", ["schema_version = {n}\n", "[customer]\narr = {n}\n"])
def test_a_4000_digit_number_is_out_of_bounds_in_every_integer_field(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", text.format(n="9" * 4000))
    code, _, err = run(capsys, "check", str(brief), "--now", NOW)
    assert "9,223,372,036,854,775,807 or less" in refused(code, err)


def test_a_4000_digit_number_in_the_rules_is_out_of_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", f"[rules]\nhigh_value_arr = {'9' * 4000}\n")
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert f"{config}:2: rules.high_value_arr: must be 9,223,372,036,854,775,807 or less" in err


def test_a_refused_start_leaves_garbage_collection_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    brief = write(tmp_path / "big.toml", f"[customer]\narr = {HUGE}\n")
    assert gc.isenabled()
    refusal(capsys, str(brief))
    assert gc.isenabled()


# --- arguments that are not UTF-8 --------------------------------------------------------

NOT_UTF8 = b"\xff\xfe bad".decode("utf-8", "surrogateescape")  # as Python hands over such an argument


def test_new_replaces_bytes_that_are_not_utf8_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.store.brief_file import load_brief

    out = tmp_path / "x.toml"
    code, _, err = run(capsys, "new", NOT_UTF8, "--customer", NOT_UTF8, "-o", str(out))
    assert code == 0, err
    assert "Traceback" not in err
    assert "the summary is not valid UTF-8: 2 bytes were replaced with \ufffd" in err
    assert "the customer is not valid UTF-8: 2 bytes were replaced with \ufffd" in err
    brief = load_brief(out)  # what was written reads back
    assert brief.summary == "\ufffd\ufffd bad"
    assert brief.customer.name == "\ufffd\ufffd bad"


def test_the_app_opens_a_summary_that_is_not_utf8_with_the_bytes_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import _start_escalation, build_ui_parser

    escalation, path = _start_escalation(build_ui_parser().parse_args([NOT_UTF8]), [])
    assert path is None
    assert escalation.summary == "\ufffd\ufffd bad"
    assert "not valid UTF-8" in capsys.readouterr().err


# --- a clock out of range ------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "api-500-acme.toml"  # escalated: it has a cadence
COMMANDS = [["render"], ["render", "--format", "json"], ["check"], ["triage"], ["triage", "--json"]]


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+00:00", "9999-12-31T23:00:00-12:00",
                                 "9999-12-31T23:59:59+00:00"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_now_out_of_range_is_refused_with_the_range(
    command: list[str], now: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, command[0], str(EXAMPLE), *command[1:], "--now", now)
    message = refused(code, err)
    assert message == (f"escalate-tui: --now '{now}' is out of the range the app can compute with: "
                       "from 0001-01-02T00:00:00+00:00 to 9999-12-01T00:00:00+00:00")
    assert out == ""


@pytest.mark.parametrize("now", ["0001-01-02T00:00:00+00:00", "0001-01-02T11:59:00-12:00",
                                 "9999-12-01T00:00:00+00:00", "9999-12-01T13:59:00+14:00"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_now_at_the_ends_of_the_range_works(command: list[str], now: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, command[0], str(EXAMPLE), *command[1:], "--now", now)
    assert code in (0, 1), err  # check fails the blocking checks of a brief from year 1 or 9999: fine
    assert out


# --- file names too long for the file system ------------------------------------------------

LONG_NAME = "a" * 300 + ".toml"
TOO_LONG = "file name too long: 305 characters, the limit is 255 bytes"


def test_new_with_a_file_name_too_long_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(capsys, "new", "Webhooks fail", "-o", LONG_NAME)
    assert message.endswith(TOO_LONG)


@pytest.mark.parametrize("argv", [[LONG_NAME], ["check", LONG_NAME], ["render", str(EXAMPLE), "-o", LONG_NAME]],
                         ids=["app", "check", "render -o"])
def test_a_file_name_too_long_says_so(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(capsys, *argv)
    assert message.startswith(f"escalate-tui: {LONG_NAME}")
    assert message.endswith(TOO_LONG)


def test_a_config_file_name_too_long_is_a_warning_saying_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(EXAMPLE), "--config", LONG_NAME, "--now", NOW)
    assert code == 0
    assert f"({TOO_LONG}); using the defaults" in err


def test_a_folder_name_too_long_says_which(capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(capsys, "triage", f"{'b' * 256}/brief.toml")
    assert message.endswith("folder name too long: 256 characters, the limit is 255 bytes")


def test_the_limit_is_in_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(capsys, "check", "é" * 130 + ".toml")
    assert message.endswith("file name too long: 135 characters (265 bytes), the limit is 255 bytes")


# --- a number is not a date, a boolean is not a number -----------------------------------------


@pytest.mark.parametrize(("line", "shown"), [("last_update = 42", "42"), ("last_update = 1.5", "1.5"),
                                             ('last_update = "1700000000"', '"1700000000"')])
def test_a_number_is_not_a_date_and_time(
    line: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", f'summary = "x"\n[communication]\n{line}\n')
    message = refusal(capsys, "render", str(brief), "--format", "json")
    assert message == (f"escalate-tui: {brief}:3: communication.last_update: expected a date and time such as "
                       f"2026-11-19T14:30:00+01:00, not {shown}")


def test_a_number_is_not_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n[timeline]\nissue_started = 0\n')
    message = refusal(capsys, "check", str(brief))
    assert message == f"escalate-tui: {brief}:3: timeline.issue_started: expected a date such as 2026-11-19, not 0"


def test_dates_written_as_toml_dates_or_iso_text_still_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    brief = write(tmp_path / "b.toml", 'summary = "x"\n[timeline]\nissue_started = 2026-11-18\n'
                                       'sla_due = "2026-11-20T09:00:00+00:00"\n[communication]\n'
                                       "last_update = 2026-11-19T08:00:00Z\n")
    code, out, err = run(capsys, "render", str(brief), "--format", "json", "--now", NOW)
    assert code == 0, err
    escalation = json.loads(out)["escalation"]
    assert escalation["timeline"] == {"issue_started": "2026-11-18", "customer_waiting_since": None,
                                      "sla_due": "2026-11-20T09:00:00Z"}
    assert escalation["communication"]["last_update"] == "2026-11-19T08:00:00Z"


@pytest.mark.parametrize("key", ["high_value_arr", "pattern_customer_count", "waiting_too_long_days"])
def test_a_boolean_is_not_a_number_in_the_rules(key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", f"[rules]\n{key} = true\n")
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert f"warning: {config}:2: rules.{key}: expected a whole number such as 120000, not true\n" in err


def test_rules_with_a_boolean_fall_back_to_the_defaults(tmp_path: Path) -> None:
    from tui.config import load_settings

    settings, problems = load_settings(write(tmp_path / "config.toml", "[rules]\nhigh_value_arr = true\n"))
    assert settings.rules.high_value_arr == 100_000  # not $1
    assert len(problems) == 1


# --- how much an error says ----------------------------------------------------------------


def test_a_10mb_unknown_key_in_a_brief_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n[customer]\n' + "k" * 10_000_000 + " = 1\n")
    message = refusal(capsys, "check", str(brief))
    assert message.startswith(f"escalate-tui: {brief}:3: customer.kkkk")
    assert "(9,999,9" in message  # how much was left out
    assert len(message.encode()) < 2_000


def test_a_1mb_unknown_key_in_the_config_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", "[rules]\n" + "k" * 1_000_000 + " = 1\n")
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert f"warning: {config}:2: rules.kkkk" in err
    assert len(err.encode()) < 2_000


def test_50000_bad_tables_list_50_problems_and_count_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n' + "".join(f"[t{i}]\n" for i in range(50_000)))
    message = refusal(capsys, "check", str(brief), lines=51)
    lines = message.splitlines()
    assert lines[0].startswith(f"{brief}:2: t0: unknown field")
    assert lines[49].startswith(f"{brief}:51: t49: unknown field")
    assert lines[50] == f"{brief}: … and 49,950 more problems"


def test_a_config_with_1000_bad_tables_warns_about_50_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", "".join(f"[t{i}]\na = 1\n" for i in range(1_000)))
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 52  # 50 problems, the count of the rest, and "using the default settings"
    assert warnings[50] == f"warning: {config}: … and 950 more problems"


# --- writing over a file -------------------------------------------------------------------


def test_render_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = write(tmp_path / "brief.md", "keep me")
    message = refusal(capsys, "render", str(EXAMPLE), "-o", str(out), "--now", NOW)
    assert message == f"escalate-tui: {out}: already exists; choose another name or pass --force to replace it"
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(capsys, "render", str(EXAMPLE), "-o", str(out), "--force", "--now", NOW)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("## ESCALATION: API returning 500 errors")


# --- text that is not UTF-8 ------------------------------------------------------------------


def test_a_byte_that_is_not_utf8_is_reported_on_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "b.toml"
    brief.write_bytes('summary = "x"\n[customer]\nname = "Ac\xffme"\n'.encode("latin-1"))
    message = refusal(capsys, "check", str(brief))
    assert message == f"escalate-tui: {brief}:3: not UTF-8 text (byte 0xff at column 11); save the file as UTF-8"


def test_the_column_counts_characters_not_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = tmp_path / "b.toml"
    brief.write_bytes('summary = "é中"\n'.encode() + b'note = "\xc3"\n')
    assert ":2: not UTF-8 text (byte 0xc3 at column 9)" in refusal(capsys, "check", str(brief))


def test_a_config_that_is_not_utf8_is_reported_on_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = tmp_path / "config.toml"
    config.write_bytes(b'[reporter]\nname = "Jos\xe9"\n')
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert f"warning: {config}:2: not UTF-8 text (byte 0xe9 at column 12); save the file as UTF-8" in err


# --- control characters in what is printed ----------------------------------------------------

CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def shown_safely(text: str) -> bool:
    return not any(char in text for char in CONTROLS)


def test_a_key_with_escape_sequences_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n[customer]\n"na\\u001b]0;pwned\\u0007me" = "A"\n'
                                       '[problem]\n"\\u009b31m" = 1\nnature = "\\u009b31m\\u202e"\n')
    message = refusal(capsys, "check", str(brief), lines=3)
    assert shown_safely(message)
    assert f"{brief}:3: customer.na\\e]0;pwned\\x07me: unknown field" in message
    assert f"{brief}:5: problem.\\x9b31m: unknown field" in message
    assert f'{brief}:6: problem.nature: "\\x9b31m\\u202e" is not one of the allowed values' in message


def test_an_unknown_key_that_belongs_elsewhere_is_quoted_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n[customer]\narr_at_risk = 1\n')
    message = refusal(capsys, "check", str(brief))
    assert message.endswith("customer.arr_at_risk: unknown field; 'arr_at_risk' belongs in [revenue]")


def test_a_config_key_with_escape_sequences_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = write(tmp_path / "b.toml", 'summary = "x"\n')
    config = write(tmp_path / "config.toml", '[rules]\n"hi\\u001b[31m\\u009b" = 1\n')
    _, _, err = run(capsys, "check", str(brief), "--config", str(config), "--now", NOW)
    assert shown_safely(err)
    assert f"warning: {config}:2: rules.hi\\e[31m\\x9b: unknown field" in err


def test_keymap_problems_show_the_id_escaped(tmp_path: Path) -> None:
    from tui.config import keymap_problems
    from tui.keymap import unknown_ids

    config = write(tmp_path / "config.toml", '[keymap]\n"x\\u001b[31m\\u202e" = "f5"\n')
    (problem,) = keymap_problems(config, unknown_ids({"x\x1b[31m\u202e": "f5"}, {"step.next"}))
    assert str(problem).startswith(f"{config}:2: keymap.x\\e[31m\\u202e: no key binding has the id 'x\\e[31m\\u202e'")


def test_a_file_name_with_an_escape_sequence_is_shown_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(capsys, "triage", "evil\x1b]0;pwned\x07.toml")
    assert message.startswith("escalate-tui: evil\\e]0;pwned\\x07.toml:1: no such file")


def test_check_names_the_file_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path / "b\x9b31m.toml", 'summary = "x"\n')
    _, out, _ = run(capsys, "check", str(brief), "--now", NOW)
    assert shown_safely(out)
    assert out.startswith(f"{tmp_path}/b\\x9b31m.toml: quality")


def test_new_quotes_what_it_read_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "n\x1b.toml"
    code, _, err = run(capsys, "new", "Export is missing rows for 3 customers", "-o", str(out))
    assert code == 0
    assert shown_safely(err)
    assert f"Created {tmp_path}/n\\e.toml" in err


def test_json_output_escapes_every_control_character() -> None:
    import json

    from tui.cli import json_text

    data = {"name": "a\x1b[31m\x9b\x7f\u202eb", "ok": "é 中 \u2028"}
    text = json_text(data)
    assert shown_safely(text)
    assert "\x7f" not in text
    assert "é 中" in text  # other text stays as it is
    assert json.loads(text) == data


# --- the app's own exit status ------------------------------------------------------------------


def test_the_app_ending_on_an_error_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme setting one of Textual's own style variables to nonsense stops the app with an error on
    screen; the exit status says so too (it was 0, as if all went well). (A colour the app itself
    uses is checked when the theme is read: see test_themes.py.)"""
    import textual.constants

    monkeypatch.setattr(textual.constants, "DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    config = write(tmp_path / "config.toml", '[ui]\ntheme = "broken"\n')
    (tmp_path / "themes").mkdir()
    write(tmp_path / "themes" / "broken.toml", 'primary = "#1F6FA8"\nvariables = { footer-key-foreground = "nope" }\n')
    code = main(["--config", str(config), "--data-dir", str(tmp_path / "data")])
    assert code == 1
    assert "CSS parsing failed" in capsys.readouterr().err
    import gc

    assert gc.isenabled()  # paused for start-up, which never finished: switched back on all the same


@pytest.mark.parametrize(("table", "line", "field"), [
    ("[customer]", "arr = true", "customer.arr"),
    ("[contract]", "customer_update_hours = false", "contract.customer_update_hours"),
    ("[breadth]", "customer_count = true", "breadth.customer_count"),
])
def test_true_or_false_is_not_a_number_in_a_brief(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, line: str, field: str) -> None:
    brief = write(tmp_path / "b.toml", f'summary = "x"\n{table}\n{line}\n')
    assert main(["check", str(brief)]) == 2
    err = capsys.readouterr().err
    assert f"b.toml:3: {field}: expected a whole number" in err
    assert "not true" in err or "not false" in err
