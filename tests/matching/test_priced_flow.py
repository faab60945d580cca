"""The priced network simplex (priced_flow.py) against ortools' whole flow and brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import SolveStats, flow, priced_flow, solver
from tests.matching.brute import best_b_matching


@st.composite
def weighted_graphs(draw, max_n=12):
    n = draw(st.integers(2, max_n))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edges = sorted(set(draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=30))))
    w = draw(st.lists(st.sampled_from([0, 1, 2, 7, 5000, 9999, 10000]), min_size=len(edges),
                      max_size=len(edges)))
    cap = draw(st.lists(st.sampled_from([1, 1, 2, 3]), min_size=n, max_size=n))
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    return n, np.array(cap, dtype=np.int64), u, v, np.array(w, dtype=np.int64)


def _size_and_weight(total, w):
    return int(total.sum()), int((total * w).sum())


def _feasible(n, cap, u, v, total):
    assert set(np.unique(total)) <= {0, 1, 2}
    assert (np.bincount(np.concatenate([u, v]), np.concatenate([total, total]), n)
            <= 2 * cap).all()


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
    _feasible(n, cap, u, v, got)
    assert _size_and_weight(got, w) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


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
    _feasible(n, cap, u, v, got)
    assert _size_and_weight(got, w) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


def _random_graph(seed, n=400, m=6000):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.unique(lo[lo != hi] * n + hi[lo != hi])
    u, v = key // n, key % n
    return n, rng.choice([1, 1, 2, 3], n), u, v, rng.integers(900, 10001, len(u))


def _flow_cost(net, sel, y1, y2):
    through = int(y1.sum() + y2.sum())
    return int((net.cost(sel) * (y1 + y2)).sum()) + net.bypass * (net.total - through)


@pytest.mark.parametrize("seed", range(4))
def test_idle_edges_in_the_network_leave_the_optimum_on_sel(seed):
    # The network carries every edge, those outside sel priced above the bypass: the flow
    # on sel has the cost of the network built on sel alone, and the potentials certify
    # it on sel's arcs. Then sel grows within the same network: a warm re-solve (the
    # network is kept) with the cost of a cold one.
    n, cap, u, v, w = _random_graph(seed)
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


def test_reduced_costs_in_blocks_equal_the_whole_arrays(monkeypatch):
    # Blocks of 7 edges: every boundary case (a last block shorter than the rest). The
    # pricing pass against the whole arrays: what joins, what is within net.wide, and
    # every edge below 0.
    n, cap, u, v, w = _random_graph(5)
    net = priced_flow._Network(n, cap, u, v, w)
    rng = np.random.default_rng(5)
    pi = rng.integers(-(2**12), 2**12, 2 * net.n + 2)
    left, right = pi[: net.n], pi[net.n : 2 * net.n]
    cost = net.cost(slice(None))
    forward = cost + left[net.u] - right[net.v]
    backward = cost + left[net.v] - right[net.u]
    least = np.minimum(forward, backward)
    keep = rng.random(len(u)) < 0.5
    monkeypatch.setattr(priced_flow, "_CHUNK", 7)
    assert len(u) % 7 != 0
    assert (net._reduced(pi, net.u, net.v, cost) == forward).all()
    assert (net._reduced(pi, net.v, net.u, cost) == backward).all()
    prices = net.price(pi, keep)
    joining = np.flatnonzero((least < net.near) & ~keep)
    assert prices.pi is pi and len(joining) > 0
    assert prices.joining.tolist() == joining.tolist()
    assert prices.cost.tolist() == least[joining].tolist()
    assert prices.wide.tolist() == np.flatnonzero((least < net.wide) & ~keep).tolist()
    assert prices.negative.tolist() == np.flatnonzero(least < 0).tolist()
    assert net.price(pi).wide.tolist() == np.flatnonzero(least < net.wide).tolist()


def test_heaviest_in_blocks_equals_a_plain_count(monkeypatch):
    # Each person's b(v) + 2 heaviest edges (by cost range, ties in a range kept), counted
    # per person in plain Python, against the blocked counts with blocks of 7 edges.
    n, cap, u, v, w = _random_graph(6)
    net = priced_flow._Network(n, cap, u, v, w)
    monkeypatch.setattr(priced_flow, "_CHUNK", 7)
    got = net.heaviest(2)
    ranges = priced_flow._BUCKETS
    cost = net.cost(slice(None))
    shift = max(int(cost.max()).bit_length() - (ranges - 1).bit_length(), 0)
    bucket = (cost >> shift).tolist()
    last = []
    for person in range(n):
        mine = sorted(bucket[e] for e in range(len(u)) if person in (u[e], v[e]))
        need = int(net.b[person]) + 2
        last.append(mine[need - 1] if len(mine) >= need else ranges)
    expect = [bucket[e] <= max(last[u[e]], last[v[e]]) for e in range(len(u))]
    assert len(u) % 7 != 0 and 0 < sum(expect) < len(u)
    assert got.tolist() == expect


def test_weights_too_large_for_the_costs_leave_it_to_the_caller():
    n, cap = 3, np.array([2, 1, 1])
    u, v = np.array([0, 0]), np.array([1, 2])
    assert priced_flow.double_cover_flow(n, cap, u, v, np.array([2**55, 5])) is None
    assert priced_flow.double_cover_flow(n, cap, u, v, np.array([2**40, 5])).tolist() == [2, 2]


def test_fewer_weight_ranges_for_many_people_give_the_same_flow():
    # The counts per person and weight range shrink to fewer ranges past 2**25 entries; a
    # coarser starting subset only changes how many rounds pricing takes.
    rng = np.random.default_rng(7)
    n = 300
    pairs = np.unique(np.sort(rng.integers(0, n, (3000, 2)), axis=1), axis=0)
    u, v = pairs[pairs[:, 0] != pairs[:, 1]].T
    w = rng.integers(0, 10001, len(u))
    cap = rng.choice([1, 2, 3], n)
    expect = _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow, "_BUCKETS", 2**20)  # 300 x 2**20 > 2**25: halved to 2**16
        got = priced_flow.double_cover_flow(n, cap, u, v, w)
    assert _size_and_weight(got, w) == expect


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
    assert tuple(got["objective"]) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


def _pivots_per_solve(n, cap, u, v, w, extra=0):
    used = []
    real_solve = priced_flow._Network.solve

    def recorded(self, sel, wider=None):
        used.append(self.pivot)
        return real_solve(self, sel, wider)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow._Network, "solve", recorded)
        got = priced_flow.double_cover_flow(n, cap, u, v, w, extra=extra)
    assert got is not None
    assert _size_and_weight(got, w) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
    return used


def test_solves_after_one_with_spare_capacity_use_the_candidate_list_pivot():
    # Every 10th person has capacity 30, beyond their edges: their arcs from s and to t
    # stay below capacity, so the solves after the first use candidate_list.
    n, cap, u, v, w = _random_graph(3)
    cap = cap.copy()
    cap[::10] = 30
    used = _pivots_per_solve(n, cap, u, v, w)
    assert len(used) >= 2
    assert used == ["block_search"] + ["candidate_list"] * (len(used) - 1)


def test_a_saturated_network_keeps_the_block_search_pivot():
    # Capacity 1 on a graph of 400 people of mean degree 30, each person's 3 heaviest
    # edges to start: (nearly) everyone is matched in every solve, the bypass carries
    # under 10 % of the supply, and every solve uses block_search.
    n, cap, u, v, w = _random_graph(3)
    cap = np.ones(n, dtype=np.int64)
    used = _pivots_per_solve(n, cap, u, v, w, extra=2)
    assert len(used) >= 2 and set(used) == {"block_search"}


def test_one_person_of_huge_capacity_keeps_the_block_search_pivot():
    # As above with person 0 at capacity 1 000: most of the supply goes through the bypass,
    # but only person 0's arcs are below capacity (as in Douzelage with one such person,
    # where candidate_list is 2.8x slower): block_search throughout.
    n, cap, u, v, w = _random_graph(3)
    cap = np.ones(n, dtype=np.int64)
    cap[0] = 1000
    used = _pivots_per_solve(n, cap, u, v, w, extra=2)
    assert len(used) >= 2 and set(used) == {"block_search"}


@settings(max_examples=150, deadline=None)
@given(g=weighted_graphs())
def test_every_round_capped_still_equals_the_ortools_flow(g):
    # _FLOOD = 0: every round adds only each person's b(v) + _PER least reduced edges.
    n, cap, u, v, w = g
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow, "_FLOOD", 0.0)
        mp.setattr(priced_flow, "_PER", 0)
        got = priced_flow.double_cover_flow(n, cap, u, v, w, 0)
    assert got is not None, "the certificate failed"
    _feasible(n, cap, u, v, got)
    assert _size_and_weight(got, w) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


@pytest.mark.parametrize("key_bits", [63, 8])
@pytest.mark.parametrize("chunk", [1 << 20, 7])
def test_fewest_keeps_each_ends_least_reduced_edges(monkeypatch, key_bits, chunk):
    # key_bits 8: the unpacked sorts; chunk 7: blocks of 7 sorted entries.
    monkeypatch.setattr(priced_flow, "_KEY_BITS", key_bits)
    monkeypatch.setattr(priced_flow, "_CHUNK", chunk)
    rng = np.random.default_rng(3)
    n, m = 30, 400
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    u, v = np.minimum(a, b)[a != b], np.maximum(a, b)[a != b]
    cap = rng.choice([1, 2, 3], n)
    net = priced_flow._Network(n, cap, u, v, rng.integers(0, 10000, len(u)))
    reduced = rng.integers(-5, 5, len(u))  # many ties: broken by edge order
    joining = np.flatnonzero(rng.random(len(u)) < 0.7)
    got = set(net.fewest(joining, reduced[joining]).tolist())
    expect = set()
    for person in range(n):
        mine = [e for e in joining.tolist() if person in (net.u[e], net.v[e])]
        mine.sort(key=lambda e: (reduced[e], e))
        expect |= set(mine[: net.b[person] + priced_flow._PER])
    assert got == expect and len(got) < len(joining)


def test_a_flood_round_adds_few_edges_and_keeps_the_optimum():
    # Everyone's heaviest edges go to a few hubs, which fill up: the rest are left short
    # and every edge among them prices in at about -M (a flood); the round adds only each
    # person's few least reduced ones, and the answer is still the whole flow's.
    rng = np.random.default_rng(7)
    n = 300
    hubs = np.arange(10)
    pairs = {(int(h), int(p)) for p in range(10, n) for h in rng.choice(hubs, 3, replace=False)}
    others = rng.integers(10, n, (8000, 2))
    pairs |= {(int(min(a, b)), int(max(a, b))) for a, b in others if a != b}
    u, v = (np.array(x) for x in zip(*sorted(pairs), strict=True))
    w = np.where(u < 10, 10000, rng.integers(1, 3000, len(u)))
    cap = rng.choice([1, 2, 3], n)
    added = []
    real = priced_flow._Network.fewest

    def spy(self, joining, reduced):
        got = real(self, joining, reduced)
        added.append((len(joining), len(got)))
        return got

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow._Network, "fewest", spy)
        got = priced_flow.double_cover_flow(n, cap, u, v, w, extra=0)
    assert added and all(kept < priced for priced, kept in added)
    assert got is not None
    _feasible(n, cap, u, v, got)
    assert _size_and_weight(got, w) == _size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


@pytest.mark.parametrize("sizes", [(7,), (5, 300), (2**40,), (2**40, 2**30)])
def test_lexorder_sorts_by_every_field_then_index(sizes):
    # Packed keys where the fields and the index fit in 63 bits, np.lexsort where not.
    rng = np.random.default_rng(len(sizes))
    fields = tuple(rng.integers(0, min(size, 4), 500) * (size // 4 or 1) for size in sizes)
    expect = np.lexsort((np.arange(500), *fields[::-1]))
    assert priced_flow._lexorder(fields, sizes).tolist() == expect.tolist()
