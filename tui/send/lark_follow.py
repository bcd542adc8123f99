"""What a Lark app does after its card is out, when its destination asks for it: the brief as a wiki
page (`wiki_space_id`), and a task for whoever takes the escalation on the card (`follow_up_task`).

A reconciliation like `card_sync`: the store lists what is still owed (`DraftStore.follow_ups_due`),
each run does one step of each, and every step is an event on the escalation's timeline with its
link. A wait (rate limit, Lark down, an answer lost) is tried on the next run; a refusal (a missing
scope, a space the app may not write to) is logged as "Follow-up failed" with what to fix, and not
tried again. Run after each outbox round and, in `escalate-tui listen`, after each answer.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from tui.domain.lifecycle import Event, EventKind, actor
from tui.domain.timetext import moment
from tui.send import lark_app, lark_task, lark_wiki
from tui.send.card_sync import brief_now
from tui.send.config import DestinationConfig, SecretMissing, masked
from tui.send.model import Brief, Outcome, OutcomeKind

if TYPE_CHECKING:
    import httpx

    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import RuleSettings
    from tui.store.drafts import DraftStore
    from tui.store.follow_ups import FollowUp

_RUNNING = threading.Lock()  # one run at a time in a process: a page's node has no idempotency key


@dataclass(slots=True)
class FollowReport:
    """What one run did: pages published, tasks created, follow-ups stopped, and those left waiting."""

    pages: int = 0
    tasks: int = 0
    stopped: int = 0
    waiting: int = 0
    notes: list[str] = field(default_factory=list)  # why one waits or stopped (secrets masked)


def follow_up(store: DraftStore, destinations: Mapping[str, DestinationConfig], env: Mapping[str, str],
              client: httpx.Client, now: datetime, *, rules: RuleSettings | None = None,
              redaction: RedactionOptions | None = None, zone: tzinfo = UTC) -> FollowReport:
    """One step of every page and task the lark_app destinations still owe."""
    from tui.domain.redaction_options import RedactionOptions
    from tui.domain.settings import DEFAULT_RULES
    from tui.store.drafts import DraftStoreError

    report = FollowReport()
    options = redaction or RedactionOptions()
    apps = {name: config for name, config in destinations.items() if isinstance(config, lark_app.Config)}
    pages = [name for name, config in apps.items() if config.wiki_space_id]
    tasks = [name for name, config in apps.items() if config.follow_up_task]
    if not (pages or tasks) or not _RUNNING.acquire(blocking=False):
        return report
    try:
        for due in store.follow_ups_due(pages, tasks):
            config = apps[due.item.destination]
            what = f"{due.what} for ESC-{due.item.draft_id}"
            try:
                brief = brief_now(store, due.item, config, now, rules or DEFAULT_RULES, options)
                if due.what == "page":
                    outcome = _page(store, due, config, env, client, now, brief, options)
                else:
                    outcome = _task(store, due, config, env, client, now, brief, zone, options)
            except (SecretMissing, DraftStoreError, KeyError, ValueError) as error:
                report.waiting += 1
                report.notes.append(f"{what} waits: {error}")
                continue
            message = masked(outcome.message, config, env)
            if outcome.kind is OutcomeKind.DELIVERED:
                if due.what == "page":
                    report.pages += 1
                else:
                    report.tasks += 1
            elif outcome.kind is OutcomeKind.PERMANENT:
                store.log_follow_up(due.item.draft_id, Event(kind=EventKind.FOLLOW_UP_FAILED, at=now, who=actor(""),
                                                             destination=config.name, follows=due.source.id,
                                                             reason=f"the {due.what} was not made: {message}"))
                report.stopped += 1
                report.notes.append(f"{what} stopped: {message}")
            else:
                report.waiting += 1
                report.notes.append(f"{what} waits: {message}")
    finally:
        _RUNNING.release()
    return report


def _page(store: DraftStore, due: FollowUp, config: lark_app.Config, env: Mapping[str, str],
          client: httpx.Client, now: datetime, brief: Brief, options: RedactionOptions) -> Outcome:
    from tui.send.plan import guard

    draft_id = due.item.draft_id
    if due.started is not None:
        link, document = due.started.event.link, due.started.event.text
    else:
        node = lark_wiki.create_node(client, config, env, now, _guarded_title(brief, options))
        if isinstance(node, Outcome):
            return node
        link, document = lark_wiki.link_for(config, node.node_token), node.document_id
        logged = store.log_follow_up(draft_id, Event(kind=EventKind.PAGE_CREATED, at=now, who=actor(""),
                                                     destination=config.name, follows=due.source.id, link=link,
                                                     text=document))
        if logged is None:
            return Outcome.retry(f"another process made the page for ESC-{draft_id} meanwhile; the page "
                                 f"{link} is left empty")
    blocks = guard(list(lark_wiki.blocks_for(brief)), options)
    assert isinstance(blocks, list)
    outcome = lark_wiki.fill(client, config, env, now, document, blocks, due.item.idempotency_key)  # type: ignore[arg-type]
    if outcome.kind is OutcomeKind.DELIVERED:
        store.log_follow_up(draft_id, Event(kind=EventKind.PAGE_PUBLISHED, at=now, who=actor(""),
                                            destination=config.name, follows=due.source.id, link=link))
    return outcome


def _guarded_title(brief: Brief, options: RedactionOptions) -> Brief:
    """The brief with its summary masked like any text that leaves (the page's title is made from it)."""
    from dataclasses import replace

    from tui.send.plan import guard

    summary = guard(brief.esc.summary, options)
    assert isinstance(summary, str)
    return replace(brief, esc=brief.esc.model_copy(update={"summary": summary}))


def _task(store: DraftStore, due: FollowUp, config: lark_app.Config, env: Mapping[str, str],
          client: httpx.Client, now: datetime, brief: Brief, zone: tzinfo, options: RedactionOptions) -> Outcome:
    from tui.send.plan import guard

    taken = due.source
    record = store.record(taken.escalation)
    if record.internal_due is None:
        return Outcome.retry(f"ESC-{taken.escalation} has no internal check-in to make the task due at")
    body = guard(lark_task.task_body(brief, taken.event.who_id, record.internal_due, taken.id, zone), options)
    outcome = lark_task.create_task(client, config, env, now, body)
    if outcome.kind is OutcomeKind.DELIVERED:
        when = moment(record.internal_due.astimezone(zone))
        store.log_follow_up(taken.escalation, Event(
            kind=EventKind.TASK_CREATED, at=now, who=actor(""), destination=config.name, follows=taken.id,
            link=outcome.remote_url or outcome.remote_id, text=f"for {taken.event.who}, due {when}"))
    return outcome
