"""The exact search of the repair (repair.py, 3.): the most edges, then the most weight,
of a b-matching in which some edges are taken, some left out and the rest ("free") chosen.

The free edges' b-matching, with the capacities the taken edges leave, is solved as a
matching of its Tutte reduction (tutte.py), lexicographically by LEMON's blossom algorithm
(lemon_matching.py) or, where that is not built, rustworkx's, once per connected component
of the free edges (no constraint spans two, so both orders add up). Without either, HiGHS
milp (zero gap, with the blossoms as rows) does the same search.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from . import components, lemon_matching, tutte

_TOL = 1e-6


def fixed_search(n, b, u, v, w, k, free, one, cuts):
    """Max weight with exactly k edges: the `one` edges taken, the free ones chosen, the
    rest left out (repair.py, 3.). None if there is no such b-matching."""
    if not lemon_matching.available():
        try:
            import rustworkx  # noqa: F401
        except ImportError:
            return _milp(n, b, u, v, w, k, free, one, cuts)
    ones = np.flatnonzero(one & ~free)
    left = b - np.bincount(np.concatenate([u[ones], v[ones]]), minlength=n)
    if (left < 0).any() or len(ones) > k:
        return None
    gid = np.flatnonzero(free)
    gid = gid[(left[u[gid]] > 0) & (left[v[gid]] > 0)]
    pick = np.zeros(len(u), dtype=bool)
    pick[ones] = True
    for part in _parts(n, u[gid], v[gid]):
        e = gid[part]
        if len(e) == 1:  # capacity left at both ends: the lone edge is its part's optimum
            pick[e] = True
            continue
        verts, local = np.unique(np.concatenate([u[e], v[e]]), return_inverse=True)
        pick[e[lexicographic_matching(left[verts], local[: len(e)], local[len(e) :], w[e])]] = True
    load = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    return pick if int(pick.sum()) == k and (load <= b).all() else None


def _parts(n, u, v):
    """Edge indices per connected component of the free edges. The search splits over
    them: no b-matching constraint spans two, so the most edges and then the most weight
    are each part's, added up (one cold blossom search per part instead of one on all)."""
    _, label = components.labels(n, u, v)
    return components.by_component(np.arange(len(u)), label[u])


def lexicographic_matching(b, u, v, w):
    """Mask of a b-matching with the most edges, then the most weight (b >= 1 at every
    end), by Tutte's reduction to a matching (tutte.py) and a blossom algorithm."""
    nodes, tails, heads, edge, role = tutte.reduction(b, u, v)
    if lemon_matching.available():
        matched = np.flatnonzero(lemon_matching.lexicographic(nodes, tails, heads, w[edge]))
    else:
        matched = _rustworkx_matching(nodes, tails, heads, w[edge])
    hits = np.bincount(edge[matched], weights=role[matched], minlength=len(u))
    return hits == 2


def _rustworkx_matching(nodes, tails, heads, w):
    """Indices of the matched edges of a matching with the most edges, then the most
    weight, by rustworkx's blossom algorithm (O(n^3))."""
    import rustworkx as rx

    weights = w.tolist()
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(list(zip(tails.tolist(), heads.tolist(), range(len(w)),
                                  strict=True)))
    mate = rx.max_weight_matching(graph, max_cardinality=True,
                                  weight_fn=lambda i: weights[i])
    return np.array([graph.get_edge_data(a, c) for a, c in mate], dtype=np.int64)


def _milp(n, b, u, v, w, k, free, one, cuts):
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


def _rows(n, u, v, gid, cuts, m):
    """Constraint matrix over the columns gid (edge ids among m): the n degree rows,
    then one row per blossom (its inner edges and its F edges)."""
    cu, cv = u[gid], v[gid]
    pos = np.full(m, -1)
    pos[gid] = np.arange(len(gid))
    rows, cols = [cu, cv], [np.arange(len(gid)), np.arange(len(gid))]
    for i, (s, f) in enumerate(c[:2] for c in cuts):
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
