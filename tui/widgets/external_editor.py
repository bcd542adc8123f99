"""Edit a text in the agent's own editor ($VISUAL, $EDITOR, else vi) with the app suspended meanwhile."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported


def edit_in_editor(app: App[Any], text: str, what: str) -> str | None:
    """`text` as the agent left it in their editor, or None when the editor failed or could not be
    run (the agent is told why, and that `what` is unchanged)."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
        handle.write(text)
        temp = Path(handle.name)
    try:
        with app.suspend():
            result = subprocess.run([*shlex.split(command), str(temp)], check=False)
        if result.returncode != 0:
            app.notify(f"{command} exited with status {result.returncode}; {what} is unchanged.",
                       severity="warning", markup=False)
            return None
        return temp.read_text(encoding="utf-8")
    except SuspendNotSupported:
        app.notify(f"This terminal cannot hand over to {command}; {what} is unchanged.", severity="warning",
                   markup=False)
    except (OSError, ValueError) as error:
        app.notify(f"Could not run {command}: {error}", severity="error", markup=False)
    finally:
        temp.unlink(missing_ok=True)
    return None
