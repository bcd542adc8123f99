"""Redaction before a send: recall and false positives on the corpus, scan time of a large brief, import cost.

Usage: python bench/redaction.py [--runs N]
Prints the figures and writes bench/results/redaction.json. Not a test: figures go in issue notes.

- recall per category (secret, personal) and per kind: a positive counts when it is found as its kind
  with its exact span (tests/data/redaction/positives.toml);
- false positives per category: look-alikes with any finding (tests/data/redaction/negatives.toml),
  those written down as known included;
- scan time: `mask_text()` over the positives' texts joined 20 times (as the detect-secrets comparison
  scans them), `scan()` over a large case (examples/api-500-acme.toml with 200 pasted log excerpts of
  ~1.5 KB, some holding a secret, an address or a phone number) and `mask_text()` over its rendered
  brief, median of N runs; and over the plain example;
- import cost: `tui.domain.redaction` in a fresh interpreter over `tui.domain.models` alone, median of N.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from redaction_corpus import negatives, positives  # noqa: E402

from tui.domain.models import ContextItem, Escalation  # noqa: E402
from tui.domain.redaction import RedactionOptions, mask_text, scan  # noqa: E402
from tui.domain.triage import assess  # noqa: E402
from tui.render.markdown import render_markdown  # noqa: E402
from tui.store.brief_file import load_brief  # noqa: E402

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
LOG_LINE = (
    "2026-11-12T10:00:{s:02d}.{ms:03d}Z ERROR orders-service 4.18.2 pid=4411"
    " req=123e4567-e89b-12d3-a456-4266141740{n:02d} POST /v2/orders/bulk?limit=500 -> 500 in 1843 ms"
    " (items=512, batch={n}, host=10.0.4.{n})\n"
)


def corpus_figures() -> dict[str, object]:
    options = RedactionOptions()
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_kind: dict[str, list[int]] = {}
    for positive in positives():
        findings = mask_text(positive.text, options)[1]
        hit = [(f.kind, f.start, f.value) for f in findings] == [(positive.kind, positive.start, positive.value)]
        total[positive.category] += 1
        found[positive.category] += hit
        by_kind.setdefault(positive.kind, [0, 0])
        by_kind[positive.kind][0] += hit
        by_kind[positive.kind][1] += 1
    looked = negatives()
    flagged = [(n, mask_text(n.text, options)[1]) for n in looked]
    false_by: Counter[str] = Counter(f.category for _, findings in flagged for f in findings[:1])
    return {
        "recall": {category: f"{found[category]}/{total[category]}" for category in sorted(total)},
        "recall_rate": {category: round(found[category] / total[category], 3) for category in sorted(total)},
        "misses": sorted(kind for kind, (hit, count) in by_kind.items() if hit < count),
        "negatives": len(looked),
        "false_positives": {category: false_by[category] for category in ("secret", "personal")},
        "false_positive_rate": round(sum(1 for _, findings in flagged if findings) / len(looked), 3),
        "false_positive_texts": [n.why for n, findings in flagged if findings],
    }


def large_case() -> Escalation:
    esc = load_brief(ROOT / "examples" / "api-500-acme.toml")
    leaks = [p.text for p in positives()]
    items = []
    for index in range(200):
        log = "".join(LOG_LINE.format(s=i % 60, ms=i * 7 % 1000, n=(index + i) % 100) for i in range(8))
        if index % 10 == 0:
            log += leaks[index // 10 % len(leaks)] + "\n"
        items.append(ContextItem(kind="log", title=f"orders-service log, batch {index}", excerpt=log,
                                 reference=f"https://logs.acme-corp.com/orders/{index}"))
    return esc.model_copy(update={"context": items})


def median_ms(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def scan_figures(runs: int) -> dict[str, object]:
    options = RedactionOptions()
    big = large_case()
    brief = render_markdown(big, assess(big, now=NOW), NOW.date())
    small = load_brief(ROOT / "examples" / "api-500-acme.toml")
    small_brief = render_markdown(small, assess(small, now=NOW), NOW.date())
    corpus_x20 = "\n".join(p.text for p in positives()) * 20  # as bench/redaction_vs_detect_secrets.py scans
    return {
        f"mask_text_corpus_x20_{len(corpus_x20)}_chars_ms": median_ms(lambda: mask_text(corpus_x20, options), runs),
        "large_case_chars": sum(len(text) for text in big.model_dump_json()),
        "large_case_findings": len(scan(big, options)),
        "scan_large_case_ms": median_ms(lambda: scan(big, options), runs),
        "large_brief_chars": len(brief),
        "mask_text_large_brief_ms": median_ms(lambda: mask_text(brief, options), runs),
        "scan_example_ms": median_ms(lambda: scan(small, options), runs),
        "mask_text_example_brief_ms": median_ms(lambda: mask_text(small_brief, options), runs),
        "runs": runs,
    }


PROBE = (
    "import time, sys\nimport tui.domain.models\n_start = time.perf_counter()\n{code}\n"
    "print((time.perf_counter() - _start) * 1000)"
)


def import_figures(runs: int) -> dict[str, object]:
    def probe(code: str) -> float:
        out = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        return float(out.stdout.strip())

    imports, first_use = [], []
    for _ in range(runs):
        imports.append(probe("import tui.domain.redaction"))
        first_use.append(probe(
            "from tui.domain.redaction import RedactionOptions, mask_text\n"
            "mask_text('key AKIA0000000000000000, jane@acme-corp.com, (415) 555-0132', RedactionOptions())"))
    return {
        "import_over_models_ms": round(statistics.median(imports), 1),
        "import_and_first_scan_over_models_ms": round(statistics.median(first_use), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per timing (median)")
    args = parser.parse_args()
    results = {"python": sys.version.split()[0], **corpus_figures(), **scan_figures(args.runs),
               **import_figures(args.runs)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "redaction.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
