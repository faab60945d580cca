"""Keep freed memory inside the process while the engine runs (glibc only; elsewhere a
no-op).

glibc maps every block above its mmap threshold (at most 32 MB) afresh and unmaps it on
release, and the engine allocates and drops arrays of millions of edges step after step.
Each fresh page is a page fault; on a virtual machine whose host reclaims the pages its
guest frees, that costs about 2 s per GB (measured on the 2-core benchmark machine), a
large share of a 100 000-person run. During a run glibc is told to serve every block
from its heap and not to trim the heap, so a dropped array's pages serve the next one.
Afterwards the settings are restored and the free heap is handed back (malloc_trim), so
a long-lived worker does not keep the run's peak.

Threads are also limited to one malloc arena, so that what the candidate threads free
serves the solver on the main thread. glibc fixes that limit the first time a thread
needs an arena, so it may stay for the whole process (or not apply, if threads came
first); either is harmless, the engine's allocations being few and large.

These settings belong to the whole process, so the caller that owns the process applies
them (through matching.process_tuning), not the engine's functions.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading

_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_M_ARENA_MAX = -8
_DEFAULT_TRIM_THRESHOLD = 128 * 1024
_DEFAULT_MMAP_MAX = 65536
_NEVER_TRIM = 2**31 - 1  # mallopt takes an int

_lock = threading.Lock()
_depth = 0


def _load_libc():
    try:
        libc = ctypes.CDLL(None)  # the C library the interpreter runs on
        mallopt, malloc_trim = libc.mallopt, libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    malloc_trim.argtypes, malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    return libc


_libc = _load_libc()


def active() -> bool:
    """Whether a run is keeping memory right now (for tests)."""
    return _depth > 0


@contextlib.contextmanager
def memory_kept():
    """The block runs with freed memory kept in the process (nested and concurrent blocks
    share one setting: the first in switches it on, the last out restores it). Also
    usable as a decorator: @memory_kept()."""
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    global _depth
    with _lock:
        _depth += 1
        if _depth == 1 and _libc is not None:
            _libc.mallopt(_M_MMAP_MAX, 0)
            _libc.mallopt(_M_TRIM_THRESHOLD, _NEVER_TRIM)
            _libc.mallopt(_M_ARENA_MAX, 1)


def _leave() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _libc is not None:
            _libc.mallopt(_M_ARENA_MAX, 0)  # 0: glibc's default (8 per core)
            _libc.mallopt(_M_MMAP_MAX, _DEFAULT_MMAP_MAX)
            _libc.mallopt(_M_TRIM_THRESHOLD, _DEFAULT_TRIM_THRESHOLD)
            _libc.malloc_trim(0)
