"""benchmarks.flow_timing: the priced flow and the ortools-flow baseline on one saved graph."""

import json

import numpy as np
import pytest

from benchmarks import flow_timing
from matching import flow


def _save_tiny(path):
    # A path a-b-c-d (capacities 1) and a triangle c-e-f with e of capacity 2: the flow's
    # optimum is {a-b, c-d} and the triangle's half-edges.
    n, cap = 6, np.array([1, 1, 1, 1, 2, 1])
    u, v = np.array([0, 1, 2, 2, 4, 4]), np.array([1, 2, 3, 4, 5, 3])
    w = np.array([5000, 9000, 5000, 3000, 7000, 2000])
    np.savez(path, n=n, cap=cap, u=u, v=v, w=w)
    total = flow.double_cover_flow(n, cap, u, v, w)
    return [int(total.sum()), int((total * w).sum())]


def test_time_with_the_ortools_baseline_prints_both_and_their_equality(tmp_path, capsys):
    path = str(tmp_path / "g.npz")
    expect = _save_tiny(path)
    assert flow_timing.main(["time", path, "--compare", "ortools-flow"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["edges"] == 6 and out["objective"] == expect
    base = out["baselines"]["ortools-flow"]
    assert base["objective"] == expect and base["equal"] is True
    assert base["seconds"] >= 0 and base["cpu_seconds"] >= 0
    assert flow_timing.main(["time", path]) == 0  # no baseline asked: none run
    assert json.loads(capsys.readouterr().out)["baselines"] == {}


def test_a_different_baseline_objective_is_reported_unequal(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "g.npz")
    _save_tiny(path)
    monkeypatch.setattr(flow, "double_cover_flow", lambda n, cap, u, v, w: np.zeros(len(u)))
    assert flow_timing.main(["time", path, "--compare", "ortools-flow"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["baselines"]["ortools-flow"] == {**out["baselines"]["ortools-flow"],
                                                "objective": [0, 0], "equal": False}


@pytest.mark.parametrize("content", [None, b"not a graph", "fields"])
def test_a_missing_or_unreadable_graph_is_a_one_line_error(tmp_path, capsys, content):
    path = tmp_path / "g.npz"
    if content == "fields":
        np.savez(path, n=3)  # no edges stored
    elif content is not None:
        path.write_bytes(content)
    assert flow_timing.main(["time", str(path), "--compare", "ortools-flow"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("flow_timing: cannot read the graph")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_an_unknown_baseline_is_a_one_line_error(tmp_path, capsys):
    path = str(tmp_path / "g.npz")
    _save_tiny(path)
    assert flow_timing.main(["time", path, "--compare", "networkx"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_save_builds_the_kind_asked_for(tmp_path):
    # Citizens pair on any language they share, tandems on one each teaches the other:
    # the same people give different graphs, each the engine's own.
    graphs = {}
    for kind in ("tandem", "citizen"):
        path = str(tmp_path / f"{kind}.npz")
        assert flow_timing.main(["save", "--population", "realistic", "--kind", kind,
                                 "--participants", "400", path]) == 0
        n, cap, u, v, w = flow_timing.load(path)
        assert n == 400 and len(u) == len(v) == len(w) > 0 and (u < v).all()
        graphs[kind] = set(zip(u.tolist(), v.tolist(), strict=True))
    assert graphs["tandem"] != graphs["citizen"]
