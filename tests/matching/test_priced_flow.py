"""The priced network simplex (priced_flow.py) against ortools' whole flow and brute force,
its certificate and its LEMON network (the rounds' edge choices: test_priced_flow_rounds)."""

import numpy as np
import pytest
from hypothesis import given, settings

from matching import SolveStats, flow, priced_flow, solver
from tests.matching.brute import best_b_matching
from tests.matching.flow_graphs import feasible, random_graph, size_and_weight, weighted_graphs


@pytest.mark.parametrize("wide", [20, 1])
@pytest.mark.parametrize("extra", [0, 8])
@settings(max_examples=150, deadline=None)
@given(g=weighted_graphs())
def test_priced_flow_equals_the_ortools_flow(g, extra, wide):
    # extra = 0 starts from each person's b(v) heaviest edges only: several pricing rounds.
    # wide = 1: every edge rides in every network built after a round (warm rounds).
    n, cap, u, v, w = g
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow, "_WIDE", wide)
        if wide == 1:
            mp.setattr(priced_flow, "_CALM", float("inf"))
        got = priced_flow.double_cover_flow(n, cap, u, v, w, extra)
    assert got is not None, "the certificate failed"
    feasible(n, cap, u, v, got)
    assert size_and_weight(got, w) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


@settings(max_examples=150, deadline=None)
@given(g=weighted_graphs(max_n=9))
def test_solver_with_the_priced_flow_equals_brute_force(g):
    n, cap, u, v, w = g
    cap[0] = 2  # the flow path
    stats = SolveStats()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow, "_EXTRA", 0)
        pick = solver.solve(n, cap, u, v, w, stats)
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    assert (deg <= cap).all()
    expect = best_b_matching(cap.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                     strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


def test_pricing_adds_the_edges_the_potentials_price_in():
    # Each person's single heaviest edge: 0-1, 0-2, 0-3 (person 3's best is 0-3), a star
    # matching one pair; the optimum {0-2, 1-3} (10 003 against 8 000 for {0-3, 1-2})
    # needs the left-out 1-3.
    n, cap = 4, np.ones(4, dtype=np.int64)
    u, v = np.array([0, 0, 0, 1, 1]), np.array([1, 2, 3, 2, 3])
    w = np.array([10000, 9999, 5000, 3000, 4])
    net = priced_flow._Network(n, cap, u, v, w)
    assert net.heaviest(0).tolist() == [True, True, True, False, False]
    got = priced_flow.double_cover_flow(n, cap, u, v, w, extra=0)
    assert got.tolist() == [0, 2, 0, 0, 2]


def test_people_without_an_edge_keep_their_numbers_and_carry_nothing():
    # People 4-7 have no edge: capacity 0 in the network (B, M and the share of spare
    # arcs count only the others), and the flow equals ortools' on the same numbering.
    n, cap = 8, np.array([2, 1, 1, 3, 3, 2, 1, 3])
    u, v, w = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), np.array([50, 70, 40, 90])
    net = priced_flow._Network(n, cap, u, v, w)
    assert net.b.tolist() == [2, 1, 1, 3, 0, 0, 0, 0]
    assert (net.people.tolist(), net.total) == ([0, 1, 2, 3], 7)
    got = priced_flow.double_cover_flow(n, cap, u, v, w)
    assert got is not None
    assert got.tolist() == flow.double_cover_flow(n, cap, u, v, w).tolist()


def test_the_certificate_rejects_a_suboptimal_flow():
    # Same path: the flow on b-c alone is feasible but not maximum, and no potentials
    # certify it; the optimum with the solver's potentials is certified.
    n, cap = 4, np.ones(4, dtype=np.int64)
    u, v, w = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1, 10000, 1])
    net = priced_flow._Network(n, cap, u, v, w)
    sel = np.arange(3)
    y1, y2, pi = net.solve(sel)
    assert net.certified(y1, y2, pi)
    assert not net.certified(np.array([0, 1, 0]), np.array([0, 1, 0]), pi)
    assert not net.certified(y1, y2, np.zeros_like(pi))
    huge = pi.copy()
    huge[0] += 2**62  # as if from an artificial arc: its reduced costs would overflow
    assert not net.certified(y1, y2, huge)


def test_the_certificate_reads_the_last_pass_only_for_its_own_potentials():
    # The certificate reads the last round's pass when it priced the same potentials; a
    # pass over other potentials is not taken for theirs.
    n, cap = 4, np.ones(4, dtype=np.int64)
    u, v, w = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1, 10000, 1])
    net = priced_flow._Network(n, cap, u, v, w)
    y1, y2, pi = net.solve(np.arange(3))
    zero = np.zeros_like(pi)
    assert net.certified(y1, y2, pi, net.price(zero))
    assert not net.certified(y1, y2, zero, net.price(pi))
    assert net.certified(y1, y2, pi, net.price(pi))
    # The middle edge carries no flow: it is judged by the pass's negative edges.
    assert (y1[1], y2[1]) == (0, 0)
    prices = net.price(pi)
    assert not net.certified(y1, y2, pi, prices._replace(negative=np.array([1])))


def test_a_failed_certificate_falls_back_to_the_ortools_flow(monkeypatch):
    monkeypatch.setattr(priced_flow._Network, "certified", lambda self, *args: False)
    n, cap = 4, np.array([2, 1, 1, 1])
    u, v, w = np.array([0, 0, 1]), np.array([1, 2, 3]), np.array([5, 3, 9])
    assert priced_flow.double_cover_flow(n, cap, u, v, w) is None
    expect = flow.double_cover_flow(n, cap, u, v, w)
    assert flow.fractional_flow(n, cap, u, v, w).tolist() == expect.tolist()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("flood", [1.0, 0.0])
def test_medium_random_graphs_equal_the_ortools_flow(seed, flood):
    # A few hundred people with skewed degrees (as in the candidate graphs: a few people
    # with hundreds of candidates), weights in the engine's range: several pricing rounds.
    rng = np.random.default_rng(seed)
    n = 400
    hub = rng.random(n) < 0.1
    a = rng.integers(0, n, 6000)
    b = np.where(rng.random(6000) < 0.7, rng.choice(np.flatnonzero(hub), 6000),
                 rng.integers(0, n, 6000))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.unique(lo[lo != hi] * n + hi[lo != hi])
    u, v = key // n, key % n
    w = rng.integers(900, 10001, len(u))
    cap = rng.choice([1, 1, 1, 2, 3], n)
    rounds = []
    real_solve = priced_flow._Network.solve

    def counted(self, sel, wider=None):
        rounds.append(len(sel))
        return real_solve(self, sel, wider)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow._Network, "solve", counted)
        mp.setattr(priced_flow, "_FLOOD", flood)  # 0: every round capped
        got = priced_flow.double_cover_flow(n, cap, u, v, w, extra=0)
    assert got is not None
    assert len(rounds) >= 2 and rounds[0] < len(u)  # priced, not solved whole at once
    feasible(n, cap, u, v, got)
    assert size_and_weight(got, w) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


def _flow_cost(net, sel, y1, y2):
    through = int(y1.sum() + y2.sum())
    return int((net.cost(sel) * (y1 + y2)).sum()) + net.bypass * (net.total - through)


@pytest.mark.parametrize("seed", range(4))
def test_idle_edges_in_the_network_leave_the_optimum_on_sel(seed):
    # The network carries every edge, those outside sel priced above the bypass: the flow
    # on sel has the cost of the network built on sel alone, and the potentials certify
    # it on sel's arcs. Then sel grows within the same network: a warm re-solve (the
    # network is kept) with the cost of a cold one.
    n, cap, u, v, w = random_graph(seed)
    rng = np.random.default_rng(seed)
    net = priced_flow._Network(n, cap, u, v, w)
    alone = priced_flow._Network(n, cap, u, v, w)
    sel = np.flatnonzero(rng.random(len(u)) < 0.3)
    everything = np.ones(len(u), dtype=bool)
    y1, y2, pi = net.solve(sel, everything)
    z1, z2, _ = alone.solve(sel)
    assert _flow_cost(net, sel, y1, y2) == _flow_cost(alone, sel, z1, z2)
    for y, tail, head in ((y1, net.u[sel], net.v[sel]), (y2, net.v[sel], net.u[sel])):
        rc = net.cost(sel) + pi[tail] - pi[head + net.n]
        assert not ((y == 0) & (rc < 0)).any() and not ((y == 1) & (rc > 0)).any()
    graph = net._warm[0]
    sel = np.union1d(sel, np.flatnonzero(rng.random(len(u)) < 0.3))
    y1, y2, _ = net.solve(sel, everything)
    assert net._warm[0] is graph and graph.warm_start_count() == 1
    z1, z2, _ = priced_flow._Network(n, cap, u, v, w).solve(sel)
    assert _flow_cost(net, sel, y1, y2) == _flow_cost(net, sel, z1, z2)


def test_weights_too_large_for_the_costs_leave_it_to_the_caller():
    n, cap = 3, np.array([2, 1, 1])
    u, v = np.array([0, 0]), np.array([1, 2])
    assert priced_flow.double_cover_flow(n, cap, u, v, np.array([2**55, 5])) is None
    assert priced_flow.double_cover_flow(n, cap, u, v, np.array([2**40, 5])).tolist() == [2, 2]


def test_the_saved_graph_timing_reports_the_flow_objective(tmp_path):
    # benchmarks.flow_timing: the saved graph gives back the candidate graph, and the
    # objective it prints is the ortools whole flow's (size, 2 x weight).
    from benchmarks import flow_timing

    path = str(tmp_path / "g.npz")
    flow_timing.save("douzelage", 120, 2, path)
    g = np.load(path)
    n, cap, u, v, w = int(g["n"]), g["cap"], g["u"], g["v"], g["w"]
    assert n == 120 and set(np.unique(cap)) <= {1, 2, 3} and len(u) == len(v) == len(w) > 0
    got = flow_timing.time_flow(path)
    assert got["edges"] == len(u)
    assert tuple(got["objective"]) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
