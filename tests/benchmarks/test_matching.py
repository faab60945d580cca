"""The benchmark script runs and agrees with the exact baseline on a small instance."""

import json

from benchmarks import matching as benchmark


def test_benchmark_prints_one_json_object_equal_to_networkx(capsys):
    assert benchmark.main(["--participants", "400", "--seed", "3", "--compare", "networkx",
                           "--greedy", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["participants"] == 400
    assert out["baselines"]["networkx"]["equal"] is True
    assert out["matched_places"] == out["baselines"]["networkx"]["matched_places"]
    assert out["greedy"]["matched_places"] <= out["matched_places"]


def test_the_load_average_is_read_before_the_run_and_after_it(capsys, monkeypatch):
    ran = []
    real_solve = benchmark.solve
    monkeypatch.setattr(benchmark, "solve", lambda instance: ran.append(1) or real_solve(instance))
    monkeypatch.setattr(benchmark.os, "getloadavg",
                        lambda: (9.0, 9.0, 9.0) if ran else (1.0, 2.0, 3.0))
    assert benchmark.main(["--participants", "200", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["load_average"] == [1.0, 2.0, 3.0]
    assert out["load_average_end"] == [9.0, 9.0, 9.0]


def test_synthetic_instance_uses_only_active_twinnings_plus_extras():
    cities, active = benchmark.load_network()
    assert ("Prague|CZ", "Shanghai|CN") not in active  # terminated in the CSV
    data = benchmark.synthetic_instance(50, seed=1)
    assert len(data["participants"]) == 50
    assert len(data["twinnings"]) > len(set(active))


def test_both_populations_validate_and_realistic_is_denser():
    from matching import candidate_graph, instance_from_dict

    edges = {}
    for population in ("realistic", "sparse"):
        data = benchmark.synthetic_instance(3000, seed=1, population=population)
        edges[population] = len(candidate_graph(instance_from_dict(data))[2].u)
    assert edges["realistic"] > 2 * edges["sparse"] > 0


def test_douzelage_population_equals_networkx_with_capacity_one(capsys):
    # With a baseline every capacity is 1 (baselines are plain matchings).
    assert benchmark.main(["--participants", "300", "--seed", "2", "--population",
                           "douzelage", "--compare", "networkx", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["population"] == "douzelage" and out["kind"] == "citizen"
    assert out["mixed_capacity"] is False
    assert out["baselines"]["networkx"]["equal"] is True


def test_douzelage_with_capacities_equals_the_whole_lp_baseline(capsys):
    # whole-lp keeps the capacities (1-3) and solves as the engine did before repair.py.
    assert benchmark.main(["--participants", "300", "--seed", "1", "--population",
                           "douzelage", "--compare", "whole-lp", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mixed_capacity"] is True
    assert out["solver_components"]["blossom"] + out["solver_components"]["repair"] >= 1
    assert out["baselines"]["whole-lp"]["equal"] is True
