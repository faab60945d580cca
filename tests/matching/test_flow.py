"""The min-cost-flow path for capacities > 1 (double cover + Euler-trail rounding)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import SolveStats, flow, solver
from tests.matching.brute import best_b_matching
from tests.matching.test_solver import graphs


def _arrays(edges, w):
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    return u, v, np.array(w, dtype=np.int64)


def _value(n, cap, u, v, w, pick):
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    assert (deg <= np.asarray(cap)).all(), "over capacity"
    return int(pick.sum()), int(w[pick].sum())


@st.composite
def odd_cycle_graphs(draw):
    """Capacities 2-3 (a few 1s) on graphs built from odd cycles plus random chords."""
    n = draw(st.integers(3, 9))
    k = draw(st.sampled_from([c for c in (3, 5, 7, 9) if c <= n]))
    edges = {(i, (i + 1) % k) if i < (i + 1) % k else ((i + 1) % k, i) for i in range(k)}
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges |= set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=9)))
    edges = sorted(edges)
    w = draw(st.lists(st.sampled_from([0, 1, 2, 5, 9999, 10000]), min_size=len(edges),
                      max_size=len(edges)))
    cap = draw(st.lists(st.sampled_from([1, 2, 2, 3, 3]), min_size=n, max_size=n))
    cap[0] = 2  # at least one capacity > 1: the component takes the flow path
    return n, cap, edges, w


@settings(max_examples=200, deadline=None)
@given(odd_cycle_graphs())
def test_flow_path_with_odd_cycles_equals_brute_force(g):
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    stats = SolveStats()
    pick = solver.solve(n, np.array(cap), u, v, w, stats)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert _value(n, cap, u, v, w, pick) == expect
    assert stats.flow + stats.lp >= 1
    assert stats.flow_check_failed == 0


@settings(max_examples=200, deadline=None)
@given(graphs(caps=(2, 3)))
def test_flow_rounding_alone_is_optimal_or_says_so(g):
    # The flow path on its own: wherever it does not hand a component back, its rounding
    # is an optimum of that component (brute force on the whole graph when none is handed
    # back, since then every component was solved by it).
    n, cap, edges, w = g
    if not edges:
        return
    u, v, w = _arrays(edges, w)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_comp, label = connected_components(
        coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)), directed=False
    )
    stats = SolveStats()
    pick, bad, _ = flow.flow_b_matching(n, np.array(cap), u, v, w, label, n_comp, stats)
    assert stats.flow_check_failed == 0
    if not bad.any():
        expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(),
                                               strict=True)))
        assert _value(n, cap, u, v, w, pick) == expect


def test_tight_odd_half_cycle_falls_back_to_the_lp():
    # Triangle 0-1-2 of capacity-1 people hanging off a capacity-2 person 3 whose two
    # heavy leaves fill it: the fractional optimum has 1/2 on the triangle (an odd closed
    # circuit of halves, every vertex tight), so the component goes to the LP path.
    edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (3, 5)]
    w = [1, 1, 1, 1, 10, 10]
    cap = [1, 1, 1, 2, 1, 1]
    u, v, w = _arrays(edges, w)
    stats = SolveStats()
    pick = solver.solve(6, np.array(cap), u, v, w, stats)
    assert _value(6, cap, u, v, w, pick) == best_b_matching(
        cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert stats.lp == 1 and stats.flow == 0


def test_even_half_cycles_and_paths_round_on_the_flow_path():
    # A 4-cycle and a 6-cycle of capacity 2 with equal weights: every edge is taken, and
    # a capacity-2 star with 4 equal leaves (ties everywhere) stays on the flow path.
    edges = [(0, 1), (1, 2), (2, 3), (0, 3), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (4, 9),
             (10, 11), (10, 12), (10, 13), (10, 14)]
    cap = [2] * 11 + [1] * 4
    u, v, w = _arrays(edges, [3] * len(edges))
    stats = SolveStats()
    pick = solver.solve(15, np.array(cap), u, v, w, stats)
    assert _value(15, cap, u, v, w, pick) == (12, 36)
    assert stats.flow == 3 and stats.lp == 0


def test_medium_random_instance_equals_the_lp_path():
    rng = np.random.default_rng(7)
    n = 300
    for trial in range(3):
        cap = rng.choice([1, 1, 1, 2, 3], size=n)
        m = 1200
        a = rng.integers(0, n, size=3 * m)
        b = rng.integers(0, n, size=3 * m)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keys = np.unique(lo[lo != hi] * n + hi[lo != hi])[:m]
        u, v = keys // n, keys % n
        # Few distinct weights (ties, so fractional optima) on the first trial.
        w = (rng.choice([0, 1, 2, 5, 9999, 10000], size=len(u)) if trial == 0
             else rng.integers(0, 50_000, size=len(u)))
        stats = SolveStats()
        pick = solver.solve(n, cap, u, v, w, stats)
        old = solver._lp_lexicographic(n, cap, u, v, w, SolveStats())
        assert _value(n, cap, u, v, w, pick) == _value(n, cap, u, v, w, old)
        assert stats.flow >= 1
