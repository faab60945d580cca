"""Exact repair of a component whose fractional optimum has odd closed circuits of
half-edges: a sparse LP with blossom cuts priced against every edge, then branch-and-cut
only on the edges that the LP's duals cannot rule out.

The problem: the lexicographic optimum (most edges, then most weight) of a b-matching
(capacities b, each edge used at most once, integer weights w >= 0) on one component.

1. k. The double-cover flow (flow.fractional_flow; the solver passes the one it ran for
   the whole graph, optimal on each component too since the LP splits by components)
   gives an optimal fractional b-matching x*; no integral b-matching has more than
   floor(|x*|) = k edges. Every answer
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
   vertex's two heaviest edges, then every edge with r_e > 0 added until none is left;
   pricing comes before cutting, as cuts on a core too small for k edges only mislead),
   one model kept warm between rounds (cut_lp.py), with blossoms separated on the
   components of the fractional support and by minimum cuts of a Gomory-Hu tree
   (blossom_separation.py: Letchford-Reinelt-Theis, exact up to the set sizes it skips).
   A cut row whose dual has been 0 for _IDLE_ROUNDS solves leaves the model (its slack
   basic, so the basis stays valid) and goes back as soon as the point violates it: the
   loop ends only on a point every cut found holds, and the bound uses the duals of the
   LP solved last (its mu are the rows present, 0 for the others).
   With every blossom the LP is the b-matching polytope (Edmonds-Johnson), so D closes on
   the integral optimum and the fixing below frees only edges of reduced cost about 0
   (Douzelage 2 000 / 5 000: D - z < 1). First with
   lam = max w + 1 in the costs; if that LP takes more than k edges, again with |x| = k as
   a constraint and lam the value minimising D for its y and mu (the k-th largest
   w_e - y_u - y_v - ..., negated).
   Floating point only weakens nothing: D is recomputed from the clipped duals and
   compared with a margin far above its rounding error.

3. Reduced-cost fixing. Let z be the weight of an integral b-matching with k edges. One
   with more weight (>= z + 1) has, by 2., x'_e = 0 wherever r_e < -G and x'_e = 1
   wherever r_e > G, G = D - z - 1. So an exact search over the
   edges with |r_e| <= g, those with r_e > g taken and the others left out, finds an
   optimum as soon as g >= G for the z it returns: nothing outside its search space can
   beat it. The search itself is exact and combinatorial: the free edges' b-matching with
   the capacities the taken edges leave, as a matching (Tutte's reduction: b(v) copies
   of v; an edge with an end of capacity 1 joins that end to the other's copies; an edge
   between two larger capacities becomes a path a - p - q - c, p joined to a's copies and q
   to c's, every edge of it of weight w_e, so a matching counts one more edge and w_e more
   exactly when the edge is used), solved lexicographically (most edges, then most
   weight) by rustworkx's blossom algorithm, once per connected component of the free
   edges (no constraint spans two, so both orders add up); the search space has k edges
   exactly when that matching gives k minus the taken edges. Without rustworkx, HiGHS
   milp (zero gap, with the blossoms) does the same search. First a k-edge b-matching
   from the LP's last point: its whole edges kept, the edges among its fractional
   edges' ends searched (a few hundred edges); if D - z < 1 for it, it is proven with no
   search at all (no b-matching weighs more than D). Then from g = D - z - 1 for that z
   (up to 128; else, or without it, from g = 32): infeasible -> g x 4; feasible -> z
   is the better of the search's answer and the point's, and g < D - z - 1 -> solve
   again with g = D - z - 1. The better of the two is proven as soon as g >= D - z - 1:
   every b-matching weighing more lies in the search space, so the search would have
   returned it.

Returns None when an LP fails or a round limit is reached; the caller then solves the
component whole (solver._lp_lexicographic).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from .blossom_separation import violated_blossoms
from .cut_lp import CutLP
from .flow import fractional_flow
from .ragged import ragged

_TOL = 1e-6
_MARGIN = 1e-3  # on D - z: D sums < 10**7 terms of size < 10**6 (rounding ~1e-6)
_LP_ROUNDS = 600
_CUT_ROUNDS = 100  # at least; and a round per 66 vertices (20 000: 300, for a tight D)
_CUTS_PER_VERTEX = 1 / 130  # exact cuts kept per round, at least 40
_TAIL = 10  # cut rounds stop when this many gained less than 1 together
# A cut row whose dual has been 0 for this many solves in a row leaves the model (0: rows
# stay): a late solve's cost grows with the rows (cut_lp.py), most of which are idle.
_IDLE_ROUNDS = 5
_MILP_ROUNDS = 8
_ONE_SEARCH = 128  # D - z - 1 up to which the point's z sets the first g
_TOP = 2  # each vertex's heaviest edges in the first core
_NEAR = 0.02  # pricing also takes edges within this share of max w of violating


def solve_component(
    n: int, b: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray, x2: np.ndarray | None = None
) -> np.ndarray | None:
    """Mask over the edges of an exact lexicographic optimum, or None (see above).
    x2: 2 x an optimal fractional b-matching (1.), computed here if not given."""
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    if x2 is None:
        x2 = fractional_flow(n, b, u, v, w)
    k = int(x2.sum(dtype=np.int64)) // 2
    duals = _priced_duals(n, b, u, v, w, k, x2 > 0)
    if duals is None:
        return None
    bound, r, cuts, point = duals
    # A k-edge b-matching from the LP's last point first (its integral edges, the
    # fractional region searched exactly): when D - z < 1 it is proven as it stands
    # (Douzelage 5 000: the point is integral and D = z), and otherwise it bounds g.
    best = _from_point(n, b, u, v, w, k, point, cuts)
    # Without the point's z: free edges of r about 0 first, with room for the bound's
    # usual gap: D - z ~ 21 at Douzelage 20 000 (the cut rounds tail off above z), where
    # g = 32 frees 5 % more edges than g = 4 and spares a second search.
    g = 32.0
    if best is not None:
        need = bound - float(w[best].sum()) - 1 + _MARGIN
        if need <= 0:  # every k-edge b-matching weighs at most D < z + 1
            return best
        # One search at that g rather than one at 32 and a second that proves it: the
        # free edges grow slowly with g (Douzelage 20 000: 24 271 at 32, 29 100 at 95).
        g = need if need <= _ONE_SEARCH else g
    for _ in range(_MILP_ROUNDS):
        pick = _fixed_search(n, b, u, v, w, k, np.abs(r) <= g, r > g, cuts)
        # The better of the search's answer and the point's: every b-matching that beats
        # it lies in the search space once g >= D - z - 1, whichever of the two gave z.
        if pick is not None and (best is None or w[pick].sum() > w[best].sum()):
            best = pick
        if best is not None and g >= bound - float(w[best].sum()) - 1 + _MARGIN:
            return best
        g = g * 4 if pick is None else bound - float(w[best].sum()) - 1 + _MARGIN
    return None


def _from_point(n, b, u, v, w, k, point, cuts):
    """A b-matching with k edges from the LP's point (over every edge): its whole edges
    kept, every edge between two ends of its fractional edges searched exactly (3.'s
    search); None if that gives fewer than k edges."""
    whole = point > 1 - _TOL
    frac = (point > _TOL) & ~whole
    if not frac.any():
        load = np.bincount(np.concatenate([u[whole], v[whole]]), minlength=n)
        return whole if int(whole.sum()) == k and (load <= b).all() else None
    region = np.zeros(n, dtype=bool)
    region[u[frac]] = region[v[frac]] = True
    return _fixed_search(n, b, u, v, w, k, region[u] & region[v], whole, cuts)


def _priced_duals(n, b, u, v, w, k, support):
    """(D, r over every edge, the blossoms, the LP's last point over every edge) from the
    sparse LP of 2., or None."""
    if not CutLP.available():
        return None
    wf = w.astype(np.float64)
    lam = float(wf.max()) + 1.0
    cost = wf + lam
    core = support | _heaviest(n, u, v, w, _TOP)
    by_u = _EdgesByTail(n, u, v)
    lp = CutLP(n, b, u, v)
    lp.add_edges(np.flatnonzero(core), cost)
    cuts: list = []
    cut_rounds, gains, last = 0, [], None
    idle = np.zeros(0, dtype=np.int64)  # solves in a row each cut's dual has been 0
    pool: list = []  # dropped cuts, put back when the point violates them again
    settled = False  # the loop is ending: rows no longer dropped, so it ends
    mode, done = "lam", None  # first with lam in the costs; done: that mode's result
    for _ in range(_LP_ROUNDS):
        got = lp.solve()
        if got is None:  # in mode k: the core holds no k fractional edges with these cuts
            return done
        gid = lp.cols
        x, y, mu = got
        if _IDLE_ROUNDS and not settled:
            idle = np.append(idle, np.zeros(len(mu) - len(idle), dtype=np.int64)) + 1
            idle[mu > 0] = 0
            gone = lp.drop_cuts(idle >= _IDLE_ROUNDS)
            if gone.any():  # their mu is 0: y, mu and the point stay optimal without them
                pool += [c for c, g in zip(cuts, gone.tolist(), strict=True) if g]
                cuts = [c for c, g in zip(cuts, gone.tolist(), strict=True) if not g]
                mu, idle = mu[~gone], idle[~gone]
        value = float((cost if mode == "lam" else wf)[gid] @ x)
        load = y[u] + y[v] + _cut_load(len(u), cuts, mu)
        mult = lam if mode == "lam" else _best_multiplier(wf - load, k)
        r = wf + mult - load
        if (~core & (r > _TOL)).any():  # price first: cuts on a short core only mislead
            near = np.flatnonzero(~core & (r > -_NEAR * float(wf.max())))
            near = near[np.argsort(-r[near], kind="stable")[: max(2000, len(gid))]]
            core[near] = True
            lp.add_edges(near, cost if mode == "lam" else wf)
            last = None
            continue
        if last is not None and last[0] == mode:  # the last round added only cuts
            gains.append(last[1] - value)
        last = None
        tailing = len(gains) >= _TAIL and sum(gains[-_TAIL:]) < 1.0
        ending = cut_rounds >= max(_CUT_ROUNDS, n // 66) or tailing
        # A dropped cut the point violates goes back, also once the rounds are over (then
        # no row leaves, so the pool only shrinks): the loop never ends on a point that a
        # cut already found cuts off, so D is the LP's over every cut found so far.
        back = _violated(pool, len(u), gid, x)
        again = [c for c, h in zip(pool, back.tolist(), strict=True) if h]
        new = [] if ending else _blossoms(n, b, u, v, x, gid)
        if again and new:  # the separator may find a dropped cut again
            seen = {_key(c) for c in again}
            new = [c for c in new if _key(c) not in seen]
        for cut in new:
            cut.append(by_u.row(cut))
        settled = settled or ending
        if again or new:
            pool = [c for c, h in zip(pool, back.tolist(), strict=True) if not h]
            cuts += again + new
            lp.add_cuts(again + new)
            cut_rounds += 1
            last = (mode, value)
            continue
        bound = (float(b @ y) + sum(c[2] * z for c, z in zip(cuts, mu, strict=True))
                 + float(np.maximum(r, 0).sum()) - mult * k)
        point = np.zeros(len(u))
        point[gid] = x
        if mode == "k" or not float(x.sum()) > k + _TOL:
            return bound, r, cuts + pool, point
        # The LP takes more than k edges (a half edge more, say): lam overpays them in
        # the bound. Again with |x| = k as a constraint, lam chosen for its duals.
        mode, done, gains, settled = "k", (bound, r, cuts + pool, point), [], False
        lp.fix_cardinality(k, wf)
    return done


def _violated(pool, m, gid, x):
    """Mask of the cuts in pool (each with its row's edge ids among m, cut[3]) that the
    point x over the columns gid violates."""
    if not pool:
        return np.zeros(0, dtype=bool)
    full = np.zeros(m)
    full[gid] = x
    rows = [c[3] for c in pool]
    load = np.bincount(np.repeat(np.arange(len(pool)), [len(r) for r in rows]),
                       weights=full[np.concatenate(rows)], minlength=len(pool))
    return load > np.array([float(c[2]) for c in pool]) + _TOL


def _key(cut):
    return np.sort(cut[0]).tobytes(), np.sort(cut[1]).tobytes()


def _best_multiplier(a, k):
    """The lam minimising sum_e max(0, a_e + lam) - lam k (convex, piecewise linear, its
    slope the number of a_e > -lam minus k): minus the k-th largest a_e."""
    if k == 0:
        return -float(a.max())
    return -float(np.partition(a, len(a) - k)[len(a) - k])


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


def _blossoms(n, b, u, v, x, gid):
    """Violated blossoms (2.): S a component of the fractional support, F its cut's edges
    above one half."""
    frac = (x > _TOL) & (x < 1 - _TOL)
    if not frac.any():
        return []
    cu, cv = u[gid], v[gid]
    out = _support_blossoms(n, b, cu, cv, x, gid, frac)
    seen = {s.tobytes() for s, _, _ in out}
    limit = max(40, int(n * _CUTS_PER_VERTEX))
    out += [[s, gid[f], rhs] for s, f, rhs in violated_blossoms(n, b, cu, cv, x, limit)
            if s.tobytes() not in seen]
    return out


def _support_blossoms(n, b, cu, cv, x, gid, frac):
    """The blossoms on the components of the fractional support, every component's sums
    by one bincount over the columns (a pass over every column per component was 3.5 of
    the 7.6 s of separation at Douzelage 20 000)."""
    graph = sparse.coo_matrix((np.ones(int(frac.sum())), (cu[frac], cv[frac])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    touched = np.zeros(count, dtype=bool)
    touched[label[cu[frac]]] = touched[label[cv[frac]]] = True
    lu, lv = label[cu], label[cv]
    inner = (lu == lv) & touched[lu]
    cut = (lu != lv) & (x > 0.5)  # F: an edge above one half with one end in S
    f_at = np.concatenate([lu[cut], lv[cut]])
    f_col = np.concatenate([np.flatnonzero(cut)] * 2)
    f_x = np.concatenate([x[cut], x[cut]])
    bsum = np.bincount(label, weights=b, minlength=count).astype(np.int64)
    fsum = np.bincount(f_at, minlength=count)
    odd = bsum + fsum
    load = (np.bincount(lu[inner], weights=x[inner], minlength=count)
            + np.bincount(f_at, weights=f_x, minlength=count))
    hit = np.flatnonzero(touched & (odd % 2 == 1) & (load > (odd - 1) / 2 + _TOL))
    if len(hit) == 0:
        return []
    by_label = np.argsort(label, kind="stable")
    start = np.searchsorted(label[by_label], np.arange(count + 1))
    order = np.lexsort((f_col, f_at))  # F's columns per component, in column order
    f_start = np.searchsorted(f_at[order], np.arange(count + 1))
    return [[by_label[start[c] : start[c + 1]], gid[f_col[order[f_start[c] : f_start[c + 1]]]],
             int(odd[c] - 1) // 2] for c in hit.tolist()]


def _cut_load(m, cuts, mu):
    """sum_S mu_S a_S(e) for every edge (of m): one bincount over the rows of the cuts
    with mu_S > 0."""
    on = np.flatnonzero(mu > 0)
    if len(on) == 0:
        return np.zeros(m)
    rows = [cuts[i][3] for i in on.tolist()]
    sizes = np.array([len(r) for r in rows])
    return np.bincount(np.concatenate(rows), weights=np.repeat(mu[on], sizes), minlength=m)


class _EdgesByTail:
    """Edge ids grouped by their u end, to find E(S) from S's own edges rather than by a
    pass over every edge of the component per cut (7 833 cuts x 770 000 edges at
    Douzelage 20 000)."""

    def __init__(self, n, u, v):
        self.n, self.v = n, v
        self.order = np.argsort(u, kind="stable")
        self.start = np.searchsorted(u[self.order], np.arange(n + 1))

    def row(self, cut):
        """The edges (of all) with coefficient 1 in the cut's row: E(S), then F (kept with
        the cut as cut[3]: its S and F never change)."""
        s, f = cut[0], cut[1]
        inside = np.zeros(self.n, dtype=bool)
        inside[s] = True
        count = self.start[s + 1] - self.start[s]
        k, within = ragged(count)
        at = self.order[self.start[s][k] + within]
        return np.concatenate([np.sort(at[inside[self.v[at]]]), f])


def _fixed_search(n, b, u, v, w, k, free, one, cuts):
    """Max weight with exactly k edges: the `one` edges taken, the free ones chosen, the
    rest left out (3.). None if there is no such b-matching."""
    try:
        import rustworkx  # noqa: F401
    except ImportError:
        return _fixed_milp(n, b, u, v, w, k, free, one, cuts)
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
        pick[e[_lexicographic_matching(left[verts], local[: len(e)], local[len(e) :], w[e])]] = True
    load = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n)
    return pick if int(pick.sum()) == k and (load <= b).all() else None


def _parts(n, u, v):
    """Edge indices per connected component of the free edges. The search splits over
    them: no b-matching constraint spans two, so the most edges and then the most weight
    are each part's, added up (one cold blossom search per part instead of one on all)."""
    graph = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    of_edge = label[u]
    order = np.argsort(of_edge, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(of_edge[order])) + 1) if len(u) else []


def _lexicographic_matching(b, u, v, w):
    """Mask of a b-matching with the most edges, then the most weight (b >= 1 at every
    end), by Tutte's reduction to a matching (3.) and rustworkx's blossom algorithm."""
    import rustworkx as rx

    first = np.concatenate([[0], np.cumsum(b)])  # v's copies: first[v] .. first[v+1]-1
    bu, bv = b[u], b[v]
    direct = np.flatnonzero(np.minimum(bu, bv) == 1)
    gadget = np.flatnonzero(np.minimum(bu, bv) > 1)
    # Direct edges: every copy of u with every copy of v (one side has a single copy).
    reps = bu[direct] * bv[direct]
    e_d = np.repeat(direct, reps)
    within = np.arange(len(e_d)) - np.repeat(np.cumsum(reps) - reps, reps)
    a_d = first[u[e_d]] + within // bv[e_d]
    c_d = first[v[e_d]] + within % bv[e_d]
    # Gadgets: p = base + 2i, q = base + 2i + 1 for the i-th gadget edge.
    base = int(first[-1])
    p = base + 2 * np.arange(len(gadget))
    e_p = np.repeat(gadget, bu[gadget])
    k_p = np.arange(len(e_p)) - np.repeat(np.cumsum(bu[gadget]) - bu[gadget], bu[gadget])
    e_q = np.repeat(gadget, bv[gadget])
    k_q = np.arange(len(e_q)) - np.repeat(np.cumsum(bv[gadget]) - bv[gadget], bv[gadget])
    slot = np.full(len(u), -1)
    slot[gadget] = np.arange(len(gadget))
    tails = np.concatenate([a_d, p, first[u[e_p]] + k_p, p[slot[e_q]] + 1])
    heads = np.concatenate([c_d, p + 1, p[slot[e_p]], first[v[e_q]] + k_q])
    edge = np.concatenate([e_d, gadget, e_p, e_q])  # the original edge of each
    # What a matched edge counts towards its original edge: 2 (direct), 0 (a gadget's
    # middle), 1 (a gadget's outer edge); an original edge is used at 2.
    role = np.concatenate([np.full(len(e_d), 2), np.zeros(len(gadget), dtype=np.int64),
                           np.ones(len(e_p) + len(e_q), dtype=np.int64)])
    weights = w[edge].tolist()
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(base + 2 * len(gadget)))
    graph.add_edges_from(list(zip(tails.tolist(), heads.tolist(), range(len(edge)),
                                  strict=True)))
    mate = rx.max_weight_matching(graph, max_cardinality=True,
                                  weight_fn=lambda i: weights[i])
    hits = np.zeros(len(u), dtype=np.int64)
    for a, c in mate:
        i = graph.get_edge_data(a, c)
        hits[edge[i]] += role[i]
    return hits == 2


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
