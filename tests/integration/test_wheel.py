"""The built wheel installs into a fresh virtual environment and works from there, themes included."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("escalate_tui-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    exe = env_dir / "bin" / "escalate-tui"

    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("escalate-tui ")

    example = ROOT / "examples" / "export-missing-rows.toml"
    brief = subprocess.run([exe, "render", str(example)], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert brief.stdout.startswith("## ESCALATION: Data export is missing rows")
    assert "**Severity:** Critical" in brief.stdout

    list_themes = (
        "import importlib.resources as r; print(sorted(p.name for p in r.files('tui').joinpath('themes').iterdir()))"
    )
    themes = subprocess.run([python, "-c", list_themes], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "escalate-dark.toml" in themes.stdout
    assert "escalate-high-contrast.toml" in themes.stdout

    find_sample = "from tui.sources.sample import sample_workspace; print(sample_workspace())"
    sample = subprocess.run([python, "-c", find_sample], capture_output=True, text=True, check=True, cwd=tmp_path)
    workspace = Path(sample.stdout.strip())
    assert workspace.is_relative_to(env_dir), "the demo must read the workspace shipped in the wheel"
    assert (workspace / "tickets.csv").is_file()
    assert len(list((workspace / "known-issues").glob("*.md"))) >= 12
