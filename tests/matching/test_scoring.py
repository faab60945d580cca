"""Scores and explanations."""

import random

import pytest

from matching import candidate_graph, instance_from_dict, scoring, solve
from matching.scoring import SCALE, WEIGHTS
from tests.matching.builders import instance, person


def _pair(**b_extra):
    a = person("alex", "coventry", ("en",), ("de",), interests=["hiking", "jazz"],
               waiting_days=30)
    b = person("bea", "dresden", ("de",), ("en",), tz="Europe/Berlin", **b_extra)
    result = solve(instance_from_dict(instance([a, b])))
    assert len(result.pairs) == 1
    return result.pairs[0]


def test_explanation_carries_parts_and_facts():
    pair = _pair(interests=["jazz", "hiking", "chess"], waiting_days=10)
    e = pair.explanation
    assert set(e["parts"]) == set(WEIGHTS)
    assert e["shared_interests"] == ["hiking", "jazz"]
    assert e["parts"]["interests"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert e["waiting_days"] == {"alex": 30, "bea": 10}
    assert e["parts"]["waiting"]["value"] == pytest.approx(20 / 60, abs=1e-4)
    # mon + wed 18:00-21:00 London vs Berlin (one hour ahead): 2 h a day in common
    assert e["overlap_hours_per_week"] == 4.0
    assert e["mode"] == "tandem"
    assert e["languages"] == [
        {"code": "en", "speaker": "alex", "speaker_level": "native",
         "learner": "bea", "learner_level": "B1"},
        {"code": "de", "speaker": "bea", "speaker_level": "native",
         "learner": "alex", "learner_level": "B1"},
    ]
    assert e["parts"]["level_fit"]["value"] == 1.0
    total = sum(part["contribution"] for part in e["parts"].values())
    assert pair.score == pytest.approx(total, abs=2e-4)
    assert pair.weight == round(pair.score * SCALE)


def test_level_gap_lowers_the_fit():
    b = person("bea", "dresden", ("de",), ())
    b["languages"].append({"code": "en", "level": "C1", "learning": True})
    a = person("alex", "coventry", ("en",), ("de",))
    a["languages"][1]["level"] = "A1"
    pair = solve(instance_from_dict(instance([a, b]))).pairs[0]
    assert pair.explanation["parts"]["level_fit"]["value"] == pytest.approx(0.2)


def test_longer_wait_scores_higher():
    assert _pair(waiting_days=60).score > _pair(waiting_days=0).score


def test_scores_stay_in_unit_interval():
    best = _pair(interests=["hiking", "jazz"], waiting_days=1000)
    assert 0 <= best.score <= 1
    assert best.explanation["parts"]["waiting"]["value"] == 1.0
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("vocabulary", [30, 150])  # one 64-bit word per person, and three
def test_shared_interests_are_a_jaccard_index_however_many_interests(vocabulary):
    rng = random.Random(vocabulary)
    words = [f"topic{i}" for i in range(vocabulary)]
    def some():
        return rng.sample(words, rng.randint(0, 12))

    people = [person(f"c{i}", "coventry", interests=some()) for i in range(8)]
    people += [person(f"d{i}", "dresden", ("de",), ("en",), interests=some()) for i in range(8)]
    people_sorted, _, cand, _ = candidate_graph(instance_from_dict(instance(people)))
    values = scoring.parts(cand, scoring.People(people_sorted), tandem=True)
    assert len(cand.u) == 64
    for e in range(len(cand.u)):
        a = set(people_sorted[cand.u[e]].interests)
        b = set(people_sorted[cand.v[e]].interests)
        want = len(a & b) / len(a | b) if a | b else 0.0
        assert values["interests"][e] == pytest.approx(want)


def test_weights_computed_chunk_by_chunk_equal_the_whole_computation(monkeypatch):
    rng = random.Random(7)
    hobbies = ["hiking", "jazz", "chess", "films", "cooking"]
    people = [
        person(f"c{i}", "coventry", interests=rng.sample(hobbies, 2),
               waiting_days=rng.randint(0, 90))
        for i in range(9)
    ] + [
        person(f"d{i}", "dresden", ("de",), ("en",), interests=rng.sample(hobbies, 3),
               waiting_days=rng.randint(0, 90))
        for i in range(9)
    ]
    people_sorted, _, cand, whole = candidate_graph(instance_from_dict(instance(people)))
    assert len(cand.u) == 81
    values = scoring.parts(cand, scoring.People(people_sorted), tandem=True)
    expected = [round(sum(WEIGHTS[k] * values[k][e] for k in WEIGHTS) * SCALE)
                for e in range(len(cand.u))]
    assert whole.tolist() == expected
    assert len(set(expected)) > 5  # the weights really differ from edge to edge
    monkeypatch.setattr(scoring, "_CHUNK", 7)  # 81 edges: 11 full chunks and a partial one
    chunked = scoring.integer_weights(cand, scoring.People(people_sorted), tandem=True)
    assert chunked.tolist() == expected


def test_explanations_come_from_the_chosen_edges_only():
    hobbies = ["hiking", "jazz", "chess"]
    people = [person(f"c{i}", "coventry", interests=hobbies[: i + 1], waiting_days=10 * i)
              for i in range(3)]
    people += [person(f"d{i}", "dresden", ("de",), ("en",), interests=hobbies[i:],
                      waiting_days=5 * i) for i in range(3)]
    result = solve(instance_from_dict(instance(people)))
    assert len(result.pairs) == 3
    for pair in result.pairs:
        a = next(p for p in people if p["id"] == pair.a)
        b = next(p for p in people if p["id"] == pair.b)
        shared = set(a["interests"]) & set(b["interests"])
        union = set(a["interests"]) | set(b["interests"])
        e = pair.explanation
        assert e["shared_interests"] == sorted(shared)
        assert e["parts"]["interests"]["value"] == pytest.approx(len(shared) / len(union),
                                                                  abs=1e-4)
        assert e["waiting_days"] == {a["id"]: a["waiting_days"], b["id"]: b["waiting_days"]}
        total = sum(part["contribution"] for part in e["parts"].values())
        assert pair.score == pytest.approx(total, abs=2e-4)
