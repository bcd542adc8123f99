"""The redaction corpus in tests/data/redaction: positives (each value assembled from its parts) and
look-alikes that must not be masked. Shared by the corpus tests and bench/redaction.py."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "redaction"


@dataclass(frozen=True)
class Positive:
    kind: str
    category: str
    value: str
    text: str

    @property
    def start(self) -> int:
        return self.text.index(self.value)


@dataclass(frozen=True)
class Negative:
    text: str
    why: str
    known: str  # why it is masked anyway: an accepted false positive; "" for none


def positives() -> list[Positive]:
    entries = tomllib.loads((CORPUS / "positives.toml").read_text(encoding="utf-8"))["positive"]
    result = []
    for entry in entries:
        value = "".join(entry["parts"])
        result.append(Positive(entry["kind"], entry["category"], value, entry["text"].replace("{value}", value)))
    return result


def negatives() -> list[Negative]:
    entries = tomllib.loads((CORPUS / "negatives.toml").read_text(encoding="utf-8"))["negative"]
    return [Negative(entry["text"], entry["why"], entry.get("known", "")) for entry in entries]
