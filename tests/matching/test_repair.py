"""The repair of odd closed circuits (matching/repair.py) alone, against brute force and
against the whole-component LP path, and the bound it certifies with."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import (
    SolveStats,
    fixed_search,
    lemon_matching,
    priced_blossom,
    priced_cuts,
    repair,
    solver,
)
from matching.flow import fractional_flow
from tests.matching.brute import best_b_matching
from tests.matching.test_flow import odd_cycle_graphs
from tests.matching.test_solver import graphs


def _arrays(edges, w):
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    return u, v, np.array(w, dtype=np.int64)


def _checked(n, cap, u, v, pick):
    assert pick is not None, "the repair gave up"
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    assert (deg <= np.asarray(cap)).all(), "over capacity"


@settings(max_examples=150, deadline=None)
@given(graphs(caps=(1, 3)))
def test_repair_equals_brute_force(g):
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    pick = repair.solve_component(n, np.array(cap), u, v, w)
    _checked(n, cap, u, v, pick)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@settings(max_examples=150, deadline=None)
@given(odd_cycle_graphs())
def test_repair_on_odd_cycles_equals_brute_force(g):
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    pick = repair.solve_component(n, np.array(cap), u, v, w)
    _checked(n, cap, u, v, pick)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


def _triangles(count, rng, cap):
    """count disjoint triangles joined in a ring by one edge each: every triangle is an
    odd cycle the flow leaves in halves when the ring edges are light."""
    edges, w = [], []
    for t in range(count):
        a, b, c = 3 * t, 3 * t + 1, 3 * t + 2
        for e in ((a, b), (a, c), (b, c)):
            edges.append(e)
            w.append(int(rng.integers(5000, 10000)))
        edges.append((c, (3 * t + 3) % (3 * count)) if t < count - 1 else (0, c))
        w.append(int(rng.integers(0, 100)))
    edges = sorted({tuple(sorted(e)) for e in edges})
    w = w[: len(edges)]
    return 3 * count, np.full(3 * count, cap), edges, w


@pytest.mark.parametrize(("seed", "cap"), [(1, 1), (2, 1), (3, 2), (4, 3)])
def test_ring_of_odd_cycles_equals_the_whole_lp(seed, cap):
    rng = np.random.default_rng(seed)
    n, b, edges, w = _triangles(25, rng, cap)
    u, v, w = _arrays(edges, w)
    pick = repair.solve_component(n, b, u, v, w)
    _checked(n, b, u, v, pick)
    old = solver._lp_lexicographic(n, b, u, v, w, SolveStats())
    assert (int(pick.sum()), int(w[pick].sum())) == (int(old.sum()), int(w[old].sum()))


@pytest.mark.parametrize("seed", range(4))
def test_random_dense_graphs_equal_the_whole_lp(seed, monkeypatch):
    # Dense random graphs with capacities 1-3 and tied weights: many odd circuits, and a
    # component large enough for the solver to send it to the repair.
    rng = np.random.default_rng(seed)
    n = 60
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.15]
    u, v, w = _arrays(pairs, rng.choice([0, 3, 7, 9999, 10000], size=len(pairs)).tolist())
    cap = rng.choice([1, 1, 1, 2, 3], size=n)
    stats = SolveStats()
    monkeypatch.setattr(priced_blossom, "solve_component", lambda *a: None)  # the repair's turn
    pick = solver.solve(n, cap, u, v, w, stats)  # the repair starts from the solver's flow
    assert stats.repair == 1
    _checked(n, cap, u, v, pick)
    old = solver._lp_lexicographic(n, cap, u, v, w, SolveStats())
    assert (int(pick.sum()), int(w[pick].sum())) == (int(old.sum()), int(w[old].sum()))
    own = repair.solve_component(n, cap, u, v, w)  # and from its own
    assert (int(own.sum()), int(w[own].sum())) == (int(old.sum()), int(w[old].sum()))


@settings(max_examples=150, deadline=None)
@given(graphs(caps=(1, 3)))
def test_tutte_reduction_matching_equals_brute_force(g):
    # The exact search of step 3 alone: b-matching as a matching, lexicographic, by
    # rustworkx (LEMON's: test_lemon_matching.py).
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    real = lemon_matching.available
    try:
        lemon_matching.available = lambda: False
        pick = fixed_search.lexicographic_matching(np.array(cap), u, v, w)
    finally:
        lemon_matching.available = real
    _checked(n, cap, u, v, pick)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@settings(max_examples=100, deadline=None)
@given(graphs(caps=(1, 3)))
def test_search_split_into_parts_equals_brute_force(g):
    # Step 3's search on the graph and a copy of it beside it (two parts at least): each
    # part solved alone, the answer is the union's optimum, twice the graph's.
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    card, weight = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                 strict=True)))
    u2, v2, w2 = np.concatenate([u, u + n]), np.concatenate([v, v + n]), np.concatenate([w, w])
    cap2 = np.concatenate([cap, cap])
    free = np.ones(len(u2), dtype=bool)
    pick = fixed_search.fixed_search(2 * n, cap2, u2, v2, w2, 2 * card, free, ~free, [])
    assert pick is not None
    _checked(2 * n, cap2, u2, v2, pick)
    assert (int(pick.sum()), int(w2[pick].sum())) == (2 * card, 2 * weight)
    assert fixed_search.fixed_search(2 * n, cap2, u2, v2, w2, 2 * card + 1, free, ~free, []) is None


@pytest.mark.parametrize("seed", range(3))
def test_without_a_blossom_library_the_milp_search_gives_the_same(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n, b, edges, w = _triangles(12, rng, 2)
    u, v, w = _arrays(edges, w)
    with_rx = repair.solve_component(n, b, u, v, w)
    monkeypatch.setitem(__import__("sys").modules, "rustworkx", None)  # import fails
    monkeypatch.setattr(lemon_matching, "available", lambda: False)
    without = repair.solve_component(n, b, u, v, w)
    _checked(n, b, u, v, with_rx)
    _checked(n, b, u, v, without)
    assert (int(with_rx.sum()), int(w[with_rx].sum())) == (int(without.sum()),
                                                           int(w[without].sum()))


def _old_support_blossoms(n, b, cu, cv, x, gid, frac):
    """The component blossoms as priced_cuts._blossoms found them before, one pass over every
    column per component (the reference for the bincount version)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_matrix((np.ones(int(frac.sum())), (cu[frac], cv[frac])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    touched = np.zeros(n, dtype=bool)
    touched[cu[frac]] = touched[cv[frac]] = True
    out = []
    for comp in np.unique(label[touched]):
        s = np.flatnonzero(label == comp)
        inside = np.zeros(n, dtype=bool)
        inside[s] = True
        inner = inside[cu] & inside[cv]
        f = (inside[cu] ^ inside[cv]) & (x > 0.5)
        odd = int(b[s].sum()) + int(f.sum())
        if odd % 2 and x[inner].sum() + x[f].sum() > (odd - 1) / 2 + 1e-6:
            out.append([s, gid[f], (odd - 1) // 2])
    return out


@settings(max_examples=150, deadline=None)
@given(graphs(caps=(1, 3)), st.integers(0, 2**32 - 1))
def test_support_blossoms_equal_the_loop_over_components(g, seed):
    # x in quarters, as the repair's LP points are (half and quarter edges on odd sets,
    # whole edges around them); columns a random subset of the edges.
    n, cap, edges, w = g
    u, v, _ = _arrays(edges, w)
    rng = np.random.default_rng(seed)
    gid = np.flatnonzero(rng.random(len(u)) < 0.8) if len(u) else np.zeros(0, dtype=np.int64)
    x = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=len(gid))
    frac = (x > 1e-6) & (x < 1 - 1e-6)
    if not frac.any():
        return
    b, cu, cv = np.array(cap), u[gid], v[gid]
    got = priced_cuts._support_blossoms(n, b, cu, cv, x, gid, frac)
    want = _old_support_blossoms(n, b, cu, cv, x, gid, frac)
    assert len(got) == len(want)
    for (s, f, rhs), (s0, f0, rhs0) in zip(got, want, strict=True):
        assert s.tolist() == s0.tolist() and f.tolist() == f0.tolist() and rhs == rhs0


def _repair_from_a_given_point(g, point_weight, search_finds_nothing=False):
    """The repair with the LP point's b-matching replaced by the lexicographic optimum
    for point_weight(w) (and, optionally, a search that finds nothing): it must still
    return the brute-force optimum."""
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    cap = np.array(cap)
    if len(u) == 0:
        return
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    start = fixed_search.lexicographic_matching(cap, u, v, point_weight(w))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(repair, "_from_point", lambda *a: start.copy())
        if search_finds_nothing:
            mp.setattr(repair, "fixed_search", lambda *a: None)
        pick = repair.solve_component(n, cap, u, v, w)
    _checked(n, cap, u, v, pick)
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@settings(max_examples=100, deadline=None)
@given(graphs(caps=(1, 3)))
def test_a_worse_start_from_the_point_still_gives_the_optimum(g):
    # The LP point's b-matching only bounds the search (3.): replaced by the worst k-edge
    # b-matching, the repair must still return the optimum, by the search.
    _repair_from_a_given_point(g, lambda w: -w + int(w.max()) + 1)


@settings(max_examples=60, deadline=None)
@given(graphs(caps=(1, 3)))
def test_the_point_proven_when_the_search_space_holds_nothing_better(g):
    # The point's b-matching is the optimum; a search that finds nothing in its space
    # (as when every better b-matching is ruled out) leaves it the answer, never None.
    _repair_from_a_given_point(g, lambda w: w, search_finds_nothing=True)


@pytest.mark.parametrize("seed", range(3))
def test_an_integral_point_with_a_closed_bound_needs_no_search(seed, monkeypatch):
    # Douzelage 400: the LP ends integral with D = z, so the point's b-matching is the
    # answer without the search; equal to the whole-component LP's.
    from benchmarks.douzelage import douzelage_instance
    from matching import candidate_graph, instance_from_dict

    people, _, cand, w = candidate_graph(instance_from_dict(douzelage_instance(400, seed=seed)))
    b = np.array([p.capacity for p in people], dtype=np.int64)
    u, v, n = cand.u, cand.v, len(b)
    searches = []
    real = repair.fixed_search
    monkeypatch.setattr(repair, "fixed_search", lambda *a: searches.append(1) or real(*a))
    pick = repair.solve_component(n, b, u, v, w)
    _checked(n, b, u, v, pick)
    old = solver._lp_lexicographic(n, b, u, v, w, SolveStats())
    assert (int(pick.sum()), int(w[pick].sum())) == (int(old.sum()), int(w[old].sum()))
    x2 = fractional_flow(n, b, u, v, w)
    k = int(x2.sum()) // 2
    bound, _, _, point = priced_cuts.priced_duals(n, b, u, v, w, k, x2 > 0)
    assert ((point < 1e-6) | (point > 1 - 1e-6)).all()
    assert bound - int(w[pick].sum()) < 1 - 1e-3
    assert searches == []


# Idle cut rows dropped (priced_cuts._IDLE_ROUNDS): forced to 1 so rows leave after one solve
# with a zero dual, the most dropping and re-adding the loop can see.


def _cuts_seen(monkeypatch):
    """Record every pool of dropped cuts checked, to show the path was taken."""
    seen = []
    real = priced_cuts._violated

    def spy(pool, m, gid, x):
        got = real(pool, m, gid, x)
        seen.append((len(pool), int(got.sum())))
        return got

    monkeypatch.setattr(priced_cuts, "_violated", spy)
    return seen


@settings(max_examples=150, deadline=None)
@given(graphs(caps=(1, 3)))
def test_idle_rows_dropped_still_equal_brute_force(g):
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_cuts, "_IDLE_ROUNDS", 1)
        pick = repair.solve_component(n, np.array(cap), u, v, w)
    _checked(n, cap, u, v, pick)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@pytest.mark.parametrize("seed", [4, 5, 13, 14])
def test_idle_rows_dropped_are_put_back_when_violated(seed, monkeypatch):
    # Dense random graphs (as above) with rows dropped after one idle solve: dropped cuts
    # come back violated (these seeds), the loop never ends on a point that a cut found
    # excludes, and the answer equals the whole-component LP's.
    rng = np.random.default_rng(seed)
    n = 60
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.15]
    u, v, w = _arrays(pairs, rng.choice([0, 3, 7, 9999, 10000], size=len(pairs)).tolist())
    cap = rng.choice([1, 1, 1, 2, 3], size=n)
    monkeypatch.setattr(priced_cuts, "_IDLE_ROUNDS", 1)
    seen = _cuts_seen(monkeypatch)
    x2 = fractional_flow(n, cap, u, v, w)
    k = int(x2.sum()) // 2
    _, _, cuts, point = priced_cuts.priced_duals(n, cap, u, v, w, k, x2 > 0)
    assert any(back for _, back in seen), "no dropped cut came back"
    for _, _, rhs, row in cuts:  # every cut found, dropped or not, holds at the end
        assert point[row].sum() <= rhs + 1e-6
    pick = repair.solve_component(n, cap, u, v, w)
    _checked(n, cap, u, v, pick)
    old = solver._lp_lexicographic(n, cap, u, v, w, SolveStats())
    assert (int(pick.sum()), int(w[pick].sum())) == (int(old.sum()), int(w[old].sum()))


def test_the_warm_lp_binding_is_there():
    # Without SciPy's HiGHS binding the repair gives every odd-circuit component back to
    # the whole-component LP: exact, but minutes at Douzelage 20 000. A SciPy that moves
    # the binding fails here rather than slowing production down silently.
    from matching.cut_lp import CutLP

    assert CutLP.available(), "scipy.optimize._highspy._core is gone: port matching/cut_lp.py"


def test_cut_lp_rows_after_a_drop_and_the_cardinality_row():
    # CutLP's bookkeeping: cuts dropped before and after the |x| = k row, then new
    # columns: the model solved warm equals the same LP built from scratch (linprog).
    from scipy.optimize import linprog

    from matching.cut_lp import CutLP

    rng = np.random.default_rng(5)
    n = 12
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5]
    u, v, w = _arrays(pairs, rng.integers(1, 50, size=len(pairs)).tolist())
    b = np.ones(n, dtype=np.int64)
    by_u = priced_cuts._EdgesByTail(n, u, v)
    cost = w.astype(np.float64)
    lp = CutLP(n, b, u, v)
    first = np.arange(len(u)) % 3 != 0
    lp.add_edges(np.flatnonzero(first), cost)

    def cut(s):
        c = [np.array(s), np.zeros(0, dtype=np.int64), (len(s) - 1) // 2]
        return c + [by_u.row(c)]

    cuts = [cut([0, 1, 2]), cut([3, 4, 5]), cut([6, 7, 8])]
    lp.add_cuts(cuts[:2])
    assert lp.solve() is not None
    lp.fix_cardinality(3, cost)
    lp.add_cuts(cuts[2:])
    assert lp.solve() is not None
    gone = lp.drop_cuts(np.array([True, False, False]))
    kept = [c for c, g in zip(cuts, gone.tolist(), strict=True) if not g]
    lp.add_edges(np.flatnonzero(~first), cost)
    x, _, mu = lp.solve()
    assert len(mu) == len(kept)
    cols = lp.cols
    a = np.zeros((n + len(kept), len(cols)))
    a[u[cols], np.arange(len(cols))] = 1
    a[v[cols], np.arange(len(cols))] = 1
    pos = {e: i for i, e in enumerate(cols.tolist())}
    for r, c in enumerate(kept):
        for e in c[3].tolist():
            a[n + r, pos[e]] = 1
    rhs = np.concatenate([b, [c[2] for c in kept]])
    ref = linprog(-cost[cols], A_ub=a, b_ub=rhs, A_eq=np.ones((1, len(cols))), b_eq=[3],
                  bounds=(0, 1))
    assert abs(cost[cols] @ x + ref.fun) < 1e-6
    assert (a @ x <= rhs + 1e-6).all() and abs(x.sum() - 3) < 1e-6
