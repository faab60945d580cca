"""Connected components of a large candidate graph without transposing all of it.

SciPy's undirected components transpose the whole sparse graph first (0.5-0.9 s at 18 M
edges, most of it fresh memory). Here the components of every k-th edge come first (a few
edges per person), then the components of the graph whose vertices are those components
and whose edges are the edges crossing between them (citizens at 100 000: 218 000 of
18.2 M edges cross between the sample's 42 000 components). A path in the
graph is a path through sampled components and crossing edges, so the partition is the
same; so are the numbers, since both number components in the order of their least
vertex (the sample's components are numbered so, and a merged one's least vertex lies in
its least-numbered part).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

# The sample holds about this many edges per vertex; below twice that many, the whole
# graph goes to SciPy at once.
_PER_VERTEX = 4
# Crossing edges are found in blocks of this many: the temporaries stay in cache.
_CHUNK = 1 << 20


def labels(n: int, u: np.ndarray, v: np.ndarray) -> tuple[int, np.ndarray]:
    """(number of components, component of each vertex) of the graph on 0..n-1 with the
    edges u-v, numbered in the order of each component's least vertex (as SciPy's)."""
    step = len(u) // (_PER_VERTEX * n) if n else 0
    if step < 2:
        return _scipy(n, u, v)
    count, part = _scipy(n, u[::step], v[::step])
    a, b = [], []
    for start in range(0, len(u), _CHUNK):
        pu, pv = part[u[start : start + _CHUNK]], part[v[start : start + _CHUNK]]
        differ = pu != pv
        a.append(pu[differ])
        b.append(pv[differ])
    a, b = np.concatenate(a), np.concatenate(b)
    if len(a) == 0:
        return count, part
    merged, of_part = _scipy(count, a, b)
    return merged, of_part[part]


def by_component(edges: np.ndarray, of_edge: np.ndarray) -> list[np.ndarray]:
    """`edges` (increasing indices) grouped by their components `of_edge`, in component
    order (increasing within each)."""
    if len(edges) == 0:
        return []
    order = np.argsort(of_edge, kind="stable")
    bounds = np.flatnonzero(np.diff(of_edge[order])) + 1
    return np.split(edges[order], bounds)


def _scipy(n: int, u: np.ndarray, v: np.ndarray) -> tuple[int, np.ndarray]:
    if max(n, len(u)) < 2**31 and (u[1:] >= u[:-1]).all():
        # Sorted by u (as the pipeline passes them): the CSR matrix directly, without
        # the COO conversion's sort and copies (0.5 -> 0.1 s at 4.9 million edges).
        graph = sparse.csr_matrix(
            (np.ones(len(u)), v.astype(np.int32, copy=False),
             np.searchsorted(u, np.arange(n + 1)).astype(np.int32)), shape=(n, n))
    else:
        graph = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    return int(count), label
