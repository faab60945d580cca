"""Exact lexicographic b-matching of one component by LEMON's blossom algorithm on a core
of its edges, every other edge priced against LEMON's optimal dual. No flow and no LP: the
path for components whose fractional optimum has odd closed circuits (solver.py), tried
before the repair (repair.py) where the native matching is built.

The b-matching is a matching of Tutte's reduction (tutte.py) with every weight raised by
C = lift(N, w), N the node count of the WHOLE component's reduction, so a maximum weight
matching of any part of it has the most edges, then the most weight (lemon_matching.py).
LEMON solves the reduction of a core of edges and returns an optimal dual (lemon_matching.
Dual; values times 4): y >= 0 per node, z >= 0 per nested blossom, y_a + y_c + z(a, c) >=
4 w'_ac on every core edge, z(a, c) the z of the blossoms holding both. The core's matching
plus, for each edge outside the core between two capacities above 1, its gadget's middle
edge p - q, is a matching of the whole reduction. It is optimal when the dual extends to a
feasible dual of the whole reduction with complementary slackness:

- an edge outside the core with an end of capacity 1 adds unmatched edges between existing
  nodes: each copy pair needs y_a + y_c + z(a, c) >= 4 w';
- a gadget a - p - q - c outside the core adds two nodes, matched to each other. Put p and
  q into a blossom L holding every copy of both ends, and into L's ancestors (the blossoms
  stay odd and full), with y_p + y_q = 4 w' - Z_L (Z_L: the z of L and its ancestors):
  every copy a_i then needs y_p >= 4 w' - Z_L - y(a_i), likewise q, and y_p, y_q >= 0,
  which is possible iff Z_L <= 4 w' and min y(a_i) + min y(c_j) + Z_L >= 4 w'. L is the
  lowest blossom holding all the copies, or none (Z_L = 0) when its Z_L exceeds 4 w'.

Edges failing this join the core (each person's _PER most violated, or if fewer fail at
a person, the edges that the dual leaves tight there) and LEMON runs again; when none
fails, the core's answer is the component's optimum. None after _ROUNDS rounds (the
caller then goes to the repair). LEMON starts again from its fractional jump start while
many edges failed, and from the last optimum (blossom_resume.py) once few did (the
constants below): it then grows trees only where the new edges disturb it (Douzelage
100 000: 0.3-6 s a round against 7.8-11 s).
"""

from __future__ import annotations

import logging

import numpy as np

from . import blossom_resume, blossom_tree, lemon_matching, threads, tutte
from .keysort import most_per_end

_log = logging.getLogger(__name__)

_FIRST = 3  # each person's heaviest edges in the first core
# Each person's edges of least slack (< 0, or else = 0) added per round. Tight edges
# join beside the violated ones: the next optimum tends to move onto them (Douzelage
# 100 000 seed 1: 6 LEMON solves instead of 7).
_PER = 2
_ROUNDS = 12
# A round resumes from the last optimum when the state carried from it has at most
# _RESUME_ROOTS roots (exposed nodes with a positive value, about two per violated edge):
# from more, LEMON's fractional jump start is faster (Douzelage 100 000: 3 455 roots
# 6.0 s resumed against 10.9 s cold, 4 450: 4.8 against 7.8 s, 10 253: 16.9 against
# 10.9 s, 55 531: 25 against 8 s). Beyond _RESUME violated edges the state is not built.
_RESUME_ROOTS = 6000
_RESUME = 10_000


def solve_component(n: int, b: np.ndarray, u: np.ndarray, v: np.ndarray,
                    w: np.ndarray) -> np.ndarray | None:
    """Mask over the edges of a lexicographic optimum (most edges, then most weight), or
    None if the pricing has not closed after _ROUNDS rounds."""
    b = np.asarray(b, dtype=np.int64)
    w = np.asarray(w, dtype=np.int64)
    u, v = (np.ascontiguousarray(x, dtype=np.int32) for x in (u, v))  # the shim's pricing
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    nodes = int(b.sum()) + 2 * int((np.minimum(b[u], b[v]) > 1).sum())
    lift = lemon_matching.lift(nodes, w)
    first = tutte.first_copies(b)  # the reduction's numbering, which the pricing reads
    core = most_per_end(n, u, v, w, _FIRST)
    last, violated = None, None
    for _ in range(_ROUNDS):
        cid = np.flatnonzero(core)
        count, tails, heads, edge, role = tutte.reduction(b, u[cid], v[cid])
        now = blossom_resume.Reduction(count, tails, heads, cid[edge], role,
                                       w[cid][edge] + lift)
        start = None
        if last is not None and violated <= _RESUME:
            start = blossom_resume.carried(*last, now)
            if np.count_nonzero((start.mate < 0) & (start.y > 0)) > _RESUME_ROOTS:
                start = None
        best = _solved(now, start)
        last = now, best
        slack = _Pricing(best.dual, best.tree, first, b, lift).slack(u, v, w, core)
        violated = int(np.count_nonzero(slack < 0))
        if violated == 0:
            hit = np.flatnonzero(best.matched)
            uses = np.bincount(edge[hit], weights=role[hit], minlength=len(cid))
            pick = np.zeros(len(u), dtype=bool)
            pick[cid[uses == 2]] = True
            return pick
        near = np.flatnonzero((slack <= 0) & ~core)
        core[near[most_per_end(n, u[near], v[near], -slack[near], _PER)]] = True
    return None


def _solved(now: blossom_resume.Reduction, start) -> blossom_resume.Optimum:
    """LEMON on the round's reduction, from `start` if given; cold if the shim finds the
    start invalid (blossom_resume.py's construction makes it valid: this is the guard
    against a mistake there, which would otherwise send LEMON's heaps astray)."""
    args = now.count, now.tails, now.heads, now.w
    try:
        matched, dual, blossoms, _ = lemon_matching.resumable(*args, start)
    except lemon_matching.InvalidStart:
        _log.warning("priced blossom: the resumed start was refused; solving the round cold")
        matched, dual, blossoms, _ = lemon_matching.resumable(*args)
    return blossom_resume.Optimum(matched, dual, blossoms)


class _Pricing:
    """Each edge's least slack under the dual's extension (the module docstring), from the
    laminar tree of the blossoms; the pass over the edges is the shim's (lemon_matching.
    blossom_slack), on the worker threads."""

    def __init__(self, dual, tree: blossom_tree.BlossomTree, first, b, lift):
        self.dual, self.first, self.b, self.lift = dual, first, b, lift
        n, count = len(dual.y), len(dual.z)
        # The shim's numbering: the blossoms' own, `count` the root holding everything.
        self.root = count
        self.parent = tree.parent[n:] - n
        self.depth, self.total = tree.depth[n:], tree.total[n:]
        self.deepest = tree.parent[:n] - n  # each node's innermost blossom
        # Lowest common blossoms by range minima over a preorder (the blossoms by their
        # ranges' begins, outer ones first: the root before them): for x before y, the
        # shallowest blossom in (x, y]'s preorder range is a child of their lowest common
        # one. table[j, i]: the shallowest of the 2^j blossoms from preorder place i
        # (past the last full range, copies of the level below: never read).
        preorder = np.concatenate([[count], np.lexsort((-dual.end, dual.begin))])
        self.place = np.empty(count + 1, dtype=np.int64)
        self.place[preorder] = np.arange(count + 1)
        depth = self.depth
        self.table = np.empty((max(1, (count + 1).bit_length()), count + 1), dtype=np.int64)
        self.table[0] = preorder
        for j in range(1, len(self.table)):
            last, half = self.table[j - 1], 2 ** (j - 1)
            a, c = last[:-half], last[half:]
            self.table[j, :-half] = np.where(depth[a] <= depth[c], a, c)
            self.table[j, -half:] = last[-half:]

    def slack(self, u, v, w, core):
        """Least slack of every edge outside the core (the core's own: 0). u, v: int32."""
        out = np.empty(len(u), dtype=np.int64)
        w = np.ascontiguousarray(w, dtype=np.int64)
        core = np.ascontiguousarray(core, dtype=bool).view(np.uint8)

        def part(lo, hi):
            lemon_matching.blossom_slack(
                u[lo:hi], v[lo:hi], w[lo:hi], core[lo:hi], self.lift, self.first, self.b,
                self.dual, self.deepest, self.parent, self.depth, self.total, self.place,
                self.table, out[lo:hi])

        threads.each(part, *zip(*threads.bounds(len(u)), strict=True))
        return out
