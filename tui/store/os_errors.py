"""Why a file could not be read or written, in words a person can act on."""

from __future__ import annotations

import errno
import os
from pathlib import Path

NAME_MAX = 255  # bytes in one file or folder name, on the file systems people use
PATH_MAX = 4096  # bytes in a whole path, on Linux


def why(error: OSError, path: Path) -> str:
    """The reason `error` gives, made specific for a name that is too long."""
    if error.errno == errno.ENAMETOOLONG:
        return name_too_long(Path(path))
    return error.strerror or str(error)


def name_too_long(path: Path) -> str:
    """Which name in `path` is too long, by how much, and the limit."""
    longest = max(path.parts, key=_size, default="")
    if _size(longest) > NAME_MAX or _size(str(path)) <= PATH_MAX:
        kind = "file" if longest == path.name else "folder"
        size = _size(longest)
        in_bytes = "" if size == len(longest) else f" ({size:,} bytes)"
        return f"{kind} name too long: {len(longest):,} characters{in_bytes}, the limit is {NAME_MAX} bytes"
    return f"path too long: {_size(str(path)):,} bytes, the limit is {PATH_MAX:,} bytes"


def _size(name: str) -> int:
    return len(os.fsencode(name))
