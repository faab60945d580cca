"""The double cover's priced flow alone, on a candidate graph saved once.

    python -m benchmarks.flow_timing save --population douzelage --participants 20000 \
        --seed 1 /tmp/g20000_1.npz
    python -m benchmarks.flow_timing time /tmp/g20000_1.npz --compare ortools-flow

`save` builds the candidate graph as benchmarks.matching does (capacities 1-3) and stores
n, the capacities, u, v and the integer weights; `time` runs
priced_flow.double_cover_flow on it and prints one JSON line: wall and CPU seconds, the
flow's size and 2 x its weight (equal for any two optimal flows), or null if the
certificate failed. `--compare ortools-flow` also times the engine's flow before
priced_flow.py (flow.double_cover_flow: ortools' whole flow, as benchmarks.matching's
`ortools-flow` baseline) on the same graph in the same process, and reports whether the
two objectives are equal. Generating the candidates (6-8 s at Douzelage 100 000) is paid
once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zipfile

import numpy as np

from benchmarks.douzelage import douzelage_instance
from benchmarks.matching import synthetic_instance
from matching import process_tuning
from matching.pipeline import candidate_graph
from matching.records import instance_from_dict


def save(population: str, participants: int, seed: int, path: str, kind: str = "tandem") -> None:
    if population == "douzelage":
        raw = douzelage_instance(participants, seed, capacities=True)
    else:
        raw = synthetic_instance(participants, seed, kind, True, population)
    with process_tuning():
        people, _, cand, weights = candidate_graph(instance_from_dict(raw))
    cap = np.array([p.capacity for p in people], dtype=np.int64)
    np.savez(path, n=len(people), cap=cap, u=cand.u, v=cand.v, w=weights)


BASELINES = ("ortools-flow",)


class GraphError(Exception):
    """The saved graph cannot be read (missing, not an .npz, or a field missing)."""


def load(path: str):
    """(n, cap, u, v, w) from a graph `save` wrote."""
    try:
        with np.load(path) as g:
            return int(g["n"]), g["cap"], g["u"], g["v"], g["w"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
        raise GraphError(f"cannot read the graph {path}: {e}") from None


def _timed(solve, n, cap, u, v, w) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    total = solve(n, cap, u, v, w)
    out = {"seconds": round(time.perf_counter() - t0, 3),
           "cpu_seconds": round(time.process_time() - c0, 3)}
    # [size, 2 x weight]: equal for any two optimal flows
    out["objective"] = None if total is None else [
        int(total.sum()), int((total * w.astype(np.int64)).sum())]
    return out


def time_flow(path: str, compare: tuple[str, ...] = ()) -> dict:
    from matching import flow, priced_flow

    n, cap, u, v, w = load(path)
    load_before = [round(x, 2) for x in os.getloadavg()]
    out = {**_timed(priced_flow.double_cover_flow, n, cap, u, v, w), "edges": len(u),
           "load_average": load_before, "baselines": {}}
    for name in compare:  # only ortools-flow (BASELINES)
        base = _timed(flow.double_cover_flow, n, cap, u, v, w)
        base["equal"] = out["objective"] is not None and base["objective"] == out["objective"]
        out["baselines"][name] = base
    out["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.flow_timing")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("save")
    s.add_argument("--population", default="douzelage", choices=("douzelage", "realistic"))
    s.add_argument("--participants", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--kind", default="tandem", choices=("tandem", "classroom", "citizen"),
                   help="realistic only (Douzelage's rules are its own)")
    s.add_argument("path")
    t = sub.add_parser("time")
    t.add_argument("path")
    t.add_argument("--compare", default="", help="comma-separated: ortools-flow")
    args = ap.parse_args(argv)
    if args.command == "save":
        save(args.population, args.participants, args.seed, args.path, args.kind)
        return 0
    compare = tuple(b for b in args.compare.split(",") if b)
    unknown = [b for b in compare if b not in BASELINES]
    if unknown:
        print(f"flow_timing: unknown baseline {unknown[0]!r} (known: ortools-flow)",
              file=sys.stderr)
        return 2
    try:
        print(json.dumps(time_flow(args.path, compare)))
    except GraphError as e:
        print(f"flow_timing: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
