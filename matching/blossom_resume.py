"""The state a round of the priced blossom (priced_blossom.py) resumes LEMON from: the last
round's optimum carried onto the grown core's Tutte reduction, with what the new edges
disturb taken apart (lemon_matching.State says what a valid state is).

The core only grows, so every node and edge of the last reduction is in the new one (a
person's copies keep their numbers; a gadget's two nodes are found by its edge). Its node
values, blossoms and matched edges stay, and every old edge keeps its slack. A new edge:
- a gadget's middle and outer edges meet two new nodes p, q. They get the least values
  that keep their outer edges feasible, y_p = max(0, max_i 4 w' - y(a_i)) (p is in no
  blossom), and q likewise and at least 4 w' - y_p; p - q is matched when tight.
- an edge between old nodes a - c may have negative slack. Every blossom holding a (its
  end with fewer blossoms around it) is taken apart, its z split over its nodes (z / 2
  each): an edge inside the blossom keeps its slack, one leaving it gains z / 2, so every
  slack stays >= 0 and the old cycles and inner matched edges stay tight; the matched
  edge leaving it (when z > 0) loses its tightness and is unmatched. Then a, in no
  blossom now, is raised to make its new edges feasible and its own matched edge, no
  longer tight, is unmatched.
The exposed nodes with a positive value are LEMON's roots; how many there are is about
twice the taken-apart blossoms with z > 0 and the raised nodes, where a cold start has a
fractional start's odd cycles and all the tree growth after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .blossom_tree import BlossomTree
from .lemon_matching import DUAL_SCALE, Blossoms, Dual, State
from .ragged import ragged


@dataclass(frozen=True)
class Reduction:
    """One round's Tutte reduction (tutte.reduction) of the core's edges `orig` (indices
    into the component's edges) with LEMON's weights w (lifted)."""

    count: int
    tails: np.ndarray
    heads: np.ndarray
    orig: np.ndarray  # each reduction edge's original edge
    role: np.ndarray  # 2 direct, 0 a gadget's middle, 1 its outer edges
    w: np.ndarray


@dataclass(frozen=True)
class Optimum:
    """LEMON's answer on a Reduction (lemon_matching.resumable)."""

    matched: np.ndarray
    dual: Dual
    blossoms: Blossoms

    @cached_property
    def tree(self) -> BlossomTree:
        """The blossoms' tree, built once: the round's pricing and the next round's
        carried state both read it."""
        return BlossomTree(self.blossoms, len(self.dual.y))


def carried(old: Reduction, best: Optimum, new: Reduction) -> State:
    """The state on `new` (a superset of `old`'s core) described in the module docstring."""
    node = _node_map(old, new)
    edge = _edge_map(old, new, node)
    n_old, n = old.count, new.count
    y = np.full(n, -1, dtype=np.int64)
    y[node] = best.dual.y
    tree = best.tree
    # Old matched edges, by their new index.
    mate_edge = edge[best.matched]
    fresh = np.ones(len(new.w), dtype=bool)
    fresh[edge] = False
    middle = np.flatnonzero(fresh & (new.role == 0))  # new gadgets' p - q
    _value_new_nodes(y, new, fresh, middle)
    # New edges between old nodes that the old dual prices below zero.
    is_old = np.zeros(n, dtype=bool)
    is_old[node] = True
    between = np.flatnonzero(fresh & is_old[new.tails] & is_old[new.heads])
    inverse = np.full(n, -1, dtype=np.int64)
    inverse[node] = np.arange(n_old)
    a_old, c_old = inverse[new.tails[between]], inverse[new.heads[between]]
    need = DUAL_SCALE * new.w[between]
    slack = y[new.tails[between]] + y[new.heads[between]] + tree.shared_z(a_old, c_old) - need
    bad = slack < 0
    a_old, c_old, between = a_old[bad], c_old[bad], between[bad]
    # Take apart every blossom around the end with fewer blossoms around it.
    lift_end = np.where(tree.depth[a_old] <= tree.depth[c_old], a_old, c_old)
    apart = tree.ancestors(lift_end)
    y[node] += _spread(best.blossoms, apart, best.dual)
    kept = ~apart
    # Raise the chosen ends (now in no kept blossom) to make their new edges tight.
    tree_kept = BlossomTree(best.blossoms, n_old, kept)
    slack = (y[new.tails[between]] + y[new.heads[between]]
             + tree_kept.shared_z(a_old, c_old) - DUAL_SCALE * new.w[between])
    raise_by = np.zeros(n, dtype=np.int64)
    np.maximum.at(raise_by, node[lift_end], -slack)
    y += raise_by
    # Keep the matched edges still tight (the middle edges of new gadgets included).
    mt, mh = new.tails[mate_edge], new.heads[mate_edge]
    inside = tree_kept.shared_z(inverse[mt], inverse[mh])
    tight = y[mt] + y[mh] + inside == DUAL_SCALE * new.w[mate_edge]
    mate_edge = mate_edge[tight]
    pq_tight = y[new.tails[middle]] + y[new.heads[middle]] == DUAL_SCALE * new.w[middle]
    mate_edge = np.concatenate([mate_edge, middle[pq_tight]])
    mate = np.full(n, -1, dtype=np.int64)
    mate[new.tails[mate_edge]] = mate_edge
    mate[new.heads[mate_edge]] = mate_edge
    z = np.where(kept, best.blossoms.z, 0)
    _even_roots(y, mate, inverse, node, tree_kept, kept, z, best.dual)
    return State(y, mate, _renumbered(best.blossoms, node, edge, old, new, kept, z))


def _even_roots(y, mate, inverse, node, tree, kept, z, dual: Dual) -> None:
    """Make every root's value even. LEMON halves the slack of an edge between two trees
    (its delta3), exact only while every node in a tree has the parity of every other:
    tight edges keep a tree's nodes at one parity and every tree moves by the same steps,
    so it is enough that the roots start at one. An odd root gains 1: alone, nothing else
    moves; in a blossom, all of its nodes gain 1 and its z loses 2 (the topmost blossom
    around it with z > 0, those above it, all z = 0, taken apart), which keeps its inner
    slacks and only adds to the rest (it is exposed, so nothing matched leaves it)."""
    odd = np.flatnonzero((mate < 0) & (y > 0) & (y % 2 == 1))
    if len(odd) == 0:
        return
    x = inverse[odd]
    y[odd[x < 0]] += 1  # new nodes: in no blossom
    x = x[x >= 0]
    top = tree.topmost_positive(x)
    alone = top == tree.root
    y[node[x[alone]]] += 1
    kept &= ~tree.ancestors(x[alone])  # all of them z = 0
    blossom = top[~alone] - tree.n
    kept &= ~tree.ancestors(top[~alone])  # those above top: z = 0
    z[blossom] -= 2
    y[node] += _over_nodes(dual, blossom, np.ones(len(blossom), dtype=np.int64))


def _over_nodes(dual: Dual, blossoms, amount) -> np.ndarray:
    """Per node, the sum of `amount` over those of `blossoms` holding it (a blossom's nodes
    are a range of the dual's node order)."""
    diff = np.zeros(len(dual.y) + 1, dtype=np.int64)
    np.add.at(diff, dual.begin[blossoms], amount)
    np.add.at(diff, dual.end[blossoms], -amount)
    gain = np.cumsum(diff)[:-1]
    out = np.zeros(len(dual.y), dtype=np.int64)
    inside = dual.position >= 0
    out[inside] = gain[dual.position[inside]]
    return out


def _node_map(old: Reduction, new: Reduction) -> np.ndarray:
    """Each old node's number in the new reduction: copies keep theirs (they come first,
    up to the first gadget node), a gadget's p and q are found by the gadget's edge."""
    node = np.arange(old.count, dtype=np.int64)
    o_mid = np.flatnonzero(old.role == 0)
    n_mid = np.flatnonzero(new.role == 0)
    if len(o_mid):
        at = np.minimum(np.searchsorted(new.orig[n_mid], old.orig[o_mid]), len(n_mid) - 1)
        if len(n_mid) == 0 or not (new.orig[n_mid[at]] == old.orig[o_mid]).all():
            raise ValueError("the new reduction does not hold every edge of the old one")
        node[old.tails[o_mid]] = new.tails[n_mid[at]]
        node[old.heads[o_mid]] = new.heads[n_mid[at]]
    return node


def _edge_map(old: Reduction, new: Reduction, node: np.ndarray) -> np.ndarray:
    """Each old edge's index in the new reduction. tutte.reduction lays out an original
    edge's matching edges the same way whatever else is in the core, so an edge is known by
    its original edge and its rank among that edge's ones."""
    width = 1 + int(max(np.bincount(old.orig).max(initial=0),
                        np.bincount(new.orig).max(initial=0)))
    key_old, key_new = _keys(old.orig, width), _keys(new.orig, width)
    order = np.argsort(key_new)
    at = order[np.minimum(np.searchsorted(key_new, key_old, sorter=order), len(order) - 1)]
    if not ((key_new[at] == key_old) & (node[old.tails] == new.tails[at])
            & (node[old.heads] == new.heads[at])).all():
        raise ValueError("the new reduction does not hold every edge of the old one")
    return at


def _keys(orig: np.ndarray, width: int) -> np.ndarray:
    """orig * width + the edge's rank among those of its original edge (in order)."""
    order = np.argsort(orig, kind="stable")
    ranked = orig[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    rank = np.empty(len(orig), dtype=np.int64)
    rank[order] = np.arange(len(orig)) - np.repeat(starts, np.diff(np.r_[starts, len(orig)]))
    return orig.astype(np.int64) * width + rank


def _value_new_nodes(y: np.ndarray, new: Reduction, fresh: np.ndarray, middle) -> None:
    """New gadget nodes (y < 0 so far): the least values keeping their edges feasible."""
    is_new = y < 0
    if not is_new.any():
        return
    y_old = np.where(is_new, 0, y)
    floor = np.zeros(len(y), dtype=np.int64)
    outer = np.flatnonzero(fresh & (new.role == 1))
    t, h, need = new.tails[outer], new.heads[outer], DUAL_SCALE * new.w[outer]
    # An outer edge joins an old copy and a new gadget node.
    p = np.where(is_new[t], t, h)
    other = np.where(is_new[t], h, t)
    np.maximum.at(floor, p, need - y_old[other])
    y[is_new] = floor[is_new]
    lack = DUAL_SCALE * new.w[middle] - y[new.tails[middle]] - y[new.heads[middle]]
    y[new.heads[middle]] += np.maximum(lack, 0)


def _spread(blossoms: Blossoms, apart, dual: Dual):
    """What each node gains when the blossoms `apart` are taken apart: z / 2 from each
    one holding it."""
    z = blossoms.z[apart]
    if (z % 2).any():
        raise ValueError("a blossom's z is odd: LEMON keeps them even")
    return _over_nodes(dual, np.flatnonzero(apart), z // 2)


def _renumbered(b: Blossoms, node, edge, old: Reduction, new: Reduction, kept,
                z) -> Blossoms:
    """The `kept` blossoms of `old`'s optimum, with values z, in the new reduction's
    numbering."""
    n = old.count
    keep = np.flatnonzero(kept)
    index = np.full(len(b.z), -1, dtype=np.int64)
    index[keep] = np.arange(len(keep))
    count = np.diff(b.child_begin)[keep]
    row, within = ragged(count)
    at = b.child_begin[keep][row] + within
    child, arc = b.child[at], b.child_arc[at]
    is_node = child < n
    child = np.where(is_node, node[np.minimum(child, n - 1)],
                     new.count + index[np.maximum(child - n, 0)])
    old_edge, against = arc >> 1, arc & 1
    source = np.where(against == 1, old.heads[old_edge], old.tails[old_edge])
    e_new = edge[old_edge]
    arc_new = 2 * e_new + (new.tails[e_new] != node[source])
    return Blossoms(z[keep], np.concatenate([[0], np.cumsum(count)]), child, arc_new)
