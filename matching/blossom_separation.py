"""Blossom inequalities of the capacitated b-matching polytope that a fractional x violates,
found through minimum cuts (Padberg-Rao, in Letchford-Reinelt-Theis's form for b-matchings
with edge bounds 1).

For S a vertex set and F a set of edges of its cut d(S) with b(S) + |F| odd,
    x(E(S)) + x(F) <= (b(S) + |F| - 1) / 2
holds for every integral b-matching. With the slack s_v = b_v - x(d(v)), it is the same as
    s(S) + x(d(S) minus F) + sum over F of (1 - x_e) >= 1,
so a violated blossom is a cut of weight below 1 when each cut edge weighs x_e (left out of
F) or 1 - x_e (in F) and every vertex is joined to an extra vertex by an edge of weight s_v.
Choosing for each edge the smaller of the two (F = the cut's edges above one half) fixes the
parity of b(S) + |F| to the sum over S of p_v = b_v + #{e in d(v): x_e > 1/2} (mod 2); an even
cut can still be made odd by moving its cheapest edge across (cost |1 - 2 x_e|). The cuts of
a Gomory-Hu tree of these weights, each taken as it is or with that one move, contain a
minimum violated one (Letchford, Reinelt and Theis, Odd minimum cut sets and b-matchings
revisited, 2008); every cut returned is checked against x directly, so an approximate cut
value (the capacities are scaled to integers for the max flow) can only cost a missed
cut, never a wrong one.

Only edges with 0 < x_e < 1 and positive slacks weigh anything, so the tree is computed per
connected component of those edges (and the extra vertex), which in the repair are the
small neighbourhoods of the odd circuits; whole edges and zero edges only set parities.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from . import components
from .ragged import ragged

_TOL = 1e-6
_SCALE = 1 << 20  # max-flow capacities: x_e and s_v (< 4) times this, rounded
_MAX_NODES = 600  # larger components are left out (a missed cut costs speed only)
_MAX_SET = 64  # and so are larger sets S: their dense rows stall the LP


def violated_blossoms(n: int, b: np.ndarray, u: np.ndarray, v: np.ndarray, x: np.ndarray,
                      limit: int = 40) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Violated blossoms (S as vertex indices, F as indices into u/v/x, right-hand side),
    the most violated first, at most `limit`, no two with the same S."""
    frac = (x > _TOL) & (x < 1 - _TOL)
    load = np.bincount(u, weights=x, minlength=n) + np.bincount(v, weights=x, minlength=n)
    slack = b - load
    slack[slack < _TOL] = 0.0
    if not frac.any():
        return []
    extra = n  # the slack vertex
    su = np.concatenate([u[frac], np.flatnonzero(slack > 0)])
    sv = np.concatenate([v[frac], np.full(int((slack > 0).sum()), extra)])
    sw = np.concatenate([np.minimum(x[frac], 1 - x[frac]), slack[slack > 0]])
    _, label = components.labels(n + 1, su, sv)
    touched = np.zeros(n + 1, dtype=bool)
    touched[su] = touched[sv] = True
    found: dict[bytes, tuple[float, np.ndarray, np.ndarray, int]] = {}
    tried: set[bytes] = set()
    # Only edges with x > 0 can make a cut violated (a zero edge weighs 0 left out of F
    # and 1 in it), and every edge of E(S) or d(S) has an end in S: per component, the
    # support edges at its vertices are all a candidate set needs.
    support = np.flatnonzero(x > _TOL)
    ends = np.concatenate([u[support], v[support]])
    by_end = np.concatenate([support, support])[np.argsort(ends, kind="stable")]
    first = np.searchsorted(np.sort(ends), np.arange(n + 1))
    inside = np.zeros(n, dtype=bool)
    order = np.argsort(label[:n], kind="stable")
    bounds = np.searchsorted(label[:n][order], np.arange(label.max() + 2))
    for comp in np.unique(label[touched]):
        members = order[bounds[comp] : bounds[comp + 1]]
        nodes = np.append(members, extra) if label[extra] == comp else members
        if not 2 <= len(nodes) <= _MAX_NODES:
            continue
        count = first[members + 1] - first[members]
        k, within = ragged(count)
        near = np.unique(by_end[first[members][k] + within])
        # The component itself (its cut weighs 0) and the cuts of its tree.
        for side in [nodes, *_tree_cuts(nodes, su, sv, sw, label == comp)]:
            s = side[side != extra] if extra not in side else np.setdiff1d(nodes, side)
            s = s[s != extra]
            key = s.tobytes()
            if not 0 < len(s) <= _MAX_SET or key in tried:
                continue
            tried.add(key)
            got = _as_blossom(inside, b, u, v, x, s, near)
            if got is not None:
                found[key] = got
    best = sorted(found.values(), key=lambda t: -t[0])[:limit]
    return [(s, f, rhs) for _, s, f, rhs in best]


def _as_blossom(inside, b, u, v, x, s, near):
    """(violation, S, F, rhs) of the best blossom on the cut of S, or None if none is
    violated: F = the cut's edges above one half, or with its cheapest edge moved across
    when that leaves b(S) + |F| even. near: the support edges at S's component; inside:
    an all-False vertex mask, left all-False."""
    inside[s] = True
    eu, ev = inside[u[near]], inside[v[near]]
    inside[s] = False
    inner = near[eu & ev]
    cut = near[eu ^ ev]
    f = x[cut] > 0.5
    if (int(b[s].sum()) + int(f.sum())) % 2 == 0:
        if len(cut) == 0:
            return None
        j = int(np.argmin(np.abs(1 - 2 * x[cut])))
        f[j] = not f[j]
    fe = cut[f]
    rhs = (int(b[s].sum()) + len(fe) - 1) // 2
    violation = float(x[inner].sum() + x[fe].sum()) - rhs
    if violation <= _TOL:
        return None
    return violation, s, fe, rhs


def _tree_cuts(nodes, su, sv, sw, in_comp):
    """Vertex sets (original numbering) whose cuts form a Gomory-Hu tree of the component
    (Gusfield's algorithm): each minimum cut found, and each fundamental cut of the tree."""
    local = np.full(len(in_comp), -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    keep = in_comp[su]
    a, c = local[su[keep]], local[sv[keep]]
    cap = np.maximum(1, np.rint(sw[keep] * _SCALE)).astype(np.int64)
    tails, heads, caps = np.concatenate([a, c]), np.concatenate([c, a]), np.concatenate([cap, cap])
    m = len(nodes)
    parent = np.zeros(m, dtype=np.int64)
    out = []
    for i in range(1, m):
        t = int(parent[i])
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(tails, heads, caps)
        if flow.solve(i, t) != flow.OPTIMAL:
            raise RuntimeError("max flow in blossom separation failed")
        side = np.zeros(m, dtype=bool)
        side[np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)] = True
        out.append(nodes[side])
        later = np.arange(i + 1, m)
        parent[later[side[later] & (parent[later] == t)]] = i
    # The fundamental cut of tree edge (i, parent i) is i's subtree; parent[j] < j.
    for i in range(1, m):
        sub = np.zeros(m, dtype=bool)
        sub[i] = True
        for j in range(i + 1, m):
            sub[j] = sub[parent[j]]
        out.append(nodes[sub])
    return out
