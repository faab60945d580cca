"""The repair's LP kept alive between rounds: one HiGHS model to which priced edges (columns)
and blossom cuts (rows) are added, each solve warm-started from the last basis (the dual
simplex after a few added cuts takes milliseconds where a cold solve of the same LP takes a
tenth of a second). The HiGHS class is SciPy's own binding (the one `linprog` drives);
without it `CutLP.available()` is False and the repair leaves the component to the caller.

The duals it returns only need to be non-negative to give a valid bound (repair.py, 2.), so
a solve that stops early or drifts numerically can cost tightness, never exactness.
"""

from __future__ import annotations

import numpy as np

try:
    from scipy.optimize._highspy import _core as _highs
except ImportError:  # another SciPy layout: the repair is skipped, the LP path stays exact
    _highs = None

_INF = 1e30


class CutLP:
    """max cost.x subject to x(d(v)) <= b_v, blossom rows, 0 <= x <= 1, and optionally
    sum x = k, over the columns added so far."""

    @staticmethod
    def available() -> bool:
        return _highs is not None

    def __init__(self, n: int, b: np.ndarray, u: np.ndarray, v: np.ndarray):
        self.n, self.u, self.v = n, u, v
        self.h = _highs._Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.addRows(n, np.full(n, -_INF), b.astype(np.float64), 0,
                       np.zeros(n, dtype=np.int32), np.zeros(0, dtype=np.int32),
                       np.zeros(0))
        self.cols = np.zeros(0, dtype=np.int64)  # edge id of each column
        self.insides: list[np.ndarray] = []  # each cut's S as a vertex mask
        self.cut_rows: list[int] = []  # each cut's row
        self.k_row = -1

    def add_edges(self, eids: np.ndarray, cost: np.ndarray) -> None:
        """New columns for the edges eids (none already in), with their cut rows (a new
        edge is never in a cut's F: F is drawn from the columns present at the time)."""
        if len(eids) == 0:
            return
        cu, cv = self.u[eids], self.v[eids]
        rows = [[a, c] for a, c in zip(cu.tolist(), cv.tolist(), strict=True)]
        for row, inside in zip(self.cut_rows, self.insides, strict=True):
            for j in np.flatnonzero(inside[cu] & inside[cv]).tolist():
                rows[j].append(row)
        if self.k_row >= 0:
            for r in rows:
                r.append(self.k_row)
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]]).astype(np.int32)
        index = np.array([i for r in rows for i in r], dtype=np.int32)
        self.h.addCols(len(eids), cost[eids].astype(np.float64) * -1.0, np.zeros(len(eids)),
                       np.ones(len(eids)), len(index), starts, index, np.ones(len(index)))
        self.cols = np.concatenate([self.cols, eids])

    def add_cuts(self, cuts) -> None:
        """Rows x(E(S)) + x(F) <= rhs for cuts (S, F edge ids, rhs[, the row's edge ids
        among all edges: E(S) then F]); F among the columns."""
        if not cuts:
            return
        pos = np.full(len(self.u), -1)
        pos[self.cols] = np.arange(len(self.cols))
        cu, cv = self.u[self.cols], self.v[self.cols]
        starts, index = [], []
        for cut in cuts:
            s, f = cut[0], cut[1]
            inside = np.zeros(self.n, dtype=bool)
            inside[s] = True
            self.insides.append(inside)
            if len(cut) > 3:  # the row's edges given: no pass over every column
                e = pos[cut[3]]
            else:
                e = np.concatenate([np.flatnonzero(inside[cu] & inside[cv]), pos[f]])
            starts.append(len(index))
            index.extend(e[e >= 0].tolist())
        first = self.h.getNumRow()
        self.cut_rows += range(first, first + len(cuts))
        rhs = np.array([float(c[2]) for c in cuts])
        self.h.addRows(len(cuts), np.full(len(cuts), -_INF), rhs, len(index),
                       np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                       np.ones(len(index)))

    def drop_cuts(self, idle: np.ndarray) -> np.ndarray:
        """Delete the rows of the cuts marked in `idle` whose slack is basic, so the basis
        stays valid and the last solve stays optimal for the smaller LP; returns the mask
        (over the cuts before) of those deleted."""
        gone = np.zeros(len(self.cut_rows), dtype=bool)
        if not idle.any():
            return gone
        status = self.h.getBasis().row_status
        basic = _highs.HighsBasisStatus.kBasic
        rows = np.array(self.cut_rows, dtype=np.int64)
        gone = idle & np.array([status[r] == basic for r in self.cut_rows], dtype=bool)
        if not gone.any():
            return gone
        dead = rows[gone]
        self.h.deleteRows(len(dead), dead.astype(np.int32))
        # HiGHS closes the gaps: every later row moves down by the rows deleted before it.
        kept = rows[~gone]
        self.cut_rows = (kept - np.searchsorted(dead, kept)).tolist()
        if self.k_row >= 0:
            self.k_row -= int(np.searchsorted(dead, self.k_row))
        self.insides = [m for m, g in zip(self.insides, gone.tolist(), strict=True) if not g]
        return gone

    def fix_cardinality(self, k: int, cost: np.ndarray) -> None:
        """Add sum x = k and switch the objective to cost."""
        m = len(self.cols)
        self.k_row = self.h.getNumRow()
        self.h.addRows(1, np.array([float(k)]), np.array([float(k)]), m,
                       np.zeros(1, dtype=np.int32), np.arange(m, dtype=np.int32), np.ones(m))
        self.h.changeColsCost(m, np.arange(m, dtype=np.int32),
                              cost[self.cols].astype(np.float64) * -1.0)

    def solve(self):
        """(x over the columns, vertex duals, cut duals) with duals clipped at 0, or None
        if HiGHS finds no optimum."""
        # A warm start can stall on this degenerate LP (HiGHS then cycles): past an
        # iteration limit the basis is dropped and the same LP solved cold.
        size = self.h.getNumRow() + self.h.getNumCol()
        self.h.setOptionValue("simplex_iteration_limit", 2 * size + 1000)
        # and a stall that is no simplex iteration (seen too) is cut by time: HiGHS's
        # clock runs over the model's life.
        self.h.setOptionValue("time_limit", self.h.getRunTime() + 2.0 + size / 2000)
        self.h.run()
        if self.h.getModelStatus() != _highs.HighsModelStatus.kOptimal:
            self.h.clearSolver()
            self.h.setOptionValue("solver", "ipm")
            self.h.setOptionValue("time_limit", self.h.getRunTime() + 30.0 + size / 200)
            self.h.setOptionValue("simplex_iteration_limit", 2**31 - 1)
            self.h.run()
            self.h.setOptionValue("solver", "choose")
        if self.h.getModelStatus() != _highs.HighsModelStatus.kOptimal:
            return None
        sol = self.h.getSolution()
        x = np.clip(np.asarray(sol.col_value), 0.0, 1.0)
        dual = np.maximum(0.0, -np.asarray(sol.row_dual))
        return x, dual[: self.n], dual[np.array(self.cut_rows, dtype=np.int64)]
