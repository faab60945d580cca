"""The priced blossom path (matching/priced_blossom.py): LEMON on a core of edges, every
other edge priced against its dual. Exact against brute force and against the repair;
the dual it reads is feasible on every edge with the blossoms summed by brute force."""


import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import lemon_matching, priced_blossom, repair, tutte
from matching.blossom_tree import BlossomTree
from tests.matching.brute import best_b_matching
from tests.matching.flow_graphs import simple_graph
from tests.matching.laminar import blossoms_of, nested_ranges
from tests.matching.test_flow import odd_cycle_graphs
from tests.matching.test_solver import graphs

_FIXTURE = HealthCheck.function_scoped_fixture  # `lemon` holds no state


def _arrays(edges, w):
    return (np.array([e[0] for e in edges], dtype=np.int64),
            np.array([e[1] for e in edges], dtype=np.int64), np.array(w, dtype=np.int64))


def _valid(n, b, u, v, pick):
    assert pick is not None
    assert (np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n) <= b).all()


def _equals_brute_force(g):
    n, cap, edges, w = g
    u, v, w = _arrays(edges, w)
    pick = priced_blossom.solve_component(n, np.array(cap), u, v, w)
    _valid(n, np.array(cap), u, v, pick)
    expect = best_b_matching(cap, list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


@settings(max_examples=200, deadline=None, suppress_health_check=[_FIXTURE])
@given(graphs(caps=(1, 3)))
def test_equals_brute_force(lemon, g):
    _equals_brute_force(g)


@settings(max_examples=100, deadline=None, suppress_health_check=[_FIXTURE])
@given(odd_cycle_graphs())
def test_odd_cycles_equal_brute_force(lemon, g):
    _equals_brute_force(g)


@settings(max_examples=40, deadline=None, suppress_health_check=[_FIXTURE])
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 2, 3]))
def test_equals_the_repair_on_dense_graphs(lemon, seed, first):
    # Dense graphs with capacities 1-3 (many odd cycles, blossoms nested), a first core
    # of 1-3 edges per person: the pricing must bring in what the core lacks.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 150))
    u, v, w = simple_graph(rng, n, 6 * n, 10_001)
    b = rng.integers(1, 4, n)
    saved = priced_blossom._FIRST
    try:
        priced_blossom._FIRST = first
        pick = priced_blossom.solve_component(n, b, u, v, w)
    finally:
        priced_blossom._FIRST = saved
    _valid(n, b, u, v, pick)
    other = repair.solve_component(n, b, u, v, w)
    assert (int(pick.sum()), int(w[pick].sum())) == (int(other.sum()), int(w[other].sum()))


def test_a_thin_first_core_grows_until_priced(lemon, monkeypatch):
    # One edge per person first: the optimum needs more, so rounds add edges; the answer
    # is still the repair's.
    rng = np.random.default_rng(7)
    n = 200
    u, v, w = simple_graph(rng, n, 2000, 10_001)
    b = rng.integers(1, 4, n)
    rounds = []
    real = lemon_matching.resumable
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    monkeypatch.setattr(lemon_matching, "resumable",
                        lambda *a, **k: rounds.append(len(a[1])) or real(*a, **k))
    pick = priced_blossom.solve_component(n, b, u, v, w)
    other = repair.solve_component(n, b, u, v, w)
    assert len(rounds) >= 2 and rounds == sorted(rounds)
    assert (int(pick.sum()), int(w[pick].sum())) == (int(other.sum()), int(w[other].sum()))


def test_gives_up_after_its_rounds(lemon, monkeypatch):
    rng = np.random.default_rng(3)
    u, v, w = simple_graph(rng, 100, 1500, 10_001)
    b = rng.integers(1, 4, 100)
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    monkeypatch.setattr(priced_blossom, "_ROUNDS", 1)
    assert priced_blossom.solve_component(100, b, u, v, w) is None


@pytest.mark.parametrize("seed", range(8))
def test_pricing_equals_brute_force_on_a_nested_dual(lemon, seed):
    # The whole graph as the core: LEMON's dual must hold on every reduction edge with
    # the blossoms' z summed over the node sets themselves, and the shim's pricing of
    # every edge (as if outside the core) must equal the module docstring's formulas with
    # the same brute-force sums.
    # Odd cliques joined by a few light edges: nested blossoms in the dual.
    rng = np.random.default_rng(seed)
    sizes = rng.choice([3, 5, 7], 10)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    pairs = [(s + i, s + j) for s, k in zip(starts, sizes, strict=False)
             for i in range(k) for j in range(i + 1, k)]
    n = int(starts[-1])
    links = simple_graph(rng, n, n // 3, 10_001)
    pairs += [(int(a), int(c)) for a, c in zip(links[0], links[1], strict=True)]
    pairs = sorted(set(pairs))
    u = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    w = rng.integers(5000, 10_001, len(pairs))
    b = np.where(rng.random(n) < 0.2, rng.integers(2, 4, n), 1)
    nodes, tails, heads, edge, _ = tutte.reduction(b, u, v)
    lift = lemon_matching.lift(nodes, w)
    _, dual, blossoms, _ = lemon_matching.resumable(nodes, tails, heads, w[edge] + lift)
    assert len(dual.z) > 0, "no blossom: the test would prove nothing"
    order = np.full(int(dual.position.max()) + 1, -1)
    order[dual.position[dual.position >= 0]] = np.flatnonzero(dual.position >= 0)
    members = [set(order[s:e].tolist()) for s, e in zip(dual.begin, dual.end, strict=True)]

    def z_holding(*held):
        return sum(int(z) for m, z in zip(members, dual.z, strict=True)
                   if all(x in m for x in held))

    brute = np.array([z_holding(a, c) for a, c in zip(tails, heads, strict=True)])
    assert (dual.y[tails] + dual.y[heads] + brute >= 4 * (w[edge] + lift)).all()
    first = tutte.first_copies(b)
    y = dual.y
    expect = []
    for a, c, we in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
        need = 4 * (we + lift)
        ca, cc = range(first[a], first[a + 1]), range(first[c], first[c + 1])
        if min(b[a], b[c]) == 1:
            expect.append(min(y[i] + y[j] + z_holding(i, j) - need for i in ca for j in cc))
        else:
            zl = z_holding(*ca, *cc)
            expect.append(min(y[i] for i in ca) + min(y[j] for j in cc)
                          + (zl if zl <= need else 0) - need)
    pricing = priced_blossom._Pricing(dual, BlossomTree(blossoms, nodes), first,
                                      np.asarray(b, dtype=np.int64), lift)
    got = pricing.slack(u.astype(np.int32), v.astype(np.int32), w, np.zeros(len(u), bool))
    assert (got == np.array(expect)).all()
    direct = np.minimum(b[u], b[v]) == 1
    assert (~direct).any(), "no gadget edge: half the pricing untested"
    assert (got[direct] >= 0).all()  # the core's direct edges: the dual is feasible
    core = rng.random(len(u)) < 0.5
    assert (pricing.slack(u.astype(np.int32), v.astype(np.int32), w, core)
            == np.where(core, 0, expect)).all()


@pytest.mark.parametrize("seed", range(20))
def test_lowest_common_blossoms_on_deep_trees(lemon, seed):
    # The pricing's tree alone on random deeply nested ranges (nodes at positions 0..n-1):
    # the z summed over the blossoms holding both nodes, against brute force.
    rng = np.random.default_rng(seed)
    n = 300
    begin, end, z = nested_ranges(rng, n)
    dual = lemon_matching.Dual(np.zeros(n, dtype=np.int64), np.arange(n, dtype=np.int32),
                               begin, end, z)
    pricing = priced_blossom._Pricing(dual, BlossomTree(blossoms_of(begin, end, z, n), n),
                                      np.arange(n + 1), np.ones(n, dtype=np.int64), 0)
    assert pricing.depth.max() >= 3
    a, c = rng.integers(0, n, 3000), rng.integers(0, n, 3000)
    lo, hi = np.minimum(a, c)[:, None], np.maximum(a, c)[:, None]
    inside = (begin[None, :] <= lo) & (hi < end[None, :])
    brute = (inside * z[None, :]).sum(axis=1)
    # y = 0, w = 0, no lift: an edge's slack is the z of the blossoms holding both ends.
    got = pricing.slack(a.astype(np.int32), c.astype(np.int32), np.zeros(3000, np.int64),
                        np.zeros(3000, bool))
    assert (got == brute).all()


@pytest.mark.parametrize("seed", range(30))
def test_capacities_above_three_equal_brute_force(lemon, seed, monkeypatch):
    # The engine's records cap capacities at 3; the path itself takes any (a first core
    # of one edge per person, so the gadgets' pricing runs).
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    rng = np.random.default_rng(seed)
    n = 7
    u, v, w = simple_graph(rng, n, 14, 50)
    b = rng.integers(1, 6, n)
    pick = priced_blossom.solve_component(n, b, u, v, w)
    _valid(n, b, u, v, pick)
    expect = best_b_matching(b.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                  strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect
