"""One object per asyncio event loop, made on first use in that loop.

Redis clients and the tasks that serve them belong to the loop that opened them, and one
process may run several loops in turn (the test suite, a worker's threads): each loop gets
its own, and a loop's object goes with the loop (weak keys).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    def __init__(self, make: Callable[[], T]):
        self._make = make
        self._made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        """The running loop's object (made now if it has none yet)."""
        loop = asyncio.get_running_loop()
        try:
            return self._made[loop]
        except KeyError:
            made = self._made[loop] = self._make()
            return made
