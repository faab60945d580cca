"""What each pricing round of priced_flow.py solves and adds: the starting heaviest edges,
the pricing pass, a flood round's fewest edges, and the pivot rule per solve."""

import numpy as np
import pytest
from hypothesis import given, settings

from matching import flow, priced_flow
from tests.matching.flow_graphs import feasible, random_graph, size_and_weight, weighted_graphs


def test_reduced_costs_in_blocks_equal_the_whole_arrays(monkeypatch):
    # Blocks of 7 edges: every boundary case (a last block shorter than the rest). The
    # pricing pass against the whole arrays: what joins, what is within net.wide, and
    # every edge below 0.
    n, cap, u, v, w = random_graph(5)
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
    n, cap, u, v, w = random_graph(6)
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


def test_fewer_weight_ranges_for_many_people_give_the_same_flow():
    # The counts per person and weight range shrink to fewer ranges past 2**25 entries; a
    # coarser starting subset only changes how many rounds pricing takes.
    rng = np.random.default_rng(7)
    n = 300
    pairs = np.unique(np.sort(rng.integers(0, n, (3000, 2)), axis=1), axis=0)
    u, v = pairs[pairs[:, 0] != pairs[:, 1]].T
    w = rng.integers(0, 10001, len(u))
    cap = rng.choice([1, 2, 3], n)
    expect = size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(priced_flow, "_BUCKETS", 2**20)  # 300 x 2**20 > 2**25: halved to 2**16
        got = priced_flow.double_cover_flow(n, cap, u, v, w)
    assert size_and_weight(got, w) == expect


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
    assert size_and_weight(got, w) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
    return used


def test_solves_after_one_with_spare_capacity_use_the_candidate_list_pivot():
    # Every 10th person has capacity 30, beyond their edges: their arcs from s and to t
    # stay below capacity, so the solves after the first use candidate_list.
    n, cap, u, v, w = random_graph(3)
    cap = cap.copy()
    cap[::10] = 30
    used = _pivots_per_solve(n, cap, u, v, w)
    assert len(used) >= 2
    assert used == ["block_search"] + ["candidate_list"] * (len(used) - 1)


def test_a_saturated_network_keeps_the_block_search_pivot():
    # Capacity 1 on a graph of 400 people of mean degree 30, each person's 3 heaviest
    # edges to start: (nearly) everyone is matched in every solve, the bypass carries
    # under 10 % of the supply, and every solve uses block_search.
    n, cap, u, v, w = random_graph(3)
    cap = np.ones(n, dtype=np.int64)
    used = _pivots_per_solve(n, cap, u, v, w, extra=2)
    assert len(used) >= 2 and set(used) == {"block_search"}


def test_one_person_of_huge_capacity_keeps_the_block_search_pivot():
    # As above with person 0 at capacity 1 000: most of the supply goes through the bypass,
    # but only person 0's arcs are below capacity (as in Douzelage with one such person,
    # where candidate_list is 2.8x slower): block_search throughout.
    n, cap, u, v, w = random_graph(3)
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
    feasible(n, cap, u, v, got)
    assert size_and_weight(got, w) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("chunk", [1 << 20, 7])
def test_fewest_keeps_each_ends_least_reduced_edges(monkeypatch, packed, chunk):
    # packed False: the ends' sort when keys would not pack; chunk 7: blocks of 7 sorted
    # entries.
    if not packed:
        monkeypatch.setattr(priced_flow, "packed_sorted", lambda key, in_place=False: None)
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
    feasible(n, cap, u, v, got)
    assert size_and_weight(got, w) == size_and_weight(flow.double_cover_flow(n, cap, u, v, w), w)
