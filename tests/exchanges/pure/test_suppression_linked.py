"""Complements for counts tied by equations other than sums (linked_complements)."""

import pytest

from benchmarks.suppression_linked import clique, worked_out
from exchanges.pure.suppression import linked_complements

# Cells: 0 totals, 1-2 cities of twinning 3, 4-5 cities of twinning 6.
TIES = [{0: 1, 1: -1, 2: -1, 4: -1, 5: -1}, {3: 1, 1: -1, 2: -1}, {6: 1, 4: -1, 5: -1}]


def test_a_small_city_given_away_by_its_twinning_gets_a_complement_in_the_twinning():
    cells = [103, 3, 50, 53, 10, 40, 50]
    hidden = [False, True, False, False, True, False, False]
    extra = linked_complements(cells, TIES, hidden, [c and 1 <= v <= 4
                                                     for c, v in zip(hidden, cells,
                                                                     strict=True)])
    # 3 = 53 - 50 (twinning less the other city): that city goes, whatever else the
    # smallest-first choice hides on the way (here first 40, from the totals' tie).
    assert 2 in extra
    assert linked_complements(cells, TIES, [h or i in extra for i, h in enumerate(hidden)],
                              [i == 1 for i in range(7)]) == []


def test_a_hidden_count_that_is_not_small_may_beworked_out():
    cells = [103, 30, 50, 80, 10, 40, 50]
    hidden = [False, False, False, False, True, False, False]
    assert linked_complements(cells, TIES, hidden, [False] * 7) == []


def test_an_unseen_share_keeps_a_city_in_two_twinnings_apart():
    # A twinning's share of a city's people (index 7) is never shown: 3 is not 8 - 5.
    ties = [{0: 1, 1: -1, 2: -1}, {3: 1, 1: -1, 7: -1}]
    cells = [8, 3, 5, 8]
    hidden = [False, True, False, False]
    # Only the totals give it away (8 - 5), so the other city goes.
    assert linked_complements(cells, ties, hidden, hidden) == [2]


@pytest.mark.parametrize("towns", [8, 20])
def test_no_small_town_can_be_worked_out_once_its_complements_are_hidden(towns):
    for seed in range(3):
        cells, equations, small = clique(towns, seed)
        assert any(small)
        extra = linked_complements(cells, equations, list(small), small)
        hidden = [s or i in extra for i, s in enumerate(small)]
        assert [i for i in worked_out(cells, equations, hidden) if small[i]] == []
        # Without the complements the twinnings give the small towns away.
        assert [i for i in worked_out(cells, equations, small) if small[i]]
