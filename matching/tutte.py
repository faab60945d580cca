"""Tutte's reduction of a b-matching (each edge used at most once) to a matching: b(v)
copies of v; an edge with an end of capacity 1 joins that end to each of the other's
copies; an edge between two larger capacities becomes a path a - p - q - c (a gadget), p
joined to each of a's copies and q to each of c's. A matching of the reduction with the
gadgets' middle edges p - q matched where their edge is unused is a b-matching: every
edge weighs w_e, so a matching counts one more edge and w_e more exactly when the edge is
used. Copies are numbered first: v's are first[v] .. first[v+1]-1 (first_copies).
"""

from __future__ import annotations

import numpy as np

from .ragged import ragged


def first_copies(b):
    """first[v]: v's first copy (v's are first[v] .. first[v+1]-1), and first[-1] copies
    in all: [0, cumsum(b)]."""
    return np.concatenate([[0], np.cumsum(b)])


def reduction(b, u, v):
    """The matching graph of the b-matching problem: (nodes, tails, heads, edge, role),
    with each matching edge's original edge and what it counts towards it when matched:
    2 (direct), 0 (a gadget's middle), 1 (a gadget's outer edge); an original edge is used
    at 2."""
    first = first_copies(b)
    bu, bv = b[u], b[v]
    direct = np.flatnonzero(np.minimum(bu, bv) == 1)
    gadget = np.flatnonzero(np.minimum(bu, bv) > 1)
    # Direct edges: every copy of u with every copy of v (one side has a single copy).
    row, within = ragged(bu[direct] * bv[direct])
    e_d = direct[row]
    a_d = first[u[e_d]] + within // bv[e_d]
    c_d = first[v[e_d]] + within % bv[e_d]
    # Gadgets: p = base + 2i, q = base + 2i + 1 for the i-th gadget edge; its outer edges
    # join p to each of u's copies (row_p: which gadget, k_p: which copy) and q to v's.
    base = int(first[-1])
    p = base + 2 * np.arange(len(gadget))
    row_p, k_p = ragged(bu[gadget])
    row_q, k_q = ragged(bv[gadget])
    e_p, e_q = gadget[row_p], gadget[row_q]
    tails = np.concatenate([a_d, p, first[u[e_p]] + k_p, p[row_q] + 1])
    heads = np.concatenate([c_d, p + 1, p[row_p], first[v[e_q]] + k_q])
    edge = np.concatenate([e_d, gadget, e_p, e_q])
    role = np.concatenate([np.full(len(e_d), 2), np.zeros(len(gadget), dtype=np.int64),
                           np.ones(len(e_p) + len(e_q), dtype=np.int64)])
    return base + 2 * len(gadget), tails, heads, edge, role
