"""Benchmark: the officers' linked small-count check (``pure.suppression.linked_complements``)
on programs whose towns are all twinned together, against the check as it was first
written (the null space from the full SVD, NumPy's BLAS on as many threads as it takes),
in the same run.

    .venv/bin/python -m benchmarks.suppression_linked --towns 10 16 20 27 --seeds 3

A Douzelage of ``towns`` towns has towns·(towns−1)/2 twinnings; a twinning's people are
its two towns' people and the towns add up to the total, as in the dashboard's rows. A
third of the towns count 1 to 4 people (a program's first weeks). For each size it prints
the seconds and the cells hidden beside the small ones, for both, and how many small
towns can still be worked out afterwards (none may). Each side runs in a process of its
own, since OpenBLAS reads its thread count when NumPy loads: the code as served (one
thread, config/settings.py) and the baseline with the machine's default. One JSON object,
with the load averages before and after.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import time

import numpy as np

from exchanges.pure import suppression


def clique(towns: int, seed: int):
    """(cells, equations, small): every town twinned with every other (a Douzelage), a
    twinning's people its two towns' people, the towns adding up to the total; a third of
    the towns count 1 to 4."""
    rng = random.Random(seed)
    counts = [rng.choice([0, 2, 3, 8, 40, 120]) for _ in range(towns)]
    cells, equations = list(counts), []
    for a, b in itertools.combinations(range(towns), 2):
        equations.append({len(cells): 1, a: -1, b: -1})
        cells.append(counts[a] + counts[b])
    equations.append({len(cells): 1, **{town: -1 for town in range(towns)}})
    cells.append(sum(counts))
    return cells, equations, [1 <= v <= 4 for v in cells]


def baseline(cells, equations, hidden, small) -> list[int]:
    """The first version: one cell a round, the null space from the full SVD."""
    hidden, extra = list(hidden), []
    unseen = {i for equation in equations for i in equation if i >= len(cells)}
    while True:
        unknowns = [i for i, h in enumerate(hidden) if h] + sorted(unseen)
        if not unknowns or not equations:
            return extra
        matrix = np.array([[e.get(i, 0) for i in unknowns] for e in equations], dtype=float)
        _, singular, vt = np.linalg.svd(matrix)
        null_space = vt[int((singular > suppression._EPS).sum()):]
        moved = (np.abs(null_space).max(axis=0) if null_space.shape[0]
                 else np.zeros(len(unknowns)))
        fixed = [i for i, spread in zip(unknowns, moved, strict=True)
                 if i < len(cells) and small[i] and spread < suppression._EPS]
        if not fixed:
            return extra
        beside = suppression._shown_in(equations, fixed, cells, hidden) or suppression._shown_in(
            equations, [i for i in unknowns if i < len(cells)], cells, hidden)
        if not beside:
            return extra
        chosen = min(beside, key=lambda j: (cells[j] == 0, cells[j], j))
        hidden[chosen] = True
        extra.append(chosen)


def worked_out(cells, equations, hidden) -> list[int]:
    """The hidden cells the shown ones fix, checked otherwise than the code does: a cell
    is fixed when its unit vector is a combination of the equations over the hidden
    cells (the least-squares solution of Mᵀy = e is exact)."""
    unknowns = [i for i, h in enumerate(hidden) if h]
    matrix = np.array([[e.get(i, 0) for i in unknowns] for e in equations], dtype=float)
    fixed = []
    for n, i in enumerate(unknowns):
        target = np.zeros(len(unknowns))
        target[n] = 1
        y, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
        if np.allclose(matrix.T @ y, target, atol=1e-8):
            fixed.append(i)
    return fixed


def still_worked_out(cells, equations, small, extra) -> int:
    hidden = [s or i in set(extra) for i, s in enumerate(small)]
    return sum(small[i] for i in worked_out(cells, equations, hidden))


def timed(check, instance):
    cells, equations, small = instance
    start = time.perf_counter()
    extra = check(cells, equations, list(small), small)
    return {"seconds": round(time.perf_counter() - start, 3), "hidden_beside": len(extra),
            "small_still_worked_out": still_worked_out(cells, equations, small, extra)}


def side(name: str, towns: list[int], seeds: int) -> list[dict]:
    check = suppression.linked_complements if name == "linked_complements" else baseline
    rows = []
    for size in towns:
        for seed in range(seeds):
            instance = clique(size, seed)
            rows.append({"towns": size, "seed": seed, "equations": len(instance[1]),
                         "small": sum(instance[2]), **timed(check, instance)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, nargs="+", default=[10, 16, 20, 27])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--side", choices=["linked_complements", "baseline"],
                        help=argparse.SUPPRESS)  # a child process's part
    args = parser.parse_args()
    if args.side:
        print(json.dumps(side(args.side, args.towns, args.seeds)))
        return
    load_before = os.getloadavg()
    sides = {}
    for name, threads in (("linked_complements", "1"), ("baseline", None)):
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        if threads:
            env["OPENBLAS_NUM_THREADS"] = threads
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.suppression_linked", "--side", name,
             "--towns", *map(str, args.towns), "--seeds", str(args.seeds)],
            env=env, capture_output=True, text=True, check=True)
        sides[name] = {"openblas_threads": threads or "default",
                       "rows": json.loads(done.stdout)}
    print(json.dumps({**sides, "load_before": load_before, "load_after": os.getloadavg(),
                      "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
