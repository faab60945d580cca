"""Graphs and checks shared by the priced flow's and the blossom paths' tests."""

import numpy as np
from hypothesis import strategies as st


@st.composite
def weighted_graphs(draw, max_n=12):
    n = draw(st.integers(2, max_n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = sorted(set(draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=30))))
    w = draw(st.lists(st.sampled_from([0, 1, 2, 7, 5000, 9999, 10000]), min_size=len(edges),
                      max_size=len(edges)))
    cap = draw(st.lists(st.sampled_from([1, 1, 2, 3]), min_size=n, max_size=n))
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    return n, np.array(cap, dtype=np.int64), u, v, np.array(w, dtype=np.int64)


def size_and_weight(total, w):
    return int(total.sum()), int((total * w).sum())


def feasible(n, cap, u, v, total):
    assert set(np.unique(total)) <= {0, 1, 2}
    assert (np.bincount(np.concatenate([u, v]), np.concatenate([total, total]), n)
            <= 2 * cap).all()


def random_graph(seed, n=400, m=6000):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.unique(lo[lo != hi] * n + hi[lo != hi])
    u, v = key // n, key % n
    return n, rng.choice([1, 1, 2, 3], n), u, v, rng.integers(900, 10001, len(u))


def simple_graph(rng, n, m, top):
    """About m distinct edges u < v among n vertices (no loops), sorted by (u, v), with
    weights in [0, top)."""
    t, h = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = t != h
    t, h = np.minimum(t, h)[keep], np.maximum(t, h)[keep]
    _, first = np.unique(t * n + h, return_index=True)
    return t[first], h[first], rng.integers(0, top, len(first))
