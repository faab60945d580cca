"""The engine's pipeline, one named step each (README.md draws it):

    people sorted by id -> rasterise availability -> candidate edges -> integer weights
    -> exact b-matching (solver.py) -> explained pairs -> Result

The steps record what they did in one SolveStats. Nothing here touches process-wide
settings: callers wrap a run in matching.process_tuning() (tuning.py).
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import numpy as np

from . import availability, candidates, scoring, solver
from .errors import InstanceError
from .records import (
    Instance,
    Pair,
    Participant,
    Result,
    SolveStats,
    instance_from_dict,
    result_to_dict,
)


class _Graph(NamedTuple):
    """The weighted candidate graph as the optimiser reads it (the edges' ends), and what
    the explanations read besides it."""

    people: list[Participant]  # sorted by id; edges index into this list
    lang_codes: list[str]  # sorted; candidate languages index into this list
    u: np.ndarray  # the candidate edges u < v, sorted by (u, v)
    v: np.ndarray
    weights: np.ndarray  # round(score * SCALE) per edge (scoring.WEIGHT_DTYPE)
    who: scoring.People  # per-person score facts, shared by weights and explanations
    facts: candidates.PairFacts  # the chosen edges' facts, derived again


def solve(instance: Instance) -> Result:
    """Exact matching: most matched places, then the highest total score."""
    stats = SolveStats()
    graph = _weighted_candidate_graph(instance, stats)
    t0 = time.perf_counter()
    chosen = _chosen_edges(graph, stats)
    t1 = time.perf_counter()
    pairs = _explained_pairs(graph, chosen, _is_tandem(instance))
    total = int(graph.weights[chosen].sum())
    stats.seconds_solve = t1 - t0
    stats.seconds_explain = time.perf_counter() - t1
    return _result(graph.people, pairs, total, stats)


def solve_dict(obj: Any) -> dict[str, Any]:
    """JSON-shaped dict in, JSON-shaped dict out (validates first)."""
    return result_to_dict(solve(instance_from_dict(obj)))


def candidate_graph(instance: Instance, stats: SolveStats | None = None):
    """The candidate graph the optimiser sees: (people sorted by id, language codes,
    Candidates, integer weights). Baselines in the benchmark use exactly this graph."""
    stats = stats if stats is not None else SolveStats()
    t0 = time.perf_counter()
    people, lang_codes, profile_of, rasters = _rasterised(instance, stats)
    t1 = time.perf_counter()
    cand, _ = candidates.generate(instance, people, lang_codes, profile_of, rasters)
    weights = scoring.integer_weights(cand, scoring.People(people), _is_tandem(instance))
    _timed(stats, len(cand.u), t0, t1)
    return people, lang_codes, cand, weights


def _weighted_candidate_graph(instance: Instance, stats: SolveStats) -> _Graph:
    """Rasterise, generate the candidate edges, weigh them. Only the edges' ends and
    weights are kept (the facts of 18 M edges would hold 145 MB that the optimiser never
    reads): the chosen edges' facts are read again for their explanations."""
    t0 = time.perf_counter()
    people, lang_codes, profile_of, rasters = _rasterised(instance, stats)
    t1 = time.perf_counter()
    who, tandem = scoring.People(people), _is_tandem(instance)
    edges, facts = candidates.generate_weighed(
        instance, people, lang_codes, profile_of, rasters,
        lambda block: scoring.block_weights(block, who, tandem))
    _timed(stats, len(edges.u), t0, t1)
    return _Graph(people, lang_codes, edges.u, edges.v, edges.weights, who, facts)


def _rasterised(instance: Instance, stats: SolveStats):
    """(people sorted by id, language codes, availability profile of each, rasters)."""
    people = _people_by_id(instance)
    lang_codes = sorted({lang.code for p in people for lang in p.languages})
    profile_of, rasters = _rasterised_availability(instance, people, stats)
    return people, lang_codes, profile_of, rasters


def _timed(stats: SolveStats, edges: int, t0: float, t1: float) -> None:
    stats.candidate_edges = edges
    stats.seconds_rasterise = t1 - t0
    stats.seconds_candidates = time.perf_counter() - t1


def _people_by_id(instance: Instance) -> list[Participant]:
    """Participants in id order: edge endpoints index this list, so the order fixes u < v."""
    people = sorted(instance.participants, key=lambda p: p.id)
    if len({p.id for p in people}) != len(people):
        raise InstanceError("instance", "participants", "duplicate participant ids",
                            InstanceError.DUPLICATE_ID)
    return people


def _rasterised_availability(instance: Instance, people: list[Participant], stats: SolveStats):
    """(profile of each person, packed rasters per distinct availability profile)."""
    profile_of, profiles = availability.profile_index(people)
    stats.profiles = len(profiles)
    rasters = availability.rasterise(profiles, instance.period, instance.session_minutes)
    return profile_of, rasters


def _chosen_edges(graph: _Graph, stats: SolveStats) -> np.ndarray:
    """Indices of the edges in the exact lexicographic b-matching."""
    cap = np.array([p.capacity for p in graph.people], dtype=np.int64)
    mask = solver.solve(len(graph.people), cap, graph.u, graph.v, graph.weights, stats)
    return np.flatnonzero(mask)


def _explained_pairs(graph: _Graph, chosen: np.ndarray, tandem: bool) -> tuple[Pair, ...]:
    """The chosen edges as Pairs, each with its explanation."""
    # Facts and part values only for the chosen edges: the same steps generate and
    # integer_weights took.
    picked = graph.facts.of(graph.u[chosen], graph.v[chosen])
    values = scoring.parts(picked, graph.who, tandem)
    people = graph.people
    told = scoring.explanations(picked, values, people, graph.lang_codes)
    return tuple(
        Pair(a=people[a].id, b=people[b].id, score=w / scoring.SCALE, weight=w,
             explanation=why)
        for a, b, w, why in zip(picked.u.tolist(), picked.v.tolist(),
                                graph.weights[chosen].tolist(), told, strict=True)
    )


def _result(people: list[Participant], pairs: tuple[Pair, ...], total: int,
            stats: SolveStats) -> Result:
    matched = {p.a for p in pairs} | {p.b for p in pairs}
    return Result(
        pairs=pairs,
        unmatched=tuple(p.id for p in people if p.id not in matched),
        matched_places=2 * len(pairs),
        total_score=total / scoring.SCALE,
        total_weight=total,
        stats=stats,
    )


def _is_tandem(instance: Instance) -> bool:
    return instance.kind in ("tandem", "classroom")
