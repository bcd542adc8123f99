"""Escalations with sends queued for a webhook, in a real drafts database, for the outbox's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.domain.triage import assess
from tui.render.markdown import render_markdown
from tui.send import webhook
from tui.send.model import Brief
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
SECRET = "whsec-test-7f3a9c"


def webhook_config(url: str, name: str = "eng-hook", secret_env: str = "", timeout: float = 5.0,
                   kind: str = "webhook") -> webhook.Config:
    table = {"name": name, "type": kind, "url": url, "timeout": timeout}
    return webhook.Config.model_validate({**table, "secret_env": secret_env} if secret_env else table)


def brief_of(draft_id: int, version: int = 1, example: str = "api-500-acme.toml") -> Brief:
    esc = load_brief(ROOT / "examples" / example)
    assessment = assess(esc)
    return Brief(draft_id, version, esc, assessment, render_markdown(esc, assessment, NOW.date()), NOW.date())


def escalation(store: DraftStore, example: str = "api-500-acme.toml") -> int:
    esc = load_brief(ROOT / "examples" / example)
    draft_id = store.create(esc, NOW)
    assessment = assess(esc)
    store.escalate(draft_id, render_markdown(esc, assessment, NOW.date()), assessment.severity.effective,
                   assessment.target.effective, "Dana", NOW)
    return draft_id


def queue_sends(store: DraftStore, config: webhook.Config, count: int, kind: str = "webhook") -> list[int]:
    """`count` escalations, each with one send to `config` queued; the outbox items' ids."""
    ids = []
    for _ in range(count):
        draft_id = escalation(store)
        payload = webhook.build(brief_of(draft_id), config)
        item, _ = store.enqueue(draft_id, payload.destination, kind, payload.title, payload.body,
                                payload.idempotency_key, 1, NOW)
        ids.append(item.id)
    return ids
