"""Hold Python's cyclic garbage collector off while the app starts, then hand it back.

Start-up allocates hundreds of thousands of long-lived objects (modules, classes, widgets, styles);
the collector keeps walking them while they are being made, a large share of the time to the
first screen (bench/startup.py measures it). Once the first screen is up, `resume` freezes what start-up
built (so later collections skip it) and switches collection back on.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until `resume`; a no-op if collection was already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo `pause` (only a pause made here: tests and hosts that manage the collector are left alone)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def cancel() -> None:
    """Undo `pause` without freezing anything: start-up was given up before the app came up."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
