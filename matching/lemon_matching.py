"""LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm,
O(n m log n)) through ctypes: the shim native/lemon_matching.cpp, which `make setup`
compiles where LEMON's headers are (Debian's liblemon-dev). Where it is not built,
`available()` is False and the repair's search uses rustworkx's O(n^3) blossom algorithm
(fixed_search.py): the same answers, far slower on large parts.
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy as np

LIBRARY = Path(__file__).with_name("native") / "liblemon_matching.so"


@functools.cache
def _function():
    if not LIBRARY.exists():
        return None
    f = ctypes.CDLL(str(LIBRARY)).jumelage_max_weight_matching
    array = np.ctypeslib.ndpointer
    f.argtypes = [ctypes.c_int32, ctypes.c_int64, array(np.int32, flags="C"),
                  array(np.int32, flags="C"), array(np.int64, flags="C"),
                  array(np.uint8, flags="C")]
    f.restype = ctypes.c_int
    return f


def available() -> bool:
    return _function() is not None


def lexicographic(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mask of a matching of the nodes 0..n-1 with the most edges, then the most weight
    (integer weights). Every weight is raised by C = n * max|w| + 1: a matching has at
    most n/2 edges, so its weight lies within n/2 * max|w| of 0 and two matchings' weights
    differ by less than C; one more edge outweighs that, and the maximum weight matching
    of the raised weights is the lexicographic one."""
    f = _function()
    if f is None:
        raise RuntimeError(f"{LIBRARY.name} is not built (make setup, with liblemon-dev)")
    w = np.asarray(w, dtype=np.int64)
    top = int(np.abs(w).max()) if len(w) else 0
    lift = n * top + 1
    # LEMON keeps duals of 4 (its dualScale) times sums of two weights: keep them in int64.
    if n >= 2**31 or 16 * (lift + top) >= 2**62:
        raise ValueError("graph too large for the int64 duals of the native matching")
    matched = np.zeros(len(w), dtype=np.uint8)
    status = f(n, len(w), np.ascontiguousarray(tails, dtype=np.int32),
               np.ascontiguousarray(heads, dtype=np.int32), w + lift, matched)
    if status == 1:
        raise MemoryError("the native matching ran out of memory")
    if status != 0:
        raise RuntimeError("the native matching could not start its thread")
    return matched.view(bool)
