"""The bound of the repair (repair.py, 2.): duals of a sparse LP with blossom cuts, priced
against every edge of the component.

For y >= 0 on vertices, mu >= 0 on valid inequalities a_S.x <= c_S, and any real lam, let
r_e = w_e + lam - y_u - y_v - sum_S mu_S a_S(e). For every integral b-matching x' with k
edges,
    w(x') = sum_e r_e x'_e - lam k + sum_v y_v x'(d(v)) + sum_S mu_S a_S.x'
          <= D - sum_{x'_e = 1, r_e < 0} |r_e| - sum_{x'_e = 0, r_e > 0} r_e,
    D = sum_v b_v y_v + sum_S mu_S c_S + sum_e max(0, r_e) - lam k,
whatever y, mu, lam are (computed over EVERY edge of the component, so the LP that produced
them may have seen only some of the edges). The inequalities are blossoms
x(E(S)) + x(F) <= (b(S) + |F| - 1) / 2, F in the cut of S, b(S) + |F| odd, valid for every
integral b-matching (half the degree sums over S plus x_e <= 1 on F, rounded down).

Duals come from HiGHS on a sparse set of edges ("core": the support of x*, each vertex's
two heaviest edges, then every edge with r_e > 0 added until none is left; pricing comes
before cutting, as cuts on a core too small for k edges only mislead), one model kept warm
between rounds (cut_lp.py), with blossoms separated on the components of the fractional
support and by minimum cuts of a Gomory-Hu tree (blossom_separation.py:
Letchford-Reinelt-Theis, exact up to the set sizes it skips). A cut row whose dual has been
0 for _IDLE_ROUNDS solves leaves the model (its slack basic, so the basis stays valid) and
goes back as soon as the point violates it: the loop ends only on a point every cut found
holds, and the bound uses the duals of the LP solved last (its mu are the rows present, 0
for the others). With every blossom the LP is the b-matching polytope (Edmonds-Johnson),
so D closes on the integral optimum. First with lam = max w + 1 in the costs; if that LP
takes more than k edges, again with |x| = k as a constraint and lam the value minimising D
for its y and mu (the k-th largest w_e - y_u - y_v - ..., negated). Floating point only
weakens nothing: D is recomputed from the clipped duals.
"""

from __future__ import annotations

import numpy as np

from . import components, lemon_matching
from .blossom_separation import violated_blossoms
from .cut_lp import CutLP
from .keysort import most_per_end
from .ragged import ragged

_TOL = 1e-6
_LP_ROUNDS = 600
# Cut rounds end here when LEMON's search is built: later rounds tighten D by little and
# cost LP solves, while LEMON takes the larger free set a looser D leaves in about a second
# (Douzelage 20 000: the repair 9.5-12 s at 15 rounds, 22-60 s at 300; at 10 the free
# set's search takes 13-18 s). rustworkx's cubic search needs the tight D: up to 100
# rounds, or one per 66 vertices.
_CUT_ROUNDS = 15
_CUT_ROUNDS_CUBIC = 100
_CUTS_PER_VERTEX = 1 / 130  # exact cuts kept per round, at least 40
_TAIL = 10  # cut rounds stop when this many gained less than 1 together
# A cut row whose dual has been 0 for this many solves in a row leaves the model (0: rows
# stay): a late solve's cost grows with the rows (cut_lp.py), most of which are idle.
_IDLE_ROUNDS = 5
_TOP = 2  # each vertex's heaviest edges in the first core
_NEAR = 0.02  # pricing also takes edges within this share of max w of violating


def priced_duals(n, b, u, v, w, k, support):
    """(D, r over every edge, the blossoms, the LP's last point over every edge) from the
    sparse LP above, or None."""
    if not CutLP.available():
        return None
    wf = w.astype(np.float64)
    lam = float(wf.max()) + 1.0
    cost = wf + lam
    core = support | most_per_end(n, u, v, w, _TOP)
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
        ending = cut_rounds >= _cut_rounds(n) or tailing
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


def _cut_rounds(n):
    return _CUT_ROUNDS if lemon_matching.available() else max(_CUT_ROUNDS_CUBIC, n // 66)


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


def _blossoms(n, b, u, v, x, gid):
    """Violated blossoms: S a component of the fractional support, F its cut's edges
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
    count, label = components.labels(n, cu[frac], cv[frac])
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
