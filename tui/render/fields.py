"""Value formatting every renderer shares: money, dates, and the phrases built from several fields.

Each phrase builder takes ``text``, the renderer's own function that turns one piece of user text
into safe single-line output (escaped for Markdown, collapsed for plain text, and so on for a later
Slack or Jira renderer). It must return "" for blank input. Fixed wording, numbers and dates are
written here and never go through ``text``. A builder returns "" when there is nothing to say, so
each renderer picks its own placeholder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from tui.domain.facts import money
from tui.domain.models import (
    Ask,
    AskKind,
    Communication,
    ContextItem,
    Contract,
    Depth,
    Escalation,
    Frequency,
    ImpactDepth,
    ProductDetails,
    Reporter,
    Reproduction,
    Revenue,
    SlaStatus,
    Target,
    Timeline,
    TriedStep,
)
from tui.domain.timetext import moment
from tui.domain.triage import SeverityCall, TargetCall
from tui.render.audience import NO_AUDIENCE, Audience, audience_for
from tui.render.escape import collapse

TextFn = Callable[[str], str]

SEP = " — "
ARROW = " → "


# --- plain values ---------------------------------------------------------------------


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def age(start: date, today: date) -> str:
    """How long ago ``start`` was, in whole days."""
    days = (today - start).days
    if days < 0:
        return "in the future"
    if days == 0:
        return "today"
    return plural(days, "day")


def brief_date(esc: Escalation, today: date) -> date:
    return esc.created.date() if esc.created is not None else today


def series(items: Iterable[str]) -> str:
    """Join phrases with "; ", or with a space after one that already ends a sentence."""
    out = ""
    for item in items:
        if not item:
            continue
        if out:
            out += " " if out[-1] in ".!?;" else "; "
        out += item
    return out


def target_phrase(call: TargetCall, text: TextFn | None = None) -> str:
    label = call.effective.label
    if call.cc:
        label += f" (cc: {', '.join(team.label for team in call.cc)})"
    if call.override_reason and text is not None:
        label += f"{SEP}overridden from {call.proposed.label}: {text(call.override_reason)}"
    return label


def severity_phrase(call: SeverityCall, text: TextFn) -> str:
    """The severity word, and when the agent overrode the proposal, from what and why."""
    label = call.effective.label
    if call.override_reason:
        label += f"{SEP}overridden from {call.proposed.label}: {text(call.override_reason)}"
    return label


# --- phrases built from user text ------------------------------------------------------


def reporter_phrase(reporter: Reporter, text: TextFn) -> str:
    name, team = text(reporter.name), text(reporter.team)
    return f"{name}{SEP}{team}" if name and team else name or team


def _named_customers(esc: Escalation, text: TextFn) -> list[str]:
    """Named affected customers, the primary customer first when the list leaves it out."""
    names = [name for name in map(text, esc.breadth.named_customers) if name]
    primary = text(esc.customer.name)
    if primary and primary.casefold() not in {name.casefold() for name in names}:
        names.insert(0, primary)
    return names


def customers_affected(esc: Escalation, text: TextFn) -> str:
    """Who and how many: "3 customers (Acme Corp, Globex)", "All Enterprise customers", ..."""
    breadth = esc.breadth
    names = _named_customers(esc, text)
    segment = text(breadth.segment)
    if breadth.whole_segment:
        segment = segment or text(esc.customer.segment)
        who = f"All {segment} customers" if segment else "All customers"
        if names:
            who += f", including {', '.join(names)}"
    else:
        total = max(breadth.customer_count or 0, len(names))
        if names:
            listed = ", ".join(names)
            who = listed if total == 1 else f"{plural(total, 'customer')} ({listed})"
        elif breadth.customer_count is not None:
            who = plural(breadth.customer_count, "customer")
        else:
            who = ""
        if segment:
            who = f"{who} in the {segment} segment" if who else f"Customers in the {segment} segment"
    parts = [who] if who else []
    if breadth.user_count is not None:
        parts.append(plural(breadth.user_count, "user"))
    phrase = "; ".join(parts)
    if breadth.growing:
        phrase = f"{phrase}{SEP}growing" if phrase else f"Number not known yet{SEP}growing"
    return phrase


def workflow_impact(depth: ImpactDepth, text: TextFn) -> str:
    detail = text(depth.workflow_impact)
    if depth.level is Depth.UNKNOWN:
        return detail
    return f"{depth.level.label}{SEP}{detail}" if detail else depth.level.label


def revenue_at_risk(revenue: Revenue, text: TextFn) -> str:
    parts = []
    if revenue.arr_at_risk is not None:
        parts.append(f"{money(revenue.arr_at_risk)} ARR")
    deals = text(revenue.pending_deals)
    if deals:
        parts.append(f"pending deals: {deals}" if parts else f"Pending deals: {deals}")
    return "; ".join(parts)


def reputation(esc: Escalation, text: TextFn) -> str:
    """``Could become public; reference customer; PR or legal risk — note``: the facts that are set, then the note."""
    facts = [
        fact
        for fact, is_set in (
            ("could become public", esc.reputation.public_risk),
            ("reference customer", esc.reputation.reference_customer),
            ("PR or legal risk", esc.flags.pr_legal_risk),
        )
        if is_set
    ]
    head = "; ".join(facts)
    head = head[:1].upper() + head[1:]
    note = text(esc.reputation.note)
    return f"{head}{SEP}{note}" if head and note else head or note


def demand(product: ProductDetails, text: TextFn) -> str:
    """``Asked for by 14 customers; competitive pressure: …`` for a product request, "" when unknown."""
    parts = []
    if product.request_count is not None:
        parts.append(f"Asked for by {plural(product.request_count, 'customer')}")
    pressure = text(product.competitive_pressure)
    if pressure:
        parts.append(f"competitive pressure: {pressure}" if parts else f"Competitive pressure: {pressure}")
    return "; ".join(parts)


def sla_status(contract: Contract, timeline: Timeline, text: TextFn) -> str:
    """``At risk (due 2026-11-20 17:00 UTC) — 4-hour response; customer updates every 4 hours``."""
    head = "" if contract.sla_status is SlaStatus.UNKNOWN else contract.sla_status.label
    if timeline.sla_due is not None:
        due = moment(timeline.sla_due)
        head = f"{head} (due {due})" if head else f"Due {due}"
    obligations = text(contract.obligations)
    details = [obligations]
    if contract.customer_update_hours is not None:
        starts_sentence = obligations[-1:] in (".", "!", "?") or not (head or obligations)
        lead = "Customer" if starts_sentence else "customer"
        details.append(f"{lead} updates every {plural(contract.customer_update_hours, 'hour')}")
    detail = series(details)
    return f"{head}{SEP}{detail}" if head and detail else head or detail


def time_in_queue(timeline: Timeline, today: date) -> str:
    """``Since 2026-11-16 (3 days); customer waiting since 2026-11-17 (2 days)``."""
    parts = []
    if timeline.issue_started is not None:
        started = timeline.issue_started
        parts.append(f"Since {started.isoformat()} ({age(started, today)})")
    if timeline.customer_waiting_since is not None:
        waiting = timeline.customer_waiting_since.date()
        lead = "customer" if parts else "Customer"
        parts.append(f"{lead} waiting since {waiting.isoformat()} ({age(waiting, today)})")
    return "; ".join(parts)


def last_update(communication: Communication, text: TextFn) -> str:
    when = moment(communication.last_update) if communication.last_update is not None else ""
    said = text(communication.last_update_summary)
    return f"{when}{SEP}{said}" if when and said else when or said


def ask_phrase(ask: Ask, text: TextFn) -> str:
    """``Investigate: find the root cause``; the bare text while no kind is chosen or when it
    already starts with the kind's verb."""
    what = text(ask.text)
    if ask.kind is AskKind.UNSET:
        return what
    label = ask.kind.label
    if what.casefold().startswith(label.casefold() + " "):
        return what  # "Decide whether …" already says what kind of ask it is
    return f"{label}: {what}" if what else label


def deadline(ask: Ask) -> str:
    return moment(ask.deadline) if ask.deadline is not None else ""


def tried_steps(steps: Iterable[TriedStep], text: TextFn, missing: str) -> list[str]:
    """``action → result`` per step; a missing half shows ``missing``; empty steps are skipped."""
    out = []
    for step in steps:
        action, result = text(step.action), text(step.result)
        if action or result:
            out.append(f"{action or missing}{ARROW}{result or missing}")
    return out


def non_empty(values: Iterable[str], text: TextFn) -> list[str]:
    return [value for value in map(text, values) if value]


def frequency_phrase(reproduction: Reproduction, text: TextFn) -> str:
    detail = text(reproduction.frequency_detail)
    if reproduction.frequency is Frequency.UNKNOWN:
        return detail
    label = reproduction.frequency.label
    return f"{label}{SEP}{detail}" if detail else label


def context_items(items: Iterable[ContextItem], text: TextFn, reference: TextFn) -> list[str]:
    """``Ticket: title — reference — excerpt`` with empty parts left out; empty items skipped."""
    out = []
    for item in items:
        parts = [part for part in (text(item.title), reference(item.reference), text(item.excerpt)) if part]
        if parts:
            out.append(f"{item.kind.label}: {SEP.join(parts)}")
    return out


def shows_reproduction(esc: Escalation, target: Target | None = None) -> bool:
    """The brief has a reproduction section for bug-like natures and for an audience that asks for
    it (Engineering wants full steps, so their absence should show), or once any repro detail is
    filled. `target` is the team the brief is written for."""
    if esc.problem.nature.is_bug_like or audience_for(target).reproduction:
        return True
    repro = esc.reproduction
    if repro.frequency is not Frequency.UNKNOWN:
        return True
    texts = (repro.starting_state, repro.expected, repro.actual, repro.environment, repro.frequency_detail)
    return any(map(collapse, (*texts, *repro.steps, *repro.evidence, *repro.ruled_out)))


def numbered(items: list[str], empty: str, line_start: TextFn = str) -> list[str]:
    """``1. item`` lines (`line_start` keeps an item's text from reading as markup there), or the
    `empty` line when there are none."""
    return [f"{number}. {line_start(item)}" for number, item in enumerate(items, 1)] or [empty]


def reproduction_section(repro: Reproduction, heading: str, text: TextFn, placeholder: str, empty: str,
                         line_start: TextFn = str, gap: bool = False, audience: Audience = NO_AUDIENCE) -> list[str]:
    """The repro section as both formats lay it out: heading, starting state, numbered steps, then the
    labelled lines (after a blank line where the format needs one to keep them apart)."""
    starting = text(repro.starting_state)
    return ["", heading, *([f"Starting state: {starting}"] if starting else []),
            *numbered(non_empty(repro.steps, text), empty, line_start), *([""] if gap else []),
            *reproduction_lines(repro, text, placeholder, audience)]


def reproduction_lines(repro: Reproduction, text: TextFn, placeholder: str,
                       audience: Audience = NO_AUDIENCE) -> list[str]:
    """The labelled lines under the repro steps, the same in every format: Expected, Actual and
    Environment always (a gap should show), Frequency, Evidence and Ruled out when known (Evidence
    always for an audience that asks for logs)."""
    lines = [
        f"Expected: {text(repro.expected) or placeholder}",
        f"Actual: {text(repro.actual) or placeholder}",
        f"Environment: {text(repro.environment) or placeholder}",
    ]
    frequency = frequency_phrase(repro, text)
    if frequency:
        lines.append(f"Frequency: {frequency}")
    for label, items in (("Evidence", repro.evidence), ("Ruled out", repro.ruled_out)):
        filled = non_empty(items, text)
        if filled:
            lines.append(f"{label}: {series(filled)}")
        elif label == "Evidence" and audience.evidence:
            lines.append(f"{label}: {placeholder}")
    return lines


def description_notes(esc: Escalation, text: TextFn, audience: Audience = NO_AUDIENCE,
                      placeholder: str = "") -> list[str]:
    """Facts that belong under the description although the template has no line for them, each
    only once filled: why it needs attention now; the customer's use case (Product asks for it);
    what was observed, who may be affected and the containment so far (Security asks for these);
    and the workaround customers can use meanwhile. The notes the audience asks for come first and
    show `placeholder` while empty."""
    raw = {
        "Why now": esc.problem.why_now,
        "Use case": esc.product.use_case,
        "Observed": esc.security.observed,
        "Possibly affected": esc.security.affected,
        "Containment so far": esc.security.containment,
        "Workaround": esc.problem.workaround,
    }
    out = []
    for label in audience.note_order():
        value = text(raw[label]) or (placeholder if label in audience.notes else "")
        if value:
            out.append(f"{label}: {value}")
    return out


def needed_notes(esc: Escalation, text: TextFn, audience: Audience = NO_AUDIENCE,
                 placeholder: str = "") -> list[tuple[str, str]]:
    """Labelled lines under What's Needed beyond the ask and the deadline: how urgent a security
    case is, when assessed or when the brief is for Security (it weighs it beside the deadline)."""
    urgency = text(esc.security.urgency) or (placeholder if audience.urgency else "")
    return [("Urgency", urgency)] if urgency else []


def account_context(esc: Escalation, text: TextFn, audience: Audience = NO_AUDIENCE, placeholder: str = "") -> str:
    """The account's context (contacts, history, renewal), listed first under Supporting Context:
    L2 and Leadership both ask for it, and it is what a CRM would add there. Shown while empty
    (as `placeholder`) when the audience asks for it."""
    notes = text(esc.customer.notes) or (placeholder if audience.account else "")
    return f"Account context: {notes}" if notes else ""


def demand_line(product: ProductDetails, text: TextFn, audience: Audience, placeholder: str) -> str:
    """The Demand value: what is known, `placeholder` for an audience that asks for it, else ""."""
    return demand(product, text) or (placeholder if audience.demand else "")
