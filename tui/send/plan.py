"""From a case to what would leave: which destinations take it, what is masked, and each payload.

The order is fixed so nothing can slip past: the case is scanned and every finding the agent did not
keep is masked in the case itself; the brief is rendered for each destination's audience from that
masked case; the type builds its payload; and a last scan over every string of the built payload
masks anything still found (a value the agent kept is let through, nothing else).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.send.config import DestinationConfig
from tui.send.keys import send_key
from tui.send.model import Brief, JsonValue, Payload

if TYPE_CHECKING:
    from tui.domain.models import Escalation, Target
    from tui.domain.redaction import Finding, RedactionOptions
    from tui.domain.triage import Assessment

DEFAULT_FILE_DESTINATION = "markdown-file"


@dataclass(frozen=True, slots=True)
class CaseToSend:
    escalation_id: int
    version: int
    esc: Escalation
    assessment: Assessment
    today: date


@dataclass(frozen=True, slots=True)
class Planned:
    """One destination's part of a send: its payload, or why there is none."""

    config: DestinationConfig
    payload: Payload | None
    problem: str = ""
    masked_late: int = 0  # findings the last scan masked in the built payload


@dataclass(frozen=True, slots=True)
class SendPlan:
    findings: tuple[Finding, ...]  # everything found in the case
    kept: Mapping[str, str]  # finding key -> the agent's reason for letting it through
    planned: tuple[Planned, ...]
    version: int  # the brief version the payloads carry

    @property
    def masked(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.key not in self.kept)


def with_default(destinations: Sequence[DestinationConfig]) -> list[DestinationConfig]:
    """The configured destinations; with none configured, the Markdown file export alone."""
    if destinations:
        return list(destinations)
    from tui.send.kinds import load_kind

    return [load_kind("file").Config.model_validate({"name": DEFAULT_FILE_DESTINATION, "type": "file"})]


def proposed(destinations: Sequence[DestinationConfig], target: Target | None, severity: Any) -> list[str]:
    """The names routing proposes for a case with this target and severity, in config order."""
    return [config.name for config in destinations if config.takes(target, severity)]


def audience_of(config: DestinationConfig, case: CaseToSend) -> Target:
    return config.audience or case.assessment.target.effective


def markdown_for(case: CaseToSend, esc: Escalation, audience: Target) -> str:
    """The brief for `audience`: the text edited by hand when the case holds one (the agent's words
    go as written), else the Markdown rendered for that team."""
    if esc.edited_brief is not None:
        return esc.edited_brief
    from tui.render.markdown import render_markdown

    return render_markdown(esc, case.assessment, case.today, audience=audience)


def plan_send(case: CaseToSend, destinations: Sequence[DestinationConfig], options: RedactionOptions,
              kept: Mapping[str, str] | None = None) -> SendPlan:
    """The payload for each destination, built from the case with every finding not in `kept` masked."""
    from tui.domain.redaction import mask, scan
    from tui.send.kinds import load_kind

    kept = dict(kept or {})
    findings = tuple(scan(case.esc, options))
    kept = {key: reason for key, reason in kept.items() if any(finding.key == key for finding in findings)}
    masked_esc = mask(case.esc, [finding for finding in findings if finding.key not in kept])
    kept_values = frozenset(finding.value for finding in findings if finding.key in kept)
    planned: list[Planned] = []
    for config in destinations:
        key = send_key(case.escalation_id, case.version, config.name)
        brief = _brief(case, masked_esc, config, key)
        try:
            payload = load_kind(config.type).build(brief, config)
        except ValueError as error:
            planned.append(Planned(config, None, f"cannot be built for {config.name}: {error}"))
            continue
        body, late = _guard(payload.body, options, kept_values)
        payload = replace(payload, body=body, idempotency_key=key)
        planned.append(Planned(config, payload, masked_late=late))
    return SendPlan(findings, kept, tuple(planned), case.version)


def _brief(case: CaseToSend, masked_esc: Escalation, config: DestinationConfig, key: str) -> Brief:
    return Brief(case.escalation_id, case.version, masked_esc, case.assessment,
                 markdown_for(case, masked_esc, audience_of(config, case)), case.today, key)


def masked_brief(case: CaseToSend, config: DestinationConfig, options: RedactionOptions) -> Brief:
    """The brief for `config` with every finding masked (none kept): what a later update of a sent
    message is built from, so it can only show less than the send did."""
    from tui.domain.redaction import mask, scan

    masked_esc = mask(case.esc, list(scan(case.esc, options)))
    return _brief(case, masked_esc, config, send_key(case.escalation_id, case.version, config.name))


def guard(body: JsonValue, options: RedactionOptions) -> JsonValue:
    """`body` with whatever a scan finds in its strings masked (the last check before anything leaves)."""
    return _guard(body, options, frozenset())[0]


def _guard(body: JsonValue, options: RedactionOptions, keep: frozenset[str]) -> tuple[JsonValue, int]:
    """`body` with whatever the last scan still finds in its strings masked, and how many."""
    from tui.domain.redaction import mask_text

    count = 0

    def clean(value: JsonValue) -> JsonValue:
        nonlocal count
        if isinstance(value, str):
            text, found = mask_text(value, options, keep)
            count += len(found)
            return text
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return clean(body), count
