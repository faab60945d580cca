"""The exact b-matching against brute force and networkx (odd cycles, capacities 1-3)."""

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import SolveStats, solver
from tests.matching.brute import best_b_matching


@st.composite
def graphs(draw, max_n=9, caps=(1, 3)):
    n = draw(st.integers(2, max_n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=16))
    # Few distinct weights make ties (and so fractional optima) likely.
    w = draw(st.lists(st.sampled_from([0, 1, 2, 5, 9999, 10000]), min_size=len(chosen),
                      max_size=len(chosen)))
    cap = draw(st.lists(st.integers(*caps), min_size=n, max_size=n))
    return n, cap, sorted(chosen), w


def _run(n, cap, edges, w, lp_only=False):
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array(w, dtype=np.int64)
    if lp_only:
        pick = solver._lp_lexicographic(n, np.array(cap), u, v, w, SolveStats())
    else:
        pick = solver.solve(n, np.array(cap), u, v, w)
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    assert (deg <= np.array(cap)).all(), "over capacity"
    return int(pick.sum()), int(w[pick].sum())


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_b_matching_equals_brute_force(g):
    n, cap, edges, w = g
    expect = best_b_matching(cap, [(a, b, x) for (a, b), x in zip(edges, w, strict=True)])
    assert _run(n, cap, edges, w) == expect


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_lp_path_alone_equals_brute_force(g):
    n, cap, edges, w = g
    expect = best_b_matching(cap, [(a, b, x) for (a, b), x in zip(edges, w, strict=True)])
    assert _run(n, cap, edges, w, lp_only=True) == expect


@settings(max_examples=150, deadline=None)
@given(graphs(max_n=12, caps=(1, 1)))
def test_matching_equals_networkx_max_cardinality(g):
    n, cap, edges, w = g
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, x) for (a, b), x in zip(edges, w, strict=True))
    mate = nx.max_weight_matching(graph, maxcardinality=True)
    expect = (len(mate), sum(graph[a][b]["weight"] for a, b in mate))
    assert _run(n, cap, edges, w) == expect


def test_odd_triangle_needs_a_blossom_cut():
    # Fractional optimum is 1/2 on each edge (value 1.5); the integral one is one edge.
    stats = SolveStats()
    u, v = np.array([0, 1, 0]), np.array([1, 2, 2])
    pick = solver.solve(3, np.ones(3, dtype=int), u, v, np.array([3, 2, 1]), stats)
    assert pick.tolist() == [True, False, False]
    assert stats.lp == 1 and stats.double_cover == 0


def test_two_triangles_joined_prefer_cardinality_over_weight():
    # Heavy triangle edges tempt a greedy pass; the bridge gives the 3-edge matching.
    edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)]
    w = [10000, 10000, 10000, 1, 10000, 10000, 10000]
    assert _run(6, [1] * 6, edges, w) == (3, 20001)


def test_capacity_two_is_exact():
    # A 5-cycle with capacity 2 everywhere takes all five edges.
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)]
    assert _run(5, [2] * 5, edges, [1, 2, 3, 4, 5]) == (5, 15)
    # Capacity 2 at the centre of a star with 3 leaves: the two heaviest.
    assert _run(4, [2, 1, 1, 1], [(0, 1), (0, 2), (0, 3)], [5, 7, 6]) == (2, 13)


def test_empty_graph():
    assert solver.solve(3, np.ones(3, dtype=int), np.zeros(0, int), np.zeros(0, int),
                        np.zeros(0, int)).tolist() == []


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_branch_and_cut_fallback_alone_equals_brute_force(g):
    n, cap, edges, w = g
    expect = best_b_matching(cap, [(a, b, x) for (a, b), x in zip(edges, w, strict=True)])
    saved = solver._CUT_ROUNDS
    solver._CUT_ROUNDS = 0  # straight to milp: proves the fallback is exact on its own
    try:
        assert _run(n, cap, edges, w, lp_only=True) == expect
    finally:
        solver._CUT_ROUNDS = saved



def test_skewed_degrees_equal_networkx():
    """Hubs and leaves (the double cover is renumbered by degree for Hopcroft-Karp): the
    optimum must not depend on it. Larger graphs than the hypothesis ones, ties included."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(20, 60))
        hubs = rng.choice(n, size=3, replace=False)
        edges = {(min(h, x), max(h, x)) for h in hubs for x in range(n) if x != h
                 and rng.random() < 0.7}
        edges |= {tuple(sorted(map(int, rng.choice(n, 2, replace=False)))) for _ in range(n)}
        edges = sorted((int(a), int(b)) for a, b in edges)
        w = [int(x) for x in rng.choice([0, 1, 2, 5, 9999, 10000], size=len(edges))]
        graph = nx.Graph()
        graph.add_weighted_edges_from((a, b, x) for (a, b), x in zip(edges, w, strict=True))
        mate = nx.max_weight_matching(graph, maxcardinality=True)
        expect = (len(mate), sum(graph[a][b]["weight"] for a, b in mate))
        assert _run(n, [1] * n, edges, w) == expect


def test_lone_edges_ride_with_the_flow_and_only_what_it_left_is_grouped(monkeypatch):
    # A 5-cycle of capacity 2 (the flow's), a lone edge, a person with no edge: every
    # edge goes to the flow, as views of the caller's arrays, not gathered copies.
    u, v = np.array([0, 0, 1, 2, 3, 5]), np.array([1, 4, 2, 3, 4, 6])
    w = np.array([1, 5, 2, 3, 4, 9])
    seen = []
    real = solver.flow_b_matching

    def spy(n, cap, uu, vv, ww, *rest):
        seen.append(np.shares_memory(uu, u) and len(uu) == len(u))
        return real(n, cap, uu, vv, ww, *rest)

    monkeypatch.setattr(solver, "flow_b_matching", spy)
    grouped = []  # edges grouped by component after the flow: only those it left
    real_group = solver.components.by_component
    monkeypatch.setattr(solver.components, "by_component",
                        lambda edges, of: grouped.append(len(edges)) or real_group(edges, of))
    stats = SolveStats()
    pick = solver.solve(8, np.array([2, 2, 2, 2, 2, 1, 1, 1]), u, v, w, stats)
    assert pick.tolist() == [True] * 6
    assert seen == [True] and (stats.components, stats.flow) == (2, 1)
    assert grouped == [1]  # the lone edge, not the cycle's five
    # With a component of capacity 1 beside them (a triangle: not the flow's), the
    # flow gets only its own edges and the triangle still takes its heaviest edge.
    u2, v2 = np.concatenate([u, [8, 8, 9]]), np.concatenate([v, [9, 10, 10]])
    w2 = np.concatenate([w, [1, 7, 2]])
    cap2 = np.array([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1])
    seen.clear()
    grouped.clear()
    pick = solver.solve(11, cap2, u2, v2, w2, SolveStats())
    assert seen == [False] and grouped == [4]
    assert pick.tolist() == [True] * 6 + [False, True, False]
