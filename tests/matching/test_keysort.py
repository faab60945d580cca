"""Packed-key sorting and deduplication."""

import numpy as np
import pytest

from matching import keysort, threads


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
@pytest.mark.parametrize("m", [0, 1, 2, 7, 1000])
def test_edges_are_sorted_by_both_ends_keeping_equal_pairs_in_order(m, workers, monkeypatch):
    # One sorted run per worker thread, merged: the same order for any number of them.
    monkeypatch.setattr(threads, "WORKERS", workers)
    rng = np.random.default_rng(m)
    n = 50
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    order, su, sv = keysort.edge_order(u, v, n)
    want = np.lexsort((v, u))  # stable: equal (u, v) keep their input order
    assert (order == want).all()
    assert (su == u[want]).all() and (sv == v[want]).all()


def test_edge_sort_falls_back_when_the_packed_key_would_overflow():
    n = 2**31  # n * n alone takes 63 bits
    u = np.array([5, 2**31 - 1, 5, 0], dtype=np.int64)
    v = np.array([9, 3, 1, 2**31 - 2], dtype=np.int64)
    order, su, sv = keysort.edge_order(u, v, n)
    assert order.tolist() == [3, 2, 0, 1]
    assert su.tolist() == [0, 5, 5, 2**31 - 1] and sv.tolist() == [2**31 - 2, 1, 9, 3]


def test_distinct_pairs_by_table_and_by_sort_agree():
    rng = np.random.default_rng(5)
    for n_prof, m in ((30, 400), (100_000, 20_000)):  # a small table, then one too large for it
        pa, pb = rng.integers(0, n_prof, m), rng.integers(0, n_prof, m)
        qa, qb, inverse = keysort.distinct_pairs(pa, pb, n_prof)
        keys = sorted(set(zip(pa.tolist(), pb.tolist(), strict=True)))
        assert list(zip(qa.tolist(), qb.tolist(), strict=True)) == keys
        assert (qa[inverse] == pa).all() and (qb[inverse] == pb).all()


def test_keys_sort_stably_with_their_order_and_dedupe_like_numpy():
    rng = np.random.default_rng(9)
    for key in (rng.integers(0, 40, 500), rng.integers(0, 2**61, 50), np.zeros(0, np.int64)):
        order, sorted_key = keysort.sorted_with_order(key)  # packed, then too wide to pack
        assert (order == np.argsort(key, kind="stable")).all()
        assert (sorted_key == key[order]).all()
        assert (keysort.stable_order(key.astype(np.int64), in_place=True) == order).all()
        packed = keysort.packed_sorted(key.astype(np.int64), in_place=True)
        if packed is not None:  # the packed sort: keys high, positions low
            bits = packed[1]
            assert (packed[0] >> bits == sorted_key).all()
            assert (packed[0] & ((1 << bits) - 1) == order).all()
        else:
            assert len(key) == 0 or int(key.max()).bit_length() > 40
        got, inverse = keysort.unique_inverse(key)
        want, want_inverse = np.unique(key, return_inverse=True)
        assert (got == want).all() and (inverse == want_inverse).all()


@pytest.fixture(params=["sorted", "native"])
def most_per_end(request):
    """Both ways of keysort.most_per_end: the sort, and the shim's pass where built."""
    if request.param == "sorted":
        return keysort.most_per_end_sorted
    return request.getfixturevalue("lemon").top_per_end


@pytest.mark.parametrize("top", [1, 5, 10_001, 2**58])  # 2**58: too wide to pack
@pytest.mark.parametrize("t", [0, 1, 2, 3])
def test_most_per_end_keeps_each_vertexs_largest_keys(most_per_end, top, t):
    # Against a plain per-vertex ranking, negative keys too; ties: the edges where the
    # vertex is u first, then by edge order.
    rng = np.random.default_rng(top + t)
    n, m = 40, 300
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    v = np.where(u == v, (v + 1) % n, v)  # no loops
    key = rng.integers(-top, top, m)
    want = np.zeros(m, dtype=bool)
    for x in range(n):
        at = [e for e in range(m) if x in (u[e], v[e])]
        at.sort(key=lambda e: (-key[e], x != u[e], e))
        want[at[:t]] = True
    assert (most_per_end(n, u, v, key, t) == want).all()


def test_most_per_end_of_no_edges(most_per_end):
    empty = np.array([], dtype=np.int64)
    assert most_per_end(3, empty, empty, empty, 2).tolist() == []
