"""Dulmage-Mendelsohn sets by the twin quotient's max flow against Hopcroft-Karp, and the
solver through the twin path against networkx."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

from matching import decomposition, solver


@st.composite
def twin_graphs(draw):
    """Graphs of interchangeable people: a few "types" (a random type graph), each with
    1-5 members; members of adjacent types are all adjacent. Some extra edges break a few
    twins apart."""
    types = draw(st.integers(2, 7))
    type_pairs = [(i, j) for i in range(types) for j in range(i + 1, types)]
    linked = draw(st.lists(st.sampled_from(type_pairs), unique=True, min_size=1, max_size=12))
    members = draw(st.lists(st.integers(1, 5), min_size=types, max_size=types))
    of_type = np.repeat(np.arange(types), members)
    n = len(of_type)
    edges = {(a, b) for a in range(n) for b in range(a + 1, n)
             if (min(of_type[a], of_type[b]), max(of_type[a], of_type[b])) in linked}
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3))
    edges |= {(min(a, b), max(a, b)) for a, b in extra if a != b}
    edges = sorted(edges)
    weights = draw(st.lists(st.integers(0, 20), min_size=len(edges), max_size=len(edges)))
    return n, edges, weights


def _cover(n, edges):
    u = np.array([a for a, _ in edges], dtype=np.int64)
    v = np.array([b for _, b in edges], dtype=np.int64)
    upper = sparse.csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    graph = (upper + upper.T).tocsr()
    graph.sort_indices()
    return graph


def _check_classes(graph, cls):
    for c in np.unique(cls):
        rows = [set(graph.indices[graph.indptr[x] : graph.indptr[x + 1]])
                for x in np.flatnonzero(cls == c)]
        assert all(r == rows[0] for r in rows)


@settings(max_examples=200, deadline=None)
@given(twin_graphs())
def test_twin_flow_gives_the_same_sets_as_hopcroft_karp(g):
    n, edges, _ = g
    graph = _cover(n, edges)
    cls, k = decomposition.twin_classes(graph)
    _check_classes(graph, cls)
    by_flow = decomposition._by_twin_flow(graph, cls, k)
    by_matching = decomposition._by_matching(graph)
    for got, want in zip(by_flow, by_matching, strict=True):
        assert (got == want).all()


@pytest.mark.parametrize("entries", [1, 3, 7])  # one row, or a few rows, per block
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # same patch each time
@given(g=twin_graphs())
def test_twin_classes_do_not_depend_on_the_row_blocks(monkeypatch, entries, g):
    n, edges, _ = g
    graph = _cover(n, edges)
    whole, k_whole = decomposition.twin_classes(graph)
    monkeypatch.setattr(decomposition, "BLOCK_ENTRIES", entries)
    blocks = list(decomposition._row_blocks(graph.indptr))
    assert [r for block in blocks for r in range(*block)] == list(range(n))
    if graph.nnz > entries + 5:
        assert len(blocks) > 1
    cls, k = decomposition.twin_classes(graph)
    assert k == k_whole and (cls == whole).all()
    _check_classes(graph, cls)


def test_twins_share_a_class_and_others_do_not():
    # 0 and 1 both see {2, 3}; 4 sees {2} only.
    graph = _cover(5, [(0, 2), (0, 3), (1, 2), (1, 3), (2, 4)])
    cls, k = decomposition.twin_classes(graph)
    assert cls[0] == cls[1]
    assert len({cls[0], cls[2], cls[3], cls[4]}) == 4  # 2 sees {0,1,4}, 3 sees {0,1}
    assert k == 4


def test_hash_collisions_cost_speed_not_exactness(monkeypatch):
    # With every key equal, all vertices of a degree collide; members that differ from
    # their group's first member must still stand alone.
    class Zeros:
        def integers(self, low, high, size, dtype):
            return np.zeros(size, dtype=dtype)

    monkeypatch.setattr(decomposition.np.random, "default_rng", lambda seed: Zeros())
    graph = _cover(6, [(0, 3), (1, 4), (2, 5), (0, 4)])
    cls, _ = decomposition.twin_classes(graph)
    _check_classes(graph, cls)
    assert len(set(cls.tolist())) == 6
    # 2 sees {6, 7, 8} and 0 sees {6, 7}, followed in storage by 1's {8}: reading past the
    # end of 0's row would make 2 look like 0's twin. Degrees must keep them apart.
    graph = _cover(9, [(0, 6), (0, 7), (1, 8), (2, 6), (2, 7), (2, 8)])
    cls, _ = decomposition.twin_classes(graph)
    _check_classes(graph, cls)
    assert cls[0] != cls[2]


def test_twin_classes_stop_early_past_the_limit():
    graph = _cover(4, [(0, 1), (1, 2), (2, 3)])  # a path: every neighbour set differs
    assert decomposition.twin_classes(graph, limit=2) is None
    cls, k = decomposition.twin_classes(graph, limit=4)
    assert k == 4 and len(set(cls.tolist())) == 4


@pytest.mark.parametrize("share", [0.0, 1.0])  # always Hopcroft-Karp, always twin flow
@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # same patch each time
@given(g=twin_graphs())
def test_solver_through_either_path_equals_networkx(monkeypatch, share, g):
    monkeypatch.setattr(decomposition, "TWIN_SHARE", share)
    n, edges, weights = g
    u = np.array([a for a, _ in edges], dtype=np.int64)
    v = np.array([b for _, b in edges], dtype=np.int64)
    w = np.array(weights, dtype=np.int64)
    pick = solver.solve(n, np.ones(n, dtype=np.int64), u, v, w)
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, x) for (a, b), x in zip(edges, weights, strict=True))
    mate = nx.max_weight_matching(graph, maxcardinality=True)
    assert (int(pick.sum()), int(w[pick].sum())) == (
        len(mate), sum(graph[a][b]["weight"] for a, b in mate))
