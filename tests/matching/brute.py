"""Brute-force lexicographic optimum of a small b-matching (independent of the engine)."""

from __future__ import annotations


def best_b_matching(cap, edges):
    """Max (number of edges, total weight) over edge subsets respecting capacities.

    edges: list of (u, v, w). Exhaustive depth-first search with capacity pruning.
    """
    left = list(cap)
    best = (0, 0)

    def go(i, count, weight):
        nonlocal best
        if (count, weight) > best:
            best = (count, weight)
        if i == len(edges):
            return
        # Even taking every remaining edge cannot beat best on cardinality: prune.
        if count + (len(edges) - i) < best[0]:
            return
        u, v, w = edges[i]
        if left[u] and left[v]:
            left[u] -= 1
            left[v] -= 1
            go(i + 1, count + 1, weight + w)
            left[u] += 1
            left[v] += 1
        go(i + 1, count, weight)

    go(0, 0, 0)
    return best
