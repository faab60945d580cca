"""Small-count suppression for published tables, with complementary suppression.

A table is a grid of counts (rows × columns) published with its row totals, column
totals and grand total. Any count from 1 to ``threshold - 1`` (1–4) is hidden ("small"),
totals included. Then enough other cells are hidden ("complementary") that no hidden cell
can be worked out from what is published:

1. a row or column whose total is published and which hides exactly one cell hides its
   next smallest cell too (a non-zero one first; a zero only when nothing else is left),
   or, when the row has no other cell, its total is withheld;
2. what is left is checked as linear algebra: every published total is an equation over
   the hidden cells, and a hidden cell is recoverable when its unit vector lies in the
   span of those equations (no free direction of the solutions moves it). For such a
   cell the totals of its row and column, then the grand total, are withheld, and the
   check runs again.

Zero is published as 0: an empty cell reveals nobody. Cells and totals given as
``withheld`` (a figure of one part beside them would give the other parts' small count
away: ``complement_gives_away``; so would several parts' figures that one viewer sees
together: ``combined_gives_away``) are hidden (or withheld) before the two rules, which
protect them as they protect a small count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SMALL = "small"
COMPLEMENTARY = "complementary"
_EPS = 1e-9


@dataclass(frozen=True)
class Suppressed:
    """What to publish: ``hidden[i][j]`` is None (published), SMALL or COMPLEMENTARY;
    a total is published when its flag is True."""

    cells: tuple[tuple[int, ...], ...]
    hidden: tuple[tuple[str | None, ...], ...]
    row_totals: tuple[int, ...]
    col_totals: tuple[int, ...]
    grand_total: int
    row_published: tuple[bool, ...]
    col_published: tuple[bool, ...]
    grand_published: bool

    def cell(self, i: int, j: int) -> int | None:
        return None if self.hidden[i][j] else self.cells[i][j]

    def row_total(self, i: int) -> int | None:
        return self.row_totals[i] if self.row_published[i] else None

    def col_total(self, j: int) -> int | None:
        return self.col_totals[j] if self.col_published[j] else None

    def grand(self) -> int | None:
        return self.grand_total if self.grand_published else None


def is_small(value: int, threshold: int = 5) -> bool:
    return 1 <= value < threshold


def fewest_people(pairs: int) -> int:
    """The fewest people ``pairs`` different pairs can be among: n people make at most
    n(n-1)/2 pairs, and a person may be in several (a citizen takes up to 3 partners, a
    pupil is paired more than once), so 3 pairs may be 3 people, 4 to 6 pairs 4, and only
    7 or more are sure to be 5. The count of people a rule over pairs rests on, whoever
    the pairs' people are: it holds after their data is deleted, so past figures do not
    change when it is."""
    people = 0
    while people * (people - 1) // 2 < pairs:
        people += 1
    return people


@dataclass(frozen=True)
class People:
    """The people each cell and total of a table rests on, when its figure counts
    something else (sessions held by them): a cell or total resting on 1 to 4 people is
    hidden as a small count would be, whatever its own value."""

    cells: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    grand_total: int


@dataclass(frozen=True)
class Withheld:
    """Cells ``(row, column)`` and totals to hide whatever their value, for a reason
    outside the table: ``suppress`` hides such a cell as COMPLEMENTARY (SMALL when it is
    small) and such a total as withheld, then keeps them from being worked out."""

    cells: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset()
    row_totals: frozenset[int] | set[int] = frozenset()
    col_totals: frozenset[int] | set[int] = frozenset()
    grand_total: bool = False


def complement_gives_away(whole: int, parts, threshold: int = 5) -> bool:
    """Whether ``whole`` (a count over several parts, e.g. programs) may not be published
    beside ``parts`` (each part's own figure for the same scope, which that part's
    viewers see): for a part with any, ``whole - part`` is what all the others count,
    so it must be 0 or at least ``threshold``. Negative means the two count otherwise
    than each other: nothing is sure, so it is withheld too. A person in two parts
    counts in each part's figure once and in the whole once: the complement is still
    ``whole - part``, never the other parts' sum."""
    return any(part and whole - part != 0 and whole - part < threshold for part in parts)


def combined_gives_away(whole: int, combined, threshold: int = 5) -> bool:
    """Whether ``whole`` may not be published beside ``combined``: the sums of the parts
    that one viewer sees together (an officer of several programs). ``whole`` less such a
    sum is the other parts' count less the people counted in two of the viewer's parts;
    from 1 to ``threshold - 1`` it is that small count whenever nobody is in two (the
    viewer may know), so it is withheld. Zero or less says nothing sure: a person in two
    of the viewer's parts counts twice in the sum and once in the whole."""
    return any(0 < whole - total < threshold for total in combined)


def _equations(hidden, row_pub, col_pub, grand_pub) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The hidden cells (in order) and one equation row per published total."""
    import numpy as np  # loaded when a table is checked, not by every page or command
    unknowns = [(i, j) for i, row in enumerate(hidden) for j, h in enumerate(row) if h]
    equations = []
    for i, published in enumerate(row_pub):
        if published:
            equations.append([1.0 if cell[0] == i else 0.0 for cell in unknowns])
    for j, published in enumerate(col_pub):
        if published:
            equations.append([1.0 if cell[1] == j else 0.0 for cell in unknowns])
    if grand_pub:
        equations.append([1.0] * len(unknowns))
    return unknowns, np.array(equations, dtype=float).reshape(len(equations), len(unknowns))


def recoverable_cells(hidden, row_pub, col_pub, grand_pub) -> list[tuple[int, int]]:
    """The hidden cells that the published totals determine exactly."""
    import numpy as np  # loaded when a table is checked, not by every page or command

    unknowns, matrix = _equations(hidden, row_pub, col_pub, grand_pub)
    if not unknowns or matrix.shape[0] == 0:
        return []
    # Solutions differ by vectors of the null space; a cell none of them moves is fixed.
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > _EPS).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        return list(unknowns)
    moved = np.abs(null_space).max(axis=0)
    return [cell for cell, spread in zip(unknowns, moved, strict=True) if spread < _EPS]


def _complement(line: list[tuple[int, int]], cells, hidden) -> tuple[int, int] | None:
    """The next smallest published cell of a line: non-zero first, then a zero."""
    candidates = [(i, j) for i, j in line if not hidden[i][j]]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (cells[c[0]][c[1]] == 0, cells[c[0]][c[1]], c))


def suppress(
    cells: list[list[int]],
    *,
    threshold: int = 5,
    row_totals: list[int] | None = None,
    col_totals: list[int] | None = None,
    grand_total: int | None = None,
    people: People | None = None,
    withheld: Withheld | None = None,
) -> Suppressed:
    """Hide small counts and their complements. Totals default to the sums; pass them
    when they are not sums (distinct people counted once across years). With ``people``,
    what rests on 1 to 4 people is small too; with ``withheld``, its cells are hidden
    and its totals withheld from the start."""
    n_rows = len(cells)
    # A table without rows still has its columns (years with nothing yet).
    n_cols = len(cells[0]) if cells else len(col_totals or [])
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row needs the same number of cells")
    if any(value < 0 for row in cells for value in row):
        raise ValueError("counts cannot be negative")
    row_totals = list(row_totals) if row_totals is not None else [sum(r) for r in cells]
    col_totals = list(col_totals) if col_totals is not None else [
        sum(cells[i][j] for i in range(n_rows)) for j in range(n_cols)
    ]
    grand = grand_total if grand_total is not None else sum(row_totals)
    hidden: list[list[str | None]] = [
        [SMALL if is_small(v, threshold) else None for v in row] for row in cells
    ]
    row_pub = [not is_small(t, threshold) for t in row_totals]
    col_pub = [not is_small(t, threshold) for t in col_totals]
    grand_pub = not is_small(grand, threshold)
    if people is not None:  # zero is still published: nothing rests on anyone
        for i, row in enumerate(people.cells):
            for j, n in enumerate(row):
                if cells[i][j] and is_small(n, threshold):
                    hidden[i][j] = SMALL
        row_pub = [p and not (t and is_small(n, threshold))
                   for p, t, n in zip(row_pub, row_totals, people.row_totals, strict=True)]
        col_pub = [p and not (t and is_small(n, threshold))
                   for p, t, n in zip(col_pub, col_totals, people.col_totals, strict=True)]
        grand_pub = grand_pub and not (grand and is_small(people.grand_total, threshold))
    if withheld is not None:
        _withhold(withheld, hidden, row_pub, col_pub)
        grand_pub = grand_pub and not withheld.grand_total
    lines = [("row", i, [(i, j) for j in range(n_cols)]) for i in range(n_rows)] + [
        ("col", j, [(i, j) for i in range(n_rows)]) for j in range(n_cols)
    ]
    while True:
        changed = False
        for kind, index, line in lines:
            published = row_pub if kind == "row" else col_pub
            if not published[index]:
                continue
            if sum(1 for i, j in line if hidden[i][j]) != 1:
                continue
            extra = _complement(line, cells, hidden)
            if extra is None:
                published[index] = False
            else:
                hidden[extra[0]][extra[1]] = COMPLEMENTARY
            changed = True
        if changed:
            continue
        exposed = recoverable_cells(hidden, row_pub, col_pub, grand_pub)
        if not exposed:
            break
        i, j = exposed[0]
        if row_pub[i] or col_pub[j]:
            row_pub[i] = col_pub[j] = False
        else:
            grand_pub = False
    return Suppressed(
        cells=tuple(tuple(row) for row in cells),
        hidden=tuple(tuple(row) for row in hidden),
        row_totals=tuple(row_totals),
        col_totals=tuple(col_totals),
        grand_total=grand,
        row_published=tuple(row_pub),
        col_published=tuple(col_pub),
        grand_published=grand_pub,
    )


def _withhold(withheld: Withheld, hidden, row_pub: list[bool], col_pub: list[bool]) -> None:
    """Hide ``withheld``'s cells (a small one stays SMALL) and unpublish its totals."""
    n_rows, n_cols = len(row_pub), len(col_pub)
    if any(not (0 <= i < n_rows and 0 <= j < n_cols) for i, j in withheld.cells) or any(
            not 0 <= i < n_rows for i in withheld.row_totals) or any(
            not 0 <= j < n_cols for j in withheld.col_totals):
        raise ValueError("a withheld cell or total is outside the table")
    for i, j in withheld.cells:
        hidden[i][j] = hidden[i][j] or COMPLEMENTARY
    for i in withheld.row_totals:
        row_pub[i] = False
    for j in withheld.col_totals:
        col_pub[j] = False


def hide_like(pattern: Suppressed, cells: list[list[int]]) -> Suppressed:
    """``cells`` (a figure derived from the same people, e.g. contact hours beside
    sessions held) hidden where ``pattern`` hides, with the same totals withheld."""
    return Suppressed(
        cells=tuple(tuple(row) for row in cells),
        hidden=pattern.hidden,
        row_totals=tuple(sum(row) for row in cells),
        col_totals=tuple(sum(row[j] for row in cells) for j in range(len(pattern.col_published))),
        grand_total=sum(sum(row) for row in cells),
        row_published=pattern.row_published,
        col_published=pattern.col_published,
        grand_published=pattern.grand_published,
    )


def suppress_line(cells: list[int], *, also_hidden: list[bool] | None = None,
                  threshold: int = 5) -> list[str | None]:
    """One line of counts whose sum is known (``suppress`` on a single column, without
    its linear algebra, for lines of thousands): small counts hidden, and cells in
    ``also_hidden`` (hidden for a reason outside the line) as COMPLEMENTARY. One equation
    determines a hidden cell only when no other is hidden, so rule 1 is all of it: a
    line that hides exactly one cell hides its next smallest too."""
    hidden: list[list[str | None]] = [
        [SMALL if is_small(v, threshold) else (COMPLEMENTARY if also else None)]
        for v, also in zip(cells, also_hidden or [False] * len(cells), strict=True)
    ]
    grid = [[v] for v in cells]
    if sum(1 for (h,) in hidden if h) == 1:
        extra = _complement([(i, 0) for i in range(len(cells))], grid, hidden)
        if extra is not None:
            hidden[extra[0]][0] = COMPLEMENTARY
    return [h for (h,) in hidden]


def linked_complements(cells: list[int], equations: list[dict[int, int]],
                       hidden: list[bool], small: list[bool]) -> list[int]:
    """The cells to hide beside ``hidden`` so that no ``small`` one (a count of 1 to 4,
    hidden) can be worked out from the shown ones through ``equations``, for figures tied
    otherwise than by sums (a twinning's people are its two cities' people). Each
    equation is ``{index: coefficient}`` with Σ coefficient × value = 0; an index from
    ``len(cells)`` on is a quantity never shown. While a small cell is determined, the
    smallest shown cell (non-zero first) in an equation with it is hidden too. A cell
    hidden for another reason (its row's other count) may be determined: it is no
    small count."""
    import numpy as np  # loaded when a table is checked, not by every page or command

    hidden = list(hidden)
    extra: list[int] = []
    unseen = sorted({i for equation in equations for i in equation if i >= len(cells)})
    if not equations:
        return extra
    # One matrix of every cell; a round takes the columns of what is not shown.
    matrix = np.zeros((len(equations), max(len(cells), unseen[-1] + 1 if unseen else 0)))
    for row, equation in enumerate(equations):
        for i, coefficient in equation.items():
            matrix[row, i] = coefficient
    while True:
        unknowns = [i for i, h in enumerate(hidden) if h] + unseen
        if not unknowns:
            return extra
        fixed = [i for i in _determined(matrix[:, unknowns], unknowns)
                 if i < len(cells) and small[i]]
        if not fixed:
            return extra
        # Beside a determined cell, else anywhere its equations reach through hidden ones.
        beside = _shown_in(equations, fixed, cells, hidden) or _shown_in(
            equations, [i for i in unknowns if i < len(cells)], cells, hidden)
        if not beside:
            return extra
        chosen = min(beside, key=lambda j: (cells[j] == 0, cells[j], j))
        hidden[chosen] = True
        extra.append(chosen)


def _determined(matrix, unknowns: list[int]) -> list[int]:
    """The unknowns whose value the equations fix: those whose unit vector lies in the
    row space (its orthonormal basis from the thin SVD, which the full one's null space
    costs ten times more to get)."""
    import numpy as np

    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[: int((singular > _EPS).sum())]
    free = 1.0 - (basis ** 2).sum(axis=0)
    return [i for i, left in zip(unknowns, free, strict=True) if left < _EPS]


def _shown_in(equations, among: list[int], cells, hidden) -> list[int]:
    return [j for equation in equations if any(equation.get(i) for i in among)
            for j in equation if j < len(cells) and not hidden[j] and equation[j]]
