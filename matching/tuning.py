"""Process settings for the length of an engine run: the cyclic collector paused
(gc_pause.py) and freed memory kept in the process (malloc_keep.py).

Both act on the whole process, not on one call, so the engine never applies them itself:
the program that owns the process wraps its run (validation and solve) in one block.

    with matching.process_tuning():
        result = matching.solve(matching.instance_from_dict(data))
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .gc_pause import gc_paused
from .malloc_keep import memory_kept


@contextlib.contextmanager
def process_tuning() -> Iterator[None]:
    """Pause the cyclic collector and keep freed memory in the process for the block;
    both are restored (and the kept memory handed back) when it ends, even on error."""
    with gc_paused(), memory_kept():
        yield
