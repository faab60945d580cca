"""The laminar tree of a matching's blossoms (lemon_matching.Blossoms), which the priced
blossom's pricing (priced_blossom.py) and the resumed start (blossom_resume.py) both read:
entries 0 .. n-1 are the nodes, n .. n+k-1 the blossoms (children before parents, as
LEMON lists them), n+k a virtual root holding everything with z = 0.
"""

from __future__ import annotations

import numpy as np

from .lemon_matching import Blossoms


class BlossomTree:
    """parent, depth (the root's 0) and total (z of an entry's own blossom and those above
    it; for a node, of the blossoms holding it) per entry; optionally only the `kept`
    blossoms (their children are kept too: what is dropped is closed upwards)."""

    def __init__(self, blossoms: Blossoms, n: int, kept: np.ndarray | None = None):
        self.blossoms, self.n = blossoms, n
        k = len(blossoms.z)
        kept = np.ones(k, dtype=bool) if kept is None else kept
        owner = np.repeat(np.arange(k), np.diff(blossoms.child_begin))
        self.root = n + k
        self.parent = np.full(n + k + 1, self.root, dtype=np.int64)
        self.parent[blossoms.child] = n + owner
        inner = np.flatnonzero(self.parent[: n + k] < self.root)
        self.parent[inner[~kept[self.parent[inner] - n]]] = self.root
        z = np.zeros(n + k + 1, dtype=np.int64)
        z[n: n + k] = np.where(kept, blossoms.z, 0)
        # Parents come after their children: one pass from the top fills both.
        parent, zs = self.parent.tolist(), z.tolist()
        depth, total = [0] * (n + k + 1), [0] * (n + k + 1)
        for e in range(n + k - 1, n - 1, -1):
            depth[e] = depth[parent[e]] + 1
            total[e] = total[parent[e]] + zs[e]
        self.depth = np.array(depth, dtype=np.int64)
        self.total = np.array(total, dtype=np.int64)
        self.depth[:n] = self.depth[self.parent[:n]] + 1
        self.total[:n] = self.total[self.parent[:n]]
        self._up = None

    @property
    def up(self) -> list[np.ndarray]:
        """up[j][e]: e's ancestor 2^j levels up (the root above the root), built once."""
        if self._up is None:
            self._up = [self.parent]
            for _ in range(max(1, int(self.depth.max()).bit_length())):
                self._up.append(self._up[-1][self._up[-1]])
        return self._up

    def lca(self, a, c):
        """Each pair's lowest common entry (a blossom, or the root)."""
        a, c = np.asarray(a, dtype=np.int64).copy(), np.asarray(c, dtype=np.int64).copy()
        swap = self.depth[a] < self.depth[c]
        a[swap], c[swap] = c[swap], a[swap]
        diff = self.depth[a] - self.depth[c]
        for j, up in enumerate(self.up):
            step = (diff >> j) & 1 == 1
            a[step] = up[a[step]]
        same = a == c
        for up in reversed(self.up):
            move = (up[a] != up[c]) & ~same
            a[move], c[move] = up[a[move]], up[c[move]]
        return np.where(same, a, self.parent[a])

    def shared_z(self, a, c):
        """z of the blossoms holding both nodes a and c."""
        if len(a) == 0:
            return np.zeros(0, dtype=np.int64)
        return self.total[self.lca(a, c)]

    def topmost_positive(self, nodes):
        """For each node, the topmost blossom around it with z > 0, or the root if none."""
        c = np.asarray(nodes, dtype=np.int64).copy()
        if self.total[self.parent[c]].max(initial=0) == 0:
            return np.full(len(c), self.root, dtype=np.int64)
        has = self.total[self.parent[c]] > 0
        c[has] = self.parent[c[has]]
        for up in reversed(self.up):
            step = has & (up[c] != self.root) & (self.total[up[c]] > 0)
            c[step] = up[c[step]]
        return np.where(has, c, self.root)

    def ancestors(self, nodes):
        """Mask over the blossoms: those holding any of `nodes`."""
        hit = np.zeros(len(self.blossoms.z), dtype=bool)
        front = np.unique(self.parent[nodes])
        while len(front):
            front = front[front != self.root]
            front = front[~hit[front - self.n]]
            hit[front - self.n] = True
            front = np.unique(self.parent[front])
        return hit
