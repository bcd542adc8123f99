"""The command-line twin of an escalation's life: escalate a case, follow its clocks, log what happens,
close it, and print its timeline. Every command works on the drafts database (`--data-dir`).

Nothing heavy loads at import time: `tui.cli` imports this module to list its commands on every start.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli_support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    UserError,
    _add_config,
    _add_now,
    _argument_text,
    _exists,
    _load,
    _now,
    _settings,
    brief_markdown,
    json_text,
    open_store,
)
from tui.domain.text_safety import quoted, visible

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.domain.lifecycle import ChecklistEntry, Event, EventKind
    from tui.domain.models import Escalation, Severity, Target
    from tui.store.drafts import DraftStore
    from tui.store.escalations import Record

COMMANDS = {
    "escalate": "mark a brief file or a stored draft escalated; its follow-up clocks start",
    "due": "open escalations, the one due first on top; exit 1 when one is overdue",
    "timeline": "everything that happened to an escalation (--json, --format markdown)",
    "update": "log an internal update (restarts the internal check-in clock)",
    "customer-updated": "log what the customer was told (restarts the customer update clock)",
    "severity": "change an escalation's severity, with the reason",
    "target": "hand an escalation to another team, with the reason",
    "snooze": "pause an escalation's overdue warnings until a time, with the reason",
    "de-escalate": "take an escalation back into support, walking the closing checklist",
    "resolve": "close an escalation as resolved, walking the closing checklist",
    "reopen": "reopen a de-escalated or resolved escalation, with the reason",
    "acknowledged": "record that the receiving team acknowledged an escalation (--as who, from that team)",
    "taken": "record who in the receiving team took an escalation: the owner shown in the queue (--as who)",
    "customer-update": "print a customer update drafted from the escalation (interim, status or resolution)",
    "kb-article": "print the knowledge-base article drafted from a closed escalation, in Markdown",
    "approval": "request an approval (a Leadership exception, a Security sign-off) or record its decision, "
                "with who and why; --check asks the Lark approval it was opened in",
}
SUMMARY_WIDTH, CUSTOMER_WIDTH = 48, 24


# --- arguments -------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, who: bool = True) -> None:
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="where the drafts database is (default: $ESCALATE_TUI_DATA_DIR or the per-user data folder)",
    )
    _add_now(parser)
    if who:
        _add_config(parser)
        parser.add_argument("--as", dest="who", metavar="NAME",
                            help="who the event is recorded as (default: the reporter name in the config, "
                                 "then the one in the brief)")


def _with_id(commands: Any, name: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
    parser.add_argument("id", metavar="ID", help="the escalation's number, as `due` lists it")
    return parser


def _add_checklist(parser: argparse.ArgumentParser) -> None:
    from tui.domain.lifecycle import ClosingStep

    steps = ", ".join(step.value for step in ClosingStep)
    parser.add_argument("--note", metavar="TEXT", help="what to record with it")
    parser.add_argument("--done", nargs="+", action="extend", default=[], metavar="STEP",
                        help=f"closing steps done (of: {steps})")
    parser.add_argument("--skip", nargs="+", action="extend", default=[], metavar="STEP=WHY",
                        help="closing steps skipped, each with a word on why")


def add_parsers(commands: Any) -> None:
    """Add the escalation commands to the CLI's subparsers."""
    escalate = commands.add_parser("escalate", help=COMMANDS["escalate"], description=COMMANDS["escalate"])
    escalate.add_argument("case", metavar="FILE|ID", help="a brief file (.toml) or a stored draft's number")
    _common(escalate)

    due = commands.add_parser("due", help=COMMANDS["due"], description=COMMANDS["due"])
    due.add_argument("--json", action="store_true", help="machine-readable output")
    _common(due, who=False)

    timeline = _with_id(commands, "timeline")
    timeline.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    timeline.add_argument("--json", action="store_true", help="the same as --format json")
    _common(timeline, who=False)

    for name in ("update", "customer-updated"):
        parser = _with_id(commands, name)
        parser.add_argument("text", metavar="TEXT", help="what was found or done" if name == "update"
                            else "what the customer was told")
        _common(parser)

    severity = _with_id(commands, "severity")
    severity.add_argument("level", metavar="LEVEL", help="critical, high or medium")
    severity.add_argument("--reason", metavar="R", help="why it changes (required)")
    _common(severity)

    target = _with_id(commands, "target")
    target.add_argument("team", metavar="TEAM", help="l2, engineering, product, security or leadership")
    target.add_argument("--reason", metavar="R", help="why it moves (required)")
    _common(target)

    snooze = _with_id(commands, "snooze")
    snooze.add_argument("--until", metavar="WHEN", help="an ISO date-time, or a time from now such as 2h, 90m, 1d")
    snooze.add_argument("--reason", metavar="R", help="why it can wait (required)")
    _common(snooze)

    reopen = _with_id(commands, "reopen")
    reopen.add_argument("--reason", metavar="R", help="why it is open again (required)")
    _common(reopen)

    de_escalate = _with_id(commands, "de-escalate")
    de_escalate.add_argument("--reason", metavar="WHY",
                             help="root_cause_supportable, workaround, resolved_itself or severity_changed")
    _add_checklist(de_escalate)
    _common(de_escalate)

    resolve = _with_id(commands, "resolve")
    _add_checklist(resolve)
    _common(resolve)

    for name in ("acknowledged", "taken"):
        _common(_with_id(commands, name))

    draft = _with_id(commands, "customer-update")
    draft.add_argument("--kind", choices=("interim", "status", "resolution"), default="interim",
                       help="interim (what we know so far), status (what changed) or resolution")
    _common(draft, who=False)

    article = _with_id(commands, "kb-article")
    _common(article, who=False)

    approval = _with_id(commands, "approval")
    step = approval.add_mutually_exclusive_group(required=True)
    step.add_argument("--request", dest="step", action="store_const", const="approval_requested",
                      help="ask for an approval (made by `escalate` for a case that needs one)")
    step.add_argument("--approved", dest="step", action="store_const", const="approved",
                      help="record that it was approved (--as who decided)")
    step.add_argument("--rejected", dest="step", action="store_const", const="rejected",
                      help="record that it was rejected (--as who decided)")
    step.add_argument("--check", dest="step", action="store_const", const="check",
                      help="open the case's Lark approval, or read its status now, and say where the gate stands")
    approval.add_argument("--reason", metavar="R", help="what it is for, or why it was decided so (required)")
    _common(approval)


# --- shared steps ----------------------------------------------------------------------


def _id(text: str) -> int:
    if not (text.isascii() and text.isdecimal() and len(text) <= 18):  # SQLite's ids are 64-bit
        raise UserError(f"{quoted(text)} is not an escalation number (`escalate-tui due` lists them)")
    return int(text)


def _record(store: DraftStore, draft_id: int) -> Record:
    try:
        return store.record(draft_id)
    except KeyError:
        raise UserError(f"there is no escalation {draft_id} in {store.path}") from None


def _case(store: DraftStore, draft_id: int) -> Escalation:
    try:
        return store.load(draft_id)
    except KeyError:
        raise UserError(f"there is no escalation {draft_id} in {store.path}") from None


def _who(args: argparse.Namespace, esc: Escalation, settings: Settings | None = None) -> str:
    """Who the event is recorded as: --as, else the reporter in the settings, then in the case."""
    from tui.domain.lifecycle import actor

    given = (_argument_text(args.who, "--as name") or "").strip()
    if given:
        return given
    return actor((settings or _settings(args.config)).reporter.name, esc.reporter.name)


def _required(value: str | None, option: str, command: str, what: str) -> str:
    text = (_argument_text(value, option) or "").strip()
    if not text:
        raise UserError(f"{command}: say {what} with {option} \"…\"")
    return text


def _local(value: datetime) -> str:
    from tui.domain.timetext import moment

    return moment(value.astimezone())


def _since(store: DraftStore, record: Record) -> str:
    """When the escalation's status last changed, in local time."""
    from tui.domain.lifecycle import EventKind

    changes = {EventKind.ESCALATED, EventKind.ACKNOWLEDGED, EventKind.TAKEN, EventKind.DE_ESCALATED,
               EventKind.RESOLVED, EventKind.REOPENED}
    moments = [stored.event.at for stored in store.timeline(record.id) if stored.event.kind in changes]
    return _local(moments[-1]) if moments else _local(record.created)


def _refuse_unless(record: Record, kind: EventKind) -> None:
    """UserError, in the lifecycle's words, when `kind` cannot happen in the record's status."""
    from tui.domain.lifecycle import State, TransitionError, check_transition

    try:
        check_transition(State(status=record.status, approval=record.approval), kind)
    except TransitionError as error:
        raise UserError(f"escalation {record.id} cannot take this: {error}") from None


def _clocks_text(record: Record, now: datetime) -> str:
    """When the next internal check-in and customer update are due, in local time."""
    if not record.status.is_open or record.internal_due is None or record.customer_due is None:
        return f"no follow-up clocks run while it is {record.status.label.lower()}"
    from tui.domain.due_words import due_words

    text = (f"next internal check-in by {_local(record.internal_due)}, "
            f"customer update by {_local(record.customer_due)}")
    if record.snoozed_until is not None and now < record.snoozed_until:
        text = f"snoozed until {_local(record.snoozed_until)}; {text}"
    return f"{text} ({due_words(record.internal_due, record.customer_due, record.snoozed_until, now)})"


def _event(**fields: Any) -> Event:
    """An Event, its validation errors as UserError."""
    from pydantic import ValidationError

    from tui.domain.lifecycle import Event

    try:
        return Event(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first.get("ctx", {}).get("error") or first["msg"]).removeprefix("Value error, ")
        raise UserError(f"cannot log this: {message}") from None


def _logged(record: Record, event: Event, now: datetime) -> None:
    from tui.domain.lifecycle import EventKind

    what = visible(_what(event))
    said_who = event.kind in (EventKind.APPROVAL_REQUESTED, EventKind.APPROVED, EventKind.REJECTED)
    by = "" if said_who else f" (by {visible(event.who)})"
    print(f"#{record.id} {what}{by}; {_clocks_text(record, now)}")


def _what(event: Event) -> str:
    """What was logged, on one line: a closing event counts its checklist rather than listing it."""
    from tui.domain.lifecycle import EventKind
    from tui.domain.text_safety import shorten

    if event.kind in (EventKind.DE_ESCALATED, EventKind.RESOLVED):
        done = sum(entry.done for entry in event.checklist)
        skipped = len(event.checklist) - done
        head = (f"de-escalated: {event.de_escalation.label}" if event.de_escalation is not None
                else "resolved")
        return f"{head} (closing checklist: {done} done, {skipped} skipped)"
    return shorten(" ".join(event.describe().split()), 100)


# --- escalate --------------------------------------------------------------------------


def cmd_escalate(args: argparse.Namespace) -> int:
    from tui.domain.triage import VerdictKind, assess

    now = _now(args.now)
    case = _argument_text(args.case, "FILE|ID") or ""
    path = Path(case)
    by_id = case.isascii() and case.isdecimal() and not _exists(path)
    esc = None if by_id else _load(path)
    found = None
    settings = _settings(args.config)
    with open_store(args) as store:
        if by_id:
            draft_id = _id(case)
            esc = _case(store, draft_id)
        else:
            assert esc is not None
            found = store.draft_of_file(path)
            draft_id = found if found is not None else store.create(esc, now, file=path)
        assert esc is not None
        record = _record(store, draft_id)
        if record.status.value != "draft":
            raise UserError(f"escalation {draft_id} was escalated already: it is {record.status.label.lower()} "
                            f"since {_since(store, record)}; nothing changed")
        assessment = assess(esc, settings.rules, now)
        severity, target = assessment.severity.effective, assessment.target.effective
        if found is not None:
            store.save(draft_id, esc, now, severity.value)
        who = _who(args, esc, settings)
        store.escalate(draft_id, brief_markdown(esc, assessment, now), severity, target, who, now)
        record = _record(store, draft_id)
    if assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        print("warning: triage says this case can stay in support; it was escalated as asked", file=sys.stderr)
    print(f"Escalated #{draft_id} as {severity.label} to {target.label}; {_clocks_text(record, now)}")
    return EXIT_OK


# --- reading: due and timeline ---------------------------------------------------------


def _clip(text: str, width: int) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def _due_row(record: Record, now: datetime) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(UTC).isoformat()

    return {
        "id": record.id, "summary": record.summary, "customer": record.customer,
        "severity": None if record.severity is None else record.severity.value,
        "target": None if record.target is None else record.target.value,
        "status": record.status.value, "owner": record.owner, "acknowledged_by": record.acknowledged_by,
        "escalated": iso(record.escalated), "internal_due": iso(record.internal_due),
        "customer_due": iso(record.customer_due), "next_due": iso(record.next_due),
        "snoozed_until": iso(record.snoozed_until), "overdue": record.overdue(now),
        "approval": record.approval.value,
    }


def cmd_due(args: argparse.Namespace) -> int:
    from tui.domain.due_words import due_words

    now = _now(args.now)
    with open_store(args) as store:
        records = store.queue()
    overdue = any(record.overdue(now) for record in records)
    if args.json:
        print(json_text([_due_row(record, now) for record in records]))
        return EXIT_CHECK_FAILED if overdue else EXIT_OK
    if not records:
        print("No open escalations: nothing is due.")
        return EXIT_OK
    rows = [
        (f"#{record.id}", due_words(record.internal_due, record.customer_due, record.snoozed_until, now),
         record.severity.label if record.severity else "-", record.target.label if record.target else "-",
         _clip(record.customer, CUSTOMER_WIDTH) or "-", _clip(record.summary, SUMMARY_WIDTH) or "-",
         _status(record), _clip(record.owner or record.acknowledged_by, CUSTOMER_WIDTH) or "-")
        for record in records
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_CHECK_FAILED if overdue else EXIT_OK


def _status(record: Record) -> str:
    """The status, and the approval gate while the case has one: "Escalated, approval needed"."""
    gate = record.approval.label.lower()
    return f"{record.status.label}, {gate}" if gate else record.status.label


def cmd_timeline(args: argparse.Namespace) -> int:
    from tui.render.timeline import timeline_json, timeline_markdown, timeline_text

    draft_id = _id(args.id)
    now = _now(args.now)
    with open_store(args) as store:
        record = _record(store, draft_id)
        events = store.timeline(draft_id)
    if args.json or args.format == "json":
        print(json_text(timeline_json(record, events)))
    elif args.format == "markdown":
        sys.stdout.write(timeline_markdown(record, events, now))
    else:
        sys.stdout.write(timeline_text(record, events, now))
    return EXIT_OK


# --- logging what happens --------------------------------------------------------------


def _log(args: argparse.Namespace, kind_name: str, **fields: Any) -> int:
    """Log one event of `kind_name` on escalation `args.id` and say what it did."""
    from tui.domain.lifecycle import EventKind

    kind = EventKind(kind_name)
    draft_id = _id(args.id)
    now = _now(args.now)
    with open_store(args) as store:
        record = _record(store, draft_id)
        _refuse_unless(record, kind)
        event = _event(kind=kind, at=now, who=_who(args, _case(store, draft_id)), **fields)
        if kind in (EventKind.SEVERITY_CHANGED, EventKind.TARGET_CHANGED):
            store.change(draft_id, event, now)
        else:
            store.log(draft_id, event)
        record = _record(store, draft_id)
    _logged(record, event, now)
    return EXIT_OK


def _text(args: argparse.Namespace, command: str, what: str) -> str:
    text = (_argument_text(args.text, "text") or "").strip()
    if not text:
        raise UserError(f"{command}: say {what} (the TEXT argument is empty)")
    return text


def cmd_update(args: argparse.Namespace) -> int:
    return _log(args, "update_logged", text=_text(args, "update", "what was found or done"))


def cmd_acknowledged(args: argparse.Namespace) -> int:
    """For an answer that came another way than a card (a call, a ticket comment)."""
    _required(args.who, "--as", "acknowledged", "who in the receiving team acknowledged it")
    return _log(args, "acknowledged")


def cmd_taken(args: argparse.Namespace) -> int:
    _required(args.who, "--as", "taken", "who in the receiving team took it")
    return _log(args, "taken")


def cmd_approval(args: argparse.Namespace) -> int:
    if args.step == "check":
        return _check_approval(args)
    what = {"approval_requested": "what the approval is for", "approved": "why it was approved",
            "rejected": "why it was rejected"}[args.step]
    return _log(args, args.step, reason=_required(args.reason, "--reason", "approval", what))


def _check_approval(args: argparse.Namespace) -> int:
    """Follow the case's Lark approval once, now, and print where its gate stands."""
    import os

    import httpx

    from tui.domain.approval import gate_words
    from tui.send.approval_follow import approval_destination, follow_approvals
    from tui.send.config import parse_destinations

    draft_id = _id(args.id)
    settings = _settings(args.config)
    destinations = {config.name: config for config in parse_destinations(settings.destinations)[0]}
    with open_store(args) as store:
        record = _record(store, draft_id)
        lark = approval_destination(store, draft_id, destinations)
        with httpx.Client(follow_redirects=False) as client:
            report = follow_approvals(store, destinations, dict(os.environ), client, _now(args.now), only=draft_id,
                                      rules=settings.rules, redaction=settings.redaction)
        words = gate_words([stored.event for stored in store.timeline(draft_id)])
    for note in report.notes:
        print(visible(note))
    if not words:
        print(f"#{record.id} has no approval gate.")
    elif lark is None and record.approval.value == "needed":
        print(f"#{record.id} {words}: it was not sent to a lark_app destination with an approval_code, so record "
              f"the decision by hand (escalate-tui approval {record.id} --approved|--rejected --reason …)")
    else:
        print(f"#{record.id} {words}")
    return EXIT_CHECK_FAILED if report.stopped or report.waiting else EXIT_OK


def cmd_customer_updated(args: argparse.Namespace) -> int:
    return _log(args, "customer_updated", text=_text(args, "customer-updated", "what the customer was told"))


def _choice(value: str, kind: type[Severity] | type[Target], what: str) -> Any:
    wanted = " ".join(value.split()).casefold()
    for member in kind:
        if wanted in (member.value, member.label.casefold()):
            return member
    names = ", ".join(member.value for member in kind)
    raise UserError(f"{quoted(value)} is not a {what}; use one of: {names}")


def cmd_severity(args: argparse.Namespace) -> int:
    from tui.domain.models import Severity

    level: Severity = _choice(args.level, Severity, "severity")
    reason = _required(args.reason, "--reason", "severity", "why the severity changes")
    return _change(args, "severity_changed", level, reason)


def cmd_target(args: argparse.Namespace) -> int:
    from tui.domain.models import Target

    team: Target = _choice(args.team, Target, "target team")
    reason = _required(args.reason, "--reason", "target", "why it goes to another team")
    return _change(args, "target_changed", team, reason)


def _change(args: argparse.Namespace, kind_name: str, new: Severity | Target, reason: str) -> int:
    draft_id = _id(args.id)
    with open_store(args) as store:
        record = _record(store, draft_id)
    field = "severity" if kind_name == "severity_changed" else "target"
    old = getattr(record, field)
    if old == new:
        raise UserError(f"escalation {draft_id} is already {new.label}; nothing changed")
    previous = old.value if old is not None else "unset"
    return _log(args, kind_name, **{field: new}, previous=previous, reason=reason)


def parse_until(text: str, now: datetime) -> datetime:
    """When a snooze given as --until ends: the forms the app's snooze dialog reads (`tui.domain.when`)."""
    from tui.domain.when import WhenError
    from tui.domain.when import parse_until as until_of

    try:
        return until_of(text, now)
    except WhenError as error:
        raise UserError(f"--until {quoted(text)}: {visible(str(error))}") from None


def cmd_snooze(args: argparse.Namespace) -> int:
    now = _now(args.now)
    if not (args.until or "").strip():
        raise UserError('snooze: say until when with --until WHEN (e.g. --until 2h or --until 2026-11-20T09:00)')
    until = parse_until(args.until, now)
    reason = _required(args.reason, "--reason", "snooze", "why it can wait")
    return _log(args, "snoozed", until=until, reason=reason)


def cmd_reopen(args: argparse.Namespace) -> int:
    return _log(args, "reopened", reason=_required(args.reason, "--reason", "reopen", "why it is open again"))


def checklist(done: list[str], skipped: list[str], command: str) -> tuple[ChecklistEntry, ...]:
    """The closing checklist from --done STEP and --skip STEP=WHY; every step must be in it once."""
    from pydantic import ValidationError

    from tui.domain.lifecycle import ChecklistEntry, ClosingStep

    def step_of(name: str) -> ClosingStep:
        try:
            return ClosingStep(name.strip().replace("-", "_").casefold())
        except ValueError:
            steps = ", ".join(step.value for step in ClosingStep)
            raise UserError(f"{command}: {quoted(name)} is not a closing step; the steps are {steps}") from None

    entries: dict[ClosingStep, ChecklistEntry] = {}

    def add(step: ClosingStep, done: bool, note: str = "") -> None:
        if step in entries:
            raise UserError(f"{command}: the step {step.value} is given twice; mark it done or skipped, once")
        try:
            entries[step] = ChecklistEntry(step=step, done=done, note=note)
        except ValidationError:
            raise UserError(f"{command}: skipping {step.value} needs a word on why: --skip "
                            f"{step.value}=WHY") from None

    for name in done:
        add(step_of(_argument_text(name, "--done step") or ""), True)
    for item in skipped:
        name, _, why = (_argument_text(item, "--skip step") or "").partition("=")
        add(step_of(name), False, why.strip())
    missing = [step for step in ClosingStep if step not in entries]
    if missing:
        listed = ", ".join(f"{step.value} ({step.label.lower()})" for step in missing)
        raise UserError(f"{command}: the closing checklist is not complete: {listed}; mark each with --done STEP "
                        "or --skip STEP=WHY")
    return tuple(entries[step] for step in ClosingStep)


def cmd_de_escalate(args: argparse.Namespace) -> int:
    from tui.domain.lifecycle import DeEscalationReason

    reasons = ", ".join(reason.value for reason in DeEscalationReason)
    if not (args.reason or "").strip():
        raise UserError(f"de-escalate: say why with --reason, one of: {reasons}")
    try:
        reason = DeEscalationReason(args.reason.strip().replace("-", "_").casefold())
    except ValueError:
        raise UserError(f"de-escalate: {quoted(args.reason)} is not a reason; use one of: {reasons}") from None
    entries = checklist(args.done, args.skip, "de-escalate")
    note = (_argument_text(args.note, "--note") or "").strip()
    return _log(args, "de_escalated", de_escalation=reason, reason=note, checklist=entries)


def cmd_resolve(args: argparse.Namespace) -> int:
    entries = checklist(args.done, args.skip, "resolve")
    note = (_argument_text(args.note, "--note") or "").strip()
    return _log(args, "resolved", text=note, checklist=entries)


# --- drafts for the customer and the knowledge base ------------------------------------


def _case_and_events(args: argparse.Namespace) -> tuple[Escalation, list[Event]]:
    """The escalation `args.id` names, as its case and its events."""
    draft_id = _id(args.id)
    with open_store(args) as store:
        _record(store, draft_id)
        return _case(store, draft_id), [stored.event for stored in store.timeline(draft_id)]


def cmd_customer_update(args: argparse.Namespace) -> int:
    """The update as the app drafts it; once it is sent, `customer-updated ID TEXT` logs it."""
    from tui.domain.customer_updates import UpdateKind, draft_update

    kind = {"interim": UpdateKind.INTERIM, "status": UpdateKind.STATUS_CHANGE,
            "resolution": UpdateKind.RESOLUTION}[args.kind]
    esc, events = _case_and_events(args)
    text = draft_update(kind, esc, events, _now(args.now))
    sys.stdout.write(visible(text, keep_newlines=True).rstrip("\n") + "\n")
    return EXIT_OK


def cmd_kb_article(args: argparse.Namespace) -> int:
    from tui.render.kb_article import kb_article

    esc, events = _case_and_events(args)
    sys.stdout.write(visible(kb_article(esc, events), keep_newlines=True).rstrip("\n") + "\n")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "escalate": cmd_escalate,
    "due": cmd_due,
    "timeline": cmd_timeline,
    "update": cmd_update,
    "customer-updated": cmd_customer_updated,
    "severity": cmd_severity,
    "target": cmd_target,
    "snooze": cmd_snooze,
    "de-escalate": cmd_de_escalate,
    "resolve": cmd_resolve,
    "reopen": cmd_reopen,
    "acknowledged": cmd_acknowledged,
    "taken": cmd_taken,
    "customer-update": cmd_customer_update,
    "kb-article": cmd_kb_article,
    "approval": cmd_approval,
}
