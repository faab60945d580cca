"""Suppression: small counts hidden, and no hidden cell recoverable from what is published.

The attacker here knows every published cell and total and tries two ways to recover a
hidden one: subtraction (a row or column with one unknown left gives it away, repeated
until nothing more falls) and exact linear algebra over every published total.
"""

import itertools
import random

import numpy as np
import pytest

from exchanges.pure.suppression import (
    COMPLEMENTARY,
    SMALL,
    People,
    fewest_people,
    hide_like,
    is_small,
    recoverable_cells,
    suppress,
)


def _subtraction_attack(table) -> dict[tuple[int, int], int]:
    """Every hidden cell an attacker works out by repeated subtraction from totals."""
    n_rows, n_cols = len(table.cells), len(table.cells[0])
    known = {(i, j): table.cell(i, j) for i in range(n_rows) for j in range(n_cols)}
    lines = [(table.row_total(i), [(i, j) for j in range(n_cols)]) for i in range(n_rows)]
    lines += [(table.col_total(j), [(i, j) for i in range(n_rows)]) for j in range(n_cols)]
    lines.append((table.grand(), list(known)))
    recovered = {}
    progress = True
    while progress:
        progress = False
        for total, line in lines:
            if total is None:
                continue
            unknown = [cell for cell in line if known[cell] is None]
            if len(unknown) == 1:
                cell = unknown[0]
                known[cell] = total - sum(known[c] for c in line if c != cell)
                recovered[cell] = known[cell]
                progress = True
    return recovered


def _algebra_attack(table) -> set[tuple[int, int]]:
    """Hidden cells fixed by the published totals: e_k in the equations' row space."""
    n_rows, n_cols = len(table.cells), len(table.cells[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if table.cell(i, j) is None]
    equations = []
    for i in range(n_rows):
        if table.row_total(i) is not None:
            equations.append([1.0 if c[0] == i else 0.0 for c in unknowns])
    for j in range(n_cols):
        if table.col_total(j) is not None:
            equations.append([1.0 if c[1] == j else 0.0 for c in unknowns])
    if table.grand() is not None:
        equations.append([1.0] * len(unknowns))
    if not equations or not unknowns:
        return set()
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    fixed = set()
    for k, cell in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.add(cell)
    return fixed


def _check(cells):
    table = suppress(cells)
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 1 <= value <= 4:
                assert table.hidden[i][j] == SMALL
                assert table.cell(i, j) is None
            elif table.hidden[i][j] is None:
                assert table.cell(i, j) == value
    for i, total in enumerate(table.row_totals):
        if 1 <= total <= 4:
            assert table.row_total(i) is None
    for j, total in enumerate(table.col_totals):
        if 1 <= total <= 4:
            assert table.col_total(j) is None
    assert _subtraction_attack(table) == {}
    assert _algebra_attack(table) == set()
    return table


def test_a_single_small_cell_gets_a_complement_in_its_row_and_column():
    table = _check([[10, 3, 20], [12, 9, 30], [7, 15, 8]])
    assert table.hidden[0][1] == SMALL
    assert sum(h == COMPLEMENTARY for row in table.hidden for h in row) >= 3
    # The totals are published: the hidden cells are protected by each other.
    assert table.row_total(0) == 33 and table.grand() == 114


def test_the_complement_is_the_next_smallest_cell():
    table = _check([[3, 50, 6, 40], [20, 30, 25, 35]])
    assert table.hidden[0][2] == COMPLEMENTARY  # 6 is the row's next smallest


def test_a_row_with_nothing_else_withholds_its_total():
    table = _check([[2, 0], [30, 40]])
    assert table.cell(0, 0) is None
    assert table.row_total(0) is None


def test_small_totals_are_hidden_too():
    table = _check([[0, 1], [0, 0]])
    assert table.row_total(0) is None and table.col_total(1) is None and table.grand() is None


def test_zero_is_published():
    table = _check([[0, 0], [0, 12]])
    assert table.cell(0, 0) == 0 and table.cell(1, 1) == 12


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_cell_can_be_recovered_from_random_tables(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 7), rng.randint(1, 5)
    cells = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30, 120]) for _ in range(cols)]
        for _ in range(rows)
    ]
    _check(cells)


def test_every_small_pattern_of_a_2x3_table_is_safe():
    for values in itertools.product([0, 2, 7], repeat=6):
        _check([list(values[:3]), list(values[3:])])


def test_the_attacks_do_find_cells_in_a_naive_table():
    """The attackers are real: with only the small cells hidden they recover them."""
    naive = suppress([[10, 20]])  # nothing small: nothing hidden
    assert naive.hidden == ((None, None),)
    cells = [[10, 3, 20], [12, 9, 30]]
    table = suppress(cells)
    exposed = type(table)(
        cells=table.cells,
        hidden=((None, SMALL, None), (None, None, None)),
        row_totals=table.row_totals, col_totals=table.col_totals,
        grand_total=table.grand_total, row_published=(True, True),
        col_published=(True, True, True), grand_published=True,
    )
    assert _subtraction_attack(exposed) == {(0, 1): 3}
    assert _algebra_attack(exposed) == {(0, 1)}


def test_a_derived_figure_hides_where_its_pattern_hides():
    sessions = suppress([[10, 3, 20], [12, 9, 30], [7, 15, 8]])
    hours = hide_like(sessions, [[10, 3, 21], [12, 9, 30], [7, 15, 8]])
    assert hours.hidden == sessions.hidden
    assert _algebra_attack(hours) == set()


def test_ragged_or_negative_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])


def test_a_count_resting_on_1_to_4_people_is_hidden_as_small_with_its_complement():
    # Sessions held by twinning (rows) and year (columns): 7 sessions of one pair are no
    # small count, yet rest on 2 people; the column's total, published (8 people), would
    # give them back beside the other twinning's 6.
    people = People(cells=[[2, 0], [6, 0]], row_totals=[2, 6], col_totals=[8, 0],
                    grand_total=8)
    table = suppress([[7, 0], [6, 0]], people=people)
    assert table.hidden[0][0] == SMALL and table.row_total(0) is None
    assert table.hidden[1][0] == COMPLEMENTARY
    assert table.col_total(0) == 13
    assert _subtraction_attack(table) == {}
    assert recoverable_cells(table.hidden, table.row_published, table.col_published,
                             table.grand_published) == []


def test_fewest_people_are_those_whose_pairs_could_be_all_the_pairs():
    # n people make n(n-1)/2 pairs: 3 pairs may be 3 people, 4 to 6 pairs 4, 7 are 5.
    assert [fewest_people(n) for n in range(8)] == [0, 2, 3, 3, 4, 4, 4, 5]
    assert [n for n in range(1, 60) if is_small(fewest_people(n))] == list(range(1, 7))
