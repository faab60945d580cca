"""Exact lexicographic b-matching: most edges first, then the largest total integer weight.

Per connected component of the candidate graph:
1. Capacity-1 components: solve the fractional relaxation on the bipartite double cover
   (vertex v -> v_left, v_right; edge uv -> (u_l, v_r) and (v_l, u_r)) with SciPy's sparse
   LAPJV (min_weight_full_bipartite_matching) on the parts of its Dulmage-Mendelsohn
   decomposition (most edges: every assignment covers all its rows), with costs
   max(w) + 1 - w >= 1 (most weight; integers far below 2**53, so float sums are exact).
   x_uv = (y(u_l, v_r) + y(v_l, u_r)) / 2 is an optimal fractional matching. If it has no
   odd cycle of halves it rounds (even cycles either way, at equal value: both roundings
   stay optimal because moving along the cycle keeps the solution feasible in both
   directions) to an integral optimum of the relaxation, hence of the integer problem.
2. Components with a capacity > 1: one min-cost max-flow (ortools, C++) on the double cover
   with vertex supplies/demands b(v) and arc capacities 1 (so a pair is used at most once)
   gives an optimal fractional b-matching; its half-edges are rounded along Euler trails at
   equal value (proof in flow.flow_b_matching). A component whose half-edges contain a closed
   circuit of odd length (every vertex on it tight) cannot be rounded so and goes to 3.
   Where LEMON's matching is built, a component from _REPAIR_EDGES edges whose capacities
   can all be filled at once (saturated.py) goes to 3 without the flow: with an odd sum
   it is one of those (proof there), with an even sum it was on every instance measured.
3. Otherwise (odd cycles of halves), from _REPAIR_EDGES edges: where LEMON's matching is
   built, priced_blossom.py: LEMON's blossom algorithm on Tutte's reduction of a core of
   edges, certified for every other edge by its optimal dual (the proof is there). If it
   does not close, or without LEMON: repair.py, a sparse LP with
   blossom cuts priced against every edge gives a dual bound, and an exact search runs
   only on the edges whose reduced costs cannot rule them out (the proof is there). If it
   gives up, or below that size: linear programming with HiGHS on the whole component, two phases
   (phase 1 max cardinality k*, phase 2 max weight subject to cardinality = k*). Fractional
   optima get odd-set (blossom) cuts on the odd components of the fractional support; what
   stays fractional goes to HiGHS branch-and-cut (milp, mip_rel_gap = 0) with integrality.
A greedy pass is never the answer; tests compare the result against networkx and brute force.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from . import components, lemon_matching, priced_blossom, repair, saturated
from .decomposition import dm_sets
from .flow import flow_b_matching
from .records import SolveStats

_TOL = 1e-6
_CUT_ROUNDS = 25
# From this many edges a component with odd cycles of halves goes to priced_blossom.py and
# repair.py (priced LP, a search on the edges its duals leave free) before the whole LP.
_REPAIR_EDGES = 200


def solve(n: int, cap: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray,
          stats: SolveStats | None = None) -> np.ndarray:
    """Boolean mask of chosen edges. u, v: endpoint indices; w: non-negative int weights.
    Counts which path solved each component in `stats`."""
    stats = stats if stats is not None else SolveStats()
    chosen = np.zeros(len(u), dtype=bool)
    if len(u) == 0:
        return chosen
    comps = _Components.label(n, u, v)
    flow_done, twice = _solve_by_flow(n, cap, u, v, w, comps, chosen, stats)
    stats.components += int(np.count_nonzero(comps.edge_count))
    stats.flow += int(np.count_nonzero(flow_done))
    # Only the components the flow did not solve need their edges grouped (citizens:
    # none, where grouping meant a sort of 18 M edges).
    left = (comps.edge_count > 0) & ~flow_done
    pending = np.flatnonzero(left[comps.of_vertex][u])
    for edges in components.by_component(pending, comps.of_vertex[u[pending]]):
        if len(edges) == 1:  # a lone edge is its component's optimum
            chosen[edges] = True
        else:
            x2 = twice[edges] if twice is not None and twice[edges[0]] >= 0 else None
            chosen[edges[_solve_component(edges, comps, cap, u, v, w, stats, x2)]] = True
    return chosen


@dataclass(frozen=True)
class _Components:
    """The connected components of the candidate graph, and local vertex numbers."""

    count: int
    # Component label of each vertex; an edge's is its u's (per-component masks are read
    # per edge as mask[of_vertex][u]: no array of every edge's label, 72 MB at 18 M edges).
    of_vertex: np.ndarray
    by_label: np.ndarray  # vertices in component order (increasing id within each)
    start: np.ndarray  # component c's vertices are by_label[start[c] : start[c + 1]]
    # Rank within the component in increasing id order (what np.unique over the
    # component's endpoints would give, without sorting 2 x edges). Being increasing in
    # the id, they keep (u, v)-sorted edges sorted and u < v.
    local_of: np.ndarray
    edge_count: np.ndarray  # edges per component
    as_u: np.ndarray  # each vertex's edges as u

    @classmethod
    def label(cls, n: int, u: np.ndarray, v: np.ndarray) -> _Components:
        count, of_vertex = components.labels(n, u, v)
        by_label = np.argsort(of_vertex, kind="stable")
        start = np.searchsorted(of_vertex[by_label], np.arange(count + 1))
        local_of = np.empty(n, dtype=np.int32 if n < 2**31 else np.int64)
        local_of[by_label] = np.arange(n) - start[of_vertex[by_label]]
        # Edges per component from each vertex's edges as u.
        as_u = np.bincount(u, minlength=n)
        edge_count = np.bincount(of_vertex, weights=as_u, minlength=count).astype(np.int64)
        return cls(count, of_vertex, by_label, start, local_of, edge_count, as_u)

    def vertices(self, comp: int) -> np.ndarray:
        return self.by_label[self.start[comp] : self.start[comp + 1]]


def _solve_by_flow(n, cap, u, v, w, comps: _Components, chosen: np.ndarray, stats: SolveStats):
    """Components with a capacity above 1 (and more than one edge; not those
    saturated.py sends past it), solved together by one min-cost flow on the
    double cover: their picks go into `chosen`. Returns which
    components it solved, and 2 x the flow's fractional optimum per edge (-1 where no flow
    ran; None if none did), from which the repair of a component it cannot round starts."""
    big = np.zeros(comps.count, dtype=bool)
    big[comps.of_vertex[cap > 1]] = True
    lone = comps.edge_count == 1
    big &= ~lone
    if lemon_matching.available():  # these go to priced_blossom.py whatever the flow says
        big &= ~saturated.components(n, cap, u, v, comps.of_vertex,
                                     big & (comps.edge_count >= _REPAIR_EDGES), comps.as_u)
    if not big.any():
        return big, None
    # Lone edges ride along (the flow takes each whole), so that when they and these
    # components hold every edge (citizens: all 18 M) `sel` is a slice: views, where
    # indices would gather copies of every array.
    on = (big | lone)[comps.of_vertex][u]
    sel = slice(None) if on.all() else np.flatnonzero(on)
    del on
    pick, bad, total = flow_b_matching(
        n, cap, u[sel], v[sel], w[sel], comps.of_vertex, comps.count, stats
    )
    twice = None
    if bad.any():  # masks over every edge only when a component is left to the other paths
        pick &= ~bad[comps.of_vertex][u[sel]]
        twice = np.full(len(u), -1, dtype=np.int8)
        twice[sel] = total
    chosen[sel] |= pick
    return big & ~bad, twice


def _solve_component(
    edges, comps: _Components, cap, u, v, w, stats: SolveStats, x2: np.ndarray | None = None
) -> np.ndarray:
    """Mask over `edges` (one component) of its optimum: assignments on the double cover
    when every capacity is 1 and that rounds exactly, linear programming otherwise.
    x2: 2 x an optimal fractional b-matching of the component, if the flow gave one."""
    verts = comps.vertices(comps.of_vertex[u[edges[0]]])
    lu, lv = comps.local_of[u[edges]], comps.local_of[v[edges]]
    b = cap[verts]
    if (b == 1).all():
        pick = _double_cover(len(verts), lu, lv, w[edges])
        if pick is not None:
            stats.double_cover += 1
            return pick
    if len(edges) >= _REPAIR_EDGES:
        if lemon_matching.available():
            pick = priced_blossom.solve_component(len(verts), b, lu, lv, w[edges])
            if pick is not None:
                stats.blossom += 1
                return pick
        pick = repair.solve_component(len(verts), b, lu, lv, w[edges], x2)
        if pick is not None:
            stats.repair += 1
            return pick
    return _lp_lexicographic(len(verts), b, lu, lv, w[edges], stats)


def _double_cover(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray):
    """Integral optimum from the double-cover relaxation, or None if it has odd cycles.

    The double cover is bipartite, so its lexicographic optimum splits exactly along the
    Dulmage-Mendelsohn (Gallai-Edmonds) decomposition of a maximum matching: every maximum
    matching matches the A side completely into D and the C part perfectly, and nothing
    else. So: the sets D, A, C (decomposition.py), then independent max-weight
    assignments (all rows covered) with sparse LAPJV, one for C and one for A -> D.
    """
    order = None
    if (u < v).all() and _strictly_increasing(u, v):  # as the solver passes them: no copy
        lo, hi = u, v
    else:
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        order = np.argsort(lo.astype(np.int64) * n + hi, kind="stable")
        lo, hi, w = lo[order], hi[order], w[order]
    # The double cover as one symmetric CSR matrix S = U + U^T with sorted indices, built
    # from the (u, v)-sorted edges in linear time (no sort): entry (r, c) holds the cost
    # max(w) + 1 - w(rc) >= 1, so minimising cost maximises weight and every entry is > 0.
    cost = w.astype(np.float64)
    np.subtract(float(w.max()) + 1, cost, out=cost)
    upper = sparse.csr_matrix(
        (cost, hi.astype(np.int32, copy=False),
         np.searchsorted(lo, np.arange(n + 1)).astype(np.int32)),
        shape=(n, n),
    )
    graph = (upper + upper.T).tocsr()
    del upper
    d_row, a_row, d_col, a_col = dm_sets(graph)
    c_row, c_col = ~(d_row | a_row), ~(d_col | a_col)
    final = np.full(n, -1)
    # The double cover is symmetric and D, A, C are canonical, so the row and column sides
    # coincide (A rows = A columns, D rows = D columns) and the D -> A problem is the A -> D
    # one transposed: one LAPJV serves both (it matches a to d and d to a: whole edges).
    symmetric = (a_row == a_col).all() and (d_row == d_col).all()
    problems = [(c_row, c_col, False), (a_row, d_col, False)]
    if not symmetric:
        problems.append((d_row, a_col, True))
    for r_mask, c_mask, transpose in problems:
        rm, cm = (c_mask, r_mask) if transpose else (r_mask, c_mask)
        got = _assign(graph, rm, cm)
        if got is None:
            return None
        rr, cc = got
        if transpose:
            rr, cc = cc, rr
        final[rr] = cc
        if symmetric and r_mask is a_row:
            final[cc] = rr
    pick = _round_paths_and_cycles(n, lo, hi, final)
    if pick is None or order is None:
        return pick
    out = np.empty_like(pick)
    out[order] = pick
    return out


def _strictly_increasing(lo: np.ndarray, hi: np.ndarray) -> bool:
    """Whether the pairs (lo, hi) are in strictly increasing lexicographic order."""
    if len(lo) < 2:
        return True
    step = lo[1:] > lo[:-1]
    step |= (lo[1:] == lo[:-1]) & (hi[1:] > hi[:-1])
    return bool(step.all())


def _assign(graph: sparse.csr_matrix, r_mask: np.ndarray, c_mask: np.ndarray):
    """Min-cost assignment covering every row of r_mask with columns of c_mask (sparse
    LAPJV) on the submatrix of `graph` (sorted indices stay sorted: no sort needed)."""
    if not r_mask.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    r_ids, c_ids = np.flatnonzero(r_mask), np.flatnonzero(c_mask)
    c_pos = np.cumsum(c_mask) - 1
    sub = graph[r_ids]  # row slicing keeps the order of each row's entries
    keep = c_mask[sub.indices]
    counts = np.add.reduceat(keep, sub.indptr[:-1]) if len(keep) else np.zeros(len(r_ids))
    counts[np.diff(sub.indptr) == 0] = 0  # reduceat reads one entry for empty rows
    mat = sparse.csr_matrix(
        (sub.data[keep], c_pos[sub.indices[keep]].astype(np.int32),
         np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)),
        shape=(len(r_ids), len(c_ids)),
    )
    mat.has_sorted_indices = True
    try:
        r, c = min_weight_full_bipartite_matching(mat)
    except ValueError:
        return None
    return r_ids[r], c_ids[c]


def _round_paths_and_cycles(n, u, v, nxt):
    """x = (y(i, nxt i) + y(nxt i, ...)) / 2: 2-cycles are whole edges; other paths and
    even cycles of halves round alternately at equal value (moving along them keeps the
    optimum feasible both ways); an odd cycle of halves -> None."""
    prv = np.full(n, -1)
    prv[nxt[nxt >= 0]] = np.flatnonzero(nxt >= 0)
    mates = np.full(n, -1)
    has = nxt >= 0
    whole = has & (nxt[np.maximum(nxt, 0)] == np.arange(n))
    mates[whole] = nxt[whole]
    seen = whole.copy()
    # Paths first (from their start), then what is left are cycles.
    starts = [i for i in np.flatnonzero(has & ~seen) if prv[i] < 0]
    for start in [*starts, *np.flatnonzero(has & ~seen)]:
        if seen[start]:
            continue
        walk = [start]
        seen[start] = True
        cur = nxt[start]
        while cur >= 0 and cur != start:
            walk.append(cur)
            seen[cur] = True
            cur = nxt[cur]
        if cur == start and len(walk) % 2 == 1:
            return None
        for i in range(0, len(walk) - 1, 2):
            a, c = walk[i], walk[i + 1]
            mates[a], mates[c] = c, a
    return mates[u] == v


def _incidence(n: int, u: np.ndarray, v: np.ndarray) -> sparse.csr_matrix:
    m = len(u)
    cols = np.concatenate([np.arange(m), np.arange(m)])
    return sparse.csr_matrix((np.ones(2 * m), (np.concatenate([u, v]), cols)), shape=(n, m))


def _odd_set_cuts(x, u, v, b, frac_tol=_TOL):
    """Violated odd-set inequalities sum_{e in E(S)} x_e <= (b(S) - 1) / 2 for the
    components S of the fractional support with b(S) odd."""
    frac = (x > frac_tol) & (x < 1 - frac_tol)
    if not frac.any():
        return []
    n = len(b)
    _, label = components.labels(n, u[frac], v[frac])
    touched = np.zeros(n, dtype=bool)
    touched[u[frac]] = touched[v[frac]] = True
    cuts = []
    for comp in np.unique(label[touched]):
        inside = label == comp
        bs = int(b[inside].sum())
        if bs % 2 == 0:
            continue
        edges = np.flatnonzero(inside[u] & inside[v])
        if x[edges].sum() > (bs - 1) / 2 + frac_tol:
            cuts.append((edges, (bs - 1) // 2))
    return cuts


def _lp_lexicographic(n, b, u, v, w, stats: SolveStats):
    stats.lp += 1
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    inc = _incidence(n, u, v)
    cuts: list = []
    k = _optimise(np.ones(len(u)), inc, b, cuts, None, stats, u, v)
    x = _optimise(w.astype(np.float64), inc, b, cuts, k, stats, u, v)
    return x


def _optimise(obj, inc, b, cuts, cardinality, stats, u, v):
    """Maximise obj.x over the b-matching polytope (plus cuts), integrally. Returns the
    chosen-edge mask in phase 2, the optimal cardinality in phase 1."""
    m = inc.shape[1]
    for _ in range(_CUT_ROUNDS):
        a_ub, b_ub = _stack(inc, b, cuts)
        res = linprog(
            -obj,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=np.ones((1, m)) if cardinality is not None else None,
            b_eq=[cardinality] if cardinality is not None else None,
            bounds=(0, 1),
            method="highs",
        )
        if res.status != 0:
            raise RuntimeError(f"LP failed: {res.message}")
        x = res.x
        if np.all(np.abs(x - np.round(x)) < _TOL):
            return _finish(np.round(x).astype(bool), cardinality)
        new = _odd_set_cuts(x, u, v, b)
        if not new:
            break
        cuts.extend(new)
    stats.milp += 1
    a_ub, b_ub = _stack(inc, b, cuts)
    constraints = [LinearConstraint(a_ub, -np.inf, b_ub)]
    if cardinality is not None:
        constraints.append(LinearConstraint(np.ones((1, m)), cardinality, cardinality))
    res = milp(
        -obj,
        constraints=constraints,
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    return _finish(np.round(res.x).astype(bool), cardinality)


def _finish(chosen, cardinality):
    return int(chosen.sum()) if cardinality is None else chosen


def _stack(inc, b, cuts):
    if not cuts:
        return inc, b.astype(np.float64)
    idx = np.concatenate([c[0] for c in cuts])
    row = np.repeat(np.arange(len(cuts)), [len(c[0]) for c in cuts])
    extra = sparse.csr_matrix((np.ones(len(idx)), (row, idx)), shape=(len(cuts), inc.shape[1]))
    rows = sparse.vstack([inc, extra])
    return rows.tocsr(), np.concatenate([b, [c[1] for c in cuts]]).astype(np.float64)
