"""Benchmark on a synthetic instance over the shipped twinnings (no database).

    python -m benchmarks.matching --participants 20000 --seed 1 --compare rustworkx,networkx --json

Prints ONE JSON object: the engine's figures (seconds include rasterising and candidate
generation; the parts are listed too) and, per baseline, its seconds, places, total score
and whether it equals the engine exactly. Baselines run on the SAME candidate graph with
the SAME integer weights, with max cardinality, so their optimum must equal ours.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.douzelage import douzelage_instance
from matching import candidate_graph, flow, process_tuning, solve, solver
from matching.records import instance_from_dict
from matching.scoring import SCALE

CSV = Path(__file__).resolve().parent.parent / "data" / "twinnings.csv"
SECOND_LANGUAGES = ("en", "fr", "de", "es")
INTERESTS = [
    "hiking",
    "jazz",
    "football",
    "cooking",
    "films",
    "photography",
    "chess",
    "gardening",
    "history",
    "cycling",
    "running",
    "painting",
    "theatre",
    "poetry",
    "gaming",
    "climbing",
    "sailing",
    "birds",
    "music",
    "dance",
    "architecture",
    "politics",
    "science",
    "travel",
    "fashion",
    "yoga",
    "knitting",
    "astronomy",
    "wine",
    "baking",
]
PLAIN_BASELINES = ("rustworkx", "networkx")
LEARN_LEVELS = ("A1", "A2", "B1", "B1", "B2", "B2", "C1")
SPEAK_LEVELS = ("B1", "B2", "C1", "C2")


def load_network(path: Path = CSV):
    """Cities {id: (tz, [languages])} and active twinnings [(id, id)] from the CSV."""
    cities: dict[str, tuple[str, list[str]]] = {}
    active = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a = f"{row['city_a']}|{row['country_a']}"
            b = f"{row['city_b']}|{row['country_b']}"
            cities.setdefault(a, (row["tz_a"], row["languages_a"].split(";")))
            cities.setdefault(b, (row["tz_b"], row["languages_b"].split(";")))
            if row["status"] == "active":
                active.append((a, b))
    return cities, active


def _windows(rng: random.Random) -> list[dict]:
    out = []
    for day in rng.sample(("mon", "tue", "wed", "thu", "fri"), rng.randint(2, 5)):
        start = rng.choice((17, 18, 18, 19, 19, 20))
        out.append(
            {"day": day, "start": f"{start:02d}:00", "end": f"{start + rng.randint(1, 3):02d}:00"}
        )
    if rng.random() < 0.6:
        start = rng.choice((9, 10, 11, 14, 15))
        day = rng.choice(("sat", "sun"))
        out.append(
            {"day": day, "start": f"{start:02d}:00", "end": f"{start + rng.randint(2, 4):02d}:00"}
        )
    return out


# Realistic population (the default): what sign-ups to a twinning exchange look like.
EVENING_BLOCKS = (  # (start, end) local wall clock, weights: most say "evenings from 6 or 7"
    (("18:00", "21:00"), 4),
    (("18:00", "22:00"), 3),
    (("19:00", "22:00"), 4),
    (("17:30", "20:30"), 1),
    (("19:30", "21:30"), 1),
    (("20:00", "22:30"), 2),
)
WEEKEND_BLOCKS = ((("09:00", "12:00"), 2), (("10:00", "13:00"), 2), (("14:00", "18:00"), 2),
                  (("10:00", "18:00"), 1))


def _pick(rng: random.Random, weighted):
    return rng.choices([x for x, _ in weighted], weights=[w for _, w in weighted])[0]


def _windows_realistic(rng: random.Random) -> list[dict]:
    """A sign-up form's answer: one evening block on a set of weekdays (all of them for
    40 %), sometimes a second block on one day, and a weekend block for half of people."""
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    days = weekdays if rng.random() < 0.4 else rng.sample(weekdays, rng.randint(2, 4))
    start, end = _pick(rng, EVENING_BLOCKS)
    out = [{"day": d, "start": start, "end": end} for d in days]
    if rng.random() < 0.5:
        start, end = _pick(rng, WEEKEND_BLOCKS)
        out.append({"day": rng.choice(("sat", "sun")), "start": start, "end": end})
    return out


def _network(rng: random.Random):
    cities, active = load_network()
    names = sorted(cities)
    twinnings = {tuple(sorted(t)) for t in active}
    # Extra random twinnings among the same cities: real networks hold hundreds of them,
    # and they close odd cycles (the graph is not bipartite).
    for _ in range(len(active)):
        a, b = rng.sample(names, 2)
        twinnings.add(tuple(sorted((a, b))))
    twinnings = sorted(twinnings)
    partners: dict[str, set[str]] = {c: set() for c in names}
    for a, b in twinnings:
        partners[a].add(b)
        partners[b].add(a)
    linked = [c for c in names if partners[c]]
    return cities, twinnings, partners, linked


def _person_extras(rng: random.Random, i: int, city: str, languages, windows, tz, mixed):
    # windows(rng) is drawn last: drawing it earlier would change every seed's instance.
    minor = rng.random() < 0.1
    return {
        "id": f"p{i:06d}",
        "city": city,
        "birth_year": rng.randint(2010, 2014) if minor else rng.randint(1950, 2006),
        "via_class": minor and rng.random() < 0.8,
        "guardian_consent": minor and rng.random() < 0.5,
        "capacity": rng.choice((1, 1, 1, 2, 3)) if mixed else 1,
        "languages": languages,
        "interests": rng.sample(INTERESTS, rng.randint(1, 5)),
        "waiting_days": rng.randint(0, 120),
        "availability": {"tz": tz, "weekly": windows(rng)},
    }


def synthetic_instance(
    n: int,
    seed: int,
    kind: str = "tandem",
    mixed_capacity: bool = False,
    population: str = "realistic",
):
    """population="realistic": cities of uneven size (log-normal weights), people learn a
    partner city's language (85 %), most non-English natives speak English (B1-C2), and
    availability is a sign-up form's broad evening/weekend blocks, so many people in a
    city share a language pair and availability. population="sparse": independent random
    narrow windows, learning 1-2 random languages, so people rarely share a profile."""
    rng = random.Random(seed)
    cities, twinnings, partners, linked = _network(rng)
    people = []
    if population == "sparse":
        for i in range(n):
            city = rng.choice(linked)
            tz, langs = cities[city]
            entries = {langs[0]: "native"}
            if rng.random() < 0.4:
                second = rng.choice(SECOND_LANGUAGES)
                entries.setdefault(second, rng.choice(SPEAK_LEVELS))
            learn_pool = sorted(
                {cities[p][1][0] for p in partners[city]} | set(SECOND_LANGUAGES)
            )
            languages = [{"code": c, "level": lv} for c, lv in entries.items()]
            for code in rng.sample(learn_pool, min(len(learn_pool), rng.randint(1, 2))):
                if code not in entries:
                    languages.append(
                        {"code": code, "level": rng.choice(LEARN_LEVELS), "learning": True}
                    )
            people.append(
                _person_extras(rng, i, city, languages, _windows, tz, mixed_capacity)
            )
    elif population == "realistic":
        size = [rng.lognormvariate(0, 1) for _ in linked]
        for i in range(n):
            city = rng.choices(linked, weights=size)[0]
            tz, langs = cities[city]
            entries = {langs[0]: "native"}
            if langs[0] != "en" and rng.random() < 0.6:
                entries["en"] = rng.choice(SPEAK_LEVELS)
            elif rng.random() < 0.2:
                entries.setdefault(rng.choice(SECOND_LANGUAGES), rng.choice(SPEAK_LEVELS))
            languages = [{"code": c, "level": lv} for c, lv in entries.items()]
            foreign = sorted({cities[p][1][0] for p in partners[city]} - set(entries))
            learn = []
            if foreign and rng.random() < 0.85:
                learn.append(rng.choice(foreign))
            if not learn or rng.random() < 0.25:
                learn.append(rng.choice(SECOND_LANGUAGES))
            for code in dict.fromkeys(learn):
                if code not in entries:
                    languages.append(
                        {"code": code, "level": rng.choice(LEARN_LEVELS), "learning": True}
                    )
            people.append(
                _person_extras(rng, i, city, languages, _windows_realistic, tz, mixed_capacity)
            )
    else:
        raise ValueError(f"unknown population {population!r}")
    ids = [p["id"] for p in people]
    exclusions = [rng.sample(ids, 2) for _ in range(n // 50)] if n >= 2 else []
    return {
        "kind": kind,
        "session_minutes": 60,
        "period": {"start": "2027-03-01", "weeks": 12},
        "twinnings": [list(t) for t in twinnings],
        "participants": people,
        "exclusions": exclusions,
    }


def _baseline(name: str, n: int, u, v, w):
    t0, c0 = time.perf_counter(), time.process_time()
    edges = list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    if name == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        mate = rx.max_weight_matching(g, max_cardinality=True, weight_fn=lambda x: int(x))
    elif name == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(edges)
        mate = nx.max_weight_matching(g, maxcardinality=True)
    else:
        raise SystemExit(f"unknown baseline {name!r}")
    weight = {(a, b): x for a, b, x in edges}
    total = sum(weight.get((a, b), weight.get((b, a), 0)) for a, b in mate)
    return time.perf_counter() - t0, time.process_time() - c0, 2 * len(mate), total


def _solve_with(module, name: str, value, n: int, cap, u, v, w):
    """The engine's optimisation timed with ``module.name`` set to ``value`` for the run."""
    keep = getattr(module, name)
    setattr(module, name, value)
    try:
        with process_tuning():
            t0, c0 = time.perf_counter(), time.process_time()
            pick = solver.solve(n, cap, u, v, w)
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        setattr(module, name, keep)
    return secs, cpu, 2 * int(pick.sum()), int(w[pick].sum())


def _whole_lp(n: int, cap, u, v, w):
    """The engine's optimisation as it was before repair.py: a component with odd closed
    circuits of half-edges goes whole to the LP/MILP path."""
    return _solve_with(solver, "_REPAIR_EDGES", 1 << 62, n, cap, u, v, w)


def _ortools_flow(n: int, cap, u, v, w):
    """The engine's optimisation as it was before priced_flow.py: the double cover's
    min-cost flow solved whole by ortools (solve_max_flow_with_min_cost)."""
    return _solve_with(flow, "_FRACTIONAL", flow.double_cover_flow, n, cap, u, v, w)


def _greedy(n: int, cap, u, v, w):
    left = cap.copy()
    places = total = 0
    for e in np.lexsort((v, u, -w)):
        if left[u[e]] and left[v[e]]:
            left[u[e]] -= 1
            left[v[e]] -= 1
            places += 2
            total += int(w[e])
    return places, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.matching")
    ap.add_argument("--participants", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kind", default="tandem", choices=("tandem", "classroom", "citizen"))
    ap.add_argument("--compare", default="")
    ap.add_argument("--mixed-capacity", action="store_true")
    ap.add_argument("--greedy", action="store_true")
    ap.add_argument("--population", default="realistic",
                    choices=("realistic", "sparse", "douzelage"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    baselines = [b for b in args.compare.split(",") if b]
    # rustworkx and networkx solve plain matchings (capacity 1); whole-lp, the engine's
    # path before repair.py, and ortools-flow, its flow before priced_flow.py, take the
    # capacities.
    plain = any(b in PLAIN_BASELINES for b in baselines)
    mixed = args.mixed_capacity and not plain

    if args.population == "douzelage":  # citizen kind, capacities 1-3 (1 with baselines)
        raw = douzelage_instance(args.participants, args.seed, capacities=not plain)
    else:
        raw = synthetic_instance(args.participants, args.seed, args.kind, mixed,
                                 args.population)
    load = os.getloadavg()  # before the run: how busy the machine was when it started
    with process_tuning():  # as the CLI and the platform run it
        t0, c0 = time.perf_counter(), time.process_time()
        instance = instance_from_dict(raw)
        t_parse, c_parse = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        result = solve(instance)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "participants": args.participants,
        "seed": args.seed,
        "kind": raw["kind"],
        "mixed_capacity": any(p.get("capacity", 1) > 1 for p in raw["participants"]),
        "population": args.population,
        "load_average": [round(x, 2) for x in load],
        "candidate_edges": result.stats.candidate_edges,
        "seconds": round(seconds, 3),
        "seconds_parts": {k: round(v, 3) for k, v in result.stats.seconds().items()},
        "cpu_seconds": round(cpu, 3),
        "seconds_validate": round(t_parse, 3),
        "cpu_seconds_validate": round(c_parse, 3),
        "solver_components": {
            k: getattr(result.stats, k)
            for k in ("components", "double_cover", "flow", "blossom", "repair", "lp", "milp",
                      "flow_check_failed")
        },
        "peak_rss_mb": round(peak, 1),
        "matched_places": result.matched_places,
        "total_score": result.total_score,
        "baselines": {},
    }
    if baselines or args.greedy:
        with process_tuning():  # the baselines themselves run untuned, as they ship
            people, _, cand, weights = candidate_graph(instance)
        n = len(people)
        cap = np.array([p.capacity for p in people], dtype=np.int64)
        for name in baselines:
            if name == "whole-lp":
                secs, cpu_secs, places, total = _whole_lp(n, cap, cand.u, cand.v, weights)
            elif name == "ortools-flow":
                secs, cpu_secs, places, total = _ortools_flow(n, cap, cand.u, cand.v, weights)
            else:
                secs, cpu_secs, places, total = _baseline(name, n, cand.u, cand.v, weights)
            out["baselines"][name] = {
                "seconds": round(secs, 3),
                "cpu_seconds": round(cpu_secs, 3),
                "matched_places": places,
                "total_score": total / SCALE,
                "equal": places == result.matched_places and total == result.total_weight,
            }
        if args.greedy:
            places, total = _greedy(n, cap, cand.u, cand.v, weights)
            out["greedy"] = {
                "matched_places": places,
                "total_score": total / SCALE,
                "places_lost": result.matched_places - places,
            }
    out["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
