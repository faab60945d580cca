"""End to end through matching.solve (matching/pipeline.py) on random small instances.

Checks against an independent, minute-exact constraint checker written here, and against
a brute-force optimum over the candidate graph.
"""

import datetime as dt
import gc
import random
import zoneinfo

from hypothesis import event, given, settings
from hypothesis import strategies as st

import matching
from matching import candidate_graph, instance_from_dict, pipeline, result_to_dict, solve
from tests.matching.brute import best_b_matching
from tests.matching.builders import instance, pair_ids, person

CITIES = {"a": "Europe/London", "b": "Europe/Berlin", "c": "America/New_York", "d": "Asia/Tehran"}
# a-b-c is an odd triangle; d hangs off a.
TWINNINGS = [("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")]
RANK = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@st.composite
def instances(draw):
    n = draw(st.integers(2, 10))
    people = []
    for i in range(n):
        city = draw(st.sampled_from(sorted(CITIES)))
        codes = draw(st.permutations(["en", "de", "fr"]))
        langs = [{"code": codes[0], "level": "native"},
                 {"code": codes[1], "level": draw(st.sampled_from(sorted(RANK))),
                  "learning": True}]
        if draw(st.booleans()):
            langs.append({"code": codes[2], "level": draw(st.sampled_from(sorted(RANK))),
                          "learning": draw(st.booleans())})
        windows = []
        for _ in range(draw(st.integers(2, 3))):
            start = draw(st.integers(16, 40)) * 30  # 08:00 .. 20:00, on half hours
            length = draw(st.sampled_from([30, 60, 120, 240, 360, 480]))
            end = min(start + length, 1440)
            windows.append({"day": draw(st.sampled_from(DAYS[:2])),
                            "start": f"{start // 60:02d}:{start % 60:02d}",
                            "end": f"{end // 60:02d}:{end % 60:02d}"})
        people.append({
            "id": f"p{i}",
            "city": city,
            "birth_year": draw(st.sampled_from([1980, 1990, 1999, 2005, 2010, 2011, 2013])),
            "via_class": draw(st.booleans()),
            "guardian_consent": draw(st.booleans()),
            "capacity": draw(st.integers(1, 3)),
            "languages": langs,
            "interests": draw(st.lists(st.sampled_from(["jazz", "chess", "hiking", "films"]),
                                       unique=True, max_size=3)),
            "waiting_days": draw(st.integers(0, 90)),
            "availability": {"tz": CITIES[city], "weekly": windows},
        })
    ids = [p["id"] for p in people]
    exclusions = (draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=2,
                                         unique=True), max_size=3)) if n >= 2 else [])
    return {
        "kind": draw(st.sampled_from(["tandem", "citizen", "classroom"])),
        "session_minutes": draw(st.sampled_from([30, 60, 90])),
        "period": {"start": draw(st.sampled_from(["2027-01-04", "2027-03-08", "2027-10-25"])),
                   "weeks": draw(st.integers(1, 4))},
        "twinnings": [list(t) for t in TWINNINGS],
        "participants": people,
        "exclusions": exclusions,
    }


# --- independent checker ----------------------------------------------------------------


def _intervals(p, start, weeks):
    zone = zoneinfo.ZoneInfo(p["availability"]["tz"])
    out = []
    for k in range(-2, 7 * weeks + 2):
        day = start + dt.timedelta(days=k)
        for w in p["availability"]["weekly"]:
            if DAYS[day.weekday()] != w["day"]:
                continue
            def at(hhmm, day=day):
                h, m = map(int, hhmm.split(":"))
                naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=h, minutes=m)
                return naive.replace(tzinfo=zone).astimezone(dt.UTC)
            out.append((at(w["start"]), at(w["end"])))
    return out


def _time_ok(a, b, data):
    start = dt.date.fromisoformat(data["period"]["start"])
    weeks = data["period"]["weeks"]
    need = dt.timedelta(minutes=data["session_minutes"])
    common = []
    for s1, e1 in _merge(_intervals(a, start, weeks)):
        for s2, e2 in _merge(_intervals(b, start, weeks)):
            if max(s1, s2) < min(e1, e2):
                common.append((max(s1, s2), min(e1, e2)))
    origin = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    for i in range(weeks):
        w0, w1 = origin + dt.timedelta(days=7 * i), origin + dt.timedelta(days=7 * i + 7)
        if not any(max(s, w0) < w1 and max(s, w0) + need <= e for s, e in common):
            return False
    return True


def _merge(intervals):
    out = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def feasible(a, b, data):
    if a["city"] == b["city"] or {a["city"], b["city"]} not in [set(t) for t in TWINNINGS]:
        return False
    if {a["id"], b["id"]} in [set(x) for x in data["exclusions"]]:
        return False
    year = int(data["period"]["start"][:4])
    age_a, age_b = year - a["birth_year"], year - b["birth_year"]
    if (age_a < 18) != (age_b < 18):
        return False
    if age_a < 18:
        if abs(age_a - age_b) > 2:
            return False
        if not all(p["via_class"] or p["guardian_consent"] for p in (a, b)):
            return False

    def speaks(p, floor):
        return {x["code"] for x in p["languages"]
                if not x.get("learning") and RANK[x["level"]] >= floor}

    def learns(p):
        return {x["code"] for x in p["languages"] if x.get("learning")}

    if data["kind"] == "citizen":
        if not speaks(a, 3) & speaks(b, 3):
            return False
    elif not (speaks(a, 5) & learns(b) and speaks(b, 5) & learns(a)):
        return False
    return _time_ok(a, b, data)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(instances())
def test_engine_is_exact_feasible_and_deterministic(data):
    inst = instance_from_dict(data)
    result = solve(inst)
    by_id = {p["id"]: p for p in data["participants"]}

    # Candidates are exactly the pairs the independent checker accepts.
    people, _, cand, weights = candidate_graph(inst)
    got = {(people[u].id, people[v].id) for u, v in zip(cand.u, cand.v, strict=True)}
    ids = sorted(by_id)
    want = {(x, y) for i, x in enumerate(ids) for y in ids[i + 1:]
            if feasible(by_id[x], by_id[y], data)}
    assert got == want
    event(f"candidate edges: {min(len(got), 5)}+")

    # Every pair feasible, a < b, nobody over capacity.
    load = {}
    for p in result.pairs:
        assert p.a < p.b and feasible(by_id[p.a], by_id[p.b], data)
        assert 0 <= p.score <= 1
        load[p.a] = load.get(p.a, 0) + 1
        load[p.b] = load.get(p.b, 0) + 1
    assert all(load[k] <= by_id[k]["capacity"] for k in load)
    assert set(result.unmatched) == set(ids) - set(load)

    # Lexicographic optimum equals brute force on the candidate graph.
    cap = [p.capacity for p in people]
    edges = [(int(u), int(v), int(w)) for u, v, w in zip(cand.u, cand.v, weights, strict=True)]
    best = best_b_matching(cap, edges)
    assert (result.matched_places, result.total_weight) == (2 * best[0], best[1])
    assert result.matched_places == 2 * len(result.pairs)

    # Same input -> same output, whatever the order of the records.
    shuffled = dict(data, participants=random.Random(7).sample(data["participants"],
                                                               len(data["participants"])))
    assert result_to_dict(solve(instance_from_dict(shuffled))) == result_to_dict(result)


def test_empty_input():
    result = solve(instance_from_dict(instance([])))
    assert (result.pairs, result.unmatched, result.matched_places, result.total_score) == (
        (), (), 0, 0.0)


def test_one_participant_is_unmatched():
    result = solve(instance_from_dict(instance([person("p1", "coventry")])))
    assert result.pairs == () and result.unmatched == ("p1",)


def test_capacity_two_takes_both_partners():
    people = [person("hub", "coventry", capacity=2),
              person("d1", "dresden", ("de",), ("en",)),
              person("d2", "dresden", ("de",), ("en",))]
    result = solve(instance_from_dict(instance(people)))
    assert pair_ids(result) == [("d1", "hub"), ("d2", "hub")]
    assert result.matched_places == 4 and result.unmatched == ()


def test_cardinality_beats_score():
    # x pairs better with y, but taking x-z and w-y matches four people instead of two.
    people = [person("x", "coventry", interests=["jazz"]),
              person("w", "coventry", interests=[]),
              person("y", "dresden", ("de",), ("en",), interests=["jazz"]),
              person("z", "dresden", ("de",), ("en",), interests=[])]
    people[1]["languages"][1]["code"] = "de"
    people[3]["availability"]["weekly"] = [{"day": "mon", "start": "18:00", "end": "20:00"}]
    people[1]["availability"]["weekly"] = [{"day": "wed", "start": "19:00", "end": "21:00"}]
    result = solve(instance_from_dict(instance(people)))
    assert result.matched_places == 4
    assert pair_ids(result) == [("w", "y"), ("x", "z")]


def test_the_collector_is_paused_during_a_run_and_restored_after(monkeypatch):
    seen = []
    real = pipeline._weighted_candidate_graph  # what solve builds its graph with

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_weighted_candidate_graph", spy)
    assert gc.isenabled()
    with matching.process_tuning():
        matching.solve(instance_from_dict(instance([])))
    assert seen == [False]
    assert gc.isenabled()
