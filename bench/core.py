"""Core speed: rules + quality + render for one full escalation, and the import cost of the core.

Usage: python bench/core.py [--runs N]
Prints medians and writes bench/results/core.json. Not a test: figures go in issue notes.

- per-brief time: assess() + check_quality() + render_markdown() on examples/api-500-acme.toml,
  median over repeats of a timed batch (target <= 1 ms);
- import time: fresh interpreters, interleaved, `import pydantic` alone (lazy: it loads little),
  `from pydantic import BaseModel` (what any pydantic model costs), and the whole of
  tui.domain + tui.render (target: <= 60 ms over pydantic's own, no Textual or httpx loaded).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import timeit
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

CORE_MODULES = (
    "tui.domain.models, tui.domain.triage, tui.domain.quality, tui.domain.intake, tui.domain.cadence, "
    "tui.render.markdown, tui.render.plain, tui.render.assessment_json"
)
PROBE = (
    "import time, sys\n"
    "_start = time.perf_counter()\n"
    "import {modules}\n"
    "{warm}\n"
    "elapsed = time.perf_counter() - _start\n"
    "heavy = sorted({{m for m in sys.modules if m.split('.')[0] in ('textual', 'httpx', 'tomlkit')}})\n"
    "print(elapsed, ','.join(heavy))\n"
)


def time_import(modules: str, warm: str = "") -> tuple[float, str]:
    code = PROBE.format(modules=modules, warm=warm)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, _, heavy = out.stdout.strip().partition(" ")
    return float(seconds) * 1000, heavy


def compile_bytecode() -> None:
    """A normal install compiles bytecode; this environment may set PYTHONDONTWRITEBYTECODE, which
    would otherwise make every fresh interpreter recompile the sources and inflate import times."""
    import compileall

    compileall.compile_dir(ROOT / "tui", quiet=1)


def bench_imports(runs: int) -> dict[str, object]:
    compile_bytecode()
    pydantic_ms: list[float] = []
    basemodel_ms: list[float] = []
    core_ms: list[float] = []
    core_first_use_ms: list[float] = []
    heavy_seen: set[str] = set()
    first_use = (
        "import tui.domain.models as _m, tui.domain.triage as _t\n"
        "_t.assess(_m.Escalation.model_validate({'summary': 'x', 'flags': {'production_down': True}}))"
    )
    for _ in range(runs):  # interleaved so drift hits both sides alike
        pydantic_ms.append(time_import("pydantic")[0])
        basemodel_ms.append(time_import("pydantic", warm="from pydantic import BaseModel, Field")[0])
        ms, heavy = time_import(CORE_MODULES)
        core_ms.append(ms)
        heavy_seen.update(filter(None, heavy.split(",")))
        core_first_use_ms.append(time_import(CORE_MODULES, warm=first_use)[0])
    pyd, base, core, used = (statistics.median(x) for x in (pydantic_ms, basemodel_ms, core_ms, core_first_use_ms))
    return {
        "import_pydantic_ms": round(pyd, 1),
        "import_pydantic_basemodel_ms": round(base, 1),
        "import_core_over_basemodel_ms": round(core - base, 1),
        "import_core_ms": round(core, 1),
        "import_core_over_pydantic_ms": round(core - pyd, 1),
        "import_core_and_first_use_ms": round(used, 1),
        "first_use_over_pydantic_ms": round(used - pyd, 1),
        "heavy_modules_loaded": sorted(heavy_seen),
        "runs": runs,
    }


def bench_brief(repeats: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from tui.domain.quality import check_quality
    from tui.domain.triage import assess
    from tui.render.markdown import render_markdown
    from tui.render.plain import render_plain
    from tui.store.brief_file import load_brief

    esc = load_brief(ROOT / "examples" / "api-500-acme.toml")
    now = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    today = now.date()

    def full_pass() -> str:
        assessment = assess(esc, now=now)
        check_quality(esc, assessment)
        return render_markdown(esc, assessment, today)

    def part(fn_name: str) -> float:
        assessment = assess(esc, now=now)
        fns = {
            "assess": lambda: assess(esc, now=now),
            "quality": lambda: check_quality(esc, assessment),
            "markdown": lambda: render_markdown(esc, assessment, today),
            "plain": lambda: render_plain(esc, assessment, today),
        }
        return _median_per_call(fns[fn_name], repeats)

    return {
        "brief_full_pass_ms": round(_median_per_call(full_pass, repeats), 4),
        "assess_ms": round(part("assess"), 4),
        "quality_ms": round(part("quality"), 4),
        "render_markdown_ms": round(part("markdown"), 4),
        "render_plain_ms": round(part("plain"), 4),
        "brief_lines": full_pass().count("\n") + 1,
        "repeats": repeats,
    }


def _median_per_call(fn: object, repeats: int) -> float:
    timer = timeit.Timer(fn)  # type: ignore[arg-type]
    loops, _ = timer.autorange()
    return statistics.median(t / loops for t in timer.repeat(repeat=repeats, number=loops)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per import measurement")
    args = parser.parse_args()
    results = {"python": sys.version.split()[0], **bench_brief(repeats=15), **bench_imports(args.runs)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "core.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
