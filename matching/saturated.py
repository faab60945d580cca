"""Components a fractional b-matching fills completely, found before the flow runs: where
LEMON's matching is built they skip the flow and go to priced_blossom.py (solver.py).

Capacities summing to an odd B: the flow cannot round such a component. Its optimum (most
units first) fills every capacity too: B units, so its edges x_e in {0, 1/2, 1} sum to
B / 2, a half, and there is an odd number of half-edges. Every vertex is tight (b(v)
units, so an even number of half-edges at each), so the half-edges make closed trails
through tight vertices, one of them of odd length: the closed odd circuit that sends the
component past the flow.

An even B proves nothing: the routing is measured, not proven. A component filled
completely has every capacity taken, and among thousands of people one odd circuit of
halves is enough to send it past the flow: Douzelage 100 000 seeds 2, 4 and 5 (even B)
each went through the flow (~50 s) to the priced blossom. The priced blossom is exact
either way; only time is at stake. No component of the realistic 100 000 populations
(citizens, tandem) is filled, and a person with fewer edges than capacity rules a
component out before any search (a count of the edges' v ends: 0.07 s at 18 M edges).

The search: a maximum flow (SciPy's Dinic) on each person's first _FIRST edges as u
(Douzelage 100 000: B = 160 209 reached on 789 189 of 17.6 M edges in 0.2-0.9 s); where
it finds no filling the component takes the flow.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow

from .ragged import ragged

_FIRST = 8  # edges per person as u (4 left Douzelage 100 000 ten units short)


def components(n: int, cap: np.ndarray, u: np.ndarray, v: np.ndarray,
               of_vertex: np.ndarray, asked: np.ndarray, as_u: np.ndarray) -> np.ndarray:
    """Mask over the components: those of `asked` (a mask over them) that a fractional
    b-matching on the search's edges fills completely. as_u: each person's edge count as
    u."""
    count = len(asked)
    if not asked.any():
        return asked
    degree = as_u + np.bincount(v, minlength=n)
    asked = asked & (np.bincount(of_vertex[degree < cap], minlength=count) == 0)
    if not asked.any():
        return asked
    total = np.bincount(of_vertex, weights=cap, minlength=count).astype(np.int64)
    people = np.flatnonzero(asked[of_vertex])
    edges = _first_edges(n, u, people, as_u)
    su, sv = u[edges].astype(np.int64), v[edges].astype(np.int64)
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


def _first_edges(n, u, people, as_u):
    """Indices of the first _FIRST edges as u of each of `people` (increasing ids): from
    the bounds of their runs where u is sorted (the engine's are), which reads no mask of
    every edge."""
    if len(u) > 1 and (u[1:] < u[:-1]).any():
        order = np.argsort(u, kind="stable")
        return order[_first_edges(n, u[order], people, as_u)]
    row, within = ragged(np.minimum(as_u[people], _FIRST))
    return np.searchsorted(u, people)[row] + within
