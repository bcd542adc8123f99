"""Startup and typing latency of the installed app in a real terminal, each beside a bare Textual app.

Usage: python bench/startup.py [--runs N] [--keys N] [--reuse] [--quick]
Prints medians and ratios and writes bench/results/startup.json (every raw sample). Not a test: figures
go in issue notes. Absolute times drift 10-15 % between runs, so only the ratios to the bare app measured
in the same run (interleaved, so drift hits both) are worth comparing across runs.

- setup: a private virtualenv bench/.venv-bench, the repo pip-installed into it non-editably, bytecode
  compiled (PYTHONDONTWRITEBYTECODE only stops writing .pyc, not reading them);
- launch: `tmux new-session` in a 120x40 pane -> first capture-pane showing the complete intake screen
  (verdict "ESCALATE", footer "palette" and the summary in its input), against a bare app (Static +
  Footer), a tmux + python floor and `python -c pass`; and launch -> two keys typed the moment that
  screen is complete shown at the end of the summary (the first field's editor opens just after the
  first frame, so this is when the screen is usable, not only drawn);
- key echo: one printable character (`send-keys -l`) -> the character on screen, in the summary input
  of a running app, against a bare app whose only widget is a focused Input; median and p90;
- preview: render_markdown on a 200-line brief, alone and with Rich's Markdown printed at width 72
  (what the brief screen's preview does; target <= 16 ms, one 60 Hz frame);
- start path: whether httpx or tomlkit are imported by the time the app object is built, and by the
  time the first screen is up (headless), and whether every loaded module came from a .pyc.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCH_VENV = ROOT / "bench" / ".venv-bench"

SUMMARY = "Data export is missing rows — 3 customers reported this week"
FIRST_KEYS = "zq"
COLUMNS, ROWS = 120, 40
POLL_EVERY = 0.005  # seconds between the starts of two capture-pane calls
TIMEOUT = 20.0  # seconds any one wait may take before the run fails
KEY_GAP = 0.04  # seconds of quiet after an echo before the next keystroke
PREVIEW_TARGET_MS = 16.0
PREVIEW_LINES = 200
KEYS = "abcdefghijklmnopqrstuvwxyz"
IGNORED_KEYS = 3  # first keystrokes of each app, not counted (first-use costs)

BARE_LAUNCH_APP = '''\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BARE-APP-READY")
        yield Footer()


Bare().run()
'''

BARE_INPUT_APP = '''\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Static


class BareInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BARE-INPUT-READY")
        yield Input()
        yield Footer()


BareInput().run()
'''

FLOOR_SCRIPT = "print('FLOOR-READY', flush=True); import time; time.sleep(120)"

# The start path as `escalate-tui SUMMARY` runs it, up to the app object; then (optionally) headless up to
# the intake screen being mounted. Prints JSON: heavy modules seen, and loaded modules lacking a .pyc.
START_PATH_DRIVER = '''\
import asyncio, importlib.util, json, os, sys
import tui.cli, tui.app

WATCH = ("httpx", "tomlkit", "pydantic", "sqlite3", "markdown_it", "pygments")


def seen():
    return sorted(m for m in WATCH if m in sys.modules)


args = tui.cli.build_ui_parser().parse_args([sys.argv[1]])
escalation, brief_path = tui.cli._start_escalation(args)
from tui.config import load_settings

settings, problems = load_settings(None)
app = tui.app.make_app(escalation, settings=settings, brief_path=brief_path, data_dir=None, offer_resume=False)
result = {"after_make_app": seen()}


async def first_screen():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        result["first_screen_class"] = type(app.screen).__name__


asyncio.run(first_screen())
result["after_first_screen"] = seen()
missing = []
for name, module in list(sys.modules.items()):
    source = getattr(module, "__file__", None) or ""
    if source.endswith(".py") and "site-packages" in source:
        if not os.path.exists(importlib.util.cache_from_source(source)):
            missing.append(name)
result["loaded_without_pyc"] = sorted(missing)
result["tui_from"] = os.path.dirname(tui.__file__)
print(json.dumps(result))
'''


class BenchError(RuntimeError):
    """A wait that timed out, a pane that died, a failed install: the message says which."""


# --- the bench virtualenv -------------------------------------------------------------


def _run(cmd: Sequence[str | Path], what: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result


def bench_python() -> Path:
    return BENCH_VENV / "bin" / "python"


def setup_venv(reuse: bool) -> dict[str, object]:
    """Create (or reuse) bench/.venv-bench with the repo installed non-editably and bytecode compiled."""
    python = bench_python()
    started = time.perf_counter()
    installed = (BENCH_VENV / "bin" / "escalate-tui").exists()
    if not (reuse and installed):
        if BENCH_VENV.exists():
            shutil.rmtree(BENCH_VENV)
        print(f"creating {BENCH_VENV.relative_to(ROOT)} and installing {ROOT} into it (non-editable) ...",
              file=sys.stderr)
        _run([sys.executable, "-m", "venv", BENCH_VENV], "python -m venv")
        _run([python, "-m", "pip", "install", "--quiet", ROOT], f"pip install {ROOT}")
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], "sysconfig")
    site_packages = Path(site.stdout.strip())
    if not (site_packages / "tui" / "app.py").exists():
        raise BenchError(f"tui is not installed as files in {site_packages} (an editable install?)")
    # Writes .pyc even when PYTHONDONTWRITEBYTECODE is set; the children then read them (that variable
    # stops writing only). The whole site-packages, in case pip left anything uncompiled; fast when done.
    _run([python, "-m", "compileall", "-q", site_packages / "tui"], "compileall tui")
    _run([python, "-m", "compileall", "-q", site_packages], "compileall site-packages")
    versions = _run(
        [python, "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0], "
         "*(m.version(p) for p in ('textual', 'rich', 'pydantic', 'escalate-tui')))"], "versions",
    ).stdout.split()
    return {
        "venv": str(BENCH_VENV.relative_to(ROOT)),
        "reused": reuse and installed,
        "setup_s": round(time.perf_counter() - started, 1),
        "python": versions[0],
        "textual": versions[1],
        "rich": versions[2],
        "pydantic": versions[3],
        "escalate_tui": versions[4],
    }


# --- tmux -----------------------------------------------------------------------------


@dataclass
class Pane:
    """One private tmux server (its own socket) holding one 120x40 pane."""

    socket: str
    conf: Path

    def tmux(self, *args: str) -> list[str]:
        return ["tmux", "-L", self.socket, "-f", str(self.conf), *args]

    def start(self, command: Sequence[str], env: dict[str, str]) -> None:
        _run(self.tmux("new-session", "-d", "-s", "bench", "-x", str(COLUMNS), "-y", str(ROWS), "--", *command),
             f"tmux new-session for {command[0]}", env=env)

    def capture(self) -> str | None:
        """The screen as text; None when the server is gone."""
        result = subprocess.run(self.tmux("capture-pane", "-p", "-t", "bench"), capture_output=True, text=True,
                                check=False)
        return result.stdout if result.returncode == 0 else None

    def dead(self) -> bool:
        result = subprocess.run(self.tmux("display-message", "-p", "-t", "bench", "#{pane_dead}"),
                                capture_output=True, text=True, check=False)
        return result.returncode != 0 or result.stdout.strip() == "1"

    def send_literal(self, text: str) -> None:
        subprocess.run(self.tmux("send-keys", "-t", "bench", "-l", text), check=True, capture_output=True)

    def kill(self) -> None:
        subprocess.run(self.tmux("kill-server"), capture_output=True, check=False)
        # kill-server leaves the socket file behind; it is ours alone (the name has our pid).
        tmpdir = Path(os.environ.get("TMUX_TMPDIR") or "/tmp")
        (tmpdir / f"tmux-{os.getuid()}" / self.socket).unlink(missing_ok=True)

    def wait_for(self, ready: Callable[[str], bool], what: str, poll_ms: list[float] | None = None) -> float:
        """Poll capture-pane every POLL_EVERY s until `ready(screen)`; the perf_counter at that capture's end."""
        deadline = time.perf_counter() + TIMEOUT
        screen: str | None = ""
        polls = 0
        while True:
            began = time.perf_counter()
            screen = self.capture()
            ended = time.perf_counter()
            if poll_ms is not None:
                poll_ms.append((ended - began) * 1000)
            if screen is not None and ready(screen):
                return ended
            polls += 1
            if screen is None or (polls % 40 == 0 and self.dead()):
                last = self.capture() or screen or "(no screen: the tmux server is gone)"
                raise BenchError(f"the pane exited before {what} appeared; last screen:\n{_shown(last)}")
            if ended > deadline:
                raise BenchError(f"{what} never appeared within {TIMEOUT:.0f} s; last screen:\n{_shown(screen)}")
            time.sleep(max(0.0, POLL_EVERY - (time.perf_counter() - began)))


def _shown(screen: str) -> str:
    """A captured screen for an error message: its non-blank lines only."""
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    return "\n".join(lines[-30:]) or "(blank)"


@contextmanager
def private_pane(label: str) -> Iterator[tuple[Pane, dict[str, str]]]:
    """A private tmux server plus fresh XDG config/data dirs; the server is always killed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"startup-bench-{label}-") as tmp:
        conf = Path(tmp) / "tmux.conf"
        # No status line (the pane gets all 40 rows); keep a dead pane so a crash can be shown.
        conf.write_text("set -g status off\nset -g remain-on-exit on\n", encoding="utf-8")
        pane = Pane(socket=f"escbench-{os.getpid()}-{label}", conf=conf)
        env = child_env(Path(tmp))
        try:
            yield pane, env
        finally:
            pane.kill()


def child_env(tmp: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("ESCALATE_TUI_", "TMUX", "VIRTUAL_ENV", "TEXTUAL"))
    }
    for name in ("config", "data"):
        (tmp / name).mkdir()
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["TERM"] = "xterm-256color"  # the outer TERM, if any, must not differ between runs
    return env


def has_all(*markers: str) -> Callable[[str], bool]:
    return lambda screen: all(marker in screen for marker in markers)


# --- launch -> first complete screen ---------------------------------------------------


@dataclass(frozen=True)
class Launch:
    name: str
    command: list[str]
    markers: tuple[str, ...]


def time_launch(target: Launch, poll_ms: list[float]) -> float:
    with private_pane(target.name) as (pane, env):
        started = time.perf_counter()
        pane.start(target.command, env)
        shown = pane.wait_for(has_all(*target.markers), f"{' + '.join(map(repr, target.markers))} ({target.name})",
                              poll_ms)
        return (shown - started) * 1000


def time_first_key(poll_ms: list[float]) -> float:
    """Launch → a key typed the moment the intake screen is complete shows in the summary field.

    Views stand in for the fields in the first frame and the summary's editor opens just after it,
    so this says how soon the screen is usable, not only drawn: the typed text must reach the input.
    """
    with private_pane("first-key") as (pane, env):
        started = time.perf_counter()
        pane.start([str(BENCH_VENV / "bin" / "escalate-tui"), SUMMARY], env)
        pane.wait_for(has_all("ESCALATE", "palette", SUMMARY[:27]), "the intake screen (first key)", poll_ms)
        pane.send_literal(FIRST_KEYS)
        shown = pane.wait_for(has_all(SUMMARY[-4:] + FIRST_KEYS), "the first keys in the summary", poll_ms)
        return (shown - started) * 1000


def time_python_pass() -> float:
    started = time.perf_counter()
    subprocess.run([str(bench_python()), "-c", "pass"], check=True)
    return (time.perf_counter() - started) * 1000


def bench_launch(runs: int, tmp: Path) -> dict[str, object]:
    python = str(bench_python())
    bare = tmp / "bare_launch.py"
    bare.write_text(BARE_LAUNCH_APP, encoding="utf-8")
    targets = [
        Launch("app", [str(BENCH_VENV / "bin" / "escalate-tui"), SUMMARY], ("ESCALATE", "palette", SUMMARY[:27])),
        Launch("bare", [python, str(bare)], ("BARE-APP-READY", "palette")),
        Launch("floor", [python, "-c", FLOOR_SCRIPT], ("FLOOR-READY",)),
    ]
    samples: dict[str, list[float]] = {t.name: [] for t in targets}
    samples["python_pass"] = []
    samples["first_key"] = []
    poll_ms: list[float] = []
    for target in targets:  # warm-up, not counted: the first start after an install reads cold files
        time_launch(target, [])
    for round_ in range(runs):
        order = targets if round_ % 2 == 0 else targets[::-1]  # alternate who goes first
        for target in order:
            samples[target.name].append(time_launch(target, poll_ms))
        samples["python_pass"].append(time_python_pass())
        samples["first_key"].append(time_first_key(poll_ms))
        print(f"  launch round {round_ + 1}/{runs}: app {samples['app'][-1]:.0f} ms, bare {samples['bare'][-1]:.0f} ms",
              file=sys.stderr)
    result: dict[str, object] = {name: summary(values) for name, values in samples.items()}
    result["capture_pane_call_ms"] = summary(poll_ms, keep_samples=False)
    result["app_over_bare"] = ratio(samples["app"], samples["bare"])
    result["runs"] = runs
    return result


# --- key echo -------------------------------------------------------------------------


@dataclass(frozen=True)
class Typist:
    """A running app and how to read what its input shows."""

    name: str
    command: list[str]
    ready: tuple[str, ...]
    input_line: re.Pattern[str]  # group 1: the visible text of the input

    def echoed(self, typed: str) -> Callable[[str], bool]:
        def check(screen: str) -> bool:
            for line in screen.splitlines():
                match = self.input_line.search(line)
                if match:
                    shown = match.group(1)
                    if shown == typed or (len(shown) >= 12 and typed.endswith(shown)):  # scrolled input
                        return True
            return False

        return check


def bench_keys(keys: int, tmp: Path) -> dict[str, object]:
    python = str(bench_python())
    bare = tmp / "bare_input.py"
    bare.write_text(BARE_INPUT_APP, encoding="utf-8")
    typists = [
        # No summary argument: the summary input is empty and focused; fresh XDG_DATA_HOME: no resume prompt.
        Typist("app", [str(BENCH_VENV / "bin" / "escalate-tui")], ("Summary (one line)", "Verdict", "palette"),
               re.compile(r"^\s*Summary \(one line\)\s+(\S*)")),
        Typist("bare", [python, str(bare)], ("BARE-INPUT-READY", "palette"), re.compile(r"▊\s*([^\s▎]*)\s*▎")),
    ]
    samples: dict[str, list[float]] = {t.name: [] for t in typists}
    typed = {t.name: "" for t in typists}
    with private_pane("keys-app") as (app_pane, app_env), private_pane("keys-bare") as (bare_pane, bare_env):
        panes = {"app": (app_pane, app_env), "bare": (bare_pane, bare_env)}
        for typist in typists:
            pane, env = panes[typist.name]
            pane.start(typist.command, env)
            pane.wait_for(has_all(*typist.ready), f"{typist.name}'s first screen ({', '.join(typist.ready)})")
        time.sleep(1.0)  # let start-up work (draft database, timers) settle
        for index in range(keys):
            key = KEYS[index % len(KEYS)]
            for typist in typists if index % 2 == 0 else typists[::-1]:
                pane, _ = panes[typist.name]
                typed[typist.name] += key
                started = time.perf_counter()
                pane.send_literal(key)
                shown = pane.wait_for(typist.echoed(typed[typist.name]),
                                      f"keystroke {index + 1} ({key!r}) in {typist.name}'s input")
                samples[typist.name].append((shown - started) * 1000)
                time.sleep(KEY_GAP)
    counted = {name: values[IGNORED_KEYS:] for name, values in samples.items()}
    result: dict[str, object] = {name: summary(values, p90=True) for name, values in counted.items()}
    result["first_keys_ignored_ms"] = {name: [round(v, 2) for v in values[:IGNORED_KEYS]]
                                       for name, values in samples.items()}
    result["app_minus_bare_ms"] = round(statistics.median(counted["app"]) - statistics.median(counted["bare"]), 2)
    result["keys"] = len(counted["app"])
    return result


# --- brief preview --------------------------------------------------------------------


def bench_preview(runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from rich.console import Console
    from rich.markdown import Markdown

    from tui.domain.models import Escalation
    from tui.domain.triage import assess
    from tui.render.markdown import render_markdown
    from tui.screens.brief import preview_markdown
    from tui.store.brief_file import load_brief
    from tui.widgets.brief_preview import SectionCache

    now = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    data = load_brief(ROOT / "examples" / "api-500-acme.toml").model_dump(mode="json")
    steps, tried, context = list(data["reproduction"]["steps"]), list(data["tried"]), list(data["context"])
    copy = 0
    while True:
        esc = Escalation.model_validate(data)
        assessment = assess(esc, now=now)
        text = render_markdown(esc, assessment, now.date())
        lines = text.count("\n")
        if lines >= PREVIEW_LINES:
            break
        copy += 1
        data["reproduction"]["steps"] += [f"{s} (again, pass {copy})" for s in steps]
        data["tried"] += [{**t, "action": f"{t['action']} (pass {copy})"} for t in tried]
        data["context"] += [{**c, "title": f"{c['title']} (pass {copy})"} for c in context]

    buffer = io.StringIO()
    console = Console(file=buffer, width=72, force_terminal=True, color_system="truecolor")

    def render_only() -> None:
        render_markdown(esc, assessment, now.date())

    def render_and_print() -> None:
        console.print(Markdown(render_markdown(esc, assessment, now.date())))

    def as_preview() -> None:  # exactly BriefScreen._draw_preview's text: label lines kept apart
        console.print(Markdown(preview_markdown(render_markdown(esc, assessment, now.date()))))

    cache = SectionCache()
    console.print(cache.renderable(preview_markdown(text)))
    edits = iter(range(10**9))

    def after_one_edit() -> None:  # what the Brief step does after a keystroke: one section changed
        esc.ask.text = f"Investigate the dropped rows (edit {next(edits)})"
        fresh = render_markdown(esc, assess(esc, now=now), now.date())
        console.print(cache.renderable(preview_markdown(fresh)))

    timed = {"render_markdown": render_only, "render_plus_rich_markdown": render_and_print,
             "preview_markdown_plus_rich": as_preview, "preview_after_one_edit": after_one_edit}
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for fn in timed.values():  # warm-up: first use parses Rich's and markdown-it's tables
        fn()
    for _ in range(runs):
        for name, fn in timed.items():
            buffer.seek(0)
            buffer.truncate()
            started = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - started) * 1000)
    printed_lines = buffer.getvalue().count("\n")
    result: dict[str, object] = {name: summary(values) for name, values in samples.items()}
    full = statistics.median(samples["preview_after_one_edit"])
    result.update({
        "brief_lines": lines,
        "brief_chars": len(text),
        "printed_lines_at_width_72": printed_lines,
        "target_ms": PREVIEW_TARGET_MS,
        "within_target": full <= PREVIEW_TARGET_MS,
        "runs": runs,
    })
    return result


# --- start path imports ---------------------------------------------------------------


def bench_start_path(tmp: Path) -> dict[str, object]:
    (tmp / "start-path").mkdir()
    env = child_env(tmp / "start-path")
    out = _run([bench_python(), "-c", START_PATH_DRIVER, SUMMARY], "the start-path driver", env=env, cwd=tmp)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- figures --------------------------------------------------------------------------


def summary(values: list[float], *, p90: bool = False, keep_samples: bool = True) -> dict[str, object]:
    out: dict[str, object] = {"median_ms": round(statistics.median(values), 2)}
    if p90:
        out["p90_ms"] = round(percentile(values, 0.9), 2)
    out["min_ms"] = round(min(values), 2)
    out["max_ms"] = round(max(values), 2)
    out["n"] = len(values)
    if keep_samples:
        out["samples_ms"] = [round(v, 2) for v in values]
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ratio(values: list[float], base: list[float]) -> float:
    return round(statistics.median(values) / statistics.median(base), 2)


def git_state() -> dict[str, object]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False, cwd=ROOT)
        return result.stdout.strip()

    return {"head": git("rev-parse", "--short", "HEAD"),
            "uncommitted": [line[3:] for line in git("status", "--porcelain").splitlines()]}


def table(results: dict[str, Any]) -> list[str]:
    launch, keys, preview = (results[k] for k in ("launch", "key_echo", "preview"))
    bare = launch["bare"]["median_ms"]
    rows: list[tuple[str, str, str, str]] = [("name", "median ms", "×bare or Δ", "runs")]

    def launch_row(name: str, key: str) -> None:
        entry = launch[key]
        rows.append((name, f"{entry['median_ms']:.1f}", f"×{entry['median_ms'] / bare:.2f}", str(entry["n"])))

    launch_row("launch → intake screen (escalate-tui)", "app")
    launch_row("launch → first paint (bare Textual app)", "bare")
    launch_row("launch → tmux + python print (floor)", "floor")
    launch_row("python -c pass (no tmux)", "python_pass")
    launch_row("launch → keys typed at once shown (escalate-tui)", "first_key")
    for name in ("app", "bare"):
        entry = keys[name]
        delta = f"Δ {keys['app_minus_bare_ms']:+.1f}" if name == "app" else "—"
        label = "key echo, summary input (escalate-tui)" if name == "app" else "key echo, lone Input (bare)"
        rows.append((label, f"{entry['median_ms']:.1f} (p90 {entry['p90_ms']:.1f})", delta, str(entry["n"])))
    render = preview["render_markdown"]["median_ms"]
    for name, key in (("brief render_markdown (200 lines)", "render_markdown"),
                      ("render + rich Markdown print, w72", "render_plus_rich_markdown"),
                      ("same with preview_markdown, from cold", "preview_markdown_plus_rich"),
                      ("preview after one edit (section cache)", "preview_after_one_edit")):
        entry = preview[key]
        delta = "—" if key == "render_markdown" else f"Δ {entry['median_ms'] - render:+.1f}"
        rows.append((name, f"{entry['median_ms']:.2f}", delta, str(entry["n"])))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}" for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="launches of each app (default 11)")
    parser.add_argument("--keys", type=int, default=40, help="keystrokes into each app (default 40)")
    parser.add_argument("--preview-runs", type=int, default=25, help="preview re-renders (default 25)")
    parser.add_argument("--reuse", action="store_true", help="reuse bench/.venv-bench without reinstalling")
    parser.add_argument("--quick", action="store_true", help="3 runs of everything: a smoke check")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.keys, args.preview_runs = 3, IGNORED_KEYS + 3, 3
    if shutil.which("tmux") is None:
        raise SystemExit("startup.py needs tmux on PATH")
    started = time.perf_counter()
    try:
        results: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "git": git_state(),
            "cpus": os.cpu_count(),
            "pane": f"{COLUMNS}x{ROWS}",
            "poll_every_ms": POLL_EVERY * 1000,
            "setup": setup_venv(args.reuse),
        }
        with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
            print("start path imports ...", file=sys.stderr)
            results["start_path"] = bench_start_path(Path(tmp))
            print("preview re-render ...", file=sys.stderr)
            results["preview"] = bench_preview(args.preview_runs)
            print(f"launch ({args.runs} rounds) ...", file=sys.stderr)
            results["launch"] = bench_launch(args.runs, Path(tmp))
            print(f"key echo ({args.keys} keys each) ...", file=sys.stderr)
            results["key_echo"] = bench_keys(args.keys, Path(tmp))
    except BenchError as error:
        raise SystemExit(f"startup.py: {error}") from None
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    setup, start_path, launch, preview = (results[k] for k in ("setup", "start_path", "launch", "preview"))
    print(f"escalate-tui {setup['escalate_tui']} (git {results['git']['head']}"
          f"{', uncommitted changes' if results['git']['uncommitted'] else ''}), "
          f"textual {setup['textual']}, rich {setup['rich']}, python {setup['python']}, {results['cpus']} cpus, "
          f"pane {COLUMNS}x{ROWS}")
    print(*table(results), sep="\n")
    print(f"app launch ÷ bare launch: ×{launch['app_over_bare']:.2f};  one capture-pane poll: "
          f"{launch['capture_pane_call_ms']['median_ms']:.1f} ms (the resolution of every tmux figure)")
    print(f"preview re-render after an edit: {preview['preview_after_one_edit']['median_ms']:.1f} ms for "
          f"{preview['brief_lines']} lines (target ≤ {PREVIEW_TARGET_MS:.0f} ms: "
          f"{'met' if preview['within_target'] else 'MISSED'})")
    print(f"start path: after make_app {start_path['after_make_app']}; after first screen "
          f"{start_path['after_first_screen']}; httpx/tomlkit on start path: "
          f"{sorted(m for m in ('httpx', 'tomlkit') if m in start_path['after_first_screen']) or 'none'}; "
          f"modules loaded without .pyc: {len(start_path['loaded_without_pyc'])}")
    print(f"wrote {(RESULTS / 'startup.json').relative_to(ROOT)} in {results['elapsed_s']:.0f} s")


if __name__ == "__main__":
    main()
