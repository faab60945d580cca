"""The adversarial Douzelage generator (benchmarks/douzelage.py): its instances are valid,
have the shape it promises, and the engine's answer on them is exact (brute force on tiny
ones, networkx with capacity 1, and on a small one the odd closed circuits it is built
for reach the exact LP path)."""

import networkx as nx
import numpy as np
import pytest

from benchmarks.douzelage import TOWNS, douzelage_instance
from matching import (
    SolveStats,
    candidate_graph,
    instance_from_dict,
    priced_blossom,
    solve,
    solver,
)
from tests.matching.brute import best_b_matching


def _graph(data):
    people, _, cand, weights = candidate_graph(instance_from_dict(data))
    cap = np.array([p.capacity for p in people], dtype=np.int64)
    return people, cap, cand.u, cand.v, weights


def test_instances_are_valid_cliques_with_capacities_one_to_three():
    data = douzelage_instance(3000, seed=4)
    instance = instance_from_dict(data)  # raises on any invalid record
    assert len(instance.participants) == 3000
    towns = {t[0] for t in TOWNS}
    assert len(towns) == 27
    assert {frozenset(t) for t in data["twinnings"]} == {
        frozenset((a, b)) for a in towns for b in towns if a < b}
    caps = {p["capacity"] for p in data["participants"]}
    assert caps == {1, 2, 3}
    for p in data["participants"]:
        assert p["city"] in towns
        # Everyone shares English at B1 or better: reciprocal in a citizen exchange.
        assert any(lang["code"] == "en" for lang in p["languages"])
        for window in p["availability"]["weekly"]:
            h0, m0 = map(int, window["start"].split(":"))
            h1, m1 = map(int, window["end"].split(":"))
            assert (h1 * 60 + m1) - (h0 * 60 + m0) == 60
    assert data["kind"] == "citizen"
    assert douzelage_instance(3000, seed=4) == data  # deterministic per seed


def test_one_slot_is_a_complete_graph_across_zones_and_the_clock_change():
    # 27 people, one per town, one UTC slot (fewer than GROUP people): every pair is a
    # candidate, whatever the zones, in every week (the period spans the EU clock change).
    data = douzelage_instance(27, seed=1)
    assert len({tuple(w["day"] for w in p["availability"]["weekly"])
                for p in data["participants"]}) == 1
    people, _, u, v, _ = _graph(data)
    assert len({p.city for p in people}) == 27
    assert len(set(zip(u.tolist(), v.tolist(), strict=True))) == 27 * 26 // 2


@pytest.mark.parametrize("seed", range(8))
def test_tiny_instances_equal_brute_force(seed):
    data = douzelage_instance(6, seed=seed)
    people, cap, u, v, w = _graph(data)
    result = solve(instance_from_dict(data))
    expect = best_b_matching(cap.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                   strict=True)))
    assert (result.matched_places // 2, result.total_weight) == expect
    load = np.zeros(len(people), dtype=int)
    index = {p.id: i for i, p in enumerate(people)}
    for pair in result.pairs:
        load[index[pair.a]] += 1
        load[index[pair.b]] += 1
    assert (load <= cap).all()


@pytest.mark.parametrize("seed", range(3))
def test_capacity_one_equals_networkx(seed):
    data = douzelage_instance(150, seed=seed, capacities=False)
    _, _, u, v, w = _graph(data)
    result = solve(instance_from_dict(data))
    g = nx.Graph()
    g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    mate = nx.max_weight_matching(g, maxcardinality=True)
    assert result.matched_places == 2 * len(mate)
    assert result.total_weight == sum(g[a][b]["weight"] for a, b in mate)


@pytest.mark.parametrize("path", ["blossom", "repair"])
@pytest.mark.parametrize(("n", "seed"), [(120, 2), (300, 1), (400, 3)])
def test_odd_closed_circuits_are_solved_exactly(n, seed, path, monkeypatch, request):
    # What the generator is for: the flow leaves odd closed circuits of half-edges; the
    # component goes to the priced blossom path (LEMON on a priced core) or, without it,
    # to the repair (priced LP, fixed search), not to the LP whole, and its answer equals
    # the LP path on the whole graph.
    if path == "blossom":
        request.getfixturevalue("lemon")  # skipped without the shim, failed in CI
    if path == "repair":
        monkeypatch.setattr(priced_blossom, "solve_component", lambda *a: None)
    data = douzelage_instance(n, seed=seed)
    _, cap, u, v, w = _graph(data)
    stats = SolveStats()
    pick = solver.solve(len(cap), cap, u, v, w, stats)
    assert getattr(stats, path) >= 1 and stats.lp == 0
    assert stats.flow_check_failed == 0
    old = solver._lp_lexicographic(len(cap), cap, u, v, w, SolveStats())
    deg = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=len(cap))
    assert (deg <= cap).all()
    assert (int(pick.sum()), int(w[pick].sum())) == (int(old.sum()), int(w[old].sum()))
