"""LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm,
O(n m log n)), from its own start or resumed from a given state (State), through ctypes:
the shim native/lemon_matching.cpp, which `make setup` compiles with LEMON's vendored
headers wherever g++ is. Where it is not built,
`available()` is False: the solver skips priced_blossom.py and the repair's search uses
rustworkx's O(n^3) blossom algorithm (fixed_search.py), the same answers, far slower on
large components. The same library carries two passes over millions of edges that NumPy
does slowly: the priced blossom's pricing (blossom_slack) and keysort.most_per_end's
top edges per person (top_per_end).
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LIBRARY = Path(__file__).with_name("native") / "liblemon_matching.so"
DUAL_SCALE = 4  # LEMON's duals are 4 times the weights (MaxWeightedMatching::dualScale)


@functools.cache
def _library():
    if not LIBRARY.exists():
        return None
    lib = ctypes.CDLL(str(LIBRARY))
    i32, i64, u8 = (np.ctypeslib.ndpointer(t, flags="C") for t in (np.int32, np.int64, np.uint8))
    lib.jumelage_blossom_slack.argtypes = [
        ctypes.c_int64, i32, i32, i64, u8, ctypes.c_int64, i64, i64, i64, i64, i64, i64, i64,
        i64, i64, ctypes.c_int64, i64]
    lib.jumelage_blossom_slack.restype = None
    lib.jumelage_resumable_matching.argtypes = [
        ctypes.c_int32, ctypes.c_int64, i32, i32, i64, _maybe(i64), _maybe(i64), ctypes.c_int64,
        _maybe(i64), _maybe(i64), _maybe(i64), _maybe(i64), u8, i64, i32, i64, i64, i64, i64,
        i64]
    lib.jumelage_resumable_matching.restype = ctypes.c_int
    lib.jumelage_top_per_end.argtypes = [
        ctypes.c_int64, ctypes.c_int64, i32, i32, i64, ctypes.c_int64, u8]
    lib.jumelage_top_per_end.restype = None
    return lib


def _maybe(pointer):
    """An ndpointer argument that also takes None (a null pointer)."""
    return type(pointer.__name__ + "OrNull", (pointer,), {
        "from_param": classmethod(lambda cls, x: None if x is None else pointer.from_param(x))})


def available() -> bool:
    return _library() is not None


def lexicographic(n: int, tails: np.ndarray, heads: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mask of a matching of the nodes 0..n-1 with the most edges, then the most weight
    (integer weights). Every weight is raised by lift(n, w): a matching has at most n/2
    edges, so its weight lies within n/2 * max|w| of 0 and two matchings' weights differ
    by less than the lift; one more edge outweighs that, and the maximum weight matching
    of the raised weights is the lexicographic one."""
    w = np.asarray(w, dtype=np.int64)
    return maximum_weight(n, tails, heads, w + lift(n, w))


def lift(n: int, w: np.ndarray) -> int:
    """n * max|w| + 1: what every weight is raised by for a graph of at most n nodes."""
    return n * (int(np.abs(w).max()) if len(w) else 0) + 1


@dataclass(frozen=True)
class Dual:
    """An optimal dual of the matching LP, times DUAL_SCALE: y >= 0 per node; blossoms,
    nested odd node sets with values z >= 0, blossom k the nodes whose position lies in
    [begin[k], end[k]) (a nested blossom's range inside its parent's; children listed
    before parents). Every edge
    has y_a + y_c + (z of the blossoms holding both) >= DUAL_SCALE * w_ac, y = 0 on every
    unmatched node, and every blossom with z > 0 holds (size - 1) / 2 matched edges."""

    y: np.ndarray
    position: np.ndarray  # each node's place in the blossoms' node order, or -1
    begin: np.ndarray
    end: np.ndarray
    z: np.ndarray


def blossom_slack(u, v, w, core, lift, first, b, dual: Dual, deep, parent, depth, total, place,
                  table, out) -> None:
    """The shim's pricing pass for priced_blossom.py (its _Pricing says what each argument
    is): each edge's least slack into `out`, 0 for the core's. Contiguous arrays: u, v
    int32, core uint8, the rest int64; table is levels x blossoms."""
    _library().jumelage_blossom_slack(len(u), u, v, w, core, lift, first, b, dual.y, deep,
                                      parent, depth, total, place, table, table.shape[1], out)


def top_per_end(n: int, u, v, key, t: int) -> np.ndarray:
    """keysort.most_per_end in one pass of the shim (native/top_per_end.cpp): the same
    mask. u, v: ends in 0 .. n-1."""
    keep = np.zeros(len(u), dtype=np.uint8)
    _library().jumelage_top_per_end(
        n, len(u), np.ascontiguousarray(u, dtype=np.int32),
        np.ascontiguousarray(v, dtype=np.int32), np.ascontiguousarray(key, dtype=np.int64),
        t, keep)
    return keep.view(bool)


def maximum_weight(n, tails, heads, w) -> np.ndarray:
    """Mask of a maximum weight matching of the nodes 0..n-1 (integer weights)."""
    return resumable(n, tails, heads, w)[0]


class InvalidStart(ValueError):
    """resumable() was given a start that breaks a rule of State (found before or while
    LEMON runs from it)."""


@dataclass(frozen=True)
class Blossoms:
    """A maximum weight matching's blossoms as LEMON holds them, children before parents:
    z (times DUAL_SCALE) and each one's children in cycle order, child[child_begin[k] :
    child_begin[k + 1]] (a node below n, else n + a blossom's index), each with its arc to
    the child before it (2 * edge, + 1 when the arc runs head -> tail)."""

    z: np.ndarray
    child_begin: np.ndarray
    child: np.ndarray
    child_arc: np.ndarray


@dataclass(frozen=True)
class State:
    """Where resumable() starts from: y (times DUAL_SCALE), each node's matched edge or -1,
    and the blossoms. Every edge's slack y_a + y_c + (z of the blossoms holding both) -
    DUAL_SCALE * w is >= 0, and 0 on the matched edges and the cycle arcs; each blossom
    holds one node (its base) matched outside it or exposed. The exposed nodes with y > 0
    are where LEMON's search starts, and their values are even (LEMON halves slacks
    between its trees)."""

    y: np.ndarray
    mate: np.ndarray
    blossoms: Blossoms


def resumable(n, tails, heads, w, start: State | None = None):
    """(mask, Dual, Blossoms, roots) of a maximum weight matching of the nodes 0..n-1
    (integer weights), from LEMON's fractional start or, given `start`, from that state;
    roots: the exposed nodes it started from (-1 cold). Raises InvalidStart for a start
    the shim finds breaking a rule of State."""
    lib = _library()
    if lib is None:
        raise RuntimeError(f"{LIBRARY.name} is not built (make setup, with g++)")
    w = np.ascontiguousarray(w, dtype=np.int64)
    # LEMON keeps 4 (its dualScale) times sums of two weights: keep them in int64.
    if n >= 2**31 or 16 * (int(np.abs(w).max()) if len(w) else 0) >= 2**62:
        raise ValueError("graph too large for the int64 duals of the native matching")
    most = n // 2 + 1  # a laminar family of odd sets of >= 3 of n nodes: < n / 2 sets
    matched = np.zeros(len(w), dtype=np.uint8)
    y, position = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int32)
    ranges, child_begin = np.zeros(3 * most, dtype=np.int64), np.zeros(most + 1, dtype=np.int64)
    child, child_arc = np.zeros(n + most, dtype=np.int64), np.zeros(n + most, dtype=np.int64)
    counts = np.zeros(3, dtype=np.int64)
    warm = [None] * 6 if start is None else [
        np.ascontiguousarray(x, dtype=np.int64) for x in (
            start.y, start.mate, start.blossoms.z, start.blossoms.child_begin,
            start.blossoms.child, start.blossoms.child_arc)]
    status = lib.jumelage_resumable_matching(
        n, len(w), np.ascontiguousarray(tails, dtype=np.int32),
        np.ascontiguousarray(heads, dtype=np.int32), w, warm[0], warm[1],
        0 if start is None else len(start.blossoms.z), *warm[2:], matched, y, position, ranges,
        child_begin, child, child_arc, counts)
    if status == 1:
        raise MemoryError("the native matching ran out of memory")
    if status == 3:
        raise InvalidStart("the warm start is not a valid state of the matching")
    if status != 0:
        raise RuntimeError("the native matching could not start its thread")
    k, c = int(counts[0]), int(counts[1])
    r = ranges[: 3 * k].reshape(-1, 3)
    dual = Dual(y, position, r[:, 0].copy(), r[:, 1].copy(), r[:, 2].copy())
    blossoms = Blossoms(r[:, 2].copy(), child_begin[: k + 1].copy(), child[:c].copy(),
                        child_arc[:c].copy())
    return matched.view(bool), dual, blossoms, int(counts[2])
