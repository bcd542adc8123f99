"""`escalate-tui send`: the Send dialog's twin. Print what would leave (--dry-run), or hand the case
over, queue each payload in the outbox and deliver it now.

Nothing heavy loads at import time: `tui.cli` imports this module to list its commands on every start.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli_support import EXIT_CHECK_FAILED, EXIT_OK, UserError, _argument_text, _exists, _load, _now, json_text
from tui.domain.text_safety import visible

if TYPE_CHECKING:
    from tui.domain.models import Escalation
    from tui.domain.redaction import Finding
    from tui.send.config import DestinationConfig
    from tui.send.plan import SendPlan
    from tui.store.drafts import DraftStore

COMMANDS = {
    "send": "send a brief where its team works (--dry-run prints exactly what would leave)",
}


def add_parsers(commands: Any) -> None:
    from tui.cli_escalations import _common

    send = commands.add_parser("send", help=COMMANDS["send"], description=(
        "Send a brief file or a stored case to destinations from the config's [[destinations]]. Without --to, "
        "the destinations routing proposes for the case's target and severity. Secrets and personal data found "
        "in the case are masked unless kept with --keep. Sending a draft marks it escalated."))
    send.add_argument("case", metavar="FILE|ID", help="a brief file (.toml) or a stored case's number")
    send.add_argument("--to", action="append", default=[], metavar="NAME",
                      help="a destination's name (repeat for more)")
    send.add_argument("--dry-run", action="store_true",
                      help="print each request as it would leave (secrets masked) and send nothing")
    send.add_argument("--json", action="store_true", help="one machine-readable result per destination")
    send.add_argument("--keep", action="append", default=[], metavar="KEY=REASON",
                      help="let one finding leave unmasked (its key as --dry-run lists it), with why")
    send.add_argument("--yes", action="store_true", help="do not ask before sending (never asked without a terminal)")
    _common(send)


def _destinations(settings: Any) -> list[DestinationConfig]:
    """The usable destinations (the config's problems with the others were printed as it was read)."""
    from tui.send.config import parse_destinations
    from tui.send.plan import with_default

    return with_default(parse_destinations(settings.destinations)[0])


def _chosen(destinations: list[DestinationConfig], names: list[str], proposal: list[str]) -> list[DestinationConfig]:
    by_name = {config.name.casefold(): config for config in destinations}
    if not names:
        if not proposal:
            known = ", ".join(config.name for config in destinations)
            raise UserError(f"no destination takes this case's target and severity; name one with --to ({known})")
        return [config for config in destinations if config.name in proposal]
    chosen = []
    for name in names:
        text = _argument_text(name, "--to") or ""
        config = by_name.get(text.casefold())
        if config is None:
            known = ", ".join(config.name for config in destinations)
            raise UserError(f"there is no destination called {visible(text)!r} in the config; known: {known}")
        if config not in chosen:
            chosen.append(config)
    return chosen


def _kept(values: list[str]) -> dict[str, str]:
    kept = {}
    for value in values:
        text = _argument_text(value, "--keep") or ""
        key, sep, reason = text.partition("=")
        if not sep or not key.strip() or not reason.strip():
            raise UserError("--keep takes KEY=REASON: the finding's key as --dry-run lists it, and why it may leave")
        kept[key.strip()] = " ".join(reason.split())
    return kept


def _finding_line(finding: Finding, kept: dict[str, str]) -> str:
    state = f"kept: {kept[finding.key]}" if finding.key in kept else "masked"
    return visible(f"  {finding.kind} in {finding.field}, line {finding.line}: {finding.preview} — {state} "
                   f"[key {finding.key}]")


def cmd_send(args: argparse.Namespace) -> int:
    from tui.cli_escalations import _record, _settings, _who
    from tui.cli_support import open_store
    from tui.domain.triage import assess
    from tui.send.dispatch import hand_over, planned_version, queue
    from tui.send.plan import CaseToSend, plan_send, proposed

    now = _now(args.now)
    settings = _settings(args.config)
    destinations = _destinations(settings)
    kept = _kept(args.keep)
    case = _argument_text(args.case, "FILE|ID") or ""
    path = Path(case)
    by_id = case.isascii() and case.isdecimal() and not _exists(path)
    esc: Escalation | None = None if by_id else _load(path)
    with open_store(args) as store:
        draft_id = _draft(store, case, path, esc, by_id, now, dry_run=args.dry_run)
        if by_id:
            _record(store, draft_id)
            esc = store.load(draft_id)
        assert esc is not None
        assessment = assess(esc, settings.rules, now)
        brief_text = _brief_text(esc, assessment, now)
        version = planned_version(store, draft_id, brief_text) if draft_id else 1
        chosen = _chosen(destinations, args.to,
                         proposed(destinations, assessment.target.effective, assessment.severity.effective))
        plan = plan_send(CaseToSend(draft_id, version, esc, assessment, now.date()), chosen, settings.redaction, kept)
        unknown = set(kept) - {finding.key for finding in plan.findings}
        if unknown:
            raise UserError(f"--keep names no finding of this case: {', '.join(sorted(unknown))} "
                            "(--dry-run lists each finding's key)")
        if args.dry_run:
            return _print_dry_run(plan, now, args.json, draft_id)
        _confirm(plan, args.yes)
        who = _who(args, esc, settings)
        number, escalated = hand_over(store, draft_id, brief_text, assessment, who, now)
        if number != plan.version:
            plan = plan_send(CaseToSend(draft_id, number, esc, assessment, now.date()), chosen, settings.redaction,
                             kept)
        queue(store, draft_id, plan, who, now)
        if escalated and not args.json:
            print(f"#{draft_id} is now escalated to {assessment.target.effective.label} as "
                  f"{assessment.severity.effective.label}.", file=sys.stderr)
        return _deliver(store, destinations, plan, draft_id, args.json, settings)


def _draft(store: DraftStore, case: str, path: Path, esc: Escalation | None, by_id: bool, now: Any,
           dry_run: bool) -> int:
    """The stored case to send: by number, or the draft of the brief file (stored now unless this is a
    dry run, which writes nothing: an unstored file is shown as case 0)."""
    from tui.cli_escalations import _id

    if by_id:
        return _id(case)
    assert esc is not None
    found = store.draft_of_file(path)
    if found is not None:
        if not dry_run:
            store.save(found, esc, now)
        return found
    return 0 if dry_run else store.create(esc, now, file=path)


def _brief_text(esc: Escalation, assessment: Any, now: Any) -> str:
    from tui.cli_support import brief_markdown

    return brief_markdown(esc, assessment, now)


def _print_dry_run(plan: SendPlan, now: Any, as_json: bool, draft_id: int) -> int:
    from tui.send.config import SecretMissing
    from tui.send.kinds import load_kind

    results = []
    blocked = False
    for planned in plan.planned:
        entry: dict[str, Any] = {"destination": planned.config.name, "type": planned.config.type,
                                 "state": "dry-run"}
        if planned.payload is None:
            entry.update(state="cannot-build", message=planned.problem)
            blocked = True
        else:
            entry["idempotency_key"] = planned.payload.idempotency_key
            try:
                request = load_kind(planned.config.type).request(planned.payload, planned.config, os.environ, now)
                entry.update(method=request.method, request=request.shown())
            except SecretMissing as error:
                entry.update(state="missing-secret", message=str(error), body=planned.payload.body_text())
                blocked = True
        results.append(entry)
    findings = [{"key": finding.key, "kind": finding.kind, "category": finding.category, "field": finding.field,
                 "line": finding.line, "preview": finding.preview,
                 "masked": finding.key not in plan.kept, "reason": plan.kept.get(finding.key, "")}
                for finding in plan.findings]
    if as_json:
        print(json_text({"case": draft_id, "version": plan.version, "findings": findings, "destinations": results}))
        return EXIT_CHECK_FAILED if blocked else EXIT_OK
    if not draft_id:
        print("Dry run of a brief file not stored yet: it is case 0 here; sending stores it and numbers it.")
    print(f"Found in the case: {len(plan.findings)}" + (" (masked unless kept with --keep KEY=REASON)"
                                                         if plan.findings else ""))
    for finding in plan.findings:
        print(_finding_line(finding, dict(plan.kept)))
    for entry in results:
        print(f"\n── {visible(entry['destination'])} ({entry['type']}) ──")
        if "request" in entry:
            print(visible(entry["request"], keep_newlines=True))
        else:
            print(visible(f"cannot be sent yet: {entry['message']}"))
            if "body" in entry:
                print(visible(entry["body"], keep_newlines=True))
    return EXIT_CHECK_FAILED if blocked else EXIT_OK


def _confirm(plan: SendPlan, yes: bool) -> None:
    """On a terminal, ask once; without one (a script, CI), never ask."""
    names = ", ".join(planned.config.name for planned in plan.planned if planned.payload is not None)
    if not names:
        raise UserError("nothing can be sent: " + "; ".join(planned.problem for planned in plan.planned))
    if yes or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    masked = len(plan.masked)
    answer = input(f"Send to {names}? {masked} finding(s) masked. [y/N] ")
    if answer.strip().casefold() not in ("y", "yes"):
        raise UserError("nothing was sent")


def _deliver(store: DraftStore, destinations: list[DestinationConfig], plan: SendPlan, draft_id: int,
             as_json: bool, settings: Any) -> int:
    """Deliver this case's new sends once now; what must wait is left in the outbox for `outbox --flush`
    or the app."""
    import httpx

    from tui.send.outbox_worker import deliver_due
    from tui.send.states import state_words
    from tui.store.outbox import OutboxState

    with httpx.Client(follow_redirects=False) as client:
        deliver_due(store, {config.name: config for config in destinations}, dict(os.environ), client,
                    rules=settings.rules, redaction=settings.redaction)
    keys = {planned.payload.idempotency_key for planned in plan.planned if planned.payload is not None}
    items = [item for item in store.sends(draft_id=draft_id) if item.idempotency_key in keys]
    results = [{"destination": item.destination, "type": item.type, "outbox_id": item.id, "state": item.state.value,
                "attempts": item.attempts, "remote_id": item.remote_id, "remote_url": item.remote_url,
                "message": item.last_error, "idempotency_key": item.idempotency_key} for item in items]
    if as_json:
        print(json_text({"case": draft_id, "version": plan.version, "destinations": results}))
    else:
        for item in items:
            print(visible(f"{item.destination}: {state_words(item)}"))
    bad = any(item.state in (OutboxState.FAILED, OutboxState.UNCERTAIN) for item in items)
    return EXIT_CHECK_FAILED if bad else EXIT_OK


HANDLERS = {"send": cmd_send}
