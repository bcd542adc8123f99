"""Brief quality checks: what a receiving team would miss in this escalation, and where to fix it.

Pure functions. Each result has a stable id, a level, a one-sentence message and the dotted model
path of the field that fixes it. Only checks that apply to the case are reported; none passes
vacuously. Repro checks apply to bug-like natures and whenever Engineering is the target; each
target team then has checks for what it asks to be told (L2: the customer's context and the
ticket; Engineering: the business impact; Product: the use case, how many asked and competitive
pressure; Security: what was seen, who may be affected, containment and urgency; Leadership: the
business context, a decision to make and the revenue at risk).

A case that stays in support is a support note, not an escalation: it is checked for what the
note needs (summary, description, what was tried, the answer to give, the customer kept informed)
and never asked for an escalation's impact figures, ask, deadline or target team's needs.

Either kind is refused while any of its texts holds a password, key or token (`secrets.none`,
blocking). That check is reported only when it fails: a brief is no better for holding no secret,
so passing it would only lift every score.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from tui.domain.cadence import follow_up_plan
from tui.domain.form import label_of
from tui.domain.lazy_pattern import LazyPattern
from tui.domain.models import AskKind, ContextKind, Depth, Escalation, Frequency, Target
from tui.domain.secrets import secrets_in
from tui.domain.settings import DEFAULT_RULES, RuleSettings
from tui.domain.timetext import moment, span
from tui.domain.triage import Assessment, VerdictKind


class CheckLevel(StrEnum):
    BLOCKING = "blocking"
    ADVISORY = "advisory"


class CheckResult(NamedTuple):
    id: str
    title: str
    passed: bool
    level: CheckLevel
    message: str
    field: str


class QualityReport(NamedTuple):
    results: tuple[CheckResult, ...]
    score: int

    @property
    def blocking_failures(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if not r.passed and r.level is CheckLevel.BLOCKING)

    @property
    def advisories(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if not r.passed and r.level is CheckLevel.ADVISORY)

    @property
    def ok(self) -> bool:
        return not self.blocking_failures


_B, _A = CheckLevel.BLOCKING, CheckLevel.ADVISORY
WEIGHTS: dict[CheckLevel, int] = {_B: 2, _A: 1}

# Every check in the brief's reading order: id -> (title, level, message when passed, message when failed).
CHECKS: dict[str, tuple[str, CheckLevel, str, str]] = {
    "summary.present": ("One-line summary", _B, "The brief has a headline.",
                        "Write one line that names the problem and who it hits."),
    "impact.quantified": ("Who is affected, in numbers", _B, "The number of affected customers or users is stated.",
                          "Give a count of affected customers or users, name them, or mark the whole segment."),
    "impact.workflow": ("What they cannot do", _A, "How hard customers are hit is described.",
                        "Say whether customers are blocked, degraded or merely slowed down."),
    "impact.duration": ("How long it has gone on", _A, "The brief says how long this has been going on.",
                        "Add when the issue started or since when the customer has been waiting."),
    "description.present": ("Issue description", _B, "The problem is described.",
                            "Explain what goes wrong, where, and since when."),
    "description.length": ("Description length", _A, "", ""),  # messages carry the count
    "tried.present": ("What was tried, with results", _B, "Troubleshooting so far is listed with its outcomes.",
                      "List at least one thing already attempted together with what happened."),
    "support.answer": ("Answer for the customer", _B, "The workaround or the article to send is recorded.",
                       "Write the workaround or answer, or add the known issue or help article under context."),
    "repro.steps": ("Reproduction steps", _B, "Steps, expected and actual result are all there.",
                    "Write at least two numbered steps someone else can follow."),
    "repro.clean_state": ("Starting state", _A, "The starting point of the steps is described.",
                          "Describe where the steps begin: kind of account, its settings and the user's role."),
    "repro.specific": ("Concrete steps", _A, "Every step names a concrete action.",
                       "Add steps that each name one concrete action on a named page or control."),
    "repro.exact_values": ("Exact values", _A, "The steps carry concrete values.",
                           "Put real inputs in the steps or results: ids, dates, amounts, quoted errors or a URL."),
    "repro.environment": ("Environment", _A, "The environment is recorded.",
                          "Note browser, OS, plan, account type and any feature flags involved."),
    "repro.frequency": ("How often it happens", _A, "How often it reproduces is stated.",
                        "Say whether it happens every time, now and then, or only under certain conditions."),
    "repro.evidence": ("Evidence", _A, "Evidence is attached.",
                       "Attach proof such as a screenshot, the exact error text, console output or a network log."),
    "repro.ruled_out": ("What was ruled out", _A, "Causes already excluded are listed.",
                        "Mention what you already excluded, such as other browsers or a second account."),
    "communication.last_update": ("Customer kept informed", _A,
                                  "The last customer update and what they expect next are noted.",
                                  "Record when the customer last heard from us and what they were told."),
    "communication.overdue": ("Customer update on time", _A, "", ""),  # messages carry the times
    "ask.specific": ("A specific ask", _B, "The request is concrete.",
                     "Choose what you need: investigate, fix, decide or approve."),
    "ask.deadline": ("Deadline", _B, "A deadline is set.",
                     "Set the date and time by which you need an answer or a fix."),
    "l2.customer_context": ("Customer context", _A, "The customer and their account's context are given.",
                           "Name the customer so senior support can look up the account."),
    "l2.ticket": ("Ticket reference", _A, "The ticket itself is linked.",
                  "Link the customer's ticket under Supporting Context so its history can be read."),
    "engineering.business_impact": ("Business impact", _A, "The revenue at stake is stated.",
                                    "State the ARR at risk or the deals affected so engineering can weigh priorities."),
    "product.use_case": ("Customer's use case", _B, "The customer's use case is described.",
                         "Describe what the customer is trying to get done, not only the feature they asked for."),
    "product.demand": ("How many asked", _A, "The number of customers asking for it is given.",
                       "Say how many customers have asked for this."),
    "product.competition": ("Competitive pressure", _A, "Competitive pressure is noted.",
                            "Note any competitor that offers this or any deal it sways, or write that none is known."),
    "security.observed": ("What was observed", _B, "What was seen is described.",
                          "Describe exactly what was seen: which data or access, where and when."),
    "security.affected": ("Who may be affected", _B, "Who or what may be exposed is stated.",
                          "Say who or what may be exposed: accounts, data or systems."),
    "security.containment": ("Containment taken", _B, "Containment steps are recorded.",
                             "Record what was already done to contain the exposure, or say that nothing was."),
    "security.urgency": ("Urgency assessed", _A, "How urgent it is has been assessed.",
                         "Assess the urgency: whether the exposure is still going on and what is due soon."),
    "leadership.context": ("Business context", _A, "The account's business context is given.",
                           "Give the account's context: the relationship, its renewal and earlier escalations."),
    "leadership.decision": ("Decision or approval asked for", _B, "Leadership is asked to decide or approve.",
                            "Ask leadership to decide or to approve something; they rarely investigate or fix."),
    "leadership.revenue": ("Revenue at risk", _B, "The revenue at stake is stated.",
                           "State the annual revenue at risk so leadership can weigh the call."),
    "secrets.none": ("No passwords, keys or tokens", _B, "", ""),  # messages name the secret's kind and field
}

# Checks reported only when they fail (see the module's docstring).
REPORTED_ONLY_WHEN_FAILED = frozenset({"secrets.none"})

# Failure wording when the field to fix is not the check's first one: (id, field) -> message.
_HINTS: dict[tuple[str, str], str] = {
    ("impact.workflow", "depth.workflow_impact"): "Describe the task customers cannot get done because of this.",
    ("repro.steps", "reproduction.expected"): "State what should have happened at the end of the steps.",
    ("repro.steps", "reproduction.actual"): "State what happens instead, quoting the error if there is one.",
    ("communication.last_update", "communication.customer_expectation"):
        "Note what the customer expects from us next and by when.",
    ("l2.customer_context", "customer.notes"):
        "Add the account's context: key contacts, history and earlier escalations.",
}

# --- text helpers ----------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = LazyPattern(r"\w+(?:['’.\-/]\w+)*")
_LIST_MARKER = LazyPattern(r"^\s*(?:\(?\d{1,2}[.)]|[-*•])\s+")
_ITEM_TOKEN = LazyPattern(r"^(?:\(?\d{1,2}[.)]|[-*•])$")
_PARAGRAPH_BREAK = LazyPattern(r"\n[ \t]*\n")
_STOPS = ".!?…"
_HAS_ALNUM = LazyPattern(r"\w")
_CLOSERS, _OPENERS = "\"'”’)]}»", "\"'“‘([{«"
# Abbreviations whose full stop never ends a sentence.
_NEVER_ENDS = _wordset("e.g eg i.e ie cf vs approx incl esp mr mrs ms dr prof viz fig")
# Abbreviations (and an ellipsis) that end a sentence only when a capitalised word or nothing follows.
_MAY_END = _wordset("inc ltd corp co llc plc gmbh etc a.m p.m u.s u.k jr sr no st")


def words(text: str) -> int:
    """Words in `text`; "2.3.1", "INV-2041" and "don't" count as one word each."""
    return len(_WORD.findall(text))


def _capitalised_or_missing(token: str | None) -> bool:
    head = (token or "").lstrip(_OPENERS)
    return not head or head[0].isupper()


def count_sentences(text: str) -> int:
    """Sentences in `text`: a word closing with . ! ? or an ellipsis (then quotes or brackets) ends one, and
    so does a blank line. Stops inside a word ("2.3.1", "3.5", "acme.com") and "e.g.", "i.e.", "vs." never
    end one; "Inc.", "etc.", "a.m." and an ellipsis do only before a capital or at the end. A list marker
    opening a sentence is skipped; punctuation alone is no sentence."""
    count = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        tokens = paragraph.split()
        has_content = False
        for index, token in enumerate(tokens):
            if not has_content:
                if _ITEM_TOKEN.match(token):
                    continue
                has_content = _HAS_ALNUM.search(token) is not None
            core = token.rstrip(_CLOSERS)
            if not core or core[-1] not in _STOPS:
                continue
            stem = core.rstrip(_STOPS)
            punct = core[len(stem) :]
            if "!" not in punct and "?" not in punct:
                following = tokens[index + 1] if index + 1 < len(tokens) else None
                word = stem.lstrip(_OPENERS).casefold()
                if punct == "." and word in _NEVER_ENDS:
                    continue
                if (punct != "." or word in _MAY_END) and not _capitalised_or_missing(following):
                    continue
            count += has_content
            has_content = False
        count += has_content
    return count


# An ask made only of these words asks for nothing in particular.
_ASK_FILLER = _wordset(
    "please pls plz kindly can could would will you u we i us me our need needs needed want wants help helping "
    "assist assistance look looking into at check take a an the this that it its these those issue issues "
    "problem problems thing things ticket case customer customers asap urgent urgently quickly quick soon now "
    "immediately today possible as fast priority high top and or to on for of with in up out get do sort "
    "handle resolve fix investigate review see something anything everything thanks thank much so very just "
    "is are be attention escalate escalating"
)
# A step that says one of these (compared word by word, ignoring case) leaves the reader guessing.
_VAGUE_PHRASES = (
    "do the thing", "does the thing", "the usual", "as usual", "same as before", "and so on", "stuff", "something",
    "whatever", "etc", *(f"reproduce {x}" for x in ("it", "the issue", "the bug", "the problem", "the error")),
    *(f"some {x}" for x in ("data", "stuff", "value", "values", "input", "text", "file")),
    *(f"{who} {how}{what}" for who in ("it", "this", "that", "everything") for how in ("", "just ")
      for what in ("breaks", "broke", "fails", "crashes", "doesn't work", "doesnt work", "does not work")),
)
_VAGUE_START = LazyPattern(r"(?:try|attempt) (?:to|and)\b|repro(?:duce)?\b")
_VAGUE_CUES = frozenset(p.rsplit(" ", 1)[-1] for p in _VAGUE_PHRASES)  # the phrase regex runs only on a cue
_VAGUE_STEP = LazyPattern(rf"\b(?:{'|'.join(map(re.escape, sorted(_VAGUE_PHRASES, key=len, reverse=True)))})\b")
# Exact values, each behind a character it cannot do without, so plain prose is rejected fast.
_EXACT_VALUE: tuple[tuple[str, LazyPattern], ...] = (
    ("0123456789", LazyPattern(r"\d")),  # numbers, dates, times, ids such as INV-2041 or #4411, nearly every uuid
    ("\"“`‘'", LazyPattern(r"\"[^\"\n]+\"|“[^”\n]+”|`[^`\n]+`|‘[^’\n]+’|(?<!\w)'[^'\n]+'(?!\w)")),  # quoted text
    ("@", LazyPattern(r"[\w.+-]+@[\w-]+\.\w")),  # email
    (".", LazyPattern(r"\b(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")),  # host, URL or file name: app.acme.com, export.csv
    ("/", LazyPattern(r"(?<![\w/])/[A-Za-z]|://")),  # path such as /settings/billing, or a URL
    ("-_", LazyPattern(r"\b[A-Z][A-Z0-9]+[-_][A-Z0-9]+\b|\b[a-z]+_[a-z0-9_]+\b")),  # ACME-PROD, feature_flag_name
)


def _filled(text: str) -> bool:
    return bool(text.strip())


def _any_filled(items: list[str]) -> bool:
    return any(item.strip() for item in items)


def _has_exact_value(text: str) -> bool:
    return any(any(c in text for c in needs) and rx.search(text) for needs, rx in _EXACT_VALUE)


def _is_vague_step(step: str) -> bool:
    tokens = _WORD.findall(step.casefold().replace("’", "'"))
    if len(tokens) < 4:
        return True
    text = " ".join(tokens)
    return _VAGUE_START.match(text) is not None or (
        not _VAGUE_CUES.isdisjoint(tokens) and _VAGUE_STEP.search(text) is not None
    )


def _is_vague_ask(text: str) -> bool:
    tokens = (w.casefold().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text))
    return all(token in _ASK_FILLER for token in tokens)


def _result(check_id: str, passed: bool, field: str, message: str = "") -> CheckResult:
    """One result; without `message`, the tables' passed or failed wording is used."""
    title, level, ok_text, fail_text = CHECKS[check_id]
    message = message or (ok_text if passed else _HINTS.get((check_id, field), fail_text))
    return CheckResult(check_id, title, passed, level, message, field)


def _score(results: tuple[CheckResult, ...]) -> int:
    """Weighted share of passed checks, 0..100, rounded half up; 100 when nothing applies."""
    total = sum(WEIGHTS[r.level] for r in results)
    passed = sum(WEIGHTS[r.level] for r in results if r.passed)
    return (passed * 200 + total) // (2 * total) if total else 100


# --- the checks ------------------------------------------------------------------------


def _description_length(description: str, rules: RuleSettings) -> CheckResult:
    low, high = rules.description_min_sentences, rules.description_max_sentences
    span = str(low) if low == high else f"{low}-{high}"
    n = count_sentences(description)
    if n < low:
        message = f"The description has {n} sentence(s); expand it to {span} so a newcomer can follow."
    elif n > high:
        message = f"The description has {n} sentences; trim it to {span} and move the detail elsewhere."
    else:
        message = f"The description runs {n} sentence(s), within the {span} aimed for."
    return _result("description.length", low <= n <= high, "problem.description", message)


def _basics(esc: Escalation, rules: RuleSettings) -> list[CheckResult]:
    breadth, depth, timeline = esc.breadth, esc.depth, esc.timeline
    # A count of zero says nothing about who is affected, so only positive counts quantify.
    quantified = bool(breadth.customer_count or breadth.user_count or breadth.whole_segment) or _any_filled(
        breadth.named_customers
    )
    known = depth.level is not Depth.UNKNOWN
    workflow = known and _filled(depth.workflow_impact)
    lasting = timeline.issue_started is not None or timeline.customer_waiting_since is not None
    return [
        _result("summary.present", _filled(esc.summary), "summary"),
        _result("impact.quantified", quantified, "breadth.customer_count"),
        _result("impact.workflow", workflow, "depth.workflow_impact" if known else "depth.level"),
        _result("impact.duration", lasting, "timeline.issue_started"),
        _result("description.present", _filled(esc.problem.description), "problem.description"),
        _description_length(esc.problem.description, rules),
        _result("tried.present", any(_filled(t.action) and _filled(t.result) for t in esc.tried), "tried"),
    ]


def _reproduction(esc: Escalation) -> list[CheckResult]:
    repro = esc.reproduction
    steps = [_LIST_MARKER.sub("", s, count=1).strip() for s in repro.steps if s.strip()]
    gaps = (len(steps) < 2, not _filled(repro.expected), not _filled(repro.actual))
    gap = next((f for f, missing in zip(("steps", "expected", "actual"), gaps, strict=True) if missing), "steps")
    weak = next((i for i, s in enumerate(steps, 1) if _is_vague_step(s)), None)
    weak_msg = f"Step {weak} is too short or vague; spell out the exact click, page or input it means." if weak else ""
    exact = any(_has_exact_value(text) for text in (*steps, repro.expected, repro.actual))
    return [
        _result("repro.steps", not any(gaps), f"reproduction.{gap}"),
        _result("repro.clean_state", _filled(repro.starting_state), "reproduction.starting_state"),
        _result("repro.specific", bool(steps) and weak is None, "reproduction.steps", weak_msg),
        _result("repro.exact_values", exact, "reproduction.steps"),
        _result("repro.environment", _filled(repro.environment), "reproduction.environment"),
        _result("repro.frequency", repro.frequency is not Frequency.UNKNOWN, "reproduction.frequency"),
        _result("repro.evidence", _any_filled(repro.evidence), "reproduction.evidence"),
        _result("repro.ruled_out", _any_filled(repro.ruled_out), "reproduction.ruled_out"),
    ]


def _communication(esc: Escalation) -> CheckResult:
    comm = esc.communication
    dated, expected = comm.last_update is not None, _filled(comm.customer_expectation)
    field = "communication.customer_expectation" if dated and not expected else "communication.last_update"
    return _result("communication.last_update", dated and expected, field)


def _update_on_time(esc: Escalation, assessment: Assessment, now: datetime | None) -> list[CheckResult]:
    """Once escalated, the customer hears from us at least as often as the cadence asks."""
    last = esc.communication.last_update
    if now is None or last is None or assessment.verdict.kind is not VerdictKind.ESCALATE:
        return []
    if last > now:
        message = f"The last customer update is dated {moment(last)}, after now; correct its date."
        return [_result("communication.overdue", False, "communication.last_update", message)]
    clock = follow_up_plan(assessment.severity.effective, last, esc.contract.customer_update_hours).customer
    every = clock.interval.label.lower()
    if now <= clock.latest:
        message = f"The next customer update is due by {moment(clock.latest)} ({every})."
    else:
        message = (
            f"The customer update is {span(now - clock.latest)} overdue: it was due by {moment(clock.latest)} "
            f"({every} after the last one); update the customer and record it here."
        )
    return [_result("communication.overdue", now <= clock.latest, "communication.last_update", message)]


def _ask(esc: Escalation) -> list[CheckResult]:
    ask = esc.ask
    if ask.kind is AskKind.UNSET:
        specific = _result("ask.specific", False, "ask.kind")
    elif words(ask.text) < 3:
        specific = _result("ask.specific", False, "ask.text",
                           "Spell out the request in a few words, naming what to act on.")
    elif _is_vague_ask(ask.text):
        specific = _result("ask.specific", False, "ask.text",
                           "The request is generic; name the outcome you need, such as a root cause or a named change.")
    else:
        specific = _result("ask.specific", True, "ask.text")
    return [specific, _result("ask.deadline", ask.deadline is not None, "ask.deadline")]


def _l2_checks(esc: Escalation) -> list[CheckResult]:
    named = _filled(esc.customer.name)
    context = named and _filled(esc.customer.notes)
    ticket = any(item.kind is ContextKind.TICKET and _filled(item.reference) for item in esc.context)
    return [
        _result("l2.customer_context", context, "customer.notes" if named else "customer.name"),
        _result("l2.ticket", ticket, "context"),
    ]


def _engineering_checks(esc: Escalation) -> list[CheckResult]:
    stated = esc.revenue.arr_at_risk is not None or _filled(esc.revenue.pending_deals)
    return [_result("engineering.business_impact", stated, "revenue.arr_at_risk")]


def _product_checks(esc: Escalation) -> list[CheckResult]:
    product = esc.product
    return [
        _result("product.use_case", _filled(product.use_case), "product.use_case"),
        _result("product.demand", product.request_count is not None, "product.request_count"),
        _result("product.competition", _filled(product.competitive_pressure), "product.competitive_pressure"),
    ]


def _security_checks(esc: Escalation) -> list[CheckResult]:
    security = esc.security
    return [
        _result(f"security.{name}", _filled(getattr(security, name)), f"security.{name}")
        for name in ("observed", "affected", "containment", "urgency")
    ]


def _leadership_checks(esc: Escalation) -> list[CheckResult]:
    return [
        _result("leadership.context", _filled(esc.customer.notes), "customer.notes"),
        _result("leadership.decision", esc.ask.kind in (AskKind.DECIDE, AskKind.APPROVE), "ask.kind"),
        _result("leadership.revenue", esc.revenue.arr_at_risk is not None, "revenue.arr_at_risk"),
    ]


def _where(path: str) -> str:
    """Where a person finds `path`: its field's label, and which item of a list ("item 2 of Evidence")."""
    label = label_of(path)
    index = next((int(part) for part in path.split(".") if part.isdigit()), None)
    return label if index is None else f"item {index + 1} of {label}"


def _secrets(esc: Escalation) -> list[CheckResult]:
    """A failed check for the first secret found in any text of the case, the brief's own text included;
    nothing when there is none. The message never quotes the secret."""
    found = secrets_in(esc)
    if not found:
        return []
    path, secret = found[0]
    article = "An" if secret.kind[0] in "aeiouAEIOU" else "A"
    among = f", one of {len(found)} secrets in the case" if len(found) > 1 else ""
    message = (
        f"{article} {secret.kind} is in {_where(path)}{among}: remove it, have it rotated, and refer to it "
        f"instead, such as 'the customer's {secret.noun} (rotated)'."
    )
    return [_result("secrets.none", False, path, message)]


_TARGET_CHECKS = {
    Target.L2: _l2_checks,
    Target.ENGINEERING: _engineering_checks,
    Target.PRODUCT: _product_checks,
    Target.SECURITY: _security_checks,
    Target.LEADERSHIP: _leadership_checks,
}


# What a support note shows, and so the only checks that apply to one.
SUPPORT_NOTE_CHECKS = frozenset(
    {"summary.present", "description.present", "description.length", "tried.present", "support.answer",
     "communication.last_update"}
)


def _support_answer(esc: Escalation) -> CheckResult:
    article = any(
        item.kind in (ContextKind.KNOWN_ISSUE, ContextKind.DOC) and (_filled(item.title) or _filled(item.reference))
        for item in esc.context
    )
    return _result("support.answer", _filled(esc.problem.workaround) or article, "problem.workaround")


def _support_note(esc: Escalation, rules: RuleSettings) -> list[CheckResult]:
    results = [*_basics(esc, rules), _support_answer(esc), _communication(esc)]
    return [result for result in results if result.id in SUPPORT_NOTE_CHECKS]


def check_quality(
    esc: Escalation, assessment: Assessment, rules: RuleSettings = DEFAULT_RULES, now: datetime | None = None
) -> QualityReport:
    """Every check that applies to this case, in the brief's reading order, and a weighted score.

    `now` is the clock for the customer-update check; without it that check is left out.
    """
    if assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        note = tuple(_support_note(esc, rules) + _secrets(esc))
        return QualityReport(note, _score(note))
    target = assessment.target.effective
    results = _basics(esc, rules)
    if esc.problem.nature.is_bug_like or target is Target.ENGINEERING:
        results += _reproduction(esc)
    results.append(_communication(esc))
    results += _update_on_time(esc, assessment, now)
    results += _ask(esc)
    results += _TARGET_CHECKS[target](esc)
    results += _secrets(esc)
    done = tuple(results)
    return QualityReport(done, _score(done))
