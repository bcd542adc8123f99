"""Write files so a crash or a full disk never leaves a half-written one behind.

The text goes to a temporary file beside the target, is flushed to disk and renamed over the
target in one step. A symbolic link is written through (its target is replaced, the link kept).
A new file is readable by its owner only: briefs hold customer data. A process killed mid-write
leaves its temporary file behind; `remove_stale_temps` clears those once they are old.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".escalate-tui.tmp"
STALE_AFTER = 600.0  # seconds: older temporary files belong to no write still going on
PRIVATE_FILE = 0o600
NAME_MAX = 255  # bytes in one file name, on the file systems this runs on
RANDOM_PART = 8  # characters tempfile adds


def write_text_atomic(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path`, or to the file it links to, all at once: on any error the old
    file is untouched and no temporary file is left. Returns the file written."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    folder = path.parent
    remove_stale_temps(folder)
    descriptor, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp_name, _mode_for(path))
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return path


def create_text_atomic(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to a new file at `path`, readable by its owner only, all at once; raise
    FileExistsError and leave it untouched when `path` already exists, even when another writer
    creates it meanwhile (the finished temporary file is hard-linked into place, which never
    replaces). Where hard links are not supported the check and the rename are two steps."""
    path = Path(path)
    folder = path.parent
    remove_stale_temps(folder)
    descriptor, temp_name = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp_name, PRIVATE_FILE)
        try:
            os.link(temp_name, path)
        except FileExistsError:
            raise
        except OSError:
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            os.replace(temp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
    return path


def _temp_prefix(name: str) -> str:
    """`.NAME.`, NAME cut so that the temporary file's name fits where `name` itself fits."""
    room = NAME_MAX - len(TEMP_SUFFIX) - len("..") - RANDOM_PART
    encoded = os.fsencode(name)
    if len(encoded) > room:
        name = os.fsdecode(encoded[:room].decode("utf-8", "ignore").encode("utf-8"))
    return f".{name}."


def remove_stale_temps(folder: Path, older_than: float = STALE_AFTER) -> int:
    """Delete this app's temporary files in `folder` left by writes killed over `older_than` seconds
    ago; how many went. Never fails: a folder that cannot be read is left alone."""
    removed = 0
    cutoff = time.time() - older_than
    try:
        candidates = [entry for entry in os.scandir(folder) if entry.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return 0
    for entry in candidates:
        try:
            if entry.name.startswith(".") and entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one is readable by its owner only."""
    if path.exists():
        return path.stat().st_mode & 0o777
    return PRIVATE_FILE
