"""Pause Python's cyclic garbage collector while the engine runs.

Validation builds hundreds of thousands of small, acyclic records and the engine many large
arrays: the collector's repeated passes over them find nothing to free and cost about a
third of a 20 000-person run. Reference counting still frees everything as usual.

The collector is one per process, so the caller that owns the process pauses it (through
matching.process_tuning), not the engine's functions.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """The block runs with the cyclic collector disabled (re-enabled afterwards if it was
    on). Also usable as a decorator: @gc_paused()."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
