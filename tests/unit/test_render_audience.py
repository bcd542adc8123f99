"""One brief per audience: the same case written for the team it goes to, the template unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tui.cli import AUDIENCES, main
from tui.domain.models import (
    ContextItem,
    ContextKind,
    Customer,
    Escalation,
    Nature,
    Problem,
    ProductDetails,
    Reproduction,
    SecurityDetails,
    Severity,
    Target,
)
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind
from tui.render.markdown import SECTIONS, render_markdown
from tui.render.plain import SECTIONS as PLAIN_SECTIONS
from tui.render.plain import render_plain

TODAY = date(2026, 11, 19)
PARSER = MarkdownIt("commonmark")


def assessment(target: Target = Target.L2) -> Assessment:
    return Assessment(
        verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
        severity=SeverityCall(Severity.HIGH, Severity.HIGH, ()),
        target=TargetCall(target, target, (), ()),
    )


def sparse() -> Escalation:
    """A question-like case with little filled in: what each team asks for is mostly missing."""
    return Escalation(
        summary="Exports stop early",
        problem=Problem(description="CSV exports stop at 10,000 rows.", nature=Nature.FEATURE_GAP),
        context=[
            ContextItem(kind=ContextKind.DOC, title="Export limits page"),
            ContextItem(kind=ContextKind.LOG, title="Worker log", excerpt="row limit reached"),
            ContextItem(kind=ContextKind.TICKET, title="Acme export", reference="SUP-1"),
        ],
    )


def filled() -> Escalation:
    return sparse().model_copy(update={
        "customer": Customer(name="Acme Corp", notes="Renews in March"),
        "problem": Problem(description="CSV exports stop at 10,000 rows.", nature=Nature.FEATURE_GAP,
                           why_now="Month-end close", workaround="Export in batches"),
        "product": ProductDetails(use_case="Monthly close", request_count=14, competitive_pressure="Rival has it"),
        "security": SecurityDetails(observed="Other tenants' rows", affected="Two tenants",
                                    containment="Exports paused", urgency="Ongoing exposure"),
        "reproduction": Reproduction(evidence=["export.csv ends at 10,001"]),
    })


def headings(markdown: str) -> list[str]:
    tokens = PARSER.parse(markdown)
    return [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]


def section(text: str, heading: str) -> str:
    """The lines of one Markdown section, up to the next heading."""
    body = text.split(f"### {heading}\n", 1)[1]
    return body.split("\n### ", 1)[0]


@pytest.mark.parametrize("team", list(Target))
@pytest.mark.parametrize("case", [sparse, filled])
def test_every_audience_keeps_the_template_sections_in_order(team: Target, case) -> None:
    esc = case()
    found = headings(render_markdown(esc, assessment(), TODAY, team))
    assert found[0] == "ESCALATION: Exports stop early"
    expected = [name for name in SECTIONS if name != "Reproduction Steps" or name in found[1:]]
    assert found[1:] == expected
    lines = render_plain(esc, assessment(), TODAY, team).splitlines()
    shown = [line for line in lines if line in PLAIN_SECTIONS]
    assert shown == [name for name in PLAIN_SECTIONS if name in shown]
    assert len(shown) == len(expected)


def test_a_filled_line_reaches_every_team() -> None:
    for team in Target:
        text = render_markdown(filled(), assessment(), TODAY, team)
        for fact in ("Use case: Monthly close", "Observed: Other tenants' rows", "Why now: Month-end close",
                     "**Demand:** Asked for by 14 customers", "**Urgency:** Ongoing exposure",
                     "Account context: Renews in March", "Evidence: export.csv ends at 10,001"):
            assert fact in text, (team, fact)


def test_engineering_gets_the_reproduction_section_evidence_line_and_logs_first() -> None:
    text = render_markdown(sparse(), assessment(), TODAY, Target.ENGINEERING)
    repro = section(text, "Reproduction Steps")
    assert "Environment: _Not provided_" in repro
    assert "Evidence: _Not provided_" in repro
    context = section(text, "Supporting Context").strip().splitlines()
    assert context[0] == "- Log: Worker log — row limit reached"
    # a team that did not ask for them sees neither the empty section nor the log first
    product = render_markdown(sparse(), assessment(), TODAY, Target.PRODUCT)
    assert "### Reproduction Steps" not in product
    assert section(product, "Supporting Context").strip().splitlines()[0] == "- Documentation: Export limits page"


def test_product_sees_the_use_case_first_and_the_demand_line_even_empty() -> None:
    text = render_markdown(sparse(), assessment(), TODAY, Target.PRODUCT)
    assert "- **Demand:** _Not provided_" in section(text, "Impact")
    assert "Use case: _Not provided_" in section(text, "Issue Description")
    filled_text = render_markdown(filled(), assessment(), TODAY, Target.PRODUCT)
    notes = [line for line in section(filled_text, "Issue Description").splitlines() if ": " in line]
    assert notes[0] == "Use case: Monthly close"
    assert "Competitive pressure" not in text
    assert "competitive pressure: Rival has it" in filled_text
    for other in (Target.ENGINEERING, Target.SECURITY, Target.LEADERSHIP, Target.L2):
        assert "Demand:" not in render_markdown(sparse(), assessment(), TODAY, other)


def test_security_sees_what_was_observed_who_is_affected_containment_and_urgency() -> None:
    text = render_markdown(sparse(), assessment(), TODAY, Target.SECURITY)
    description = section(text, "Issue Description")
    assert description.index("Observed: _Not provided_") < description.index("Possibly affected: _Not provided_") \
        < description.index("Containment so far: _Not provided_")
    assert "- **Urgency:** _Not provided_" in section(text, "What's Needed")
    notes = [line for line in section(render_markdown(filled(), assessment(), TODAY, Target.SECURITY),
                                      "Issue Description").splitlines() if ": " in line]
    assert notes[:3] == ["Observed: Other tenants' rows", "Possibly affected: Two tenants",
                         "Containment so far: Exports paused"]
    for other in (Target.ENGINEERING, Target.PRODUCT, Target.LEADERSHIP, Target.L2):
        shown = render_markdown(sparse(), assessment(), TODAY, other)
        assert "Observed:" not in shown
        assert "Urgency:" not in shown


def test_leadership_sees_the_account_first_even_when_nothing_is_known() -> None:
    text = render_markdown(sparse(), assessment(), TODAY, Target.LEADERSHIP)
    context = section(text, "Supporting Context").strip().splitlines()
    assert context[0] == "- Account context: _Not provided_"
    for label in ("**Revenue at risk:**", "**Deadline:**", "### What's Been Tried"):
        assert label in text
    assert "Account context" not in render_markdown(sparse(), assessment(), TODAY, Target.L2)


def test_l2_reads_the_tickets_first() -> None:
    text = render_markdown(sparse(), assessment(), TODAY, Target.L2)
    assert section(text, "Supporting Context").strip().splitlines()[0] == "- Ticket: Acme export — SUP-1"


def test_plain_text_follows_the_same_audience() -> None:
    text = render_plain(sparse(), assessment(), TODAY, Target.SECURITY)
    assert "Observed: (not provided)" in text
    assert "- Urgency: (not provided)" in text
    engineering = render_plain(sparse(), assessment(), TODAY, Target.ENGINEERING)
    assert "REPRODUCTION STEPS" in engineering
    assert "Evidence: (not provided)" in engineering


def test_no_audience_is_the_brief_as_before_and_an_engineering_target_still_gets_its_repro() -> None:
    assert render_markdown(sparse(), assessment(), TODAY) == render_markdown(sparse(), assessment(), TODAY, None)
    plain_brief = render_markdown(sparse(), assessment(Target.SECURITY), TODAY)
    assert "Observed:" not in plain_brief  # no placeholder lines until a team is named
    assert "### Reproduction Steps" in render_markdown(sparse(), assessment(Target.ENGINEERING), TODAY)


def test_cli_render_for_a_team(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ESCALATE_TUI_CONFIG", raising=False)
    assert set(AUDIENCES) == {team.value for team in Target}
    brief = tmp_path / "case.toml"
    brief.write_text('summary = "Tokens leak into exports"\n[problem]\ndescription = "Seen in a CSV."\n'
                     'nature = "security"\n', encoding="utf-8")
    assert main(["render", str(brief), "--for", "security", "--now", "2026-11-19T10:00:00+00:00"]) == 0
    out = capsys.readouterr().out
    assert "Observed: _Not provided_" in out
    assert headings(out)[1:] == [name for name in SECTIONS if name != "Reproduction Steps"]
    assert main(["render", str(brief), "--for", "security", "--format", "plain"]) == 0
    assert "Observed: (not provided)" in capsys.readouterr().out
    assert main(["render", str(brief)]) == 0
    assert "Observed:" not in capsys.readouterr().out
    assert main(["render", str(brief), "--for", "security", "--format", "json"]) != 0
    assert "--format markdown or plain" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["render", str(brief), "--for", "sales"])
