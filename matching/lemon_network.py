"""The double cover's network laid out for LEMON's network simplex (pylmcf's CGraph),
which wants its arcs sorted by (tail, head).

Nodes, for p people numbered 0..p-1: l_i = i, r_i = p + i, the source s = 2 p and the
sink t = 2 p + 1. Arcs: the 2 k edge arcs sorted by (tail, head) (`order` maps them back:
entry j of the sorted arcs is arc order[j] of l_u -> r_v for every edge, then
l_v -> r_u), then r_i -> t and s -> l_i (capacity b(i) each), then the bypass s -> t
(capacity B = sum b). s supplies B and t takes it. Costs are set per solve
(priced_flow.py).
"""

from __future__ import annotations

import numpy as np

from .keysort import stable_order


def double_cover(su: np.ndarray, sv: np.ndarray, b: np.ndarray, total: int):
    """(CGraph, order) for the edges su-sv between people 0..len(b)-1 of capacities b."""
    from pylmcf.pylmcf_cpp import CGraph

    p, k = len(b), len(su)
    tails = np.concatenate([su, sv])
    heads = np.concatenate([sv, su])
    order = stable_order(tails * p + heads, in_place=True)
    people = np.arange(p)
    s, t = 2 * p, 2 * p + 1
    starts = np.concatenate([tails[order], people + p, np.full(p + 1, s)])
    ends = np.concatenate([heads[order] + p, np.full(p, t), people, [t]])
    del tails, heads
    caps = np.concatenate([np.ones(2 * k, dtype=np.int64), b, b, [total]])
    node = np.int32 if 2 * p + 2 < 2**31 else np.int64
    graph = CGraph(2 * p + 2, starts.astype(node), ends.astype(node))
    del starts, ends
    supply = np.zeros(2 * p + 2, dtype=np.int64)
    supply[s], supply[t] = total, -total
    graph.set_node_supply(supply)
    graph.set_edge_capacities(caps)
    return graph, order
