"""The rules and the renderer load without Textual, httpx, tomlkit or sqlite3; so do the CLI's
non-UI commands. Checked in a fresh interpreter, as a user's process would start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("textual", "httpx", "tomlkit", "sqlite3", "rich")


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()[-1]
    return set(json.loads(out))


def test_domain_and_render_leave_heavy_packages_unloaded() -> None:
    loaded = loaded_after(
        "import tui.domain.models, tui.domain.triage, tui.domain.quality, tui.domain.intake, "
        "tui.domain.cadence, tui.domain.field_paths, tui.render.markdown, tui.render.plain, tui.render.assessment_json"
    )
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_cli_render_and_triage_never_import_textual_or_httpx(tmp_path: Path) -> None:
    example = ROOT / "examples" / "export-missing-rows.toml"
    loaded = loaded_after(
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['render', {str(example)!r}]); main(['triage', {str(example)!r}, '--json'])\n"
        f"    main(['check', {str(example)!r}])\n"
    )
    assert not loaded & {"textual", "httpx", "rich"}, loaded & {"textual", "httpx", "rich"}
