"""Where the app keeps its data: the drafts database and, later, the rest of the store."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "escalate-tui"
DATA_DIR_ENV = "ESCALATE_TUI_DATA_DIR"


def data_dir(override: Path | None = None) -> Path:
    """`override`, else `$ESCALATE_TUI_DATA_DIR`, else the per-user data folder; created if missing,
    readable by its owner only (it holds customer data)."""
    if override is not None:
        path = Path(override).expanduser()
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV]).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


DEMO_FOLDER = "demo"


def demo_data_dir(override: Path | None = None) -> Path:
    """Where `--demo` keeps its drafts: a `demo` folder inside the data folder, so demo cases never mix
    with real ones; created if missing, readable by its owner only."""
    path = data_dir(override) / DEMO_FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path
