"""The double cover's min-cost flow by pricing: LEMON's network simplex (pylmcf) on each
person's few heaviest edges, its node potentials proving the other edges out, and an
optimality certificate over the whole network checked here.

The network (people 0..n-1; capacity 0 for one without an edge, whom LEMON's copy leaves
out): a source s with supply B = sum b and a sink t with demand B; arcs s -> l_v and
r_v -> t (capacity b(v), cost 0); for every edge uv the arcs l_u -> r_v and l_v -> r_u
(capacity 1, cost W - w(uv) >= 0, W = max w); and a bypass s -> t (capacity B, cost
M = W B + 1). Every unit through the people crosses exactly one edge arc, so a flow
sending F units through them costs
M (B - F) + (W F - w(F)) with 0 <= W F - w(F) <= W B < M: the minimum cost maximises F
first and the weight second, which is the lexicographic order of flow.double_cover_flow
(ortools' solve_max_flow_with_min_cost); both give an optimal fractional b-matching.

Pricing: solve on a subset of the edges (each person's b(v) + _EXTRA heaviest, with the
edges tied with them in a coarse weight range), read the node potentials pi (reduced cost
of an arc: cost + pi[tail] - pi[head]); an edge left out whose two arcs have reduced costs
>= 0 can join at flow 0 without breaking the optimality conditions, so the edges with a
negative one (and those with one just above 0) join and the subset is solved again, until
no edge left out has a negative one. A network built for a round also carries the edges of
reduced cost below max(w) / _WIDE, priced above the bypass until they join, so the rounds
that add only edges among them re-solve warm from LEMON's last basis (a cost change).

A round whose potentials price in more edges than the subset holds is a flood: the first
subset left many people short of capacity (citizens at 100 000: 40 000 of 69 000), and
every edge between two people reachable with spare capacity prices in at about -M. The
people short need a few edges each, so such a round adds each person's b(v) + _PER of least
reduced cost among them (at either end); the next potentials price in what is still
missing, and the end is certified as always.

Pivot rule: LEMON's `candidate_list` stalls when nearly every person's arcs from s and to
t are full (Douzelage: all of them; 2.6x slower than `block_search` on the first solve at
20 000, 184 s against 16-23 s at 100 000), and is about 2x faster when many are not
(realistic 100 000: 63 % below capacity; Douzelage 20 000 with every 10th person at
capacity 30: 10 %). The share of units through the bypass does not tell them apart: one
Douzelage person of capacity 20 000 puts 38 % of the supply there and leaves the rest as
slow for `candidate_list`. So the first solve uses `block_search`, and a later one
`candidate_list` when at least _SPARE of those arcs were below capacity in the solve before.

The end is certified here rather than trusted from the solver: the flow is feasible (arc
flows 0 or 1, at most b(v) out of l_v and into r_v) and EVERY arc of the full network meets
complementary slackness with pi (flow 0 -> reduced cost >= 0, flow at capacity -> <= 0, in
between -> 0). A feasible flow with such potentials is a minimum-cost flow (LP duality), so
the answer is exact whatever the solver did; a failed certificate returns None and the
caller solves the whole flow the old way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import lemon_network, threads
from .keysort import packed_sorted, stable_order

# Each person's b(v) + _EXTRA heaviest edges start the subset (3 solves at 100 000 people;
# 8 gives as many on 1.5x the arcs).
_EXTRA = 4
# Past this many rounds every edge joins (the last solve then is the whole flow).
_ROUNDS = 30
_BUCKETS = 64
# An edge left out joins when a reduced cost is below max(w) / _NEAR (not only below 0).
_NEAR = 200
# candidate_list stalls on the complete multipartite slot groups of Douzelage (4x slower at
# 20 000 people, over 100 s for the first solve at 100 000); block_search does not. The
# first solve uses _PIVOT; a later one _SPARE_PIVOT when >= _SPARE of the arcs s -> l_v and
# r_v -> t were below capacity in the solve before (module docstring; seen: 0-1 % where
# block_search wins, 10-63 % where candidate_list does).
_PIVOT = "block_search"
_SPARE_PIVOT = "candidate_list"
_SPARE = 0.05
# A round pricing in more edges than it solved (a flood: the subset left many people short
# of capacity, so every edge between two of them prices in at about -M) adds only each
# person's b(v) + _PER edges of least reduced cost among them: the people short need a few
# edges each (citizens at 100 000: 2.09 M edges priced in, 59 000 added, the same optimum).
_FLOOD = 1.0
_PER = 2
# A network built after a round carries the edges of reduced cost below max(w) / _WIDE,
# when that round added at most _CALM x the edges it solved.
_WIDE = 20
_CALM = 0.02
# Reduced costs are computed in blocks of this many edges: the gathers' temporaries stay in
# cache (6x faster than whole arrays at 17.6 M edges).
_CHUNK = 1 << 20


def double_cover_flow(n, cap, u, v, w, extra: int | None = None) -> np.ndarray | None:
    """2 x an optimal fractional b-matching (0, 1 or 2 per edge, int8), or None if the
    certificate fails. Same contract as flow.double_cover_flow. `extra`: _EXTRA."""
    m = len(u)
    if m == 0:
        return np.zeros(0, dtype=np.int8)
    net = _Network(n, cap, u, v, w)
    if not net.fits:  # weights too large for int64 costs: the caller's whole flow
        return None
    keep = net.heaviest(_EXTRA if extra is None else extra)
    wider = None
    for _ in range(_ROUNDS):
        sel = np.flatnonzero(keep)
        y1, y2, pi = net.solve(sel, wider)
        prices = net.price(pi, keep)
        # The priced-in edges and the nearly priced-in ones: these are the ones the next
        # potentials tend to price in (one solve fewer at 100 000 people).
        joining = prices.joining
        if not (prices.cost < 0).any():  # near > 0: every priced-in edge is here
            break
        if len(joining) > _FLOOD * len(sel):
            joining = net.fewest(joining, prices.cost)
        keep[joining] = True
        # A rebuilt network also carries the edges within net.wide, idle until priced in,
        # so that the rounds after it re-solve warm; only once few edges join per round:
        # after a large change the next potentials price in edges far outside net.wide.
        joined = np.count_nonzero(keep) - len(sel)
        wider = None
        if joined <= _CALM * len(sel):
            wider = keep.copy()
            wider[prices.wide] = True
    else:
        sel = np.arange(m)
        y1, y2, pi = net.solve(sel)
        prices = None
    if not (_binary(y1) and _binary(y2)):
        return None
    f1 = np.zeros(m, dtype=np.int8)
    f2 = np.zeros(m, dtype=np.int8)
    f1[sel], f2[sel] = y1, y2
    if not net.certified(f1, f2, pi, prices):
        return None
    f1 += f2
    return f1


class _Prices(NamedTuple):
    """What one pass over every edge with the potentials `pi` found, by each edge's least
    reduced cost (the lesser of its two arcs'): no array of every edge's reduced cost
    (145 MB of fresh memory at 18 M edges, and fresh pages cost about 2 s per GB here)."""

    pi: np.ndarray
    joining: np.ndarray  # edges outside the subset below net.near (increasing)
    cost: np.ndarray  # their least reduced costs
    wide: np.ndarray  # edges outside the subset below net.wide (joining among them)
    negative: np.ndarray  # every edge below 0, in the subset or not


class _Network:
    """The double cover's network (module docstring)."""

    def __init__(self, n, cap, u, v, w):
        # The edges keep the people's own numbers: renumbering those with an edge meant
        # two gathers over every edge end (0.5 s at 18 M edges). LEMON's network holds
        # only the people with an edge (31 000 more nodes of capacity 0 made its solves
        # slower in two runs of two); its potentials are read back into the people's
        # numbers, and a person with no edge has capacity 0 in the certificate, so their
        # arcs carry nothing and meet every slackness condition.
        present = np.zeros(n, dtype=bool)
        present[u] = present[v] = True
        # intp indices: numpy's gathers convert any other index type first (an int32 u
        # makes the pricing pass twice as slow at 17.6 M edges)
        self.u, self.v = np.asarray(u, dtype=np.intp), np.asarray(v, dtype=np.intp)
        self.n = n
        self.people = np.flatnonzero(present)  # LEMON's person i is self.people[i]
        self.local = np.cumsum(present, dtype=np.intp) - 1  # and back (for those present)
        self.b = np.where(present, cap, 0).astype(np.int64)
        self.b_people = self.b[self.people]  # the capacities in LEMON's order
        # Arc costs W - w(uv) are taken from w where needed (cost()): an array of them
        # would be 72 MB of fresh memory at 18 M edges. w is read as given, any integer
        # type (the engine's are int32); costs meet the potentials in int64.
        w = np.asarray(w)
        self.w = w if np.issubdtype(w.dtype, np.integer) else w.astype(np.int64)
        self.wmax = wmax = int(w.max())
        self.total = int(self.b.sum())
        self.bypass = wmax * self.total + 1
        self.near = max(wmax // _NEAR, 1)  # reduced costs below this join the subset
        self.wide = max(wmax // _WIDE, self.near)
        self._warm = None  # (LEMON graph, its arc order, its edges: sorted indices)
        self.pivot = _PIVOT  # the next solve's (solve() sets it from the flow it finds)
        # LEMON's artificial arcs cost 2**62; real potentials stay below 3 M < 2**60.
        self.fits = self.bypass < 2**57 and self.bypass * self.total < 2**61
        self.s, self.t = 2 * n, 2 * n + 1

    def cost(self, which) -> np.ndarray:
        """The edge arcs' cost W - w(uv) >= 0 of the edges `which` (indices or slice)."""
        return np.subtract(self.wmax, self.w[which])

    def heaviest(self, extra: int) -> np.ndarray:
        """Mask of each person's b(v) + extra heaviest edges, and the edges tied with
        them within one of _BUCKETS weight ranges (counts per person and range: no sort
        of the 2m edge ends)."""
        n, m = self.n, len(self.w)
        ranges = _BUCKETS  # fewer where n x _BUCKETS counts would pass 2**25 (256 MB)
        while ranges > 2 and n * ranges > 2**25:
            ranges //= 2
        shift = max((self.wmax - int(self.w.min())).bit_length() - (ranges - 1).bit_length(), 0)
        bucket = np.empty(m, dtype=np.uint8)  # < ranges <= 64, lower is heavier
        # Counted block by block (np.add.at into intp counts is as fast as one bincount):
        # whole-array (end, range) keys would be 145 MB of fresh memory at 18 M edges.
        counts = np.zeros(n * ranges, dtype=np.intp)
        for part in _blocks(m):
            here = np.right_shift(self.cost(part), shift, out=bucket[part], casting="unsafe")
            for ends in (self.u, self.v):
                key = ends[part] * ranges
                key += here
                np.add.at(counts, key, 1)
        counts = counts.reshape(n, ranges)
        np.cumsum(counts, axis=1, out=counts)
        # The first range in which v's count reaches b(v) + extra (all, if it never does).
        last = (counts < (self.b + extra)[:, None]).sum(axis=1)
        del counts
        keep = np.empty(m, dtype=bool)
        for part in _blocks(m):
            limit = last[self.u[part]]
            np.maximum(limit, last[self.v[part]], out=limit)
            np.less_equal(bucket[part], limit, out=keep[part])
        return keep

    def fewest(self, joining: np.ndarray, reduced: np.ndarray) -> np.ndarray:
        """Of the edges `joining` (increasing indices) of least reduced costs `reduced`,
        those among the b(v) + _PER of least reduced cost at either end (ties by edge
        order). The sorted ends are read block by block: whole-array temporaries would be
        176 MB of fresh memory for a flood of 2.1 M edges."""
        m, n = len(joining), self.n
        ranked = stable_order(reduced - int(reduced.min()), in_place=True)  # ties: edge order
        # Each edge's two ends side by side in that order (entries 2 i and 2 i + 1 are
        # edge ranked[i]'s), then sorted by end: each end's edges in order of cost.
        picked = joining[ranked]
        ends = np.empty(2 * m, dtype=np.int64)
        ends[0::2], ends[1::2] = self.u[picked], self.v[picked]
        del picked
        packed = packed_sorted(ends, in_place=True)  # read block by block below
        if packed is None:
            order = np.argsort(ends, kind="stable")
        count = np.bincount(self.u[joining], minlength=n)
        count += np.bincount(self.v[joining], minlength=n)
        first = np.cumsum(count) - count  # where each end's run starts in sorted order
        limit = self.b + _PER
        take = np.zeros(m, dtype=bool)
        for part in _blocks(2 * m):
            if packed is None:
                entry = order[part]
                at = ends[entry]
            else:
                keys, bits = packed[0][part], packed[1]
                at, entry = keys >> bits, keys & ((1 << bits) - 1)
            within = np.arange(part.start, part.start + len(at)) - first[at]
            take[ranked[entry[within < limit[at]] // 2]] = True
        return joining[take]

    def solve(self, sel, wider=None):
        """Min-cost flow on the edges `sel`: (flow on l_u -> r_v, on l_v -> r_u, potentials).

        LEMON's network simplex keeps its basis between solves when only costs change, so
        the network is built on more edges than `sel` (the mask `wider`, if given, when
        `sel` is not within the last network's edges) and each solve prices the edges
        outside `sel` above the bypass: a unit through one of them costs more than through
        the bypass, so no optimal flow uses them, and the optimum is the one on `sel`
        alone. A later `sel` within the same edges re-solves warm from the last basis."""
        at = None
        if self._warm is not None:  # sel's places among the held network's edges
            pool = self._warm[2]
            at = np.searchsorted(pool, sel)
            if not (pool[np.minimum(at, len(pool) - 1)] == sel).all():
                at = None
        if at is None:
            self._warm = None  # one network held at a time (memory)
            pool = np.zeros(len(self.u), dtype=bool)
            pool[sel] = True
            if wider is not None:
                pool |= wider
            pool = np.flatnonzero(pool)
            su, sv = self.local[self.u[pool]], self.local[self.v[pool]]
            self._warm = (*lemon_network.double_cover(su, sv, self.b_people, self.total), pool)
            at = np.searchsorted(pool, sel)
        graph, order, pool = self._warm
        k = len(pool)
        cost = np.full(k, self.bypass + 1, dtype=np.int64)
        cost[at] = self.cost(sel)
        p = len(self.people)  # arcs and nodes as lemon_network.py lays them out
        graph.set_edge_costs(np.concatenate([np.concatenate([cost, cost])[order],
                                             np.zeros(2 * p, dtype=np.int64),
                                             [self.bypass]]))
        graph.set_pivot_rule(self.pivot)
        graph.solve()
        result = np.asarray(graph.result())
        flows = np.empty(2 * k, dtype=np.int64)
        flows[order] = result[: 2 * k]
        # After the edge arcs: r_v -> t, then s -> l_v (then the bypass). The share of them
        # below capacity picks the next pivot rule.
        b = self.b_people
        below = np.count_nonzero(result[2 * k : 2 * k + p] < b)
        below += np.count_nonzero(result[2 * k + p : 2 * k + 2 * p] < b)
        self.pivot = _SPARE_PIVOT if below >= _SPARE * 2 * p else _PIVOT
        # LEMON's l_i, r_i, s, t back to l_v, r_v, s, t (0 for the people with no edge).
        found = np.asarray(graph.potentials(), dtype=np.int64)
        n = self.n
        pi = np.zeros(2 * n + 2, dtype=np.int64)
        pi[self.people], pi[n + self.people] = found[:p], found[p : 2 * p]
        pi[self.s], pi[self.t] = found[2 * p], found[2 * p + 1]
        return flows[at], flows[k + at], pi

    def _reduced(self, pi, tail, head, cost):
        """Reduced costs of the arcs l_tail -> r_head of costs `cost`:
        cost + pi[l_tail] - pi[r_head]."""
        left, right = pi[: self.n], pi[self.n : 2 * self.n]
        rc = np.empty(len(tail), dtype=np.int64)
        for part in _blocks(len(tail)):
            x = left[tail[part]]
            x -= right[head[part]]
            x += cost[part]
            rc[part] = x
        return rc

    def price(self, pi, keep=None) -> _Prices:
        """One pass over every edge with the potentials pi (module docstring, Pricing);
        `keep`: the subset solved (none if not given). Blocks run on the worker threads
        (the flow's other steps are on one core)."""
        left, right = pi[: self.n], pi[self.n : 2 * self.n]

        def block(part: slice):
            u, v = self.u[part], self.v[part]
            x = left[u]
            x -= right[v]
            y = left[v]
            y -= right[u]
            np.minimum(x, y, out=x)
            x -= self.w[part]
            x += self.wmax  # the lesser reduced cost of the two arcs
            start = part.start
            negative = np.flatnonzero(x < 0) + start
            out = x < self.wide
            if keep is not None:
                out &= ~keep[part]
            at = np.flatnonzero(out)
            rc = x[at]
            at += start
            close = rc < self.near
            return at[close], rc[close], at, negative

        found = threads.each(block, list(_blocks(len(self.u)))) or [block(slice(0, 0))]
        return _Prices(pi, *(np.concatenate(x) for x in zip(*found, strict=True)))

    def certified(self, f1, f2, pi, prices: _Prices | None = None) -> bool:
        """Feasibility and complementary slackness on every arc of the full network.
        `prices`: the last round's pass, read if it was made with these same potentials
        (one pass over every edge fewer)."""
        n, b = self.n, self.b
        if not (_binary(f1) and _binary(f2)):
            return False
        # Potentials from an artificial arc (LEMON's cost 2**62) would overflow the reduced
        # costs below; real ones are path sums of costs, below M + 2 n W <= 3 M < 2**60.
        if np.abs(pi).max() >= 2**60:
            return False
        # An edge without flow needs both arcs' reduced costs >= 0, that is its least one.
        if prices is None or prices.pi is not pi:
            prices = self.price(pi)
        below = prices.negative
        if ((f1[below] == 0) & (f2[below] == 0)).any():
            return False
        # An edge with flow, each arc by its own flow.
        on = np.flatnonzero(f1 | f2)
        u, v, cost = self.u[on], self.v[on], self.cost(on)
        for f, tail, head in ((f1[on], u, v), (f2[on], v, u)):
            rc = self._reduced(pi, tail, head, cost)
            if ((f == 0) & (rc < 0)).any() or ((f == 1) & (rc > 0)).any():
                return False
        on1, on2 = f1 == 1, f2 == 1
        out = np.bincount(self.u[on1], minlength=n) + np.bincount(self.v[on2], minlength=n)
        into = np.bincount(self.v[on1], minlength=n) + np.bincount(self.u[on2], minlength=n)
        through = int(out.sum())
        s, t = self.s, self.t
        return (_slack(out, b, pi[s] - pi[:n])  # s -> l_v
                and _slack(into, b, pi[n:2 * n] - pi[t])  # r_v -> t
                and _slack(np.array([self.total - through]), np.array([self.total]),
                           np.array([self.bypass + pi[s] - pi[t]])))


def _blocks(m: int):
    """Slices of _CHUNK edges covering range(m)."""
    return (slice(start, start + _CHUNK) for start in range(0, m, _CHUNK))


def _binary(f) -> bool:
    return bool(((f == 0) | (f == 1)).all())


def _slack(flow, cap, rc) -> bool:
    """0 <= flow <= cap and complementary slackness for arcs with reduced costs rc."""
    flow = np.asarray(flow, dtype=np.int64)
    if (flow < 0).any() or (flow > cap).any():
        return False
    return not (((flow < cap) & (rc < 0)).any() or ((flow > 0) & (rc > 0)).any())
