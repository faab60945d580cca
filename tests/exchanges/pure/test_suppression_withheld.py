"""Cells and totals withheld before the small-count rule (one part's own figures would
give the rest away): hidden as complementary, and protected like any hidden cell."""

import pytest

from exchanges.pure.suppression import (
    COMPLEMENTARY,
    SMALL,
    People,
    Withheld,
    combined_gives_away,
    complement_gives_away,
    suppress,
)
from tests.exchanges.pure.test_suppression import _algebra_attack, _subtraction_attack


@pytest.mark.parametrize(("whole", "parts", "gives_away"), [
    (12, [9], True),        # the other parts count 3
    (12, [9, 3], True),     # each part's viewer knows their own: 12 - 9 = 3
    (13, [8, 5], False),    # 5 and 8 beside them
    (12, [12], False),      # one part alone: the rest is nobody
    (12, [0, 12], False),   # a part with nothing says nothing
    (12, [], False),
    (3, [], False),         # a small count alone is the small-count rule's, not this one's
    (9, [6, 5], True),      # a person in both parts: 9 - 6 = 3 whatever the parts sum to
    (4, [6], True),         # counted otherwise than the whole: nothing sure, withheld
    (0, [0], False),
])
def test_a_whole_gives_a_part_away_when_its_complement_is_1_to_4_or_negative(
    whole, parts, gives_away
):
    assert complement_gives_away(whole, parts) is gives_away


@pytest.mark.parametrize(("whole", "combined", "gives_away"), [
    (16, [13], True),       # 6 + 7 seen by one officer: the other programs count 3
    (18, [13], False),      # 5 beside them
    (13, [13], False),      # nobody else
    (11, [13], False),      # two of the officer's people in both programs: nothing sure
    (16, [], False),
    (16, [10, 13], True),   # one officer of several is enough
])
def test_a_whole_gives_away_what_one_viewer_of_several_parts_subtracts_to_1_to_4(
    whole, combined, gives_away
):
    assert combined_gives_away(whole, combined) is gives_away


def test_the_floor_is_the_threshold():
    assert complement_gives_away(16, [10], threshold=7) is True
    assert complement_gives_away(17, [10], threshold=7) is False


def test_a_withheld_cell_is_hidden_and_cannot_be_recovered_from_the_totals():
    cells = [[12, 30, 25], [40, 20, 35]]
    table = suppress(cells, withheld=Withheld(cells={(0, 0)}))
    assert table.hidden[0][0] == COMPLEMENTARY
    assert table.cell(0, 0) is None
    # Its row and column hide another cell each, as for a small count.
    assert sum(h is not None for h in table.hidden[0]) >= 2
    assert sum(table.hidden[i][0] is not None for i in range(2)) >= 2
    assert _subtraction_attack(table) == {}
    assert _algebra_attack(table) == set()
    # The totals give nothing away, so they stay.
    assert table.row_total(0) == 67 and table.col_total(0) == 52 and table.grand() == 162


def test_without_withheld_the_same_table_is_published_whole():
    table = suppress([[12, 30, 25], [40, 20, 35]])
    assert all(h is None for row in table.hidden for h in row)


def test_a_withheld_small_cell_stays_small():
    table = suppress([[3, 30], [40, 20]], withheld=Withheld(cells={(0, 0)}))
    assert table.hidden[0][0] == SMALL


def test_withheld_totals_are_not_published_and_their_cells_stay_protected():
    cells = [[12, 30, 25], [40, 20, 35]]
    table = suppress(cells, withheld=Withheld(
        cells={(1, 1)}, row_totals={0}, col_totals={2}, grand_total=True))
    assert table.row_total(0) is None and table.col_total(2) is None and table.grand() is None
    assert table.row_total(1) == 95 and table.col_total(0) == 52
    assert table.hidden[1][1] == COMPLEMENTARY
    assert _subtraction_attack(table) == {}
    assert _algebra_attack(table) == set()


def test_withheld_cells_count_with_those_resting_on_few_people():
    # Sessions held: the first cell rests on 3 people, the second is withheld.
    table = suppress(
        [[7, 9, 30], [20, 25, 40]],
        people=People(cells=[[3, 10, 12], [10, 10, 10]], row_totals=[25, 30],
                      col_totals=[13, 20, 22], grand_total=55),
        withheld=Withheld(cells={(0, 1)}),
    )
    assert (table.hidden[0][0], table.hidden[0][1]) == (SMALL, COMPLEMENTARY)
    assert _subtraction_attack(table) == {}
    assert _algebra_attack(table) == set()


def test_a_withheld_cell_outside_the_table_is_refused():
    with pytest.raises(ValueError, match="outside the table"):
        suppress([[12, 30]], withheld=Withheld(cells={(1, 0)}))
    with pytest.raises(ValueError, match="outside the table"):
        suppress([[12, 30]], withheld=Withheld(col_totals={2}))
