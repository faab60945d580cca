"""People in cells of equal (city, group, availability profile), and the cell pairs of a
twinning: candidates.py decides languages and age per group pair and availability per
profile pair, so only compatible cells are expanded into their members' cross product."""

from __future__ import annotations

import numpy as np

from . import slot_join
from .ragged import ragged


class Cells:
    """Participants who take part, in cells of equal (city, group, availability profile).

    Everything a pair needs is decided per cell pair (languages and age by the groups,
    availability by the profiles), so only compatible cell pairs are expanded into their
    members' cross product. Cells are built once for all twinnings: a city's cells are
    contiguous, sorted by group (its cells of one group form a run) then profile."""

    def __init__(self, city_idx, group, profile_of, takes_part, n_cities: int):
        n = len(city_idx)
        tp = np.flatnonzero(takes_part)
        order = tp[np.lexsort((profile_of[tp], group[tp], city_idx[tp]))]
        c, g = city_idx[order], group[order]
        fresh = np.ones(len(order), dtype=bool)
        fresh[1:] = (c[1:] != c[:-1]) | (g[1:] != g[:-1]) | (
            profile_of[order[1:]] != profile_of[order[:-1]])
        self.start = np.flatnonzero(fresh)
        self.count = np.diff(np.append(self.start, len(order)))
        # member pairs are counted in millions: halve their index arrays
        self.members = order.astype(np.int32) if n < 2**31 else order
        self.profile = profile_of[order[self.start]]
        city = c[self.start]
        self.city_start = np.searchsorted(city, np.arange(n_cities + 1))
        # Runs: a city's cells of one group.
        new_run = np.ones(len(self.start), dtype=bool)
        new_run[1:] = (city[1:] != city[:-1]) | (g[self.start[1:]] != g[self.start[:-1]])
        self.run_first = np.flatnonzero(new_run)
        self.run_cells = np.diff(np.append(self.run_first, len(self.start)))
        self.run_key = g[self.start[self.run_first]]
        self.run_of = np.cumsum(new_run) - 1
        self.city_run = np.searchsorted(city[self.run_first], np.arange(n_cities + 1))


def cell_pairs(cells: Cells, x: int, y: int, gx, gy, starts):
    """Cell pairs of twinning (x, y) in compatible group pairs (gx[i], gy[i]), and the
    index i of each one's group pair: joined on shared start hours or start slots,
    whichever expands fewer pairs, when that is few (slot_join.py); else every cell pair
    of each group pair."""
    rx0, ry0 = cells.city_run[x], cells.city_run[y]
    if starts:
        xs = np.arange(cells.city_start[x], cells.city_start[x + 1])
        ys = np.arange(cells.city_start[y], cells.city_start[y + 1])
        # Each index's two sides are kept: the one chosen is joined from them.
        sides = [(index, index.side(xs), index.side(ys)) for index in starts]
        index, x_side, y_side = min(sides, key=lambda s: slot_join.join_size(s[1], s[2]))
        joined = slot_join.joined_members(index, x_side, y_side)
        if joined is not None:
            cx, cy = joined
            table = np.full((cells.city_run[x + 1] - rx0, cells.city_run[y + 1] - ry0), -1,
                            dtype=np.int64)
            table[gx, gy] = np.arange(len(gx))
            k = table[cells.run_of[cx] - rx0, cells.run_of[cy] - ry0]
            keep = k >= 0
            return cx[keep], cy[keep], k[keep]
    rx, ry = rx0 + gx, ry0 + gy
    return _cross(cells.run_first[rx], cells.run_cells[rx],
                  cells.run_first[ry], cells.run_cells[ry])


def members(cells: Cells, cx, cy):
    """Member pairs of cell pairs (cx[i], cy[i]): (x member, y member, i)."""
    a, b, k = _cross(cells.start[cx], cells.count[cx], cells.start[cy], cells.count[cy])
    return cells.members[a], cells.members[b], k


def _cross(first_x, n_x, first_y, n_y):
    """The cross products of ranges [first_x[i], first_x[i] + n_x[i]) and likewise y:
    (x position, y position, i) per pair."""
    k, within = ragged(n_x * n_y)
    row, col = np.divmod(within, n_y[k])  # one pass for both
    row += first_x[k]
    col += first_y[k]
    return row, col, k
