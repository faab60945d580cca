"""The engine's worker threads. NumPy releases the GIL in its array steps (sorts, gathers,
arithmetic), so independent blocks of work (twinnings, chunks of edges, sort buckets,
profile blocks) run on the machine's cores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# More threads than four add memory (one block each in flight) for little gain.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def each(fn: Callable[..., Any], *items: Iterable[Any]) -> list[Any]:
    """fn over the items on the worker threads; results in the items' order."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(fn, *items))


def bounds(m: int) -> list[tuple[int, int]]:
    """[lo, hi) parts of range(m), one per worker."""
    cuts = [m * i // WORKERS for i in range(WORKERS + 1)]
    return list(zip(cuts[:-1], cuts[1:], strict=True))
