"""`escalate-tui` with the test type `looking` (DEDUP = True) known, for the restart fault test:
`python tests/send/flush_looking.py outbox --flush …` runs the real CLI with it registered."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]

import looking_kind  # noqa: E402

import tui.send.kinds as kinds  # noqa: E402
from tui.cli import main  # noqa: E402

kinds.KIND_NAMES = (*kinds.KIND_NAMES, "looking")
sys.modules["tui.send.looking"] = looking_kind

if __name__ == "__main__":
    raise SystemExit(main())
