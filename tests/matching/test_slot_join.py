"""The start-hour join of candidate generation (matching/slot_join.py): the candidate
edges and every fact behind them are the same with the join as with the cross product,
on the populations it is for and on the ones it is not, and it is taken where it pays."""

from dataclasses import fields

import numpy as np
import pytest

from benchmarks.douzelage import douzelage_instance
from benchmarks.matching import synthetic_instance
from matching import candidate_graph, instance_from_dict, slot_join


def _graphs(data, monkeypatch):
    """Candidates and weights with the join never taken, then always taken."""
    instance = instance_from_dict(data)
    out = []
    for share in (0.0, float("inf")):
        monkeypatch.setattr(slot_join, "JOIN_SHARE", share)
        _, _, cand, weights = candidate_graph(instance)
        out.append((cand, weights))
    return out


def _same(a, b):
    assert len(a[1]) > 0
    for f in fields(a[0]):
        assert np.array_equal(getattr(a[0], f.name), getattr(b[0], f.name)), f.name
    assert np.array_equal(a[1], b[1])


@pytest.mark.parametrize(("n", "seed"), [(27, 1), (600, 2), (3000, 3)])
def test_douzelage_candidates_are_the_same_with_the_join(n, seed, monkeypatch):
    _same(*_graphs(douzelage_instance(n, seed=seed), monkeypatch))


@pytest.mark.parametrize(("kind", "seed"), [("tandem", 1), ("classroom", 2), ("citizen", 3)])
def test_realistic_candidates_are_the_same_with_the_join(kind, seed, monkeypatch):
    # Many windows a week each, many zones (week classes, clock changes): the join has
    # to find exactly the pairs the cross product finds.
    _same(*_graphs(synthetic_instance(1500, seed, kind=kind), monkeypatch))


def test_the_join_is_taken_for_douzelage_and_not_everywhere_for_wide_availability():
    # Chosen per twinning by the pairs it would expand.
    calls = []
    real = slot_join.joined_members

    def spy(index, x, y):
        got = real(index, x, y)
        calls.append(got is not None)
        return got

    slot_join.joined_members = spy
    try:
        candidate_graph(instance_from_dict(douzelage_instance(3000, seed=1)))
        assert calls and all(calls)
        calls.clear()
        candidate_graph(instance_from_dict(synthetic_instance(1500, 1, kind="tandem")))
        assert calls and not all(calls)
    finally:
        slot_join.joined_members = real


def test_a_pair_sharing_several_hours_is_joined_once():
    # Start hours 3 and 70 for x, 3, 70 and 150 for y: one pair, at hour 3.
    words = np.zeros((2, 3), dtype=np.uint64)
    for person, hours in ((0, (3, 70)), (1, (3, 70, 150))):
        for h in hours:
            words[person, h // 64] |= np.uint64(1) << np.uint64(h % 64)
    index = slot_join.StartIndex(words, np.array([0, 1]))
    slot_join_share = slot_join.JOIN_SHARE
    try:
        slot_join.JOIN_SHARE = float("inf")
        xi, yi = slot_join.joined_members(index, index.side(np.array([0])),
                                          index.side(np.array([1])))
    finally:
        slot_join.JOIN_SHARE = slot_join_share
    assert (xi.tolist(), yi.tolist()) == ([0], [1])
