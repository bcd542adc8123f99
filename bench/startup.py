"""How soon escalate-tui is usable, and how fast it answers, in a real terminal, each beside a bare Textual app.

Usage: python3 bench/startup.py [--runs N] [--keys N] [--ns 10,100,1000] [--reuse] [--quick]
Prints a table and writes bench/results/startup.json (every raw sample). Not a test: figures go in issue
notes. Absolute times drift 10-15 % between runs, so compare ratios to the bare app measured in the same
run (interleaved, alternating order, so drift hits both). Any python3 >= 3.11 runs it: everything timed
runs in the bench virtualenv. Default runs take ~6 minutes on a 2-core machine (up to ~10 when waits at
N=1000 give up); --quick ~3.

- setup: a private virtualenv bench/.venv-bench, the repo pip-installed into it non-editably, bytecode
  compiled (PYTHONDONTWRITEBYTECODE only stops writing .pyc, not reading them);
- every launch: a private tmux server (own socket and config: no status line, remain-on-exit to show a
  crash) with fresh XDG config/data dirs; the pane holds the app behind a gate; one control-mode client
  (bench/tmuxctl.py) is attached for the whole launch, and the clock starts when the gate is released, so
  tmux's own start-up is not counted. The screen is captured through that client (no process forked per
  poll) whenever the pane has written something, at most every 2 ms;
- time-to-usable (the headline): launch and type at once, as a person does — keys (send-keys -l) or a
  bracketed paste (paste-buffer -p) at 0, 100 and 300 ms after launch — until the typed text shows inside
  the summary field with the app's frame drawn (footer, and the field's label on the same line), against a
  bare app holding one focused Input (a Static label beside it, a Footer) typed at the same moments;
- first paint: launch -> the complete intake screen, against a bare app (Static + Footer), a tmux +
  python floor and `python -c pass`;
- key echo: one printable key -> on screen, in the running app's summary field vs the bare Input;
- step switch: F3, F4, F5, F6, F2 in turn in a running app, key -> the step drawn (current in the step
  bar and its labels visible), first visit and again;
- big cases: brief files with N context items, tried rows and repro steps each, opened with
  `escalate-tui FILE.toml`: launch -> intake, F3 / F5 / F6 switches and key echo, with growth per 10x; a
  wait that times out is reported as "> 60 s" and the app is restarted for what is left;
- preview: render_markdown + Rich Markdown of a 200-line brief (micro-bench, in the bench venv);
- start path: whether httpx or tomlkit are imported by the time the first screen is up, and whether
  every loaded module came from a .pyc.

Every piece of UI text looked for is in MARKERS below: edit it there when the UI changes.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tmuxctl import Pane, Screen, TmuxError, Waited

# ======================================================================================================
# SCREEN MARKERS — every piece of escalate-tui's UI text this bench looks for, in one place.
# The UI is being redesigned: when a label or the step bar changes, change it here (and nowhere else).
# All text is matched on the plain screen (capture-pane, no styles) at 120x40, as substrings; only the
# current step's attribute is read from the styled screen (capture-pane -e).
# ======================================================================================================
MARKERS: dict[str, Any] = {
    # Text in the footer of every screen: the app's frame is drawn. (Keys typed before the app owns the
    # terminal are echoed by the terminal itself; that echo has no footer.)
    "footer": "palette",
    # The intake step's summary field: its label, drawn on the same line as the field's text. Typed text
    # counts as "in the field" when a line holds this label followed, after blanks and field-edge
    # characters, by exactly the text, up to two blanks or a field edge (key echo into a summary longer
    # than the field: by its last 20+ characters). The app opens with no arguments on the Intake step
    # with this field focused (fresh data dir: no resume prompt); with a brief file, too.
    "summary_label": "Summary (one line)",
    # Characters that may frame a field (regex class): box drawing and block elements (▊ ▎ ▐ ▌ │ ╭ ...).
    "field_edges": "[\u2500-\u259f]",
    # SGR attribute marking the current step's title in the step bar: 7 = reverse video (the title is
    # drawn as ESC[1;7m F3 Context ESC[0m). None: only the labels are checked.
    "current_step_attr": 7,
    # Each step by the key that opens it. "title": its step-bar title, which must be drawn with the
    # attribute above; "labels": text that must all be visible once the step is drawn — keep them above
    # the fold at 120x40, also when every list holds 1,000 rows. "f2" (Intake) is also the first screen:
    # first paint is "f2 drawn + footer".
    "steps": {
        "f2": {"title": "F2 Intake", "labels": ["Summary (one line)", "Verdict", "Customers affected"]},
        "f3": {"title": "F3 Context", "labels": ["Supporting context", "Search your connected tools"]},
        "f4": {"title": "F4 Impact", "labels": ["How hard are they hit?", "Severity and target"]},
        "f5": {"title": "F5 Repro & ask", "labels": ["Reproduction", "Starting state", "Quality"]},
        "f6": {"title": "F6 Brief", "labels": ["Date:", "Quality"]},  # an escalation brief or a support note
    },
    # Big cases (a brief file with N rows per list): the brief's own text that must show too once a step
    # is drawn, so a step whose rows arrive after its labels is not called drawn early. str.format
    # templates over the case's first items: summary, tried_action, context_title, step (each a str;
    # ":.N" keeps the first N characters, which must fit the column the UI gives them).
    "case_steps": {
        "f2": ["{summary:.24}"],
        "f3": ["{context_title:.10}"],
        "f5": ["{step:.10}"],
        "f6": ["{summary:.24}"],
    },
}
# ======================================================================================================

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCH_VENV = ROOT / "bench" / ".venv-bench"
EXAMPLE = ROOT / "examples" / "api-500-acme.toml"

COLUMNS, ROWS = 120, 40
TYPED = "Nightly export drops rows"  # what the agent types at launch (no quotes: tmux arguments)
TYPE_AT_MS = (0, 100, 300)
LAUNCH_TIMEOUT = 20.0  # seconds a launch wait may take (small cases)
CASE_TIMEOUT = 60.0  # seconds any wait may take in the big cases
CASE_NS = (10, 100, 1000)
CASE_RUNS = {10: 5, 100: 3, 1000: 1}  # launches per N (capped by --runs): N=1000 steps take minutes
CASE_KEYS = 8  # keystrokes per big-case launch (the first IGNORED_KEYS not counted)
KEY_GAP = 0.04  # seconds of quiet after an echo before the next keystroke
SETTLE = 0.5  # seconds after the first screen before keys are timed (start-up work, timers)
STEP_GAP = 0.2  # seconds between two step switches
STEP_KEYS = ("f3", "f4", "f5", "f6", "f2")
CASE_STEP_KEYS = ("f3", "f5", "f6")
KEYS = "abcdefghijklmnopqrstuvwxyz"  # cycled: two consecutive screens never show the same last key
IGNORED_KEYS = 3  # first keystrokes of each app, not counted (first-use costs)
SCROLLED_MIN = 20  # characters a scrolled summary field shows at least (it is ~44 wide at 120 columns)
PREVIEW_TARGET_MS = 16.0
PREVIEW_LINES = 200
TARGET_USABLE_RATIO = 1.5
TARGET_ECHO_DELTA_MS = 10.0
TARGET_STEP_MS = 100.0

STEP_NAMES = {"f2": "Intake", "f3": "Context", "f4": "Impact", "f5": "Repro & ask", "f6": "Brief"}

BARE_LAUNCH_APP = '''\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BARE-APP-READY")
        yield Footer()


Bare().run()
'''

# One focused Input with a Static label on its line (so the same "label then text" check reads both apps).
BARE_INPUT_APP = '''\
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Static


class BareInput(App[None]):
    CSS = """
    Horizontal { height: 1; }
    #label { width: 26; }
    Input { border: none; height: 1; padding: 0 0; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(LABEL, id="label")
            yield Input(placeholder="e.g. Data export is missing rows for 3")
        yield Footer()


BareInput().run()
'''

FLOOR_SCRIPT = "print('FLOOR-READY', flush=True); import time; time.sleep(120)"

# The start path as `escalate-tui SUMMARY` runs it, up to the app object; then headless up to the intake
# screen being mounted. Prints JSON: heavy modules seen, and loaded modules lacking a .pyc.
CHAT_MODULES = ("lark_oapi", "slack_sdk", "tui.send", "tui.callbacks")  # none may load at start

START_PATH_DRIVER = '''\
import asyncio, importlib.util, json, os, sys
import tui.cli, tui.app

WATCH = ("httpx", "tomlkit", "pydantic", "sqlite3", "markdown_it", "pygments", "lark_oapi", "slack_sdk",
         "tui.send", "tui.callbacks")


def seen():
    return sorted(m for m in WATCH if m in sys.modules)


args = tui.cli.build_ui_parser().parse_args([sys.argv[1]])
escalation, brief_path = tui.cli._start_escalation(args, [])
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
    """A failed install or driver: the message says which."""


# --- the bench virtualenv -------------------------------------------------------------


def _run(cmd: Sequence[str | Path], what: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result


def bench_python() -> Path:
    return BENCH_VENV / "bin" / "python"


def app_command(*args: str) -> list[str]:
    return [str(BENCH_VENV / "bin" / "escalate-tui"), *args]


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


# --- launching in a private tmux server ---------------------------------------------------


class Recorder:
    """Every capture's round trip, and every wait that failed (with its last screen), across the run."""

    def __init__(self) -> None:
        self.capture_ms: list[float] = []
        self.styled_capture_ms: list[float] = []
        self.failures: list[dict[str, str]] = []

    def took(self, pane: Pane) -> None:
        self.capture_ms += pane.capture_ms
        self.styled_capture_ms += pane.styled_capture_ms

    def failed(self, what: str, waited: Waited, timeout: float) -> None:
        reason = f"> {timeout:.0f} s" if waited.failure == "timeout" else waited.failure
        self.failures.append({"what": what, "failure": reason, "screen": waited.screen.shown()})
        print(f"  ! {what}: {reason}; last screen:\n{_indent(waited.screen.shown(12))}", file=sys.stderr)


RECORDER = Recorder()
_LAUNCHES = iter(range(10**9))


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


@contextmanager
def running(label: str, command: Sequence[str]) -> Iterator[Pane]:
    """A private tmux server + fresh XDG dirs, the command gated in its pane, a control client attached.

    The caller releases the gate (`pane.release()`, which returns the clock's start). The server is always
    killed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix=f"startup-bench-{label}-") as tmp:
        conf = Path(tmp) / "tmux.conf"
        # No status line (the pane gets all 40 rows); keep a dead pane so a crash can be shown.
        conf.write_text("set -g status off\nset -g remain-on-exit on\n", encoding="utf-8")
        pane = Pane(socket=f"escbench-{os.getpid()}-{next(_LAUNCHES)}", conf=conf, columns=COLUMNS, rows=ROWS)
        try:
            pane.open(command, child_env(Path(tmp)))
            yield pane
        finally:
            RECORDER.took(pane)
            pane.close()


def child_env(tmp: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("ESCALATE_TUI_", "TMUX", "VIRTUAL_ENV", "TEXTUAL"))
    }
    for name in ("config", "data"):
        (tmp / name).mkdir(exist_ok=True)
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["TERM"] = "xterm-256color"  # the outer TERM, if any, must not differ between runs
    return env


# --- what the screen must show (from MARKERS) -----------------------------------------------


def field_text(screen: Screen, label: str) -> str | None:
    """The text shown in the field labelled `label` (same line, after blanks and field edges), or None."""
    edges = MARKERS["field_edges"]
    for line in screen.lines:
        at = line.find(label)
        if at < 0:
            continue
        rest = re.sub(rf"^(?:\s|{edges})+", "", line[at + len(label):])
        return re.split(rf"\s{{2,}}|{edges}", rest, maxsplit=1)[0].rstrip()
    return None


def shows_value(value: str, *, scrolls: bool = False) -> Callable[[Screen], bool]:
    """The summary field shows exactly `value`, with the footer drawn.

    With `scrolls` (a prefilled summary longer than the field), the end of `value` is enough: the field
    shows the last SCROLLED_MIN+ characters, up to the newest key. Never for text typed at launch: a field
    showing only the end of it may have lost the first keys.
    """
    footer, label = MARKERS["footer"], MARKERS["summary_label"]

    def check(screen: Screen) -> bool:
        shown = field_text(screen, label)
        if not shown or footer not in screen.text:
            return False
        return shown == value or (scrolls and len(shown) >= SCROLLED_MIN and value.endswith(shown))

    return check


def has_all(*markers: str) -> Callable[[Screen], bool]:
    return lambda screen: all(marker in screen.text for marker in markers)


def case_markers(key: str, case: dict[str, str] | None) -> list[str]:
    if case is None:
        return []
    return [template.format(**case) for template in MARKERS["case_steps"].get(key, [])]


def step_drawn(key: str, case: dict[str, str] | None = None) -> Callable[[Screen], bool]:
    """The step opened by `key` is on screen: its title current in the step bar, its labels and the footer."""
    spec = MARKERS["steps"][key]
    needed = [*spec["labels"], MARKERS["footer"], *case_markers(key, case)]
    attr = MARKERS["current_step_attr"]

    def check(screen: Screen) -> bool:
        if not all(text in screen.text for text in needed):
            return False
        if attr is None:
            return True
        return any(spec["title"] in run for runs in (screen.marked or []) for run in runs)

    return check


def wait_step(pane: Pane, key: str, timeout: float, case: dict[str, str] | None = None) -> Waited:
    attr = MARKERS["current_step_attr"]
    return pane.wait(step_drawn(key, case), timeout, styles=attr is not None, attr=attr)


# --- time-to-usable -----------------------------------------------------------------------


def bare_input_source() -> str:
    return BARE_INPUT_APP.replace("LABEL", repr(MARKERS["summary_label"]))


def time_usable(name: str, command: list[str], how: str, at_ms: int) -> float | None:
    """Launch; at `at_ms` after the gate opens type (or paste) TYPED; until it shows in the field, drawn."""
    with running(f"usable-{name}", command) as pane:
        started = pane.release()
        send = pane.type if how == "keys" else pane.paste
        waited = pane.wait(shows_value(TYPED), LAUNCH_TIMEOUT, actions=[(started + at_ms / 1000, lambda: send(TYPED))])
        if waited.at is None:
            RECORDER.failed(f"time-to-usable, {how} at {at_ms} ms ({name})", waited, LAUNCH_TIMEOUT)
            return None
        return (waited.at - started) * 1000


def bench_usable(runs: int, tmp: Path) -> dict[str, Any]:
    bare = tmp / "bare_input.py"
    bare.write_text(bare_input_source(), encoding="utf-8")
    targets = {"app": app_command(), "bare": [str(bench_python()), str(bare)]}
    variants = [(how, at) for how in ("keys", "paste") for at in TYPE_AT_MS]
    samples: dict[str, dict[str, list[float | None]]] = {f"{how}@{at}": {"app": [], "bare": []}
                                                         for how, at in variants}
    for name, command in targets.items():  # warm-up, not counted: the first start after an install is cold
        time_usable(name, command, "keys", 100)
    for round_ in range(runs):
        for index, (how, at) in enumerate(variants if round_ % 2 == 0 else variants[::-1]):
            order = list(targets.items())
            if (round_ + index) % 2:
                order.reverse()  # alternate who goes first
            for name, command in order:
                samples[f"{how}@{at}"][name].append(time_usable(name, command, how, at))
        first = samples["keys@100"]
        print(f"  time-to-usable round {round_ + 1}/{runs}: keys at 100 ms: app {_ms(first['app'][-1])}, "
              f"bare {_ms(first['bare'][-1])}", file=sys.stderr)
    result: dict[str, Any] = {}
    for variant, pair in samples.items():
        entry: dict[str, Any] = {name: summary(values) for name, values in pair.items()}
        entry["app_over_bare"] = ratio(pair["app"], pair["bare"])
        entry["target_met"] = entry["app_over_bare"] <= TARGET_USABLE_RATIO
        result[variant] = entry
    result["typed"] = TYPED
    result["runs"] = runs
    return result


# --- first paint --------------------------------------------------------------------------


def time_first_paint(name: str, command: list[str], ready: Callable[[Screen], bool], styles: bool) -> float | None:
    with running(f"paint-{name}", command) as pane:
        started = pane.release()
        attr = MARKERS["current_step_attr"] if styles else None
        waited = pane.wait(ready, LAUNCH_TIMEOUT, styles=styles, attr=attr)
        if waited.at is None:
            RECORDER.failed(f"first paint ({name})", waited, LAUNCH_TIMEOUT)
            return None
        return (waited.at - started) * 1000


def time_python_pass() -> float:
    started = time.perf_counter()
    subprocess.run([str(bench_python()), "-c", "pass"], check=True)
    return (time.perf_counter() - started) * 1000


def bench_first_paint(runs: int, tmp: Path) -> dict[str, Any]:
    python = str(bench_python())
    bare = tmp / "bare_launch.py"
    bare.write_text(BARE_LAUNCH_APP, encoding="utf-8")
    styled = MARKERS["current_step_attr"] is not None
    targets: list[tuple[str, list[str], Callable[[Screen], bool], bool]] = [
        ("app", app_command(), step_drawn("f2"), styled),
        ("bare", [python, str(bare)], has_all("BARE-APP-READY", MARKERS["footer"]), False),
        ("floor", [python, "-c", FLOOR_SCRIPT], has_all("FLOOR-READY"), False),
    ]
    samples: dict[str, list[float | None]] = {name: [] for name, *_ in targets}
    samples["python_pass"] = []
    for name, command, ready, styles in targets:  # warm-up, not counted
        time_first_paint(name, command, ready, styles)
    for round_ in range(runs):
        for name, command, ready, styles in targets if round_ % 2 == 0 else targets[::-1]:
            samples[name].append(time_first_paint(name, command, ready, styles))
        samples["python_pass"].append(time_python_pass())
        print(f"  first paint round {round_ + 1}/{runs}: app {_ms(samples['app'][-1])}, "
              f"bare {_ms(samples['bare'][-1])}", file=sys.stderr)
    result: dict[str, Any] = {name: summary(values) for name, values in samples.items()}
    result["app_over_bare"] = ratio(samples["app"], samples["bare"])
    result["runs"] = runs
    return result


# --- key echo -----------------------------------------------------------------------------


def echo_keys(pane: Pane, value: str, keys: str, timeout: float, what: str) -> list[float | None]:
    """Type `keys` one at a time into the focused summary field (holding `value`); ms until each shows.

    Stops at the first key that never shows (recorded as None). Each key must show before the next is
    typed, so a field scrolled past its start (a long summary) is read by its end.
    """
    out: list[float | None] = []
    for index, key in enumerate(keys):
        value += key
        started = time.perf_counter()
        pane.type(key)
        waited = pane.wait(shows_value(value, scrolls=True), timeout)
        if waited.at is None:
            RECORDER.failed(f"key echo, keystroke {index + 1} ({key!r}) in {what}", waited, timeout)
            out.append(None)
            break
        out.append((waited.at - started) * 1000)
        time.sleep(KEY_GAP)
    return out


def bench_keys(keys: int, tmp: Path) -> dict[str, Any]:
    bare = tmp / "bare_input_keys.py"
    bare.write_text(bare_input_source(), encoding="utf-8")
    typists = {"app": app_command(), "bare": [str(bench_python()), str(bare)]}
    samples: dict[str, list[float | None]] = {name: [] for name in typists}
    label, footer = MARKERS["summary_label"], MARKERS["footer"]
    with ExitStack() as stack:
        panes: dict[str, Pane] = {}
        for name, command in typists.items():
            pane = stack.enter_context(running(f"keys-{name}", command))
            pane.release()
            if name == "app":
                waited = wait_step(pane, "f2", LAUNCH_TIMEOUT)
            else:
                waited = pane.wait(lambda s: field_text(s, label) is not None and footer in s.text, LAUNCH_TIMEOUT)
            if waited.at is None:
                RECORDER.failed(f"key echo: {name}'s first screen", waited, LAUNCH_TIMEOUT)
                return {"error": f"{name} never showed its first screen"}
            panes[name] = pane
        time.sleep(1.0)  # let start-up work (draft database, timers) settle
        typed = ""
        for index in range(keys):
            key = KEYS[index % len(KEYS)]
            for name in typists if index % 2 == 0 else list(typists)[::-1]:
                if len(samples[name]) == index:  # not after a key that never showed
                    samples[name] += echo_keys(panes[name], typed, key, LAUNCH_TIMEOUT, name)
            typed += key
    counted = {name: values[IGNORED_KEYS:] for name, values in samples.items()}
    result: dict[str, Any] = {name: summary(values, p90=True) for name, values in counted.items()}
    result["first_keys_ignored_ms"] = {name: [_round(v) for v in values[:IGNORED_KEYS]]
                                       for name, values in samples.items()}
    result["app_minus_bare_ms"] = _round(median(counted["app"]) - median(counted["bare"]))
    result["target_met"] = median(counted["app"]) - median(counted["bare"]) <= TARGET_ECHO_DELTA_MS
    result["keys"] = len(counted["app"])
    return result


# --- step switch --------------------------------------------------------------------------


def switch(pane: Pane, key: str, timeout: float, what: str, case: dict[str, str] | None = None) -> float | None:
    started = time.perf_counter()
    pane.keys(key.upper())
    waited = wait_step(pane, key, timeout, case)
    if waited.at is None:
        RECORDER.failed(f"step switch {key.upper()} {STEP_NAMES[key]} ({what})", waited, timeout)
        return None
    return (waited.at - started) * 1000


def bench_steps(runs: int) -> dict[str, Any]:
    first: dict[str, list[float | None]] = {key: [] for key in STEP_KEYS}
    again: dict[str, list[float | None]] = {key: [] for key in STEP_KEYS}
    for round_ in range(runs):
        with running("steps", app_command()) as pane:
            pane.release()
            waited = wait_step(pane, "f2", LAUNCH_TIMEOUT)
            if waited.at is None:
                RECORDER.failed("step switch: the first screen", waited, LAUNCH_TIMEOUT)
                continue
            time.sleep(SETTLE)
            for visits in (first, again):
                for key in STEP_KEYS:
                    got = switch(pane, key, LAUNCH_TIMEOUT, f"round {round_ + 1}")
                    visits[key].append(got)
                    if got is None:
                        break
                    time.sleep(STEP_GAP)
                else:
                    continue
                break
        print(f"  step switch round {round_ + 1}/{runs}: first visits "
              + ", ".join(f"{key.upper()} {_ms(first[key][-1] if first[key] else None)}" for key in STEP_KEYS),
              file=sys.stderr)
    result: dict[str, Any] = {}
    for key in STEP_KEYS:
        result[key] = {"name": STEP_NAMES[key], "first": summary(first[key]), "again": summary(again[key])}
        result[key]["first_met"] = median(first[key]) <= TARGET_STEP_MS
        result[key]["again_met"] = median(again[key]) <= TARGET_STEP_MS
    result["runs"] = runs
    return result


# --- big cases ----------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, list):
        return "[\n" + "".join(f"    {_toml_value(item)},\n" for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """A brief as TOML: scalars and arrays first, then [tables] and [[arrays of tables]] (enough for briefs)."""

    def is_table_array(value: object) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)

    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items()
             if not isinstance(value, dict) and not is_table_array(value)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{prefix}{key}]", to_toml(value, f"{prefix}{key}.")]
        elif is_table_array(value):
            for item in value:
                lines += ["", f"[[{prefix}{key}]]", to_toml(item, f"{prefix}{key}.")]
    return "\n".join(lines) + ("\n" if not prefix else "")


def make_case(n: int, folder: Path) -> tuple[Path, dict[str, str]]:
    """examples/api-500-acme.toml grown to `n` context items, tried rows and repro steps; its first items."""
    with EXAMPLE.open("rb") as handle:
        data = tomllib.load(handle)

    def grow(items: list[Any], suffix: Callable[[Any, int], Any]) -> list[Any]:
        return [items[i] if i < len(items) else suffix(items[i % len(items)], i) for i in range(n)]

    data["context"] = grow(data["context"], lambda item, i: {**item, "title": f"{item['title']} ({i})"})
    data["tried"] = grow(data["tried"], lambda item, i: {**item, "action": f"{item['action']} ({i})"})
    data["reproduction"]["steps"] = grow(data["reproduction"]["steps"], lambda step, i: f"{step} ({i})")
    text = to_toml(data)
    if tomllib.loads(text) != data:
        raise BenchError(f"the TOML written for N={n} does not read back as the data it came from")
    path = folder / f"case-{n}.toml"
    path.write_text(text, encoding="utf-8")
    first = {"summary": data["summary"], "tried_action": data["tried"][0]["action"],
             "context_title": data["context"][0]["title"], "step": data["reproduction"]["steps"][0]}
    return path, first


def run_case(path: Path, case: dict[str, str], n: int, samples: dict[str, list[float | None]],
             after_restart: set[str]) -> None:
    """One run at N: launch -> intake, key echo, then F3, F5, F6; after a failed wait, a fresh app for the rest.

    What is measured in a fresh app goes into `after_restart`: it ran without the steps before it.
    """
    todo = ["launch", "echo", *CASE_STEP_KEYS]
    first_app = True
    while todo:
        if not first_app:
            after_restart.update(item for item in todo if item != "launch")
        first_app = False
        with running(f"case{n}", app_command(str(path))) as pane:
            started = pane.release()
            waited = wait_step(pane, "f2", CASE_TIMEOUT, case)
            if waited.at is None:
                RECORDER.failed(f"N={n}: launch -> intake", waited, CASE_TIMEOUT)
                for item in todo:  # nothing else can be measured without the intake
                    samples[item].append(None)
                return
            if todo[0] == "launch":
                samples["launch"].append((waited.at - started) * 1000)
                todo.pop(0)
            time.sleep(SETTLE)
            while todo:
                item = todo.pop(0)
                if item == "echo":
                    got = echo_keys(pane, case["summary"], KEYS[:CASE_KEYS], CASE_TIMEOUT, f"N={n}")
                    samples["echo"] += got[IGNORED_KEYS:]
                    ok = None not in got
                else:
                    value = switch(pane, item, CASE_TIMEOUT, f"N={n}", case)
                    samples[item].append(value)
                    ok = value is not None
                if not ok:
                    break  # the app is stuck: kill it, start again for what is left
                time.sleep(STEP_GAP)


def bench_cases(ns: Sequence[int], runs: int, tmp: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"timeout_s": CASE_TIMEOUT, "ns": list(ns)}
    for n in ns:
        path, case = make_case(n, tmp)
        samples: dict[str, list[float | None]] = {item: [] for item in ("launch", "echo", *CASE_STEP_KEYS)}
        after_restart: set[str] = set()
        launches = min(runs, CASE_RUNS.get(n, 1))
        for round_ in range(launches):
            began = time.perf_counter()
            run_case(path, case, n, samples, after_restart)
            print(f"  N={n} run {round_ + 1}/{launches}: launch {_ms(samples['launch'][-1])}, "
                  + ", ".join(f"{key.upper()} {_ms(samples[key][-1] if samples[key] else None)}"
                              for key in CASE_STEP_KEYS)
                  + f" ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
        result[str(n)] = {item: summary(values, p90=item == "echo") for item, values in samples.items()}
        result[str(n)]["runs"] = launches
        result[str(n)]["after_restart"] = sorted(after_restart)
        result[str(n)]["file_bytes"] = path.stat().st_size
    return result


# --- brief preview (micro-bench, run inside the bench venv) ----------------------------------


def preview_driver(runs: int) -> None:
    """Runs in bench/.venv-bench (startup.py --preview-only): prints the preview figures as JSON."""
    from rich.console import Console
    from rich.markdown import Markdown

    from tui.domain.models import Escalation
    from tui.domain.triage import assess
    from tui.render.markdown import render_markdown
    from tui.screens.brief import preview_markdown
    from tui.store.brief_file import load_brief
    from tui.widgets.brief_view import split_blocks

    now = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    data = load_brief(EXAMPLE).model_dump(mode="json")
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

    def as_preview() -> None:  # exactly BriefScreen's preview text: label lines kept apart
        console.print(Markdown(preview_markdown(render_markdown(esc, assessment, now.date()))))

    options = console.options.update_width(72)
    rendered: dict[str, int] = {}  # block text -> its height: what BriefView keeps between redraws

    def one_screen(markdown: str) -> None:
        """What BriefView does to draw a screen: cut the text into blocks and render those that fill
        the first 40 lines, reusing blocks whose text has not changed."""
        shown = 0
        for block, _ in split_blocks(markdown):
            if shown >= ROWS:
                break
            if block not in rendered:
                rendered[block] = len(console.render_lines(Markdown(block), options, pad=False))
            shown += rendered[block]

    one_screen(preview_markdown(text))
    edits = iter(range(10**9))

    def after_one_edit() -> None:  # what the Brief step does after an edit: render, then draw one screen
        esc.summary = f"Data export is missing rows (edit {next(edits)})"
        one_screen(preview_markdown(render_markdown(esc, assess(esc, now=now), now.date())))

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
    print(json.dumps({"samples": samples, "brief_lines": lines, "brief_chars": len(text)}))


def bench_preview(runs: int) -> dict[str, Any]:
    out = _run([bench_python(), Path(__file__).resolve(), "--preview-only", str(runs)], "the preview micro-bench")
    raw = json.loads(out.stdout.strip().splitlines()[-1])
    result: dict[str, Any] = {name: summary(values) for name, values in raw["samples"].items()}
    full = statistics.median(raw["samples"]["preview_after_one_edit"])
    result.update({"brief_lines": raw["brief_lines"], "brief_chars": raw["brief_chars"],
                   "target_ms": PREVIEW_TARGET_MS, "within_target": full <= PREVIEW_TARGET_MS, "runs": runs})
    return result


# --- start path imports ---------------------------------------------------------------


def bench_start_path(tmp: Path) -> dict[str, Any]:
    (tmp / "start-path").mkdir()
    env = child_env(tmp / "start-path")
    out = _run([bench_python(), "-c", START_PATH_DRIVER, "Data export is missing rows for 3 customers"],
               "the start-path driver", env=env, cwd=tmp)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- figures --------------------------------------------------------------------------


def median(values: Sequence[float | None]) -> float:
    """Median with a failed wait (None) counted as infinitely slow; nan when there is nothing."""
    finite = [math.inf if v is None else v for v in values]
    return statistics.median(finite) if finite else math.nan


def percentile(values: Sequence[float | None], q: float) -> float:
    ordered = sorted(math.inf if v is None else v for v in values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    if math.isinf(ordered[high]):
        return ordered[high] if position > low else ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 2)


def summary(values: Sequence[float | None], *, p90: bool = False) -> dict[str, Any]:
    done = [v for v in values if v is not None]
    out: dict[str, Any] = {"median_ms": _round(median(values))}
    if p90:
        out["p90_ms"] = _round(percentile(values, 0.9))
    out["min_ms"] = _round(min(done)) if done else None
    out["max_ms"] = _round(max(done)) if done else None
    out["n"] = len(values)
    out["failed"] = len(values) - len(done)
    out["samples_ms"] = [_round(v) for v in values]  # null: the wait failed (timed out, app exited)
    return out


def ratio(values: Sequence[float | None], base: Sequence[float | None]) -> float:
    top, bottom = median(values), median(base)
    if math.isinf(top) or math.isinf(bottom) or math.isnan(top) or math.isnan(bottom) or bottom == 0:
        return math.inf if math.isinf(top) else math.nan
    return round(top / bottom, 2)


def _ms(value: float | None) -> str:
    return "failed" if value is None else f"{value:.0f} ms"


def fmt(entry: dict[str, Any] | None, timeout: float, *, p90: bool = False) -> str:
    """A summary's median for the table: "> 60 s" when most waits failed, "(k failed)" when some did."""
    if not entry or entry.get("n", 0) == 0:
        return "—"
    value = entry["median_ms"]
    text = f"> {timeout:.0f} s" if value is None else f"{value:.1f}"
    if p90 and entry.get("p90_ms") is not None:
        text += f" (p90 {entry['p90_ms']:.1f})"
    elif p90 and value is not None:
        text += f" (p90 > {timeout:.0f} s)"
    if entry.get("failed") and value is not None:
        text += f" ({entry['failed']} failed)"
    return text


def growth(entries: list[dict[str, Any] | None]) -> str:
    """Factor from one N to the next (per 10x), from medians; "> x" when the larger one timed out."""
    parts = []
    for low, high in itertools.pairwise(entries):
        if not low or not high or low.get("median_ms") is None or not low.get("n") or not high.get("n"):
            parts.append("—")
        elif high["median_ms"] is None:
            parts.append(f"> ×{CASE_TIMEOUT * 1000 / low['median_ms']:.1f}")
        else:
            parts.append(f"×{high['median_ms'] / low['median_ms']:.1f}")
    return " / ".join(parts)


def _ratio_text(value: float) -> str:
    if math.isinf(value):
        return "×∞"
    return "—" if math.isnan(value) else f"×{value:.2f}"


def render_table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(f"{cell:<{widths[i]}}" if i == 0 else f"{cell:>{widths[i]}}" for i, cell in enumerate(row))
             .rstrip() for row in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return lines


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: dict[str, Any]) -> list[str]:
    out: list[str] = []
    usable = results.get("time_to_usable")
    if usable:
        out += ["", f"TIME-TO-USABLE: launch, type {TYPED!r} at once, until it shows in the summary field "
                    f"with the app drawn (target ≤ {TARGET_USABLE_RATIO}× bare)"]
        rows: list[tuple[str, ...]] = [("typed as", "app ms", "bare Input ms", "app/bare", "target", "runs")]
        for how in ("keys", "paste"):
            for at in TYPE_AT_MS:
                entry = usable[f"{how}@{at}"]
                label = f"{'keys (send-keys -l)' if how == 'keys' else 'bracketed paste'} at {at} ms"
                rows.append((label, fmt(entry["app"], LAUNCH_TIMEOUT), fmt(entry["bare"], LAUNCH_TIMEOUT),
                             _ratio_text(entry["app_over_bare"]), met(entry["target_met"]), str(entry["app"]["n"])))
        out += render_table(rows)
    paint = results.get("first_paint")
    if paint:
        out += ["", "FIRST PAINT: launch -> the complete first screen"]
        bare = paint["bare"]["median_ms"] or math.nan
        rows = [("what", "median ms", "×bare", "runs")]
        for label, key in (("escalate-tui: intake drawn (step bar, labels, footer)", "app"),
                           ("bare Textual app (Static + Footer)", "bare"),
                           ("tmux + python print (floor)", "floor"),
                           ("python -c pass (no tmux)", "python_pass")):
            entry = paint[key]
            value = entry["median_ms"]
            rows.append((label, fmt(entry, LAUNCH_TIMEOUT),
                         "—" if value is None else f"×{value / bare:.2f}", str(entry["n"])))
        out += render_table(rows)
    keys = results.get("key_echo")
    if keys and "error" not in keys:
        out += ["", f"KEY ECHO: one key -> on screen, first {IGNORED_KEYS} ignored "
                    f"(target ≤ bare + {TARGET_ECHO_DELTA_MS:.0f} ms: {met(keys['target_met'])})"]
        rows = [("where", "median ms (p90)", "Δ bare", "keys")]
        rows.append(("escalate-tui summary field", fmt(keys["app"], LAUNCH_TIMEOUT, p90=True),
                     f"{keys['app_minus_bare_ms']:+.1f}" if keys["app_minus_bare_ms"] is not None else "—",
                     str(keys["app"]["n"])))
        rows.append(("bare Input", fmt(keys["bare"], LAUNCH_TIMEOUT, p90=True), "—", str(keys["bare"]["n"])))
        out += render_table(rows)
    elif keys:
        out += ["", f"KEY ECHO: {keys['error']}"]
    steps = results.get("step_switch")
    if steps:
        out += ["", f"STEP SWITCH: key -> the step drawn, in a running app (target ≤ {TARGET_STEP_MS:.0f} ms)"]
        rows = [("key", "first visit ms", "target", "again ms", "target", "runs")]
        for key in STEP_KEYS:
            entry = steps[key]
            first, again = entry["first"], entry["again"]
            rows.append((f"{key.upper()} {entry['name']}", fmt(first, LAUNCH_TIMEOUT), met(entry["first_met"]),
                         fmt(again, LAUNCH_TIMEOUT), met(entry["again_met"]), str(first["n"])))
        out += render_table(rows)
    cases = results.get("cases")
    if cases:
        ns = cases["ns"]
        out += ["", f"BIG CASES: brief file with N context items, tried rows and repro steps each "
                    f"(medians; a wait gives up after {CASE_TIMEOUT:.0f} s)"]
        head = ("what", *(f"N={n}" for n in ns),
                "growth " + " / ".join(f"{high}÷{low}" for low, high in itertools.pairwise(ns)))
        rows = [head]
        for label, item in (("launch -> intake drawn", "launch"), ("F3 Context", "f3"), ("F5 Repro & ask", "f5"),
                            ("F6 Brief", "f6"), ("key echo, summary field", "echo")):
            entries = [cases[str(n)].get(item) for n in ns]
            cells = [fmt(entry, CASE_TIMEOUT) + ("*" if item in cases[str(n)]["after_restart"] else "")
                     for n, entry in zip(ns, entries, strict=True)]
            rows.append((label, *cells, growth(entries)))
        rows.append(("launches", *(str(cases[str(n)]["runs"]) for n in ns), ""))
        out += render_table(rows)
        if any(cases[str(n)]["after_restart"] for n in ns):
            out.append("* some samples from a fresh app, after an earlier wait in the same run gave up "
                       "(so without the steps before it)")
    return out


def git_state() -> dict[str, object]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False, cwd=ROOT)
        return result.stdout.strip()

    return {"head": git("rev-parse", "--short", "HEAD"),
            "uncommitted": [line[3:] for line in git("status", "--porcelain").splitlines()]}


def parse_ns(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="launches of each app per figure (default 11)")
    parser.add_argument("--keys", type=int, default=40, help="keystrokes into each app for key echo (default 40)")
    parser.add_argument("--ns", type=parse_ns, default=CASE_NS, help="big-case sizes (default 10,100,1000)")
    parser.add_argument("--preview-runs", type=int, default=25, help="preview re-renders (default 25)")
    parser.add_argument("--reuse", action="store_true", help="reuse bench/.venv-bench without reinstalling")
    parser.add_argument("--quick", action="store_true", help="3 runs of everything, N in 10,100: a smoke check")
    parser.add_argument("--only", default="", help=argparse.SUPPRESS)  # e.g. usable,paint,keys,steps,cases
    parser.add_argument("--preview-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.preview_only:
        preview_driver(args.preview_only)
        return
    if args.quick:
        args.runs, args.keys, args.preview_runs = 3, IGNORED_KEYS + 3, 3
        args.ns = tuple(n for n in args.ns if n <= 100)
    only = set(filter(None, args.only.split(","))) or {"usable", "paint", "keys", "steps", "cases", "micro"}
    if shutil.which("tmux") is None:
        raise SystemExit("startup.py needs tmux on PATH (apt-get install tmux)")
    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_state(),
        "cpus": os.cpu_count(),
        "pane": f"{COLUMNS}x{ROWS}",
        "markers": MARKERS,
    }
    try:
        results["setup"] = setup_venv(args.reuse)
        with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp_name:
            tmp = Path(tmp_name)
            if "micro" in only:
                print("start path imports, preview re-render ...", file=sys.stderr)
                for key, bench in (("start_path", lambda: bench_start_path(tmp)),
                                   ("preview", lambda: bench_preview(args.preview_runs))):
                    try:
                        results[key] = bench()
                    except BenchError as error:
                        results[key] = {"error": str(error)}
                        print(f"  ! {key}: {error}", file=sys.stderr)
            if "usable" in only:
                print(f"time-to-usable ({args.runs} rounds x {2 * len(TYPE_AT_MS)} variants x 2 apps) ...",
                      file=sys.stderr)
                results["time_to_usable"] = bench_usable(args.runs, tmp)
            if "paint" in only:
                print(f"first paint ({args.runs} rounds) ...", file=sys.stderr)
                results["first_paint"] = bench_first_paint(args.runs, tmp)
            if "keys" in only:
                print(f"key echo ({args.keys} keys each) ...", file=sys.stderr)
                results["key_echo"] = bench_keys(args.keys, tmp)
            if "steps" in only:
                print(f"step switch ({args.runs} launches) ...", file=sys.stderr)
                results["step_switch"] = bench_steps(args.runs)
            if "cases" in only and args.ns:
                print(f"big cases (N = {', '.join(map(str, args.ns))}) ...", file=sys.stderr)
                results["cases"] = bench_cases(args.ns, args.runs, tmp)
    except (BenchError, TmuxError) as error:
        raise SystemExit(f"startup.py: {error}") from None
    results["capture_round_trip"] = {"plain": summary(RECORDER.capture_ms, p90=True),
                                     "with_styles": summary(RECORDER.styled_capture_ms, p90=True)}
    for entry in results["capture_round_trip"].values():
        del entry["samples_ms"]
    results["failures"] = RECORDER.failures
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(results)


def print_report(results: dict[str, Any]) -> None:
    setup = results["setup"]
    print(f"escalate-tui {setup['escalate_tui']} (git {results['git']['head']}"
          f"{', uncommitted changes' if results['git']['uncommitted'] else ''}), "
          f"textual {setup['textual']}, rich {setup['rich']}, python {setup['python']}, {results['cpus']} cpus, "
          f"pane {COLUMNS}x{ROWS}")
    print(*report(results), sep="\n")
    print()
    trip = results["capture_round_trip"]
    print(f"one poll (capture-pane through the one control client): median {fmt(trip['plain'], 0, p90=True)} ms "
          f"plain, {fmt(trip['with_styles'], 0, p90=True)} ms with styles (-e); "
          f"{trip['plain']['n'] + trip['with_styles']['n']} polls, taken only after the pane wrote something")
    preview = results.get("preview")
    if preview and "error" not in preview:
        print(f"preview re-render after an edit: {preview['preview_after_one_edit']['median_ms']:.1f} ms for "
              f"{preview['brief_lines']} lines (render_markdown {preview['render_markdown']['median_ms']:.1f} ms; "
              f"target ≤ {PREVIEW_TARGET_MS:.0f} ms: {met(preview['within_target'])})")
    elif preview:
        print(f"preview micro-bench failed: {preview['error'].splitlines()[0]}")
    start_path = results.get("start_path")
    if start_path and "error" not in start_path:
        print(f"start path: after make_app {start_path['after_make_app']}; after first screen "
              f"{start_path['after_first_screen']}; httpx/tomlkit on start path: "
              f"{sorted(m for m in ('httpx', 'tomlkit') if m in start_path['after_first_screen']) or 'none'}; "
              f"chat SDKs and senders on start path: "
              f"{sorted(m for m in CHAT_MODULES if m in start_path['after_first_screen']) or 'none'}; "
              f"modules loaded without .pyc: {len(start_path['loaded_without_pyc'])}")
    elif start_path:
        print(f"start-path check failed: {start_path['error'].splitlines()[0]}")
    if results["failures"]:
        print(f"{len(results['failures'])} wait(s) failed (last screens in startup.json 'failures'): "
              + "; ".join(f"{f['what']}: {f['failure']}" for f in results["failures"][:6]))
    print(f"wrote {(RESULTS / 'startup.json').relative_to(ROOT)} in {results['elapsed_s']:.0f} s")


if __name__ == "__main__":
    main()
