"""Command line: the scriptable twin of the app.

Subcommands (`new`, `render`, `check`, `triage`, `schema`) never import Textual; only a bare
`escalate-tui [SUMMARY|FILE]` opens the terminal UI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui import __version__, cli_context, cli_escalations, cli_listen, cli_outbox, cli_send
from tui.cli_support import (
    DEMO,
    EARLIEST_NOW,
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    LATEST_NOW,
    UserError,
    _add_config,
    _add_now,
    _argument_text,
    _exists,
    _load,
    _now,
    _rules,
    json_text,
)
from tui.domain.text_safety import quoted, visible

AUDIENCES = ("engineering", "product", "security", "leadership", "l2")
"""The teams `render --for` writes for: the values of `Target`, kept here so the parser needs no model."""

if TYPE_CHECKING:  # types only: the modules themselves load lazily, per command
    from textual.app import App

    from tui.domain.cadence import FollowUpPlan
    from tui.domain.models import Escalation
    from tui.domain.triage import Assessment

__all__ = ["EARLIEST_NOW", "EXIT_BAD_INPUT", "EXIT_CHECK_FAILED", "EXIT_OK", "LATEST_NOW", "UserError", "json_text",
           "main"]

COMMANDS = {
    "new": "start a brief file from a one-line summary",
    "render": "print a brief file as Markdown, plain text or JSON",
    "check": "quality checks and verdict; exit 1 when a blocking check fails",
    "triage": "verdict, severity, target, cc and follow-up cadence",
    "schema": "print the JSON Schema of brief files",
    **cli_escalations.COMMANDS,
    **cli_send.COMMANDS,
    **cli_outbox.COMMANDS,
    **cli_listen.COMMANDS,
    **cli_context.COMMANDS,
}
SUBCOMMANDS = tuple(COMMANDS)

class _Parser(argparse.ArgumentParser):
    """argparse, with the arguments it quotes in errors made visible: they may hold escape sequences."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {visible(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="escalate-tui",
        description="Turn a customer problem into an escalation brief, from the terminal or from scripts.",
        epilog="Run 'escalate-tui COMMAND --help' for one command. Without a command the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"escalate-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help=COMMANDS["new"])
    new.add_argument("summary", help='one line, e.g. "API returning 500 errors intermittently for Acme Corp"')
    new.add_argument("--customer", metavar="NAME", help="the customer, when the summary does not name it")
    new.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="brief file to create")
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _add_config(new)

    render = commands.add_parser("render", help=COMMANDS["render"])
    render.add_argument("file", type=Path, metavar="FILE")
    render.add_argument("--format", choices=("markdown", "plain", "json"), default="markdown")
    render.add_argument("--for", dest="audience", choices=AUDIENCES, metavar="TEAM",
                        help=f"write the brief for this team ({', '.join(AUDIENCES)}); default: the case's target")
    render.add_argument("-o", "--output", type=Path, metavar="OUT", help="write here instead of stdout")
    render.add_argument("--force", action="store_true", help="replace OUT if it exists")
    render.add_argument("--generated", action="store_true",
                        help="the brief generated from the case, even when the file holds one edited by hand")
    _add_now(render)
    _add_config(render)

    check = commands.add_parser("check", help=COMMANDS["check"])
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    _add_now(check)
    _add_config(check)

    triage = commands.add_parser("triage", help=COMMANDS["triage"])
    triage.add_argument("file", type=Path, metavar="FILE")
    triage.add_argument("--json", action="store_true", help="machine-readable output")
    _add_now(triage)
    _add_config(triage)

    commands.add_parser("schema", help=COMMANDS["schema"])
    cli_escalations.add_parsers(commands)
    cli_send.add_parsers(commands)
    cli_outbox.add_parsers(commands)
    cli_listen.add_parsers(commands)
    cli_context.add_parsers(commands)
    return parser


def _commands_epilog() -> str:
    """Each command and what it does, for the app's --help."""
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {text}" for name, text in COMMANDS.items()]
    return ("commands (they never open the app; 'escalate-tui COMMAND --help' for one):\n" + "\n".join(lines)
            + "\n\nenvironment: ESCALATE_TUI_CONFIG (config file), ESCALATE_TUI_DATA_DIR (drafts), NO_COLOR")


def build_ui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="escalate-tui",
        usage="escalate-tui [--demo] [SUMMARY | FILE.toml] [--customer NAME] [--config PATH] [--data-dir DIR]\n"
              "       escalate-tui [--demo] COMMAND ...",
        description="Open the escalation app on a new draft, a one-line summary or a brief file; or run a "
                    "command for scripts.",
        epilog=_commands_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"escalate-tui {__version__}")
    parser.add_argument("start", nargs="?", metavar="SUMMARY|FILE",
                        help="a one-line summary to start from, or a brief file (.toml) to open")
    parser.add_argument("--customer", metavar="NAME", help="the customer, when the summary does not name it")
    _add_config(parser)
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="where drafts are autosaved (default: $ESCALATE_TUI_DATA_DIR or the per-user data folder)",
    )
    parser.add_argument("--now", metavar="ISO",
                        help="run as if it were this time, clocks stopped there (for demos, training and tests)")
    parser.add_argument("--demo", action="store_true", help=DEMO_HELP)
    return parser


DEMO_HELP = ("search the sample workspace shipped with the app (invented tickets, accounts and known issues) "
             "instead of the configured sources, and keep drafts in a separate demo/ folder inside the data "
             "folder, never mixed with real escalations; before a command (escalate-tui --demo COMMAND ...) it "
             "runs that command on the demo")


def enter_demo(args: argparse.Namespace) -> None:
    """Point a command's (or the app's) drafts database at the demo folder."""
    from tui.store.os_errors import why
    from tui.store.paths import demo_data_dir

    if hasattr(args, "data_dir"):
        try:
            args.data_dir = demo_data_dir(args.data_dir)
        except OSError as error:
            where = Path(error.filename or "demo")
            raise UserError(f"--demo: cannot create the demo data folder {where}: {why(error, where)}") from None


# --- shared steps ----------------------------------------------------------------------


def _write_text(path: Path, text: str) -> None:
    from tui.store.atomic import write_text_atomic
    from tui.store.os_errors import why

    try:
        write_text_atomic(path, text)
    except OSError as error:
        raise UserError(f"{path}: cannot write: {why(error, path)}") from None


def _refuse_to_replace(path: Path, force: bool) -> None:
    if not force and _exists(path):
        raise UserError(f"{path}: already exists; choose another name or pass --force to replace it")


def _follow_up(esc: Escalation, assessment: Assessment, now: datetime) -> FollowUpPlan | None:
    """The follow-up cadence once escalated; a case that stays in support has none."""
    from tui.domain.cadence import follow_up_plan
    from tui.domain.triage import VerdictKind

    if assessment.verdict.kind is VerdictKind.HANDLE_IN_SUPPORT:
        return None
    return follow_up_plan(assessment.severity.effective, now, esc.contract.customer_update_hours)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        _write_text(output, text if text.endswith("\n") else text + "\n")
        print(f"Wrote {visible(str(output))}", file=sys.stderr)


# --- subcommands -----------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from tui.domain.intake import parse_summary
    from tui.store.brief_file import dumps_brief

    output: Path = args.output
    _refuse_to_replace(output, args.force)
    summary = _argument_text(args.summary, "summary") or ""
    result = parse_summary(summary, customer=_argument_text(args.customer, "customer"), now=_now())
    from tui.config import load_settings

    settings, _ = load_settings(args.config)
    esc = result.escalation
    if settings.reporter.name or settings.reporter.team:
        esc.reporter = esc.reporter.model_copy(update=settings.reporter.model_dump())
    _write_text(output, dumps_brief(esc))
    print(f"Created {visible(str(output))}", file=sys.stderr)
    for signal in result.signals:
        print(f"  read {quoted(signal.text)}: {signal.effect}", file=sys.stderr)
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    if args.audience is not None and args.format == "json":
        raise UserError("--for writes the brief for one team; use it with --format markdown or plain")
    if args.output is not None:
        _refuse_to_replace(args.output, args.force)
    esc = _load(args.file)
    rules = _rules(args.config)
    now = _now(args.now)
    from tui.domain.triage import assess

    assessment = assess(esc, rules, now)
    if args.format == "json":
        from tui.render.assessment_json import assessment_to_dict

        data = {
            "escalation": esc.model_dump(mode="json"),
            "assessment": assessment_to_dict(assessment, _follow_up(esc, assessment, now), now),
        }
        text = json_text(data)
    elif args.format == "markdown" and esc.edited_brief is not None and not args.generated and args.audience is None:
        print(f"{visible(str(args.file))}: the brief was edited by hand; printing that text "
              "(--generated for the one the case makes)", file=sys.stderr)
        text = esc.edited_brief
    else:
        from tui.domain.models import Target

        if args.format == "markdown" and esc.edited_brief is not None and not args.generated:
            print(f"{visible(str(args.file))}: the brief was edited by hand; --for prints the one the case makes",
                  file=sys.stderr)
        render = _renderer(args.format)
        text = render(esc, assessment, now.date(), None if args.audience is None else Target(args.audience))
    _emit(text, args.output)
    return EXIT_OK


def _renderer(name: str) -> Callable[..., str]:
    if name == "plain":
        from tui.render.plain import render_plain

        return render_plain
    from tui.render.markdown import render_markdown

    return render_markdown


def cmd_check(args: argparse.Namespace) -> int:
    esc = _load(args.file)
    rules = _rules(args.config)
    from tui.domain.quality import check_quality
    from tui.domain.triage import assess

    now = _now(args.now)
    assessment = assess(esc, rules, now)
    report = check_quality(esc, assessment, rules, now)
    if args.json:
        data = {
            "ok": report.ok,
            "score": report.score,
            "verdict": assessment.verdict.kind.value,
            "checks": [
                {
                    "id": r.id,
                    "level": r.level.value,
                    "passed": r.passed,
                    "field": r.field,
                    "message": r.message,
                }
                for r in report.results
            ],
        }
        print(json_text(data))
    else:
        print(f"{visible(str(args.file))}: quality {report.score}/100 — verdict: {assessment.verdict.kind.label}")
        for result in report.results:
            mark = "ok  " if result.passed else ("FAIL" if result.level.value == "blocking" else "warn")
            line = f"  {mark} {result.id}"
            if not result.passed:
                line += f" ({result.field}): {result.message}"
            print(line)
        for reason in assessment.verdict.reasons:
            print(f"  why: {reason}")
        if not report.ok:
            print(f"{len(report.blocking_failures)} blocking check(s) failed.")
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


def cmd_triage(args: argparse.Namespace) -> int:
    esc = _load(args.file)
    rules = _rules(args.config)
    now = _now(args.now)
    from tui.domain.triage import assess
    from tui.render.assessment_json import assessment_to_dict

    assessment = assess(esc, rules, now)
    plan = _follow_up(esc, assessment, now)
    if args.json:
        print(json_text(assessment_to_dict(assessment, plan, now)))
        return EXIT_OK
    verdict, severity, target = assessment.verdict, assessment.severity, assessment.target
    print(f"Verdict:  {verdict.kind.label}")
    for reason in verdict.reasons:
        print(f"  - {reason}")
    if plan is None:
        print("Stays in support: no target team, no follow-up cadence.")
        return EXIT_OK
    overridden = f" (proposed {severity.proposed.label}; override: {severity.override_reason})"
    print(f"Severity: {severity.effective.label}{overridden if severity.override_reason else ''}")
    for reason in severity.reasons:
        print(f"  - {reason}")
    cc = f" (cc: {', '.join(t.label for t in target.cc)})" if target.cc else ""
    moved = f" (proposed {target.proposed.label}; override: {target.override_reason})"
    print(f"Target:   {target.effective.label}{cc}{moved if target.override_reason else ''}")
    for reason in target.reasons:
        print(f"  - {reason}")
    print("Follow-up:")
    internal, customer = plan.internal, plan.customer
    print(f"  internal: {internal.interval.label}; next by {internal.earliest:%a %Y-%m-%d %H:%M %z}")
    print(
        f"  customer: {customer.interval.label}; next between {customer.earliest:%a %Y-%m-%d %H:%M} "
        f"and {customer.latest:%a %Y-%m-%d %H:%M %z}"
    )
    if customer.note:
        print(f"    {customer.note}")
    return EXIT_OK


def cmd_schema(_: argparse.Namespace) -> int:
    from tui.store.brief_file import brief_json_schema

    print(json_text(brief_json_schema()))
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new,
    "render": cmd_render,
    "check": cmd_check,
    "triage": cmd_triage,
    "schema": cmd_schema,
    **cli_escalations.HANDLERS,
    **cli_send.HANDLERS,
    **cli_outbox.HANDLERS,
    **cli_listen.HANDLERS,
    **cli_context.HANDLERS,
}


def _start_escalation(args: argparse.Namespace, notes: list[str]) -> tuple[Escalation, Path | None]:
    """The draft to open: a brief file, a summary read by intake, or an empty one; what the agent
    should know about the file read goes to `notes`."""
    start: str | None = args.start
    if start and start.endswith(".toml") and "\n" not in start:
        path = Path(start)
        if " " not in start or _exists(path):
            return _load(path, notes), path
    if start or args.customer:
        from tui.domain.intake import parse_summary

        summary, customer = _argument_text(start, "summary") or "", _argument_text(args.customer, "customer")
        return parse_summary(summary, customer=customer, now=_now(args.now)).escalation, None
    from tui.domain.models import blank_escalation  # no validation: it would build pydantic's validators

    return blank_escalation(created=_now(args.now)), None


def run_ui(args: argparse.Namespace) -> int:
    """Open the terminal app on a brief file, a summary, or an empty draft."""
    from tui import gc_pause

    gc_pause.pause()  # the app resumes collection once its first screen is up
    try:
        notes: list[str] = []
        escalation, brief_path = _start_escalation(args, notes)
        return _run_app(args, escalation, brief_path, notes)
    finally:
        gc_pause.cancel()  # if start-up stopped before the first screen (bad input, an error): collection is back on


def _run_app(args: argparse.Namespace, escalation: Escalation, brief_path: Path | None, notes: list[str]) -> int:
    app = build_app(args, escalation, brief_path, notes)
    app.run()
    return app.return_code or EXIT_OK  # Textual sets 1 when the app stopped on an error it showed


def build_app(args: argparse.Namespace, escalation: Escalation, brief_path: Path | None, notes: list[str]) -> App[Any]:
    """The app as `escalate-tui` opens it for the UI parser's `args` (after `enter_demo` when --demo)."""
    from tui.config import default_config_path, load_settings

    settings, problems = load_settings(args.config)
    if args.demo:
        from tui.config import for_demo

        settings = for_demo(settings)
    from tui.app import make_app

    clock: dict[str, Any] = {}
    if args.now is not None:
        fixed = _now(args.now)
        clock["clock"] = lambda: fixed
    return make_app(
        escalation, **clock, settings=settings, brief_path=brief_path, startup_problems=[*notes, *map(str, problems)],
        data_dir=args.data_dir, offer_resume=not (args.start or args.customer),
        config_path=args.config or default_config_path(),
    )


def parse_arguments(argv: Sequence[str]) -> tuple[argparse.Namespace, bool]:
    """The parsed arguments, and whether they name a command (else they open the app). A leading
    `--demo` counts for the command after it as well."""
    arguments = list(argv)
    demo = bool(arguments) and arguments[0] == "--demo"
    if demo and len(arguments) > 1:
        arguments = arguments[1:]
    wants_command = bool(arguments) and arguments[0] in SUBCOMMANDS
    parser = build_parser() if wants_command else build_ui_parser()
    args = parser.parse_args(arguments)
    args.demo = demo or getattr(args, "demo", False)
    return args, wants_command


def main(argv: Sequence[str] | None = None) -> int:
    args, wants_command = parse_arguments(sys.argv[1:] if argv is None else argv)
    DEMO["on"] = bool(args.demo)  # every command's settings are the demo's (set for each run: tests run many)
    try:
        if args.demo:
            enter_demo(args)
        if not wants_command:
            return run_ui(args)
        return HANDLERS[args.command](args)
    except UserError as error:
        lines = [visible(line) for line in str(error).splitlines()] or [""]  # a backstop: messages quote names
        print(f"escalate-tui: {lines[0]}" if len(lines) == 1 else "\n".join(lines), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
