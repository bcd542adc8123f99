"""What the queue's filter line asks for: words to find in the summary, customer or owner, and
``severity:high`` / ``target:security`` tokens (a value may be cut short: ``sev:crit``, ``target:eng``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.domain.models import Severity, Target

_KEYS: dict[str, type[Severity] | type[Target]] = {
    "severity": Severity, "sev": Severity, "target": Target, "team": Target,
}


@dataclass(frozen=True, slots=True)
class QueueFilter:
    text: str = ""  # the words left once the tokens are taken out
    severity: Severity | None = None
    target: Target | None = None
    problems: tuple[str, ...] = field(default=())  # tokens that name no severity or target, in words

    @property
    def narrows(self) -> bool:
        return bool(self.text or self.severity or self.target)


def parse_filter(line: str) -> QueueFilter:
    words: list[str] = []
    chosen: dict[type[Severity] | type[Target], Severity | Target] = {}
    problems: list[str] = []
    for word in line.split():
        key, colon, value = word.partition(":")
        kind = _KEYS.get(key.casefold()) if colon else None
        if kind is None:
            words.append(word)
            continue
        found = _choice(kind, value)
        if found is None:
            names = ", ".join(member.value for member in kind)
            problems.append(f"“{word[:40]}” names no {key.casefold()}: use one of {names}")
        else:
            chosen[kind] = found
    severity = chosen.get(Severity)
    target = chosen.get(Target)
    assert severity is None or isinstance(severity, Severity)
    assert target is None or isinstance(target, Target)
    return QueueFilter(" ".join(words), severity, target, tuple(problems))


def _choice(kind: type[Severity] | type[Target], value: str) -> Severity | Target | None:
    """The one member whose value or label starts with `value` (any case)."""
    wanted = value.casefold()
    if not wanted:
        return None
    matches = [member for member in kind
               if member.value.startswith(wanted) or member.label.casefold().startswith(wanted)]
    return matches[0] if len(matches) == 1 else None
