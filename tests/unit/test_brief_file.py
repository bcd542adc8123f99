"""Brief files: the layout a person sees, the messages they get for mistakes, and safe saving."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from tui.domain.models import (
    AskKind,
    Customer,
    Escalation,
    Nature,
    Problem,
    Severity,
    SeverityOverride,
    Timeline,
    TriedStep,
)
from tui.store import toml_locate, toml_problems
from tui.store.brief_file import (
    HEADER,
    BriefFileError,
    brief_json_schema,
    dumps_brief,
    load_brief,
    loads_brief,
    save_brief,
)

ROOT = Path(__file__).resolve().parents[2]
BRIEF = Path("brief.toml")


def problems_of(text: str) -> list[toml_problems.Problem]:
    with pytest.raises(BriefFileError) as caught:
        loads_brief(text, BRIEF)
    return caught.value.problems


def only_problem(text: str) -> toml_problems.Problem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


# --- layout ---------------------------------------------------------------------------


def test_layout_comment_first_then_top_level_values_then_tables_in_model_order() -> None:
    esc = Escalation(
        summary="Export broken",
        created=datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
        tried=[TriedStep(action="Retried", result="Same")],
        severity_override=SeverityOverride(value=Severity.HIGH, reason="Board meeting tomorrow"),
    )
    text = dumps_brief(esc)
    lines = text.split("\n")
    assert lines[: len(HEADER)] == [f"# {line}" for line in HEADER]
    assert any("escalate-tui check FILE" in line for line in HEADER)
    body = [line for line in lines if line and not line.startswith("#")]
    assert body[:3] == ["schema_version = 1", 'summary = "Export broken"', "created = 2026-11-19T09:00:00Z"]
    headers = [line for line in body if line.startswith("[")]
    assert headers == [
        "[customer]", "[reporter]", "[timeline]", "[problem]", "[breadth]", "[depth]", "[[tried]]",
        "[reproduction]", "[revenue]", "[reputation]", "[contract]", "[flags]", "[security]", "[product]",
        "[communication]", "[ask]", "[severity_override]",
    ]  # fmt: skip
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_unset_values_are_left_out_but_empty_ones_are_kept_for_filling_in() -> None:
    text = dumps_brief(Escalation())
    assert '\nname = ""\n' in text
    assert "\nkey_account = false\n" in text
    assert "\nsteps = []\n" in text
    assert "\narr = " not in text  # None: TOML has no null
    assert "\n# arr = 120000\n" in text  # ...but a commented sample shows where it goes
    assert "[severity_override]" in text  # only inside the comment that explains it
    assert "\n[severity_override]" not in text
    assert "\n[target_override]" not in text
    assert "\n[[tried]]" not in text
    assert "# No [[tried]] steps yet" in text


def test_enums_are_written_as_their_lower_case_values_with_the_choices_beside_them() -> None:
    text = dumps_brief(Escalation(problem=Problem(nature=Nature.DATA_LOSS)))
    assert '\nnature = "data_loss" # one of: unknown, bug, infrastructure, data_loss,' in text
    assert '\nkind = "unset" # one of: unset, investigate, fix, decide, approve\n' in text


def test_dates_stay_dates_and_times_keep_their_offset() -> None:
    esc = Escalation(timeline=Timeline(issue_started=date(2026, 11, 12)))
    assert "\nissue_started = 2026-11-12\n" in dumps_brief(esc)
    back = loads_brief("created = 2026-11-19T10:00:00-05:00\n[timeline]\nissue_started = 2026-11-12\n")
    assert back.timeline.issue_started == date(2026, 11, 12)
    assert back.created is not None
    assert back.created.utcoffset() is not None
    assert back.created.isoformat() == "2026-11-19T10:00:00-05:00"


def test_a_hand_edited_file_with_comments_and_other_toml_spellings_loads() -> None:
    text = (
        "# my notes about this one\r\n"
        'summary = "Export broken"  # short for now\r\n'
        'reporter.name = "Sam"\r\n'
        "\r\n"
        "[customer]  # the account\r\n"
        "name = 'Acme'\r\n"
        '"arr" = 120_000\r\n'
        "\r\n"
        "[problem]\r\n"
        '# nature = "bug"\r\n'
        'description = """\r\nTwo\r\nlines."""\r\n'
        "[[tried]]\r\n"
        'action = "Cleared cache"\r\n'
    )
    esc = loads_brief(text)
    assert esc.customer == Customer(name="Acme", arr=120000)
    assert esc.reporter.name == "Sam"
    assert esc.problem.description == "Two\nlines."
    assert esc.problem.nature is Nature.UNKNOWN
    assert esc.tried == [TriedStep(action="Cleared cache")]


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b'\xef\xbb\xbfsummary = "Caf\xc3\xa9 down"\n')
    assert load_brief(path).summary == "Café down"


# --- problems -------------------------------------------------------------------------


def test_syntax_error_names_the_line_the_parser_stopped_at() -> None:
    problem = only_problem('summary = "x"\n\n[customer]\nname = Acme Corp\n')
    assert problem.line == 4
    assert problem.field == ""
    assert "not valid TOML" in problem.message
    assert "double quotes" in problem.message
    assert str(problem).startswith("brief.toml:4: this is not valid TOML")  # no "field: " part


def test_wrong_type_names_the_line_of_the_key_and_the_dotted_field() -> None:
    problem = only_problem('summary = "x"\n\n[customer]\nname = "Acme"\narr = "lots"\n')
    assert (problem.line, problem.field) == (5, "customer.arr")
    assert "whole number" in problem.message
    assert '"lots"' in problem.message
    assert str(problem).startswith("brief.toml:5: customer.arr: ")


def test_unknown_key_suggests_the_close_name() -> None:
    problem = only_problem('[customer]\nname = "Acme"\nar = 5\n')
    assert (problem.line, problem.field) == (3, "customer.ar")
    assert problem.message == "unknown field; did you mean 'arr'?"


def test_unknown_key_without_a_close_name_gets_no_guess() -> None:
    problem = only_problem("[customer]\nzzz = 5\n")
    assert "did you mean" not in problem.message
    assert problem.message.startswith("unknown field")


def test_a_key_under_the_wrong_table_says_where_it_belongs() -> None:
    problem = only_problem('summary = "x"\narr = 5\n')
    assert (problem.line, problem.field) == (2, "arr")
    assert "[customer]" in problem.message


def test_unknown_enum_value_lists_the_allowed_values() -> None:
    problem = only_problem('[problem]\nnature = "bugg"\n')
    assert (problem.line, problem.field) == (2, "problem.nature")
    assert '"bugg"' in problem.message
    for nature in Nature:
        assert nature.value in problem.message


def test_bad_value_in_the_second_tried_table_is_counted_from_one() -> None:
    # People count [[tried]] tables from 1, so the second table is tried[2] (pydantic's loc says 1).
    text = '[[tried]]\naction = "a"\nresult = "b"\n\n[[tried]]\naction = "c"\nresult = 5\n'
    problem = only_problem(text)
    assert problem.field == "tried[2].result"
    assert problem.line == 7
    assert "text" in problem.message


def test_missing_field_points_at_its_table_header() -> None:
    problem = only_problem('summary = "x"\n\n[severity_override]\nvalue = "high"\n')
    assert (problem.line, problem.field) == (3, "severity_override.reason")


def test_several_problems_are_all_reported_in_line_order() -> None:
    text = '[ask]\nkind = "maybe"\n\n[customer]\narr = -1\nnmae = "x"\n'
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [(2, "ask.kind"), (5, "customer.arr"), (6, "customer.nmae")]
    with pytest.raises(BriefFileError) as caught:
        loads_brief(text, BRIEF)
    assert str(caught.value).split("\n") == [str(p) for p in problems]


def test_a_key_inside_a_multiline_string_is_not_taken_for_a_real_one() -> None:
    text = '[problem]\ndescription = """\n[customer]\narr = 1\n"""\n\n[customer]\narr = "x"\n'
    assert only_problem(text).line == 8


def test_quoted_dotted_and_inline_keys_are_located() -> None:
    assert only_problem('[customer]\n"arr" = "x"\n').line == 2
    assert only_problem('summary = "x"\ncustomer."arr" = "x"\n').line == 2
    assert only_problem('summary = "x"\ncustomer = { name = "A", arr = "x" }\n').line == 2
    assert only_problem('[reproduction]\nsteps = [\n  "one",\n  2,\n]\n').field == "reproduction.steps[2]"
    assert toml_locate.locate('[reproduction]\nsteps = [\n  "one",\n  2,\n]\n', ("reproduction", "steps", 1)) == 4


def test_missing_file_is_a_problem_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 1)
    assert "no such file" in problem.message
    assert str(caught.value).startswith(f"{path}:1: ")


def test_a_folder_is_not_a_brief(tmp_path: Path) -> None:
    with pytest.raises(BriefFileError, match="folder"):
        load_brief(tmp_path)


def test_non_utf8_file_is_a_problem_on_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'\xef\xbb\xbfsummary = "ok"\n[customer]\nname = "Caf\xe9"\n')  # after a byte-order mark
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert problem.message == "not UTF-8 text (byte 0xe9 at column 12); save the file as UTF-8"


# --- saving ---------------------------------------------------------------------------


def test_save_replaces_the_file_whole_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "brief.toml"
    path.write_text("old content\n", encoding="utf-8")
    esc = Escalation(summary="New", customer=Customer(name="Acme", arr=1))
    save_brief(esc, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.toml"]
    assert path.read_text(encoding="utf-8") == dumps_brief(esc)
    assert load_brief(path) == esc


def test_a_failed_save_keeps_the_old_file_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "brief.toml"
    path.write_text("old content\n", encoding="utf-8")

    def crash(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        save_brief(Escalation(summary="New"), path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.toml"]


def test_integers_toml_cannot_hold_are_refused_at_input_and_at_save(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="less than or equal"):
        Customer(arr=2**63)
    path = tmp_path / "brief.toml"
    path.write_text("old content\n", encoding="utf-8")
    esc = Escalation(customer=Customer.model_construct(arr=2**63))  # e.g. built by code that skips checks
    with pytest.raises(BriefFileError) as caught:
        save_brief(esc, path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.field) == (path, "customer.arr")
    assert "too large" in problem.message
    assert str(problem).startswith(f"{path}: customer.arr: ")
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert loads_brief(dumps_brief(Escalation(customer=Customer(arr=2**63 - 1)))).customer.arr == 2**63 - 1


def test_text_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(BriefFileError, match=r"tried\[1\]\.action"):
        dumps_brief(Escalation(tried=[TriedStep(action="bad \ud800")]))


def test_reading_does_not_import_tomlkit() -> None:
    probe = (
        "import sys\nfrom tui.store.brief_file import load_brief\n"
        "load_brief(__import__('pathlib').Path('examples/api-500-acme.toml'))\n"
        "print('tomlkit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# --- schema ---------------------------------------------------------------------------


def test_json_schema_describes_the_file() -> None:
    schema = brief_json_schema()
    assert schema["title"] == "escalate-tui brief file"
    assert {"schema_version", "summary", "created", "customer", "tried", "reproduction", "ask"} <= set(
        schema["properties"]
    )
    assert schema.get("additionalProperties") is False
    assert set(AskKind) <= set(schema["$defs"]["AskKind"]["enum"])
    json.dumps(schema)  # plain JSON all the way down


def test_a_key_of_thousands_of_dotted_parts_is_refused_at_once_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('summary = "ok"\n\n' + "a" + ".a" * 20_000 + " = 1\n", encoding="utf-8")
    with pytest.raises(BriefFileError) as caught:
        load_brief(path)
    assert str(caught.value) == (f"{path}:3: a key of more than 100 dotted parts; nothing escalate-tui reads "
                                 "nests that deep")


@pytest.mark.parametrize("text", [
    '"q".' * 101 + "b = 1\n",  # quoted parts count too
    "[" + ".".join(["t"] * 102) + "]\n",  # a table header
    "[[" + " . ".join(["t"] * 102) + "]]\n",  # an array of tables, spaced
])
def test_every_spelling_of_a_deep_key_is_refused(text: str) -> None:
    with pytest.raises(BriefFileError, match="more than 100 dotted parts"):
        loads_brief(text)


def test_dots_in_values_and_keys_of_ordinary_depth_are_read_as_before() -> None:
    text = 'summary = "' + "v1.2." * 500 + '"\n' + ".".join(["problem"] + ["x"] * 99) + " = 1\n"
    with pytest.raises(BriefFileError) as caught:
        loads_brief(text)
    assert "dotted parts" not in str(caught.value)  # read by TOML, then refused as an unknown field
    assert "problem.x" in str(caught.value)
