"""Whatever the agent types, the brief keeps its structure.

Escalations are generated with arbitrary text, adversarial Markdown and plain-text fragments mixed
in, and the rendered Markdown is parsed with markdown-it-py (CommonMark) to check that headings,
lists, bold labels and the visible text are exactly what the template produces.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tui.domain.models import (
    Ask,
    AskKind,
    Breadth,
    Communication,
    ContextItem,
    ContextKind,
    Contract,
    Customer,
    Depth,
    Escalation,
    Flags,
    Frequency,
    ImpactDepth,
    Nature,
    Problem,
    ProductDetails,
    Reporter,
    Reproduction,
    Reputation,
    Revenue,
    SecurityDetails,
    Severity,
    SlaStatus,
    Target,
    Timeline,
    TriedStep,
)
from tui.domain.text_safety import strip_unsafe
from tui.domain.triage import Assessment, SeverityCall, TargetCall, Verdict, VerdictKind
from tui.render.escape import md_block, md_inline
from tui.render.fields import shows_reproduction
from tui.render.markdown import render_markdown
from tui.render.plain import render_plain

# CommonMark, plus the two GFM extensions markdown-it-py ships, so that a table or a strikethrough
# a GFM renderer (GitHub, Slack, Jira importers) would draw shows up as a token too.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

ADVERSARIAL = [
    "## Impact",
    "### What's Needed",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "`code`",
    "```",
    "~~~",
    "<script>alert(1)</script>",
    "<!-- x -->",
    "**bold**",
    "__bold__",
    "*em*",
    "[x](http://e)",
    "![img](http://e/i.png)",
    "[ref]: http://e",
    "<http://e>",
    "1. item",
    "1) item",
    "- item",
    "+ item",
    "* item",
    "---",
    "===",
    "***",
    "___",
    "    indented",
    "\tindented",
    "&amp;",
    "&#65;",
    "&#x41;",
    "\\",
    "trailing backslash\\",
    "hard break  ",
    "> quote",
    "\n\n## injected\n",
    "\r\n# cr heading\r",
    "ESCALATION: fake",
    "IMPACT",
    "WHAT'S NEEDED",
    "What\u2019s been tried",
    "https://example.com/a_b*c",
    "\u2028",
    "\x00",
    "\u00a0",
    "created_at",
    "Admin > Billing",
    "C# SDK #",
    "## x ##",
    "snake_case_",
    "_a_b",
    "2 * 3 * 4",
    "a*b*c",
    "~5 min ~",
    "~~~",
    "x \\",
    "\\*",
    "C:\\Users\\",
    "a < b",
    "<3",
    "<1@x.co>",
    "&amp",
    "Q&A",
]

fragment = st.one_of(st.text(max_size=12), st.sampled_from(ADVERSARIAL))
fragments = st.lists(fragment, max_size=6)
texts = st.one_of(
    st.text(),
    st.sampled_from(ADVERSARIAL),
    fragments.map("".join),
    fragments.map("\n".join),  # every fragment starts a line of a multi-line value
    fragments.map("\n\n".join),
)
text_lists = st.lists(texts, max_size=4)
counts = st.none() | st.integers(min_value=0, max_value=10**7)
offsets = st.builds(timezone, st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m)))
moments = st.none() | st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.none() | offsets
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))

escalations = st.builds(
    Escalation,
    summary=texts,
    created=moments,
    customer=st.builds(
        Customer, name=texts, segment=texts, plan=texts, arr=counts, key_account=st.booleans(), notes=texts
    ),
    reporter=st.builds(Reporter, name=texts, team=texts),
    timeline=st.builds(Timeline, issue_started=st.none() | days, customer_waiting_since=moments, sla_due=moments),
    problem=st.builds(Problem, description=texts, why_now=texts, nature=st.sampled_from(Nature), workaround=texts),
    breadth=st.builds(
        Breadth,
        customer_count=counts,
        user_count=counts,
        named_customers=text_lists,
        segment=texts,
        whole_segment=st.booleans(),
        growing=st.none() | st.booleans(),
    ),
    depth=st.builds(ImpactDepth, level=st.sampled_from(Depth), workflow_impact=texts),
    tried=st.lists(st.builds(TriedStep, action=texts, result=texts), max_size=4),
    reproduction=st.builds(
        Reproduction,
        starting_state=texts,
        steps=text_lists,
        expected=texts,
        actual=texts,
        environment=texts,
        frequency=st.sampled_from(Frequency),
        frequency_detail=texts,
        evidence=text_lists,
        ruled_out=text_lists,
    ),
    revenue=st.builds(Revenue, arr_at_risk=counts, pending_deals=texts),
    reputation=st.builds(Reputation, public_risk=st.booleans(), reference_customer=st.booleans(), note=texts),
    flags=st.builds(Flags, pr_legal_risk=st.booleans()),
    security=st.builds(SecurityDetails, observed=texts, affected=texts, containment=texts, urgency=texts),
    product=st.builds(ProductDetails, use_case=texts, request_count=counts, competitive_pressure=texts),
    contract=st.builds(
        Contract,
        sla_status=st.sampled_from(SlaStatus),
        obligations=texts,
        customer_update_hours=st.none() | st.integers(min_value=1, max_value=24 * 14),
    ),
    communication=st.builds(
        Communication,
        last_update=moments,
        last_update_summary=texts,
        customer_expectation=texts,
        escalation_risk=texts,
    ),
    ask=st.builds(Ask, kind=st.sampled_from(AskKind), text=texts, deadline=moments),
    context=st.lists(
        st.builds(ContextItem, kind=st.sampled_from(ContextKind), title=texts, reference=texts, excerpt=texts),
        max_size=4,
    ),
)


def make_assessment(
    severity: Severity = Severity.HIGH, target: Target = Target.ENGINEERING, cc: tuple[Target, ...] = ()
) -> Assessment:
    return Assessment(
        verdict=Verdict(VerdictKind.ESCALATE, (), (), ()),
        severity=SeverityCall(severity, severity, ()),
        target=TargetCall(target, target, cc, ()),
    )


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    severity = draw(st.sampled_from(Severity))
    target = draw(st.sampled_from(Target))
    cc = draw(st.lists(st.sampled_from([t for t in Target if t is not target]), unique=True, max_size=3))
    return make_assessment(severity, target, tuple(cc))


# --- what a reader should see, computed independently of the renderer ----------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(value: str) -> str:
    """A value as the brief shows it on one line: what the model keeps of it, collapsed."""
    return " ".join(_CONTROL.sub(" ", strip_unsafe(value)).split())


def paragraphs(value: str) -> list[str]:
    """Non-blank lines, trimmed, grouped into paragraphs at blank lines."""
    groups: list[list[str]] = [[]]
    for raw in strip_unsafe(value).splitlines():
        line = _CONTROL.sub(" ", raw).strip()
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return ["\n".join(group) for group in groups if group]


MD_SECTIONS = [
    "Impact",
    "Issue Description",
    "What's Been Tried",
    "Reproduction Steps",
    "Customer Communication",
    "What's Needed",
    "Supporting Context",
]
MD_LABELS = {
    "Severity:",
    "Target team:",
    "Reported by:",
    "Date:",
    "Customers affected:",
    "Workflow impact:",
    "Revenue at risk:",
    "SLA status:",
    "Reputation:",
    "Time in queue:",
    "Demand:",
    "Last update to customer:",
    "Customer expectation:",
    "Escalation risk:",
    "Deadline:",
    "Urgency:",
}
FORBIDDEN = {
    "html_block",
    "html_inline",
    "fence",
    "code_block",
    "code_inline",
    "hr",
    "table_open",
    "blockquote_open",
    "image",
    "hardbreak",
    "s_open",
}
PLAIN_SECTIONS = [
    "IMPACT",
    "ISSUE DESCRIPTION",
    "REPRODUCTION STEPS",
    "WHAT'S BEEN TRIED",
    "CUSTOMER COMMUNICATION",
    "WHAT'S NEEDED",
    "SUPPORTING CONTEXT",
]


def visible_text(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
    return "".join(parts)


def walk(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(walk(token.children or []))
    return out


def sections(tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """(heading text, top-level block tokens under it) for every heading, in order."""
    found: list[tuple[str, list[Token]]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((f"{token.tag} {visible_text(tokens[i + 1])}", []))
        elif token.level == 0 and token.nesting == 1 and found:
            found[-1][1].append(token)
    return found


def item_count(tokens: list[Token], list_open: Token) -> int:
    start = tokens.index(list_open)
    count = 0
    for token in tokens[start + 1 :]:
        if token.level == 0:
            break
        count += token.type == "list_item_open" and token.level == 1
    return count


def with_repro(names: list[str], esc: Escalation, repro_name: str, target: Target = Target.ENGINEERING) -> list[str]:
    return [name for name in names if name != repro_name or shows_reproduction(esc, target)]


def description_notes(esc: Escalation) -> list[str]:
    """The labelled notes under the description, in the brief's order, for the values that are filled."""
    labelled = (
        ("Why now: ", esc.problem.why_now),
        ("Use case: ", esc.product.use_case),
        ("Observed: ", esc.security.observed),
        ("Possibly affected: ", esc.security.affected),
        ("Containment so far: ", esc.security.containment),
        ("Workaround: ", esc.problem.workaround),
    )
    return [f"{label}{one_line(value)}" for label, value in labelled if one_line(value)]


@settings(max_examples=120, deadline=None)
@given(esc=escalations, assessment=assessments(), today=days)
def test_markdown_structure_survives_any_input(esc: Escalation, assessment: Assessment, today: date) -> None:
    tokens = PARSER.parse(render_markdown(esc, assessment, today))
    everything = walk(tokens)

    # (2) no raw HTML, code, rules, tables, quotes or images; links only as http(s) autolinks
    assert not {t.type for t in everything} & FORBIDDEN
    for token in everything:
        if token.type == "link_open":
            assert token.markup == "autolink"
            assert str(token.attrGet("href")).lower().startswith(("http://", "https://"))

    # (1) exactly the template's headings, in order
    found = sections(tokens)
    names = [name for name, _ in found]
    summary = one_line(esc.summary) or "Not provided"
    assert names == [f"h2 ESCALATION: {summary}"] + [
        f"h3 {name}" for name in with_repro(MD_SECTIONS, esc, "Reproduction Steps", assessment.target.effective)
    ]  # (4) the summary reads exactly as typed, whitespace collapsed

    # (3) bold only ever marks a template label
    for inline in (t for t in tokens if t.type == "inline"):
        children = inline.children or []
        for i, child in enumerate(children):
            if child.type == "strong_open":
                assert children[i + 1].type == "text"
                assert children[i + 1].content in MD_LABELS
                assert children[i + 2].type == "strong_close"

    # a list item holds one paragraph and nothing else (no nested list, heading or quote)
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            assert [t.type for t in tokens[i + 1 : i + 5]] == [
                "paragraph_open",
                "inline",
                "paragraph_close",
                "list_item_close",
            ]

    # every section holds only the blocks the template puts there
    blocks = {
        name: [(t.type, item_count(tokens, t) if t.type.endswith("list_open") else 0) for t in body]
        for name, body in found
    }
    tried = sum(1 for step in esc.tried if one_line(step.action) or one_line(step.result))
    context = sum(1 for c in esc.context if one_line(c.title) or one_line(c.reference) or one_line(c.excerpt))
    assert blocks["h2 ESCALATION: " + summary] == [("paragraph_open", 0)]
    demand = esc.product.request_count is not None or bool(one_line(esc.product.competitive_pressure))
    assert blocks["h3 Impact"] == [("bullet_list_open", 6 + demand)]
    assert {kind for kind, _ in blocks["h3 Issue Description"]} == {"paragraph_open"}
    assert blocks["h3 What's Been Tried"] == [("ordered_list_open", tried) if tried else ("bullet_list_open", 1)]
    assert blocks["h3 Customer Communication"] == [("bullet_list_open", 3)]
    assert blocks["h3 What's Needed"] == [("bullet_list_open", 2 + bool(one_line(esc.security.urgency)))]
    context += bool(one_line(esc.customer.notes))
    assert blocks["h3 Supporting Context"] == [("bullet_list_open", context or 1)]
    if shows_reproduction(esc, assessment.target.effective):
        repro = esc.reproduction
        steps = sum(1 for step in repro.steps if one_line(step))
        expected = [("paragraph_open", 0)] if one_line(repro.starting_state) else []
        expected.append(("ordered_list_open", steps) if steps else ("bullet_list_open", 1))
        expected.append(("paragraph_open", 0))
        assert blocks["h3 Reproduction Steps"] == expected

    # the description's visible text is what was typed, paragraph for paragraph
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Issue Description")
    end = next(i for i, t in enumerate(tokens) if i > start and t.type == "heading_open")
    shown = [visible_text(t) for t in tokens[start + 1 : end] if t.type == "inline"]
    assert shown == (paragraphs(esc.problem.description) or ["Not provided"]) + description_notes(esc)

    # single-line values read exactly as typed, whitespace collapsed
    items = [visible_text(t) for t in tokens if t.type == "inline"]
    for label, value in (
        ("Customer expectation:", esc.communication.customer_expectation),
        ("Escalation risk:", esc.communication.escalation_risk),
    ):
        assert f"{label} {one_line(value) or 'Not provided'}" in items


lines_of_text = st.lists(st.one_of(st.sampled_from(ADVERSARIAL), st.text(max_size=8)), max_size=8)


@settings(max_examples=120, deadline=None)
@given(lines=lines_of_text, nature=st.sampled_from(Nature))
def test_description_lines_never_leave_their_paragraphs(lines: list[str], nature: Nature) -> None:
    """Adversarial lines, one after another, so each can meet a paragraph it might underline."""
    description = "\n".join(lines)
    esc = Escalation(problem=Problem(description=description, nature=nature))
    tokens = PARSER.parse(render_markdown(esc, make_assessment(), date(2026, 1, 1)))
    assert not {t.type for t in walk(tokens)} & FORBIDDEN
    found = sections(tokens)
    assert [name for name, _ in found][1:] == [
        f"h3 {name}" for name in with_repro(MD_SECTIONS, esc, "Reproduction Steps")
    ]
    body = dict(found)["h3 Issue Description"]
    assert {t.type for t in body} == {"paragraph_open"}
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Issue Description")
    end = next(i for i, t in enumerate(tokens) if i > start and t.type == "heading_open")
    assert [visible_text(t) for t in tokens[start + 1 : end] if t.type == "inline"] == (
        paragraphs(description) or ["Not provided"]
    )


line_values = st.one_of(
    st.sampled_from(ADVERSARIAL), st.tuples(st.sampled_from(ADVERSARIAL), st.text(max_size=6)).map("".join)
)


@settings(max_examples=120, deadline=None)
@given(values=st.lists(line_values, min_size=1, max_size=4), kind=st.sampled_from(AskKind))
def test_values_that_start_a_list_item_never_nest(values: list[str], kind: AskKind) -> None:
    """Tried steps, repro steps and a bare ask start a list item's content: the riskiest spot."""
    esc = Escalation(
        tried=[TriedStep(action=value) for value in values],
        reproduction=Reproduction(steps=values),
        ask=Ask(kind=kind, text=values[0]),
    )
    tokens = PARSER.parse(render_markdown(esc, make_assessment(), date(2026, 1, 1)))
    assert not {t.type for t in walk(tokens)} & FORBIDDEN
    assert [name for name, _ in sections(tokens)][1:] == [
        f"h3 {name}" for name in with_repro(MD_SECTIONS, esc, "Reproduction Steps")
    ]
    for i, token in enumerate(tokens):
        if token.type.endswith("list_open"):
            assert token.level == 0
        if token.type == "list_item_open":
            assert [t.type for t in tokens[i + 1 : i + 5]] == [
                "paragraph_open",
                "inline",
                "paragraph_close",
                "list_item_close",
            ]
    shown = {visible_text(t) for t in tokens if t.type == "inline"}
    steps = [one_line(value) for value in values if one_line(value)]
    assert all(step in shown for step in steps)
    assert all(f"{step} → Not provided" in shown for step in steps)


# Text dense with characters that are markup somewhere, in every combination: escaping only where a
# renderer would misread them must still leave every one of them showing as typed.
MARKUP_PIECES = [*"\\`*_~[]<>|#&!-+=.:;()/@ ", "a", "Z", "é", "7", "amp;", "#x41;", "http://e.co", "x@y.co", "  "]
markup_texts = st.lists(st.sampled_from(MARKUP_PIECES), max_size=24).map("".join)
# How the brief joins a value to fixed text or to the next value.
# How the brief puts two values side by side (tui/render/fields.py): never glued with nothing between,
# which would let "&a" and "mp;" make an entity (escaping every "Q&A" against that would help nobody).
JOINS = [" ", " — ", " → ", "; ", ", ", ": "]


def only_text(inline: Token) -> bool:
    return {child.type for child in inline.children or ()} <= {"text", "softbreak"}


@settings(max_examples=100, deadline=None)
@given(first=markup_texts, second=markup_texts, join=st.sampled_from(JOINS))
def test_values_full_of_markup_characters_read_as_typed(first: str, second: str, join: str) -> None:
    """Two values side by side, as the brief joins them: neither can pair with the other or with
    the fixed text to make markup, and each shows exactly as typed, whitespace collapsed."""
    tokens = PARSER.parse(f"Label: {md_inline(first)}{join}{md_inline(second)}")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert only_text(tokens[1])
    assert visible_text(tokens[1]) == f"Label: {one_line(first)}{join}{one_line(second)}".rstrip()


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(markup_texts, max_size=6))
def test_description_full_of_markup_characters_reads_as_typed(lines: list[str]) -> None:
    description = "\n".join(lines)
    tokens = PARSER.parse(md_block(description))
    assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close"}
    inlines = [t for t in tokens if t.type == "inline"]
    assert all(map(only_text, inlines))
    assert [visible_text(t) for t in inlines] == paragraphs(description)


@settings(max_examples=100, deadline=None)
@given(summary=markup_texts, step=markup_texts)
def test_title_and_steps_full_of_markup_characters_read_as_typed(summary: str, step: str) -> None:
    esc = Escalation(
        summary=summary, problem=Problem(nature=Nature.BUG), tried=[TriedStep(action=step)],
        reproduction=Reproduction(steps=[step]),
    )
    tokens = PARSER.parse(render_markdown(esc, make_assessment(), date(2026, 1, 1)))
    assert not {t.type for t in walk(tokens)} & FORBIDDEN
    title = tokens[[t.type for t in tokens].index("heading_open") + 1]
    assert visible_text(title) == f"ESCALATION: {one_line(summary) or 'Not provided'}"
    assert only_text(title) or not one_line(summary)
    if one_line(step):
        items = [tokens[i + 2] for i, t in enumerate(tokens) if t.type == "list_item_open"]
        shown = [visible_text(item) for item in items if only_text(item)]
        assert one_line(step) in shown  # the reproduction step
        assert f"{one_line(step)} → Not provided" in [visible_text(item) for item in items]  # the tried step


@settings(max_examples=120, deadline=None)
@given(esc=escalations, assessment=assessments(), today=days)
def test_plain_structure_survives_any_input(esc: Escalation, assessment: Assessment, today: date) -> None:
    rendered = render_plain(esc, assessment, today)
    lines = rendered.split("\n")
    assert lines[-1] == ""  # ends with a newline, and only line feeds separate lines
    assert rendered.splitlines() == lines[:-1]

    expected = with_repro(PLAIN_SECTIONS, esc, "REPRODUCTION STEPS", assessment.target.effective)
    headings = [(i, line) for i, line in enumerate(lines) if line in PLAIN_SECTIONS]
    assert [line for _, line in headings] == expected
    assert all(lines[i - 1] == "" for i, _ in headings)
    assert [line for line in lines if line.upper().startswith("ESCALATION:")] == [lines[0]]
    assert lines[0] == f"ESCALATION: {one_line(esc.summary) or '(not provided)'}"

    # no other line reads as a heading, whatever its case or spacing
    reserved = {*PLAIN_SECTIONS, "REPRODUCTION STEPS (FOR BUGS)"}
    others = [line for i, line in enumerate(lines) if (i, line) not in headings and line]
    assert not [line for line in others if line == line.strip() and line.upper().replace("\u2019", "'") in reserved]

    # fixed-label lines hold their value on one line
    reputation = esc.reputation
    facts = [fact for fact, is_set in (("could become public", reputation.public_risk),
             ("reference customer", reputation.reference_customer), ("PR or legal risk", esc.flags.pr_legal_risk))
             if is_set]
    head, note = "; ".join(facts), one_line(reputation.note)
    head = head[:1].upper() + head[1:]
    assert f"- Reputation: {f'{head} — {note}' if head and note else head or note or '(not provided)'}" in lines
    assert f"- Customer expectation: {one_line(esc.communication.customer_expectation) or '(not provided)'}" in lines
    assert f"- Escalation risk: {one_line(esc.communication.escalation_risk) or '(not provided)'}" in lines
