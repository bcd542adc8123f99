"""`escalate-tui context`: what the sources know about a brief, and picked items attached to it.

    escalate-tui context FILE [--query Q] [--source NAME ...] [--json] [--attach ID ...]

The query is the brief's summary (or --query) and its customer; every configured source (the local
one when none is configured; the sample workspace with --demo) is searched at once. Exit 0 when all
answered, 1 when one failed (the others' items are still printed), 2 for bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli_support import EXIT_OK, UserError, _add_config, _argument_text, _load, _settings, json_text
from tui.domain.text_safety import visible

if TYPE_CHECKING:
    from tui.domain.models import Escalation
    from tui.sources.config import SourceConfig
    from tui.sources.model import Place, Query, Source, SourceItem

COMMANDS = {"context": "search the sources for what relates to a brief; --attach adds picked items to its context"}
EXIT_SOURCE_FAILED = 1
DEFAULT_SOURCE = "local"
TITLE_WIDTH = 60


def add_parsers(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("context", help=COMMANDS["context"], description=(
        "Search every configured source ([[sources]] in the config; the local exports when there are none; the "
        "sample workspace with --demo) for the brief's summary and customer, and print what each returns. "
        "--attach writes picked items into the brief's supporting context."))
    parser.add_argument("file", type=Path, metavar="FILE", help="the brief file (.toml)")
    parser.add_argument("--query", metavar="Q", help="search for this instead of the brief's summary")
    parser.add_argument("--source", action="append", default=[], metavar="NAME",
                        help="search only this source (repeat for more)")
    parser.add_argument("--json", action="store_true", help="the items as a JSON list")
    parser.add_argument("--attach", nargs="+", action="extend", default=[], metavar="ID",
                        help="add these items (ids as listed) to the brief's context and save the file")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the drafts database (and the imported copies of local exports) is")
    _add_config(parser)


@dataclass
class Answer:
    """What one source said: its items, or why it could not answer."""

    source: str
    items: list[SourceItem] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


# --- choosing and running the sources ---------------------------------------------------------------


def choose(configs: Sequence[SourceConfig], names: Sequence[str]) -> list[SourceConfig]:
    """The sources `names` pick (all when none); UserError naming the known ones for a name not among them."""
    if not names:
        return list(configs)
    by_name = {config.name.casefold(): config for config in configs}
    chosen: list[SourceConfig] = []
    for name in names:
        config = by_name.get(name.casefold())
        if config is None:
            known = ", ".join(config.name for config in configs) or "none"
            raise UserError(f"--source: there is no source called {visible(name)!r}; known: {known}")
        if config not in chosen:
            chosen.append(config)
    return chosen


def configured(raw: list[dict[str, Any]]) -> list[SourceConfig]:
    """The usable `[[sources]]` (the config's problems with the others were printed as it was read), or the
    local source when the config names none; UserError when not one can be used."""
    from tui.sources.config import parse_sources
    from tui.sources.kinds import load_kind

    if raw:
        configs, problems = parse_sources(raw)
        if not configs:
            why = "; ".join(visible(message) for _, message in problems[:3])
            raise UserError(f"none of the [[sources]] can be used: {why}")
        return configs
    try:
        kind = load_kind(DEFAULT_SOURCE)
    except KeyError:
        raise UserError("no [[sources]] in the config, and this version has no local source to fall back on; "
                        "add a [[sources]] table") from None
    return [kind.Config(type=DEFAULT_SOURCE, name=DEFAULT_SOURCE)]


def open_all(configs: Sequence[SourceConfig], env: Mapping[str, str],
             place: Place) -> tuple[list[Source], list[Answer]]:
    """The sources ready to search, and an answer for each that could not even open (a secret not set)."""
    from tui.sources.kinds import load_kind
    from tui.sources.model import SourceError

    ready: list[Source] = []
    failed: list[Answer] = []
    for config in configs:
        try:
            ready.append(load_kind(config.type).open_source(config, env, place))
        except SourceError as error:
            failed.append(Answer(config.name, error=str(error)))
    return ready, failed


async def search_all(sources: Sequence[Source], query: Query, timeouts: Mapping[str, float]) -> list[Answer]:
    """Every source searched at once, each within its own timeout (`fan_out`); answers in the order of
    `sources`."""
    from tui.sources.fanout import fan_out

    said = {answered.source: answered async for answered in fan_out(sources, query, timeouts)}
    return [Answer(source.name, list(said[source.name].items or []), said[source.name].error or "",
                   said[source.name].seconds) for source in sources if source.name in said]


# --- printing ---------------------------------------------------------------------------------------


def item_id(item: SourceItem) -> str:
    """The id `--attach` takes: stable across searches, e.g. "local:48213"."""
    return f"{item.provenance.source}:{item.provenance.id}"


def item_json(item: SourceItem) -> dict[str, Any]:
    return {
        "id": item_id(item), "kind": item.kind.value, "title": item.title, "customer": item.customer,
        "reference": item.reference, "source": item.provenance.source, "url": item.provenance.url,
        "date": item.when.isoformat() if item.when else None, "status": item.status,
    }


def answers_json(answers: Sequence[Answer]) -> str:
    return json_text([item_json(item) for answer in answers for item in answer.items])


def source_line(answer: Answer) -> str:
    if answer.error:
        return f"{visible(answer.source)}: failed: {visible(answer.error)}"
    count = len(answer.items)
    return f"{visible(answer.source)}: {count} item{'' if count == 1 else 's'} ({answer.seconds:.2f} s)"


def answers_table(answers: Sequence[Answer]) -> str:
    """The items as a plain table, every text escaped (it came from a file or a server)."""
    header = ("ID", "KIND", "TITLE", "CUSTOMER", "REFERENCE", "SOURCE", "DATE", "STATUS")
    rows = [header]
    for answer in answers:
        for item in answer.items:
            title = visible(item.title)
            rows.append((
                visible(item_id(item)), item.kind.value,
                title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…",
                visible(item.customer), visible(item.reference), visible(item.provenance.source),
                item.when.isoformat() if item.when else "", visible(item.status),
            ))
    if len(rows) == 1:
        return "No items."
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


# --- attaching --------------------------------------------------------------------------------------


def pick(answers: Sequence[Answer], ids: Sequence[str]) -> list[SourceItem]:
    """The items with these ids; UserError for an id no source returned."""
    found = {item_id(item): item for answer in answers for item in answer.items}
    missing = [item for item in ids if item not in found]
    if missing:
        raise UserError(f"--attach: {', '.join(visible(item) for item in missing)} "
                        f"{'is' if len(missing) == 1 else 'are'} not among the items found; nothing was attached "
                        "(the ids are in the first column, or \"id\" with --json)")
    return list(dict.fromkeys(found[item] for item in ids))


_SAID = {"customer.name": "customer name", "customer.plan": "customer plan", "customer.segment": "customer segment",
         "customer.arr": "customer ARR", "revenue.arr_at_risk": "ARR at risk",
         "flags.documented_workaround": "documented workaround",
         "problem.workaround": "workaround"}


def attach(esc: Escalation, items: Sequence[SourceItem]) -> list[str]:
    """Attach `items` as the Context step does (`attach_changes`: each once; an account fills the
    customer's empty name, plan, segment and ARR; a known issue's workaround is recorded). Says what
    changed, one line each."""
    from tui.domain.field_paths import set_field
    from tui.sources.attach import attach_changes, context_item

    present = {row.reference for row in esc.context}
    said = [f"already in the context: {visible(item.title)}" if context_item(item).reference in present
            else f"attached {item.kind.label.lower()}: {visible(item.title)}" for item in items]
    changes = attach_changes(esc, items)
    for path, value in changes.items():
        set_field(esc, path, value)
        if path in _SAID:
            shown = "yes" if value is True else f"{value:,}" if isinstance(value, int) else str(value)
            said.append(f"{_SAID[path]}: {visible(shown)}")
    return said


# --- the command ------------------------------------------------------------------------------------


def place_for(args: argparse.Namespace) -> Place:
    """Where local sources read from and keep their imported copies: the sample workspace with --demo, else
    the data folder's `workspace/`; the drafts database of the (demo) data folder."""
    from tui.sources.model import Place
    from tui.store import paths
    from tui.store.drafts import FILE_NAME

    try:
        folder = paths.data_dir(args.data_dir)
    except OSError as error:
        raise UserError(f"cannot create the data folder: {error.strerror or error}") from None
    if getattr(args, "demo", False):
        from tui.sources.sample import sample_workspace

        return Place(workspace=sample_workspace(), database=folder / FILE_NAME)
    return Place(workspace=folder / "workspace", database=folder / FILE_NAME)


def cmd_context(args: argparse.Namespace) -> int:
    from tui.sources.model import Query, SourceError

    esc = _load(args.file)
    text = _argument_text(args.query, "--query") if args.query is not None else esc.summary
    if not (text or "").strip():
        raise UserError(f"{visible(str(args.file))}: the brief has no summary to search for; give --query")
    settings = _settings(args.config)  # with --demo, the sample workspace is the one source
    try:
        configs = choose(configured(settings.sources), [_argument_text(name, "--source") or "" for name in args.source])
        place = place_for(args)
    except SourceError as error:
        raise UserError(str(error)) from None
    sources, failed = open_all(configs, os.environ, place)
    query = Query(text=" ".join((text or "").split()), customer=esc.customer.name)
    found = asyncio.run(search_all(sources, query, {config.name: config.timeout for config in configs}))
    order = {config.name: n for n, config in enumerate(configs)}
    answers = sorted([*found, *failed], key=lambda answer: order[answer.source])
    if args.json:
        for answer in answers:
            if answer.error:
                print(source_line(answer), file=sys.stderr)
        print(answers_json(answers))
    else:
        print("\n".join(source_line(answer) for answer in answers))
        print()
        print(answers_table(answers))
    if args.attach:
        _attach_and_save(esc, args.file, pick(answers, [_argument_text(i, "--attach") or "" for i in args.attach]))
    return EXIT_SOURCE_FAILED if any(answer.error for answer in answers) else EXIT_OK


def _attach_and_save(esc: Escalation, path: Path, items: list[SourceItem]) -> None:
    from tui.store.brief_file import BriefFileError, save_brief
    from tui.store.os_errors import why

    said = attach(esc, items)
    try:
        save_brief(esc, path)
    except BriefFileError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{visible(str(path))}: cannot write: {why(error, path)}") from None
    for line in said:
        print(f"  {line}", file=sys.stderr)
    print(f"Saved {visible(str(path))}", file=sys.stderr)


HANDLERS = {"context": cmd_context}
