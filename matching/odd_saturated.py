"""Components the double cover's flow cannot solve, found before it runs.

When a component's capacities sum to an odd B and some fractional b-matching fills every
capacity, the flow's optimum (most units first) fills them all too: B units, so its edges
x_e in {0, 1/2, 1} sum to B / 2, a half, and there is an odd number of half-edges. Every
vertex is tight (b(v) units, so an even number of half-edges at each), so the half-edges
make closed trails through tight vertices, one of them of odd length: the closed odd
circuit that sends the component past the flow to priced_blossom.py (solver.py). Such a
component skips the flow. A maximum flow (SciPy's Dinic) on each person's first _FIRST
edges as u looks for the filling b-matching (Douzelage 100 000: B = 160 209 reached on
789 189 of 17.6 M edges in 0.2 s); where it finds none the component takes the flow as
before, since nothing is proven.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow

_FIRST = 8  # edges per person as u (4 left Douzelage 100 000 ten units short)


def components(n: int, cap: np.ndarray, u: np.ndarray, v: np.ndarray,
               of_vertex: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Mask over the components: those of `asked` (a mask over them) whose capacities sum
    to an odd number and which have a fractional b-matching filling every capacity."""
    count = len(asked)
    total = np.bincount(of_vertex, weights=cap, minlength=count).astype(np.int64)
    asked = asked & (total % 2 == 1)
    if not asked.any():
        return asked
    inside = asked[of_vertex]  # per person
    edges = _first_edges(n, u, inside[u])
    su, sv = u[edges].astype(np.int64), v[edges].astype(np.int64)
    people = np.flatnonzero(inside)
    source, sink = 2 * n, 2 * n + 1
    # The double cover: source -> l_p (b(p)), l_u -> r_v and l_v -> r_u (1), r_p -> sink.
    tails = np.concatenate([np.full(len(people), source), su, sv, n + people])
    heads = np.concatenate([people, n + sv, n + su, np.full(len(people), sink)])
    caps = np.concatenate([cap[people], np.ones(2 * len(su), dtype=np.int64), cap[people]])
    graph = sparse.csr_matrix((caps.astype(np.int32), (tails, heads)),
                              shape=(2 * n + 2, 2 * n + 2))
    sent = maximum_flow(graph, source, sink, method="dinic").flow.tocsr()[source]
    filled = np.bincount(of_vertex[sent.indices], weights=sent.data, minlength=count)
    return asked & (filled.astype(np.int64) == total)


def _first_edges(n, u, on):
    """Indices of each person's first _FIRST edges as u among the edges `on` (a mask)."""
    at = np.flatnonzero(on)
    ends = u[at]
    if len(ends) > 1 and (ends[1:] < ends[:-1]).any():  # the engine's are sorted by u
        order = np.argsort(ends, kind="stable")
        at, ends = at[order], ends[order]
    start = np.searchsorted(ends, np.arange(n + 1))
    take = np.minimum(np.diff(start), _FIRST)
    within = np.arange(int(take.sum())) - np.repeat(np.cumsum(take) - take, take)
    return at[np.repeat(start[:-1], take) + within]
