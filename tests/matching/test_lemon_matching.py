"""LEMON's blossom algorithm through the native shim (matching/lemon_matching.py): the
lexicographic matching it gives equals rustworkx's and brute force's, and the repair's
search gives the same answers with it as without it.

The shim is build output of `make setup` (it needs g++). Where it is not
built these tests skip, except where JUMELAGE_REQUIRE_NATIVE=1 (CI): there they fail."""


import numpy as np
import pytest
import rustworkx as rx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import fixed_search, lemon_matching, repair
from tests.matching.brute import best_b_matching
from tests.matching.flow_graphs import simple_graph
from tests.matching.test_solver import graphs

# The `lemon` fixture only checks that the library is there: nothing to reset per example.
_FIXTURE = HealthCheck.function_scoped_fixture


def _rustworkx(n, t, h, w):
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.add_edges_from(list(zip(t.tolist(), h.tolist(), w.tolist(), strict=True)))
    mate = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return len(mate), sum(graph.get_edge_data(a, c) for a, c in mate)


@pytest.mark.parametrize("seed", range(6))
def test_lexicographic_equals_rustworkx(lemon, seed):
    rng = np.random.default_rng(seed)
    for _ in range(40):
        n = int(rng.integers(2, 60))
        t, h, w = simple_graph(rng, n, int(rng.integers(1, 4 * n)),
                                int(rng.choice([2, 50, 10_001])))
        mask = lemon.lexicographic(n, t, h, w)
        degree = np.bincount(np.concatenate([t[mask], h[mask]]), minlength=n)
        assert degree.max(initial=0) <= 1, "not a matching"
        assert (int(mask.sum()), int(w[mask].sum())) == _rustworkx(n, t, h, w)


def test_most_edges_before_weight(lemon):
    # A path a-b-c-d: the heavy middle edge alone weighs more than the two outer ones,
    # but the two outer ones are more edges.
    t, h, w = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1, 10_000, 1])
    assert lemon.lexicographic(4, t, h, w).tolist() == [True, False, True]


def test_empty_graph(lemon):
    empty = np.array([], dtype=np.int64)
    assert lemon.lexicographic(3, empty, empty, empty).tolist() == []


@settings(max_examples=150, deadline=None, suppress_health_check=[_FIXTURE])
@given(graphs(caps=(1, 3)))
def test_tutte_reduction_by_lemon_equals_brute_force(lemon, g):
    n, cap, edges, w = g
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array(w, dtype=np.int64)
    pick = fixed_search.lexicographic_matching(np.array(cap), u, v, w)
    assert (np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n) <= cap).all()
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@settings(max_examples=60, deadline=None, suppress_health_check=[_FIXTURE])
@given(st.integers(0, 2**32 - 1))
def test_repair_gives_the_same_with_and_without_lemon(lemon, seed):
    # Larger graphs than brute force reaches: capacities 1-3, many odd cycles.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 120))
    u, v, w = simple_graph(rng, n, 3 * n, 10_001)
    b = rng.integers(1, 4, n)
    with_lemon = repair.solve_component(n, b, u, v, w)
    real = lemon_matching.available
    try:
        lemon_matching.available = lambda: False  # the rustworkx search
        without = repair.solve_component(n, b, u, v, w)
    finally:
        lemon_matching.available = real
    for pick in (with_lemon, without):
        assert (np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n) <= b).all()
    assert (int(with_lemon.sum()), int(w[with_lemon].sum())) == (int(without.sum()),
                                                                 int(w[without].sum()))


def test_unbuilt_library_is_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(lemon_matching, "LIBRARY", tmp_path / "missing.so")
    lemon_matching._library.cache_clear()
    try:
        assert not lemon_matching.available()
        empty = np.array([], dtype=np.int64)
        with pytest.raises(RuntimeError, match="not built"):
            lemon_matching.lexicographic(1, empty, empty, empty)
    finally:
        lemon_matching._library.cache_clear()
