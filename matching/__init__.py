"""Jumelage matching engine: plain records in, pairs out. No Django, no database.

    from matching import solve, instance_from_dict, result_to_dict
    result = solve(instance_from_dict(json_dict))

See records.py for the dataclasses, scoring.py for the score and explanation, solver.py
for the exact optimisation and availability.py for the time model.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from . import availability, candidates, scoring, solver
from .errors import InstanceError
from .gc_pause import gc_paused
from .malloc_keep import memory_kept
from .records import (
    Availability,
    Instance,
    Language,
    Pair,
    Participant,
    Period,
    Result,
    Window,
    instance_from_dict,
    result_to_dict,
)

__all__ = [
    "Availability",
    "Instance",
    "InstanceError",
    "Language",
    "Pair",
    "Participant",
    "Period",
    "Result",
    "Window",
    "candidate_graph",
    "instance_from_dict",
    "result_to_dict",
    "solve",
    "solve_dict",
]


@gc_paused
@memory_kept
def candidate_graph(instance: Instance, stats: dict[str, Any] | None = None):
    """The candidate graph the optimiser sees: (people sorted by id, language codes,
    Candidates, integer weights). Baselines in the benchmark use exactly this graph."""
    return _graph(instance, stats if stats is not None else {})[:4]


def _graph(instance: Instance, stats: dict[str, Any]):
    """candidate_graph, plus the per-person facts the scores read (explanations reuse them)."""
    t0 = time.perf_counter()
    people = sorted(instance.participants, key=lambda p: p.id)
    if len({p.id for p in people}) != len(people):
        raise InstanceError("instance", "participants", "duplicate participant ids")
    lang_codes = sorted({lang.code for p in people for lang in p.languages})
    profile_of, profiles = availability.profile_index(people)
    rasters = availability.rasterise(profiles, instance.period, instance.session_minutes)
    t1 = time.perf_counter()
    cand = candidates.generate(instance, people, lang_codes, profile_of, rasters)
    who = scoring.People(people)
    weights = scoring.integer_weights(cand, who, _is_tandem(instance))
    stats.update(
        profiles=len(profiles),
        candidate_edges=len(cand.u),
        seconds_rasterise=t1 - t0,
        seconds_candidates=time.perf_counter() - t1,
    )
    return people, lang_codes, cand, weights, who


def _is_tandem(instance: Instance) -> bool:
    return instance.kind in ("tandem", "classroom")


@gc_paused
@memory_kept
def solve(instance: Instance) -> Result:
    """Exact matching: most matched places, then the highest total score."""
    stats: dict[str, Any] = {}
    people, lang_codes, cand, weights, who = _graph(instance, stats)
    t2 = time.perf_counter()
    cap = np.array([p.capacity for p in people], dtype=np.int64)
    chosen = np.flatnonzero(solver.solve(len(people), cap, cand.u, cand.v, weights, stats))
    t3 = time.perf_counter()
    # Part values only for the chosen edges: the same arithmetic integer_weights ran.
    picked = cand.take(chosen)
    values = scoring.parts(picked, who, _is_tandem(instance))
    pairs = tuple(
        Pair(
            a=people[picked.u[i]].id,
            b=people[picked.v[i]].id,
            score=int(weights[e]) / scoring.SCALE,
            weight=int(weights[e]),
            explanation=scoring.explain(i, picked, values, people, lang_codes),
        )
        for i, e in enumerate(chosen)
    )
    matched = {p.a for p in pairs} | {p.b for p in pairs}
    total = int(weights[chosen].sum())
    stats.update(
        seconds_solve=t3 - t2,
        seconds_explain=time.perf_counter() - t3,
    )
    return Result(
        pairs=pairs,
        unmatched=tuple(p.id for p in people if p.id not in matched),
        matched_places=2 * len(pairs),
        total_score=total / scoring.SCALE,
        total_weight=total,
        stats=stats,
    )


def solve_dict(obj: Any) -> dict[str, Any]:
    """JSON-shaped dict in, JSON-shaped dict out (validates first)."""
    return result_to_dict(solve(instance_from_dict(obj)))
