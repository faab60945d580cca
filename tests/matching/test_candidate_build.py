"""The weighted candidate graph equals a plain pair-by-pair construction, every field
and every weight, byte for byte, on Douzelage, realistic (tandem, classroom, citizen,
with minors), sparse and hand-made populations with exclusions.

The reference walks every pair of people with Python ints and the rules as written in
candidates.py and scoring.py's docstrings: no cells, joins, week classes, packing or
sorting. Only the rasteriser is shared (availability.rasterise, every week filled in)."""

import random
from dataclasses import fields

import numpy as np
import pytest

from benchmarks.douzelage import douzelage_instance
from benchmarks.matching import synthetic_instance
from matching import candidate_graph, candidates, edge_pack, instance_from_dict, pipeline, scoring
from matching.availability import SLOT_MINUTES, profile_index, rasterise
from matching.languages import LEVEL_RANK, SHARED_MIN_RANK, TEACH_MIN_RANK
from matching.records import SolveStats
from tests.matching.builders import instance, person


def _bits(row) -> int:
    return int.from_bytes(row.tobytes(), "little")


def _reference(data):
    """(u, v, lang1, rank1_u, rank1_v, lang2, rank2_v, rank2_u, hours, weight) per edge,
    in (u, v) order."""
    inst = instance_from_dict(data)
    people = sorted(inst.participants, key=lambda p: p.id)
    codes = sorted({lang.code for p in people for lang in p.languages})
    tandem = inst.kind in ("tandem", "classroom")
    profile_of, profiles = profile_index(people)
    r = rasterise(profiles, inst.period, inst.session_minutes).every_week()
    weeks = r.run.shape[1]
    run = [[_bits(r.run[k, w]) for w in range(weeks)] for k in profile_of]
    free = [[_bits(r.free[k, w]) for w in range(weeks)] for k in profile_of]
    twinned = {frozenset(t) for t in inst.twinnings if t[0] != t[1]}
    excluded = {frozenset(e) for e in inst.exclusions}
    year = inst.period.start.year
    floor = TEACH_MIN_RANK if tandem else SHARED_MIN_RANK
    speak = [{codes.index(x.code): LEVEL_RANK[x.level] for x in p.languages
              if not x.learning and LEVEL_RANK[x.level] >= floor} for p in people]
    learn = [{codes.index(x.code): LEVEL_RANK[x.level] for x in p.languages if x.learning}
             for p in people]
    interests = [set(p.interests) for p in people]

    def taught(t, s):  # the language s learns best (lowest index on ties) that t teaches
        options = [(-rank, lang) for lang, rank in learn[s].items() if lang in speak[t]]
        return min(options)[1] if options else None

    def may_take_part(p):
        return year - p.birth_year >= 18 or p.via_class or p.guardian_consent

    rows = []
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            b = people[j]
            if frozenset((a.city, b.city)) not in twinned or a.city == b.city:
                continue
            if frozenset((a.id, b.id)) in excluded:
                continue
            if not (may_take_part(a) and may_take_part(b)):
                continue
            age_a, age_b = year - a.birth_year, year - b.birth_year
            if (age_a >= 18) != (age_b >= 18):
                continue
            if age_a < 18 and abs(age_a - age_b) > 2:
                continue
            if not all(run[i][w] & run[j][w] for w in range(weeks)):
                continue
            slots = min((free[i][w] & free[j][w]).bit_count() for w in range(weeks))
            hours = slots * SLOT_MINUTES / 60
            if tandem:
                l1, l2 = taught(i, j), taught(j, i)
                if l1 is None or l2 is None:
                    continue
                ranks = (speak[i][l1], learn[j][l1], speak[j][l2], learn[i][l2])
                gap, cap = ranks[3] - ranks[1], 5
            else:
                shared = [(-(min(ra, speak[j][x]) * 16 - abs(ra - speak[j][x])), x)
                          for x, ra in speak[i].items() if x in speak[j]]
                if not shared:
                    continue
                l1, l2 = min(shared)[1], -1
                ranks = (speak[i][l1], speak[j][l1], -1, -1)
                gap, cap = ranks[0] - ranks[1], 4
            union = interests[i] | interests[j]
            jaccard = len(interests[i] & interests[j]) / len(union) if union else 0.0
            fit = 1.0 - min(abs(gap), cap) / float(cap)
            overlap = min(float(hours), 5.0) / 5.0
            wait = min((a.waiting_days + b.waiting_days) / 2.0, 60.0) / 60.0
            score = 0 + 0.35 * jaccard + 0.25 * fit + 0.20 * overlap + 0.20 * wait
            rows.append((i, j, l1, ranks[0], ranks[1], l2, ranks[2], ranks[3], hours,
                         round(score * 10000)))
    return rows


def _with_exclusions(data, seed, share=0.2):
    """data with a share of its candidate pairs (and some random pairs) excluded."""
    people, _, cand, _ = candidate_graph(instance_from_dict(data))
    rng = random.Random(seed)
    ids = [p["id"] for p in data["participants"]]
    pairs = [[people[u].id, people[v].id] for u, v in zip(cand.u, cand.v, strict=True)]
    data["exclusions"] = [list(reversed(p)) if rng.random() < 0.5 else p
                          for p in pairs if rng.random() < share]
    data["exclusions"] += [rng.sample(ids, 2) for _ in range(len(ids) // 4)]
    return data


def _minors_and_friends():
    """Minors of several ages (with and without consent), teachers below C1, citizen
    levels, people in three cities and two zones: the rules' edges by hand."""
    people = []
    rng = random.Random(7)
    cities = (("coventry", "Europe/London", "en"), ("dresden", "Europe/Berlin", "de"),
              ("kiel", "Europe/Berlin", "de"))
    levels = ("A2", "B1", "B2", "C1", "C2", "native")
    for k in range(150):
        city, tz, lang = cities[k % 3]
        other = "de" if lang == "en" else "en"
        p = person(f"p{k:03d}", city, (), (), tz=tz, birth_year=rng.choice((1980, 2010, 2011,
                                                                         2012, 2014)))
        p["languages"] = [{"code": lang, "level": rng.choice(levels)},
                          {"code": other, "level": rng.choice(levels),
                           "learning": rng.random() < 0.6}]
        if rng.random() < 0.5:
            p["languages"].append({"code": "fr", "level": rng.choice(levels),
                                   "learning": rng.random() < 0.5})
        p["via_class"] = rng.random() < 0.4
        p["guardian_consent"] = rng.random() < 0.4
        p["interests"] = rng.sample(["a", "b", "c", "d", "e"], rng.randint(0, 3))
        p["waiting_days"] = rng.randint(0, 90)
        day = rng.choice(("mon", "tue", "sat"))
        start = rng.choice((17, 18, 19))
        p["availability"]["weekly"] = [{"day": day, "start": f"{start}:00",
                                        "end": f"{start + rng.choice((1, 2))}:30"}]
        people.append(p)
    return people


def _populations():
    hand = _minors_and_friends()
    twins = (("coventry", "dresden"), ("coventry", "kiel"), ("dresden", "kiel"))
    return {
        "douzelage": douzelage_instance(700, seed=3),
        "douzelage excluded": _with_exclusions(douzelage_instance(400, seed=4), 1),
        "realistic tandem": _with_exclusions(synthetic_instance(500, 1, kind="tandem"), 2),
        "realistic classroom": synthetic_instance(500, 2, kind="classroom"),
        "realistic citizen": _with_exclusions(synthetic_instance(500, 3, kind="citizen"), 3),
        "sparse tandem": synthetic_instance(600, 4, "tandem", True, "sparse"),
        "sparse citizen": synthetic_instance(600, 5, "citizen", True, "sparse"),
        "hand tandem": _with_exclusions(instance(hand, twinnings=twins), 4, share=0.1),
        "hand citizen": instance(hand, twinnings=twins, kind="citizen"),
    }


_POPULATIONS = _populations()


def _assert_same(data):
    want = _reference(data)
    _, _, cand, weights = candidate_graph(instance_from_dict(data))
    assert len(want) > 20
    names = [f.name for f in fields(cand)]
    for k, name in enumerate(names):
        got = getattr(cand, name)
        expected = np.array([row[k] for row in want], dtype=got.dtype)
        assert np.array_equal(got, expected), name
        assert got.dtype == {"u": np.int64, "v": np.int64, "lang1": np.int16,
                             "lang2": np.int16, "hours": np.float32}.get(name, np.int8)
    assert weights.dtype == np.int32
    assert np.array_equal(weights, np.array([row[-1] for row in want], dtype=np.int64))
    # A citizen edge's second language is one -1 seen for every edge, not a column.
    second = [cand.lang2, cand.rank2_v, cand.rank2_u]
    assert all(c.strides == (0,) for c in second) == (data["kind"] == "citizen")


@pytest.mark.parametrize("name", sorted(_POPULATIONS))
def test_the_graph_equals_the_pair_by_pair_construction(name):
    _assert_same(_POPULATIONS[name])


@pytest.mark.parametrize("name", ["realistic tandem", "hand citizen"])
def test_the_graph_is_the_same_when_the_keys_are_too_wide_to_pack(name, monkeypatch):
    # Beyond about 370 000 people (u * n + v and the facts past 62 bits) the columns are
    # sorted by a (u, v, position) key instead: the same graph.
    monkeypatch.setattr(edge_pack.Layout, "fits", property(lambda self: False))
    _assert_same(_POPULATIONS[name])


def test_a_packed_key_gives_back_its_edge():
    layout = edge_pack.Layout(100_000, 184)
    u, v = np.array([0, 5, 99_998]), np.array([1, 99_999, 99_999])
    key = layout.keys(u, v, layout.payload(np.array([0, 672, 7]), np.array([183, 0, 5]),
                                           np.array([-1, 183, 0])))
    got = edge_pack.unpacked(layout, key)
    assert [x.tolist() for x in got] == [u.tolist(), v.tolist(), [0, 672, 7], [183, 0, 5],
                                         [-1, 183, 0]]


def _facts_source(data):
    """(Candidates, PairFacts) as candidates.generate gives them for data."""
    inst = instance_from_dict(data)
    people, codes, profile_of, rasters = pipeline._rasterised(inst, SolveStats())
    return candidates.generate(inst, people, codes, profile_of, rasters)


@pytest.mark.parametrize("name", sorted(_POPULATIONS))
def test_pair_facts_give_back_every_edges_facts(name):
    # The engine never holds the whole graph's facts and reads the chosen edges' from
    # PairFacts: they must be the very same.
    cand, facts = _facts_source(_POPULATIONS[name])
    some = np.arange(len(cand.u))[::3][::-1]  # any subset, in any order
    for which in (np.arange(len(cand.u)), some):
        again, want = facts.of(cand.u[which], cand.v[which]), cand.take(which)
        for f in fields(cand):
            got, expected = getattr(again, f.name), getattr(want, f.name)
            assert got.dtype == expected.dtype, f.name
            assert np.array_equal(got, expected), f.name
    assert len(facts.of(cand.u[:0], cand.v[:0]).u) == 0


def test_pair_facts_refuse_a_pair_that_is_no_candidate():
    hand = _minors_and_friends()
    data = instance(hand, twinnings=(("coventry", "dresden"),), kind="citizen")
    cand, facts = _facts_source(data)
    edges = set(zip(cand.u.tolist(), cand.v.tolist(), strict=True))
    people = sorted(instance_from_dict(data).participants, key=lambda p: p.id)
    days = [p.availability.weekly[0].day for p in people]
    # Two people never free on the same day: no common slot, so no candidate edge.
    u, v = next((a, b) for a in range(len(people)) for b in range(a + 1, len(people))
                if days[a] != days[b] and (a, b) not in edges)
    with pytest.raises(ValueError, match="not candidate edges"):
        facts.of(np.array([u]), np.array([v]))


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("name", sorted(_POPULATIONS))
def test_the_engine_weighs_the_same_graph_bucket_by_bucket(name, packed, monkeypatch):
    # The engine weighs each sort bucket as it is decoded (generate_weighed); the graph
    # and weights must be candidate_graph's, packed keys or not.
    if not packed:
        monkeypatch.setattr(edge_pack.Layout, "fits", property(lambda self: False))
    data = _POPULATIONS[name]
    _, _, cand, weights = candidate_graph(instance_from_dict(data))
    graph = pipeline._weighted_candidate_graph(instance_from_dict(data), SolveStats())
    assert np.array_equal(graph.u, cand.u) and np.array_equal(graph.v, cand.v)
    assert graph.weights.dtype == weights.dtype == scoring.WEIGHT_DTYPE
    assert np.array_equal(graph.weights, weights)
