"""Components from a sample of the edges against SciPy's on the whole graph."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from matching import components


def _whole(n, u, v):
    graph = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    return count, label.tolist()


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.data())
def test_the_sample_and_its_crossings_give_scipys_components(n, data):
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                               max_size=400))
    if data.draw(st.booleans()):
        pairs.sort()  # the pipeline's order (CSR built directly) or any order (COO)
    u = np.array([p[0] for p in pairs], dtype=np.int64)
    v = np.array([p[1] for p in pairs], dtype=np.int64)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(components, "_PER_VERTEX", data.draw(st.sampled_from([1, 2, 4])))
        mp.setattr(components, "_CHUNK", data.draw(st.sampled_from([3, 1 << 20])))
        count, label = components.labels(n, u, v)
    assert (count, label.tolist()) == _whole(n, u, v)


def test_a_dense_graph_is_sampled_and_the_crossings_join_its_parts(monkeypatch):
    # A lone pair, and two cliques of 20 joined by one edge: 382 edges on 42 people, so
    # every 2nd edge is sampled; the joining edge is left out of the sample on purpose.
    a = [(i, j) for i in range(2, 22) for j in range(i + 1, 22)]
    b = [(i, j) for i in range(22, 42) for j in range(i + 1, 42)]
    pairs = sorted(a + b + [(21, 22), (0, 1)])
    u = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    assert pairs.index((21, 22)) % 2 == 1  # not among the sampled (every 2nd from 0)
    calls = []
    real = components._scipy
    monkeypatch.setattr(components, "_scipy", lambda *g: calls.append(len(g[1])) or real(*g))
    count, label = components.labels(42, u, v)
    assert calls[0] == (len(u) + 1) // 2  # the sample first, then only the crossing edges
    assert len(calls) == 2 and calls[1] < len(u) // 2
    assert count == 2 and label.tolist() == [0, 0] + [1] * 40
