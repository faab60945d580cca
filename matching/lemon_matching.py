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
DUAL_SCALE = 4  # LEMON's MaxWeightedMatching::dualScale for integer weights


@functools.cache
def _function():
    if not LIBRARY.exists():
        return None
    f = ctypes.CDLL(str(LIBRARY)).jumelage_max_weight_matching
    array = np.ctypeslib.ndpointer
    f.argtypes = [ctypes.c_int32, ctypes.c_int64, array(np.int32, flags="C"),
                  array(np.int32, flags="C"), array(np.int64, flags="C"),
                  array(np.uint8, flags="C"), ctypes.c_void_p]
    f.restype = ctypes.c_int
    return f


def available() -> bool:
    return _function() is not None


def lexicographic(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mask of a matching of the nodes 0..n-1 with the most edges, then the most weight
    (integer weights). Every weight is raised by lift(n, w): a matching's weights lie
    within n/2 * max|w| of each other's, so one more edge is worth more than any
    difference in weight and the maximum weight matching is the lexicographic one."""
    w = np.asarray(w, dtype=np.int64)
    return maximum_weight(n, tails, heads, w + lift(n, w))[0]


def lift(n: int, w: np.ndarray) -> int:
    """What every weight is raised by so that a maximum weight matching of a graph with
    at most n nodes has the most edges: n * max|w| + 1."""
    return n * (int(np.abs(w).max()) if len(w) else 0) + 1


def maximum_weight(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray,
                   duals: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """(mask of a maximum weight matching of the nodes 0..n-1, and with duals=True the
    node values of an optimal dual times DUAL_SCALE: with the blossom values, which are
    not returned and are >= 0, y_a + y_b + sum of the blossoms holding both >= 4 w_ab
    on every edge, y >= 0, y = 0 on every unmatched node)."""
    f = _function()
    if f is None:
        raise RuntimeError(f"{LIBRARY.name} is not built (make setup, with liblemon-dev)")
    w = np.ascontiguousarray(w, dtype=np.int64)
    # LEMON keeps duals of DUAL_SCALE times sums of two weights: keep them in int64.
    top = int(np.abs(w).max()) if len(w) else 0
    if n >= 2**31 or 4 * DUAL_SCALE * top >= 2**62:
        raise ValueError("graph too large for the int64 duals of the native matching")
    matched = np.zeros(len(w), dtype=np.uint8)
    y = np.zeros(n, dtype=np.int64) if duals else None
    status = f(n, len(w), np.ascontiguousarray(tails, dtype=np.int32),
               np.ascontiguousarray(heads, dtype=np.int32), w, matched,
               None if y is None else y.ctypes.data)
    if status == 1:
        raise MemoryError("the native matching ran out of memory")
    if status != 0:
        raise RuntimeError("the native matching could not start its thread")
    return matched.view(bool), y
