"""Components a fractional b-matching fills, found before the flow runs (matching/
saturated.py): exactly those are named when the search sees every edge, every one named
with an odd capacity sum is one the flow leaves with an odd closed circuit, and the
solver's answers stay exact when it skips the flow."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linprog

from matching import SolveStats, components, saturated, solver
from matching.flow import flow_b_matching
from tests.matching.brute import best_b_matching
from tests.matching.flow_graphs import simple_graph
from tests.matching.test_solver import graphs


def _named(n, cap, u, v, asked=None):
    u, v, cap = np.array(u), np.array(v), np.array(cap)
    count, of_vertex = components.labels(n, u, v)
    asked = np.ones(count, dtype=bool) if asked is None else np.array(asked)
    return saturated.components(n, cap, u, v, of_vertex, asked, _as_u(n, u))


def _as_u(n, u):
    return np.bincount(u, minlength=n)


def test_an_odd_cycle_filled_by_halves_is_named():
    assert _named(3, [1, 1, 1], [0, 0, 1], [1, 2, 2]).tolist() == [True]
    # Two components: a triangle (named) and a path of three (2 of 3 units).
    assert _named(6, [1] * 6, [0, 0, 1, 3, 4], [1, 2, 2, 4, 5]).tolist() == [True, False]


def test_unfillable_or_not_asked_components_are_not_named():
    assert _named(3, [1, 1, 1], [0, 1], [1, 2]).tolist() == [False]  # a path: 2 of 3 units
    assert _named(3, [1, 1, 1], [0, 0, 1], [1, 2, 2], asked=[False]).tolist() == [False]
    # A star: the centre's one place for three leaves.
    assert _named(4, [1, 1, 1, 1], [0, 0, 0], [1, 2, 3]).tolist() == [False]


def test_an_even_component_filled_is_named():
    # A 4-cycle filled by its perfect matchings (B = 4), and beside it a path (B = 3).
    named = _named(7, [1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 2, 4, 5], [1, 3, 2, 3, 5, 6])
    assert named.tolist() == [True, False]


def test_a_person_with_fewer_edges_than_capacity_rules_out_without_a_search(monkeypatch):
    def no_search(*_):
        raise AssertionError("searched")

    monkeypatch.setattr(saturated, "maximum_flow", no_search)
    # Capacity 3 at a vertex with two edges can never be filled.
    assert _named(3, [3, 1, 1], [0, 0, 1], [1, 2, 2]).tolist() == [False]


def test_edges_in_any_order_name_the_same_components():
    rng = np.random.default_rng(7)
    u, v, _ = simple_graph(rng, 12, 60, 5)
    cap = rng.choice([1, 2, 3], 12)
    order = rng.permutation(len(u))
    assert _named(12, cap, u, v).tolist() == _named(12, cap, u[order], v[order]).tolist()
    # A capacity-2 vertex whose edges all come unsorted, one of them as v: not filled.
    assert _named(3, [2, 1, 1], [1, 0], [2, 1]).tolist() == [False]
    assert _named(3, [2, 1, 2], [1, 2], [2, 0]).tolist() == [False]


def _fills(n, cap, u, v):
    """Whether some fractional b-matching (0 <= x <= 1) fills every capacity: an LP."""
    m = len(u)
    a = np.zeros((n, m))
    a[u, np.arange(m)] = 1
    a[v, np.arange(m)] = 1
    res = linprog(-np.ones(m), A_ub=a, b_ub=cap, bounds=(0, 1), method="highs")
    return abs(-res.fun * 2 - cap.sum()) < 1e-7


@pytest.mark.parametrize("seed", range(60))
def test_named_exactly_when_filled_where_every_edge_is_searched(monkeypatch, seed):
    monkeypatch.setattr(saturated, "_FIRST", 10**6)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    u, v, _ = simple_graph(rng, n, int(rng.integers(n - 1, n * n)), 5)
    cap = rng.choice([1, 1, 2, 3], n)
    count, of_vertex = components.labels(n, u, v)
    named = saturated.components(n, cap, u, v, of_vertex, np.ones(count, dtype=bool),
                                 _as_u(n, u))
    for c in range(count):
        at = np.flatnonzero(of_vertex[u] == c)
        people = np.flatnonzero(of_vertex == c)
        local = np.full(n, -1)
        local[people] = np.arange(len(people))
        expect = len(at) > 0 and _fills(len(people), cap[people], local[u[at]], local[v[at]])
        assert named[c] == expect, f"component {c}"


def test_only_each_persons_first_edges_are_searched(monkeypatch):
    # A 5-cycle of capacity 1 is filled by halves on all five edges; with one edge per
    # person as u the search sees a path (4 of 5 units) and proves nothing.
    u, v = [0, 0, 1, 2, 3], [1, 4, 2, 3, 4]
    monkeypatch.setattr(saturated, "_FIRST", 1)
    assert _named(5, [1] * 5, u, v).tolist() == [False]
    monkeypatch.setattr(saturated, "_FIRST", 2)
    assert _named(5, [1] * 5, u, v).tolist() == [True]


def test_every_odd_component_named_is_one_the_flow_cannot_round():
    named_any = 0
    for seed in range(80):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(3, 12))  # dense, mostly small capacities: often fillable
        u, v, w = simple_graph(rng, n, n * n, 20)
        cap = rng.choice([1, 1, 1, 2], n)
        count, of_vertex = components.labels(n, u, v)
        named = saturated.components(n, cap, u, v, of_vertex, np.ones(count, dtype=bool),
                                     _as_u(n, u))
        named &= np.bincount(of_vertex, weights=cap, minlength=count).astype(int) % 2 == 1
        _, bad, _ = flow_b_matching(n, cap, u, v, w, of_vertex, count, SolveStats())
        assert not (named & ~bad).any(), f"seed {seed}: named but the flow rounds it"
        named_any += int(named.any())
    assert named_any >= 10, "too few named components: the test would prove little"


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graphs(caps=(1, 3)))
def test_solver_answers_stay_exact_when_the_flow_is_skipped(lemon, monkeypatch, g):
    # Every component of 2 edges or more is asked, so small graphs take the skip.
    monkeypatch.setattr(solver, "_REPAIR_EDGES", 2)
    n, cap, edges, w = g
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array(w, dtype=np.int64)
    pick = solver.solve(n, np.array(cap), u, v, w)
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    assert (deg <= np.array(cap)).all()
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@pytest.mark.parametrize("seed", range(4))
def test_the_solver_skips_the_flow_for_named_components(lemon, monkeypatch, seed):
    monkeypatch.setattr(solver, "_REPAIR_EDGES", 2)
    seen = []
    real = solver.flow_b_matching
    monkeypatch.setattr(solver, "flow_b_matching",
                        lambda *a: seen.append(len(a[2])) or real(*a))
    # A triangle of capacity 1 with a capacity-2 vertex holding two more (B = 7, filled
    # by halves on the triangle): named. A capacity-3 vertex with two edges (never
    # filled): the flow's.
    u = np.array([0, 0, 1, 2, 3, 3, 6, 6])
    v = np.array([1, 2, 2, 3, 4, 5, 7, 8])
    cap = np.array([1, 1, 1, 2, 1, 1, 3, 1, 1])
    w = np.random.default_rng(seed).integers(1, 50, len(u))
    stats = SolveStats()
    pick = solver.solve(9, cap, u, v, w, stats)
    expect = best_b_matching(cap.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                   strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect
    assert seen == [2]  # the flow saw the second component's two edges only
    assert stats.flow == 1 and stats.blossom == 1
