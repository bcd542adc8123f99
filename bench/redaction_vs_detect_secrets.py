"""detect-secrets 1.5.0 on the redaction corpus, for comparison with bench/redaction.py.

Usage (detect-secrets is not a dependency; use a throwaway virtualenv):
    python3 -m venv /tmp/ds-venv && /tmp/ds-venv/bin/pip install detect-secrets==1.5.0
    /tmp/ds-venv/bin/python bench/redaction_vs_detect_secrets.py

Two ways of running its default plugins and filters: as it scans a file (entropy plugins look only at
quoted strings, its heuristic filters drop ids and likely-non-secrets), and line by line in its ad-hoc
mode (`scan_line`: every word is a candidate). A positive counts when a reported value and the corpus
value contain one another. Prints recall per category, look-alikes flagged, scan time, import time.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from redaction_corpus import negatives, positives  # noqa: E402

_start = time.perf_counter()
from detect_secrets import SecretsCollection  # noqa: E402
from detect_secrets.core.scan import scan_line  # noqa: E402
from detect_secrets.settings import default_settings  # noqa: E402

IMPORT_MS = (time.perf_counter() - _start) * 1000
FOLDER = Path(tempfile.mkdtemp())


def as_file(text: str) -> list[str]:
    path = FOLDER / "brief.txt"
    path.write_text(text + "\n", encoding="utf-8")
    found = SecretsCollection()
    found.scan_file(str(path))
    return [secret.secret_value or "" for _, secret in found]


def ad_hoc(text: str) -> list[str]:
    return [secret.secret_value or "" for line in text.splitlines() for secret in scan_line(line)]


def figures(find: Callable[[str], list[str]]) -> dict[str, object]:
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for positive in positives():
        values = find(positive.text)
        total[positive.category] += 1
        hits[positive.category] += any(v and (v in positive.value or positive.value in v) for v in values)
    looked = negatives()
    flagged = sum(1 for negative in looked if find(negative.text))
    big = "\n".join(p.text for p in positives()) * 20
    times = []
    for _ in range(5):
        start = time.perf_counter()
        find(big)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "recall": {category: f"{hits[category]}/{total[category]}" for category in sorted(total)},
        "look_alikes_flagged": f"{flagged}/{len(looked)}",
        f"scan_{len(big)}_chars_ms": round(statistics.median(times), 1),
    }


def main() -> None:
    with default_settings():
        print("import_ms", round(IMPORT_MS, 1))
        print("as_file", figures(as_file))
        print("ad_hoc", figures(ad_hoc))


if __name__ == "__main__":
    main()
