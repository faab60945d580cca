"""Sorting and deduplicating non-negative integer keys, fast.

A plain sort of int64 is several times faster than argsort/lexsort, so keys are packed
with their positions, (key << bits) | position, into one int64 whenever that fits in 62
bits: the sorted array then gives both the order and the sorted keys. Used by the
availability painter (intervals by profile and start), by candidate generation
(edges by both ends, distinct profile pairs) and by the priced flow (a flood's edges by
reduced cost and by end; LEMON's arcs by tail and head) and by the blossom paths
(each vertex's edges of largest key, most_per_end).
"""

from __future__ import annotations

import numpy as np

from . import lemon_matching, threads

_CHUNK = 1 << 20


def packed_sorted(key: np.ndarray, in_place: bool = False) -> tuple[np.ndarray, int] | None:
    """(the keys packed with their positions, (key << bits) | position, sorted; bits),
    or None when they would not fit in 62 bits. in_place: `key` (int64) is packed where
    it is, so that no array of its size is made; the caller reads it only through the
    result."""
    m = len(key)
    pos_bits = max(1, m).bit_length()
    if not m or int(key.max()).bit_length() + pos_bits > 62:
        return None
    if in_place and key.dtype == np.int64:  # a narrower array would overflow in place
        packed = key
        packed <<= pos_bits
    else:
        packed = np.left_shift(key, pos_bits, dtype=np.int64)
    for c0 in range(0, m, _CHUNK):  # the positions go in by blocks (no arange of m)
        packed[c0 : c0 + _CHUNK] |= np.arange(c0, min(m, c0 + _CHUNK), dtype=np.int64)
    packed.sort()
    return packed, pos_bits


def stable_order(key: np.ndarray, in_place: bool = False) -> np.ndarray:
    """The stable order of the keys alone: the packed array becomes it (one array of the
    keys' size, none with in_place; see packed_sorted)."""
    found = packed_sorted(key, in_place)
    if found is None:
        return np.argsort(key, kind="stable")
    packed, pos_bits = found
    packed &= (1 << pos_bits) - 1
    return packed


def most_per_end(n: int, u: np.ndarray, v: np.ndarray, key: np.ndarray, t: int) -> np.ndarray:
    """Mask of each of the n vertices' t edges u-v of largest key (ties: the edges where
    the vertex is u first, then by edge order). One pass of the shim where it is built
    (lemon_matching.top_per_end: 0.2 s against 3 s at 17.6 M edges), else a sort."""
    if len(u) and n < 2**31 and lemon_matching.available():
        return lemon_matching.top_per_end(n, u, v, key, t)
    return most_per_end_sorted(n, u, v, key, t)


def most_per_end_sorted(n: int, u: np.ndarray, v: np.ndarray, key: np.ndarray,
                        t: int) -> np.ndarray:
    """most_per_end by sorting: both ends' copies of the edges ranked by (end, -key), one
    packed key where it fits."""
    m = len(u)
    keep = np.zeros(m, dtype=bool)
    if m == 0:
        return keep
    ends = np.concatenate([u, v]).astype(np.int64)
    rank = np.concatenate([key, key]).astype(np.int64)
    rank = int(rank.max()) - rank  # >= 0, the largest key first
    span = int(rank.max()) + 1
    if n * span < 2**62:
        order = stable_order(ends * span + rank, in_place=True)
    else:
        order = np.lexsort((rank, ends))
    start = np.searchsorted(ends[order], np.arange(n + 1))
    place = np.arange(2 * m) - start[ends[order]]
    keep[order[place < t] % m] = True
    return keep


def sorted_with_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(stable order of the keys, the keys in that order)."""
    found = packed_sorted(key)
    if found is None:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    packed, pos_bits = found
    order = packed & ((1 << pos_bits) - 1)
    packed >>= pos_bits
    return order, packed


def unique_inverse(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, return_inverse=True), by one packed sort when it fits."""
    m = len(key)
    if m == 0:
        return np.unique(key, return_inverse=True)
    order, sorted_key = sorted_with_order(key)
    fresh = np.empty(m, dtype=bool)
    fresh[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=fresh[1:])
    inverse = np.empty(m, dtype=np.int64)
    inverse[order] = np.cumsum(fresh) - 1
    return sorted_key[fresh], inverse


def edge_order(u: np.ndarray, v: np.ndarray, n: int):
    """Stable order of edges by (u, v), and u, v in that order (sorted keys give them
    back without gathering). For millions of edges: packed in place (no temporaries of
    the edges' size), one part per worker thread sorted side by side, then merged by one
    timsort pass over those runs."""
    m = len(u)
    key_bits = max(1, int(n) * int(n)).bit_length()
    pos_bits = max(1, m).bit_length()
    if key_bits + pos_bits > 62:
        order = np.lexsort((v, u))
        return order, u[order], v[order]
    packed = np.multiply(u, n, dtype=np.int64)
    packed += v
    packed <<= pos_bits
    for c0 in range(0, m, _CHUNK):
        packed[c0 : c0 + _CHUNK] |= np.arange(c0, min(m, c0 + _CHUNK), dtype=np.int64)
    threads.each(lambda part: packed[part[0] : part[1]].sort(), threads.bounds(m))
    packed.sort(kind="stable")  # a few sorted runs: timsort merges them
    order = packed & ((1 << pos_bits) - 1)
    packed >>= pos_bits
    su = packed // n
    np.remainder(packed, n, out=packed)
    return order, su, packed


def distinct_pairs(pa: np.ndarray, pb: np.ndarray, size: int):
    """Distinct (pa, pb) pairs (values in 0 .. size-1) in increasing order, and each input
    pair's index among them.

    The values met on each side are renumbered densely (in increasing order); when the
    table of local pairs is small, deduplication is a table lookup instead of a sort."""
    ids_a, ids_b = _present(pa, size), _present(pb, size)
    na, nb = len(ids_a), len(ids_b)
    if na * nb > 4 * len(pa) + 65536:
        key, inverse = unique_inverse(pa * size + pb)
        return key // size, key % size, inverse
    local = np.empty(size, dtype=np.int64)
    local[ids_a] = np.arange(na)
    key = local[pa] * nb
    local[ids_b] = np.arange(nb)
    key += local[pb]
    seen = np.zeros(na * nb, dtype=bool)
    seen[key] = True
    slots = np.flatnonzero(seen)
    index = np.empty(na * nb, dtype=np.int64)  # only the seen slots are ever read
    index[slots] = np.arange(len(slots))
    return ids_a[slots // nb], ids_b[slots % nb], index[key]


def _present(values: np.ndarray, size: int) -> np.ndarray:
    """The distinct values (all in 0 .. size-1), in increasing order, without sorting."""
    mark = np.zeros(size, dtype=bool)
    mark[values] = True
    return np.flatnonzero(mark)
