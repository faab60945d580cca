"""Exact repair of a component whose fractional optimum has odd closed circuits of
half-edges: a sparse LP with blossom cuts priced against every edge, then branch-and-cut
only on the edges that the LP's duals cannot rule out.

The problem: the lexicographic optimum (most edges, then most weight) of a b-matching
(capacities b, each edge used at most once, integer weights w >= 0) on one component.

1. k. The double-cover flow (flow.double_cover_flow) gives an optimal fractional
   b-matching x*; no integral b-matching has more than floor(|x*|) = k edges. Every answer
   below has exactly k edges, so k is the most edges (else: None, the caller's LP path).

2. A bound from any duals. For y >= 0 on vertices, mu >= 0 on valid inequalities
   a_S.x <= c_S, and any real lam, let r_e = w_e + lam - y_u - y_v - sum_S mu_S a_S(e).
   For every integral b-matching x' with k edges,
       w(x') = sum_e r_e x'_e - lam k + sum_v y_v x'(d(v)) + sum_S mu_S a_S.x'
             <= D - sum_{x'_e = 1, r_e < 0} |r_e| - sum_{x'_e = 0, r_e > 0} r_e,
       D = sum_v b_v y_v + sum_S mu_S c_S + sum_e max(0, r_e) - lam k,
   whatever y, mu, lam are (computed over EVERY edge of the component, so the LP that
   produced them may have seen only some of the edges). The inequalities are blossoms
   x(E(S)) + x(F) <= (b(S) + |F| - 1) / 2, F in the cut of S, b(S) + |F| odd, valid for
   every integral b-matching (half the degree sums over S plus x_e <= 1 on F, rounded
   down). Duals come from HiGHS on a sparse set of edges ("core": the support of x*, each
   vertex's two heaviest edges, then every edge with r_e > 0 added until none is left,
   with blossoms separated on the components of the fractional support); lam = max w + 1.
   Floating point only weakens nothing: D is recomputed from the clipped duals and
   compared with a margin far above its rounding error.

3. Reduced-cost fixing. Let z be the weight of an integral b-matching with k edges. One
   with more weight (>= z + 1) has, by 2., x'_e = 0 wherever r_e < -G and x'_e = 1
   wherever r_e > G, G = D - z - 1. So a branch-and-cut (HiGHS milp, zero gap) over the
   edges with |r_e| <= g, those with r_e > g taken and the others left out, finds an
   optimum as soon as g >= G for the z it returns: nothing outside its search space can
   beat it. Starting from a small g: infeasible -> g x 4; feasible with weight z and
   g < D - z - 1 -> solve again with g = D - z - 1 (its answer is at least z, since the
   previous one stays feasible, so this second one is proven).

Returns None when an LP fails or a round limit is reached; the caller then solves the
component whole (solver._lp_lexicographic).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from .flow import double_cover_flow

_TOL = 1e-6
_MARGIN = 1e-3  # on D - z: D sums < 10**7 terms of size < 10**6 (rounding ~1e-6)
_LP_ROUNDS = 150
_CUT_ROUNDS = 40
_MILP_ROUNDS = 8
_TOP = 2  # each vertex's heaviest edges in the first core
_NEAR = 0.02  # pricing also takes edges within this share of max w of violating


def solve_component(n: int, b: np.ndarray, u: np.ndarray, v: np.ndarray,
                    w: np.ndarray) -> np.ndarray | None:
    """Mask over the edges of an exact lexicographic optimum, or None (see above)."""
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    x2 = double_cover_flow(n, b, u, v, w)  # 2 x*
    k = int(x2.sum()) // 2
    duals = _priced_duals(n, b, u, v, w, k, x2 > 0)
    if duals is None:
        return None
    bound, r, cuts = duals
    g = 0.02 * float(w.max()) + 1
    for _ in range(_MILP_ROUNDS):
        pick = _fixed_milp(n, b, u, v, w, k, np.abs(r) <= g, r > g, cuts)
        if pick is None:
            g *= 4
            continue
        need = bound - float(w[pick].sum()) - 1 + _MARGIN
        if g >= need:
            return pick
        g = need
    return None


def _priced_duals(n, b, u, v, w, k, support):
    """(D, r over every edge, the blossoms) from the sparse LP of 2., or None."""
    wf = w.astype(np.float64)
    lam = float(wf.max()) + 1.0
    cost = wf + lam
    core = support | _heaviest(n, u, v, w, _TOP)
    cuts: list = []
    cut_rounds, gains, last = 0, [], None
    for _ in range(_LP_ROUNDS):
        gid = np.flatnonzero(core)
        got = _lp(n, b, u, v, cost, gid, cuts)
        if got is None:
            return None
        x, y, mu = got
        value = float(cost[gid] @ x)
        if last is not None:  # the previous round added only cuts: how much they gave
            gains.append(last - value)
        last = None
        tailing = len(gains) >= 4 and sum(gains[-4:]) < 1.0
        if cut_rounds < _CUT_ROUNDS and not tailing:
            new = _blossoms(n, b, u, v, x, gid)
            if new:
                cuts += new
                cut_rounds += 1
                last = value
                continue
        r = cost - y[u] - y[v] - _cut_load(n, u, v, cuts, mu)
        if not (~core & (r > _TOL)).any():
            bound = (float(b @ y) + sum(c[2] * z for c, z in zip(cuts, mu, strict=True))
                     + float(np.maximum(r, 0).sum()) - lam * k)
            return bound, r, cuts
        near = np.flatnonzero(~core & (r > -_NEAR * float(wf.max())))
        core[near[np.argsort(-r[near], kind="stable")[: max(2000, len(gid))]]] = True
    return None


def _heaviest(n, u, v, w, t):
    """Mask of each vertex's t heaviest edges."""
    ends = np.concatenate([u, v])
    edge = np.concatenate([np.arange(len(u)), np.arange(len(u))])
    order = np.lexsort((-np.concatenate([w, w]), ends))
    start = np.searchsorted(ends[order], np.arange(n + 1))
    rank = np.arange(len(order)) - start[ends[order]]
    keep = np.zeros(len(u), dtype=bool)
    keep[edge[order[rank < t]]] = True
    return keep


def _rows(n, u, v, gid, cuts, m):
    """Constraint matrix over the columns gid (edge ids among m): the n degree rows,
    then one row per blossom (its inner edges and its F edges)."""
    cu, cv = u[gid], v[gid]
    pos = np.full(m, -1)
    pos[gid] = np.arange(len(gid))
    rows, cols = [cu, cv], [np.arange(len(gid)), np.arange(len(gid))]
    for i, (s, f, _) in enumerate(cuts):
        inside = np.zeros(n, dtype=bool)
        inside[s] = True
        e = np.concatenate([np.flatnonzero(inside[cu] & inside[cv]), pos[f]])
        e = e[e >= 0]
        rows.append(np.full(len(e), n + i))
        cols.append(e)
    r = np.concatenate(rows)
    return sparse.csr_matrix((np.ones(len(r)), (r, np.concatenate(cols))),
                             shape=(n + len(cuts), len(gid)))


def _rhs(b, cuts):
    return np.concatenate([b.astype(np.float64), [float(c[2]) for c in cuts]])


def _lp(n, b, u, v, cost, gid, cuts):
    """Max cost.x over the core's edges (degrees, blossoms, 0 <= x <= 1): (x, vertex
    duals, blossom duals), duals clipped at 0 (any non-negative duals give a bound)."""
    res = linprog(-cost[gid], A_ub=_rows(n, u, v, gid, cuts, len(u)), b_ub=_rhs(b, cuts),
                  bounds=(0, 1), method="highs")
    if res.status != 0:
        return None
    dual = np.maximum(0.0, -res.ineqlin.marginals)
    return res.x, dual[:n], dual[n:]


def _blossoms(n, b, u, v, x, gid):
    """Violated blossoms (2.): S a component of the fractional support, F its cut's edges
    above one half."""
    frac = (x > _TOL) & (x < 1 - _TOL)
    if not frac.any():
        return []
    cu, cv = u[gid], v[gid]
    graph = sparse.coo_matrix((np.ones(int(frac.sum())), (cu[frac], cv[frac])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    touched = np.zeros(n, dtype=bool)
    touched[cu[frac]] = touched[cv[frac]] = True
    out = []
    for comp in np.unique(label[touched]):
        s = np.flatnonzero(label == comp)
        inside = np.zeros(n, dtype=bool)
        inside[s] = True
        inner = inside[cu] & inside[cv]
        f = (inside[cu] ^ inside[cv]) & (x > 0.5)
        odd = int(b[s].sum()) + int(f.sum())
        if odd % 2 and x[inner].sum() + x[f].sum() > (odd - 1) / 2 + _TOL:
            out.append((s, gid[f], (odd - 1) // 2))
    return out


def _cut_load(n, u, v, cuts, mu):
    """sum_S mu_S a_S(e) for every edge."""
    out = np.zeros(len(u))
    for (s, f, _), z in zip(cuts, mu, strict=True):
        if z > 0:
            inside = np.zeros(n, dtype=bool)
            inside[s] = True
            out[inside[u] & inside[v]] += z
            out[f] += z
    return out


def _fixed_milp(n, b, u, v, w, k, free, one, cuts):
    """Max weight with exactly k edges: the `one` edges taken, the free ones chosen by
    branch-and-cut, the rest left out. None if infeasible."""
    ones = np.flatnonzero(one & ~free)
    gid = np.flatnonzero(free)
    if len(ones) > k:
        return None
    rhs = _rhs(b, cuts) - _rows(n, u, v, ones, cuts, len(u)) @ np.ones(len(ones))
    if (rhs < -_TOL).any():
        return None
    need = k - len(ones)
    if len(gid) == 0:
        pick = np.zeros(len(u), dtype=bool)
        pick[ones] = True
        return pick if need == 0 else None
    constraints = [LinearConstraint(_rows(n, u, v, gid, cuts, len(u)), -np.inf, rhs),
                   LinearConstraint(np.ones((1, len(gid))), need, need)]
    res = milp(-w[gid].astype(np.float64), constraints=constraints,
               integrality=np.ones(len(gid)), bounds=Bounds(0, 1),
               options={"mip_rel_gap": 0.0})
    if res.status != 0 or res.x is None:
        return None
    pick = np.zeros(len(u), dtype=bool)
    pick[ones] = True
    pick[gid[res.x > 0.5]] = True
    load = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    return pick if int(pick.sum()) == k and (load <= b).all() else None
