"""Random laminar families of blossoms for the tests of the blossom tree and the pricing."""

import numpy as np

from matching import lemon_matching


def nested_ranges(rng, n):
    """(begin, end, z): random nested ranges over positions 0..n-1, children before
    parents (LEMON's order), the last one [0, n) holding every other, z in 0..4."""
    ranges: list = []
    _inside(rng, 0, n, ranges)
    ranges.append((0, n, 1))
    return tuple(np.array([r[i] for r in ranges], dtype=np.int64) for i in range(3))


def _inside(rng, lo, hi, out):
    """Ranges strictly inside [lo, hi): the inside split into one to three chunks, most
    of them nested further."""
    if hi - lo < 5:
        return
    cuts = np.sort(rng.choice(np.arange(lo + 2, hi - 1), int(rng.integers(0, 3)), replace=False))
    edges = [lo + 1, *cuts.tolist(), hi - 1]
    for a, c in zip(edges[:-1], edges[1:], strict=True):
        if c - a >= 3 and rng.random() < 0.9:
            _inside(rng, a, c, out)
            out.append((a, c, int(rng.integers(0, 5))))


def blossoms_of(begin, end, z, n):
    """The Blossoms of nested ranges over the nodes 0..n-1 (node x at position x): each
    node or range a child of the smallest range around it (the cycle arcs left 0: what
    reads these does not follow them)."""
    size = end - begin
    kids: list[list[int]] = [[] for _ in z]

    def smallest_around(lo, hi, skip=-1):
        around = [k for k in range(len(z)) if k != skip and begin[k] <= lo and hi <= end[k]]
        return min(around, key=lambda k: size[k]) if around else None

    for x in range(n):
        k = smallest_around(x, x + 1)
        if k is not None:
            kids[k].append(x)
    for j in range(len(z)):
        k = smallest_around(begin[j], end[j], skip=j)
        if k is not None:
            kids[k].append(n + j)
    child = np.array([c for ks in kids for c in ks], dtype=np.int64)
    child_begin = np.concatenate([[0], np.cumsum([len(ks) for ks in kids])])
    return lemon_matching.Blossoms(z, child_begin, child, np.zeros(len(child), dtype=np.int64))
