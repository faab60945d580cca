"""Blossom separation (matching/blossom_separation.py) and the warm-started LP of the repair
(matching/cut_lp.py): every cut found is a valid blossom that x violates, cuts are found
where the textbook says they must be, the LP equals SciPy's linprog, and on Douzelage
instances the repair's bound closes on the integral optimum."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from benchmarks.douzelage import douzelage_instance
from matching import candidate_graph, instance_from_dict, priced_cuts, repair
from matching.blossom_separation import violated_blossoms
from matching.cut_lp import CutLP
from matching.flow import double_cover_flow


def _best_on(n, cap, u, v, coef):
    """max coef.x' over the integral b-matchings x' (brute force over edge subsets)."""
    best = 0
    for r in range(len(u) + 1):
        for sub in itertools.combinations(range(len(u)), r):
            deg = np.bincount(np.concatenate([u[list(sub)], v[list(sub)]]), minlength=n)
            if (deg <= cap).all():
                best = max(best, int(coef[list(sub)].sum()))
    return best


@st.composite
def fractional_points(draw):
    """A small graph with capacities 1-3 and a point x of its fractional b-matching
    polytope (degrees within b), halves and thirds likely."""
    n = draw(st.integers(3, 7))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = sorted(draw(st.lists(st.sampled_from(pairs), unique=True, min_size=3,
                                 max_size=11)))
    cap = np.array(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    x = np.array(draw(st.lists(st.sampled_from([0, 1 / 3, 1 / 2, 2 / 3, 1]),
                               min_size=len(edges), max_size=len(edges))))
    u = np.array([e[0] for e in edges])
    v = np.array([e[1] for e in edges])
    load = np.bincount(u, weights=x, minlength=n) + np.bincount(v, weights=x, minlength=n)
    # Scale each edge down until both its ends are within capacity.
    over = np.maximum(1.0, load / cap)
    x = x / np.maximum(over[u], over[v])
    return n, cap, u, v, x


@settings(max_examples=120, deadline=None)
@given(fractional_points())
def test_every_cut_is_a_valid_blossom_violated_by_x(point):
    n, cap, u, v, x = point
    for s, f, rhs in violated_blossoms(n, cap, u, v, x):
        inside = np.zeros(n, dtype=bool)
        inside[s] = True
        assert (inside[u[f]] ^ inside[v[f]]).all(), "F lies on the cut of S"
        assert (int(cap[s].sum()) + len(f)) % 2 == 1
        assert rhs == (int(cap[s].sum()) + len(f) - 1) // 2
        coef = (inside[u] & inside[v]).astype(np.int64)
        coef[f] = 1
        assert float(coef @ x) > rhs + 1e-6, "x violates it"
        assert _best_on(n, cap, u, v, coef) <= rhs, "every integral b-matching keeps it"


def test_odd_cycles_of_halves_are_cut():
    # A triangle of capacity 1 at halves, and a 5-cycle of capacity 2 whose vertices also
    # hold a whole edge each to a pendant vertex: S is the cycle, F its five whole edges.
    u, v = np.array([0, 0, 1]), np.array([1, 2, 2])
    got = violated_blossoms(3, np.array([1, 1, 1]), u, v, np.full(3, 0.5))
    assert [(sorted(s.tolist()), f.tolist(), rhs) for s, f, rhs in got] == [([0, 1, 2], [], 1)]
    ring = [(i, (i + 1) % 5) for i in range(5)]
    pend = [(i, 5 + i) for i in range(5)]
    edges = sorted(tuple(sorted(e)) for e in ring + pend)
    u = np.array([e[0] for e in edges])
    v = np.array([e[1] for e in edges])
    x = np.array([1.0 if b >= 5 else 0.5 for b in v])
    cap = np.array([2] * 5 + [1] * 5)
    got = violated_blossoms(10, cap, u, v, x)
    sets = {tuple(sorted(s.tolist())): (sorted(f.tolist()), rhs) for s, f, rhs in got}
    whole = sorted(np.flatnonzero(v >= 5).tolist())
    assert sets[(0, 1, 2, 3, 4)] == (whole, 7)


def test_no_cut_for_an_integral_point():
    u, v = np.array([0, 1, 2]), np.array([1, 2, 0])
    assert violated_blossoms(3, np.array([1, 1, 1]), u, v, np.array([1.0, 0, 0])) == []


def test_warm_lp_equals_linprog_with_columns_and_cuts_added_later():
    rng = np.random.default_rng(5)
    n = 40
    pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.2])
    u, v = pairs[:, 0], pairs[:, 1]
    b = rng.choice([1, 1, 2, 3], size=n)
    cost = rng.integers(1, 100, size=len(u)).astype(np.float64)
    lp = CutLP(n, b, u, v)
    lp.add_edges(np.arange(len(u) // 2), cost)
    x, _, _ = lp.solve()
    lp.add_edges(np.arange(len(u) // 2, len(u)), cost)
    x, _, _ = lp.solve()
    cuts = [[s, lp.cols[f], rhs] for s, f, rhs in violated_blossoms(n, b, u[lp.cols],
                                                                   v[lp.cols], x)]
    lp.add_cuts(cuts)
    x, y, mu = lp.solve()
    rows = np.zeros((n + len(cuts), len(u)))
    rows[u[lp.cols], np.arange(len(u))] = 1
    rows[v[lp.cols], np.arange(len(u))] = 1
    for i, (s, f, _) in enumerate(cuts):
        inside = np.zeros(n, dtype=bool)
        inside[s] = True
        pos = {int(e): j for j, e in enumerate(lp.cols)}
        rows[n + i, np.flatnonzero(inside[u[lp.cols]] & inside[v[lp.cols]])] = 1
        rows[n + i, [pos[int(e)] for e in f]] = 1
    rhs = np.concatenate([b, [c[2] for c in cuts]]).astype(np.float64)
    ref = linprog(-cost[lp.cols], A_ub=rows, b_ub=rhs, bounds=(0, 1), method="highs")
    assert ref.status == 0
    assert abs(float(cost[lp.cols] @ x) - (-ref.fun)) < 1e-6
    # The duals bound the LP (weak duality, over the columns): b.y + rhs.mu + positive
    # reduced costs >= the optimum.
    dual = np.concatenate([y, mu])
    reduced = cost[lp.cols] - rows.T @ dual
    assert float(rhs @ dual + np.maximum(reduced, 0).sum()) >= -ref.fun - 1e-6


def test_repair_bound_closes_on_the_optimum_of_douzelage_instances():
    # The exact separation is what lets the repair stay local: its bound D equals the
    # integral optimum (within the rounding margin), so reduced-cost fixing frees only the
    # edges whose reduced cost is about 0.
    people, _, cand, w = candidate_graph(instance_from_dict(douzelage_instance(1500, seed=2)))
    b = np.array([p.capacity for p in people], dtype=np.int64)
    u, v = cand.u, cand.v
    n = len(b)
    x2 = double_cover_flow(n, b, u, v, w)
    k = int(x2.sum()) // 2
    bound, r, _, _ = priced_cuts.priced_duals(n, b, u, v, w, k, x2 > 0)
    pick = repair.solve_component(n, b, u, v, w)
    assert int(pick.sum()) == k
    assert bound - int(w[pick].sum()) < 1
    assert (np.abs(r) <= 1).sum() < len(u) / 10
