"""matching/blossom_tree.py against brute force over the blossoms' node sets: the z held
in common, lowest common blossoms, the topmost blossom with z > 0, ancestors, and the
tree with only some blossoms kept."""

import numpy as np
import pytest

from matching.blossom_tree import BlossomTree
from tests.matching.laminar import blossoms_of, nested_ranges


def _family(seed, n=120):
    rng = np.random.default_rng(seed)
    begin, end, z = nested_ranges(rng, n)
    z = 2 * z  # LEMON's z are even
    return rng, begin, end, z, blossoms_of(begin, end, z, n)


def _holding(begin, end, kept, *nodes):
    """The kept blossoms whose range holds every one of `nodes`."""
    return [k for k in range(len(begin)) if kept[k]
            and all(begin[k] <= x < end[k] for x in nodes)]


@pytest.mark.parametrize("seed", range(15))
def test_sums_and_lowest_common_blossoms_equal_brute_force(seed):
    n = 120
    rng, begin, end, z, blossoms = _family(seed, n)
    # Some blossoms dropped, closed upwards (a dropped blossom's ancestors dropped too).
    kept = np.ones(len(z), dtype=bool)
    for k in rng.choice(len(z), len(z) // 4, replace=False):
        kept[[j for j in range(len(z)) if begin[j] <= begin[k] and end[k] <= end[j]]] = False
    for keep in (np.ones(len(z), dtype=bool), kept):
        tree = BlossomTree(blossoms, n, None if keep.all() else keep)
        a, c = rng.integers(0, n, 400), rng.integers(0, n, 400)
        c = np.where(a == c, (c + 1) % n, c)
        both = [_holding(begin, end, keep, x, y) for x, y in zip(a, c, strict=True)]
        assert (tree.shared_z(a, c) == [int(z[h].sum()) for h in both]).all()
        lowest = tree.lca(a, c)
        expect = [n + min(h, key=lambda k: end[k] - begin[k]) if h else tree.root for h in both]
        assert (lowest == expect).all()
        nodes = rng.integers(0, n, 50)
        # A blossom and a node inside it: the blossom itself.
        inner = [(n + h[0], x) for x in nodes.tolist() if (h := _holding(begin, end, keep, x))]
        assert inner, "no node in a kept blossom"
        pair = np.array(inner)
        assert (tree.lca(pair[:, 0], pair[:, 1]) == pair[:, 0]).all()
        assert (tree.lca(pair[:, 1], pair[:, 0]) == pair[:, 0]).all()
        tops = tree.topmost_positive(nodes)
        for x, top in zip(nodes.tolist(), tops.tolist(), strict=True):
            positive = [k for k in _holding(begin, end, keep, x) if z[k] > 0]
            widest = max(positive, key=lambda k: end[k] - begin[k]) if positive else None
            assert top == (tree.root if widest is None else n + widest)
        mask = tree.ancestors(nodes[:5])
        assert mask.tolist() == [bool(keep[k]) and any(begin[k] <= x < end[k] for x in nodes[:5])
                                 for k in range(len(z))]
    assert tree.depth.max() >= 3, "a shallow family: the lifting would go untested"


def test_no_blossoms():
    from matching.lemon_matching import Blossoms

    empty = np.zeros(0, dtype=np.int64)
    tree = BlossomTree(Blossoms(empty, np.zeros(1, dtype=np.int64), empty, empty), 4)
    assert (tree.shared_z(np.array([0, 1]), np.array([2, 3])) == 0).all()
    assert (tree.topmost_positive(np.array([0, 3])) == tree.root).all()
    assert not tree.ancestors(np.array([1])).any()
