"""Candidate edges as one int64 each, sorted by (u, v) without a permutation.

An edge (u < v) with its facts packed as ((u * n + v) << payload bits) | payload, where the
payload holds the common hours in quarters (10 bits: at most 672 a week) and both language
indices: sorting these keys sorts the edges by (u, v) and carries their facts along, so
no column is gathered through a sort order afterwards (at millions of edges each such
gather is a random read of the whole column). (u, v) pairs are distinct, so the keys are.

Keys are spread over buckets by their top bits (ranges of u) as they are made; each
bucket is then sorted and decoded on its own, side by side, with no merge after.
"""

from __future__ import annotations

import numpy as np

from . import threads

QUARTER_BITS = 10  # quarters of an hour in common per week: at most 7 * 24 * 4 = 672
_BUCKET_BITS = 4


class Layout:
    """Bit positions of one packing: n people, languages numbered below n_lang."""

    def __init__(self, n: int, n_lang: int):
        self.n = n
        self.lang_bits = max(1, int(n_lang).bit_length())  # lang2 + 1 runs up to n_lang
        self.payload_bits = QUARTER_BITS + 2 * self.lang_bits
        self.key_bits = max(1, n * n).bit_length() + self.payload_bits
        self.bucket_shift = max(0, self.key_bits - _BUCKET_BITS)

    @property
    def fits(self) -> bool:
        """Whether the keys fit in 62 bits (up to about 370 000 people)."""
        return self.key_bits <= 62

    def payload(self, quarters: np.ndarray, lang1: np.ndarray, lang2: np.ndarray) -> np.ndarray:
        """Payloads (int64) of edges with these facts (lang2 is -1 in citizen edges)."""
        out = quarters.astype(np.int64) << (2 * self.lang_bits)
        out |= lang1.astype(np.int64) << self.lang_bits
        out |= lang2.astype(np.int64) + 1
        return out

    def keys(self, u: np.ndarray, v: np.ndarray, payload: np.ndarray) -> np.ndarray:
        """Packed keys of edges u < v, in one buffer of the edges' size."""
        key = u.astype(np.int64)
        key *= self.n
        key += v
        key <<= self.payload_bits
        key |= payload
        return key

    def buckets(self, key: np.ndarray) -> list[np.ndarray]:
        """The keys split by bucket (2**_BUCKET_BITS of them, by top bits)."""
        which = (key >> self.bucket_shift).astype(np.int8)
        order = np.argsort(which, kind="stable")  # a counting sort for int8 keys
        bounds = np.searchsorted(which[order], np.arange(1, 1 << _BUCKET_BITS))
        # copies, not views: each is freed as soon as its bucket is joined
        return [part.copy() for part in np.split(key[order], bounds)]


def sorted_decoded(layout: Layout, pieces: list[list[np.ndarray]], decode) -> None:
    """Join each bucket's pieces (emptied here), sort the bucket and hand it to
    decode(lo, keys): keys of edges lo .. lo + len(keys) - 1 of the sorted whole. Buckets
    run largest first on the worker threads."""
    n_buckets = 1 << _BUCKET_BITS
    sizes = [sum(len(p[b]) for p in pieces) for b in range(n_buckets)]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

    def one(b: int) -> None:
        keys = np.concatenate([np.zeros(0, dtype=np.int64), *(p[b] for p in pieces)])
        for p in pieces:
            p[b] = None
        keys.sort()
        decode(int(starts[b]), keys)

    by_size = sorted(range(n_buckets), key=lambda b: -sizes[b])
    threads.each(one, by_size)
    pieces.clear()


def unpacked(layout: Layout, key: np.ndarray, u=None, v=None):
    """(u, v, quarters, lang1, lang2) of keys; u and v are written into the given int64
    arrays when there are some (no temporaries of the keys' size for them)."""
    u = np.empty(len(key), dtype=np.int64) if u is None else u
    v = np.empty(len(key), dtype=np.int64) if v is None else v
    np.right_shift(key, layout.payload_bits, out=v)
    np.floor_divide(v, layout.n, out=u)
    np.remainder(v, layout.n, out=v)
    lang_mask = (1 << layout.lang_bits) - 1
    lang2 = (key & lang_mask).astype(np.int16)
    lang2 -= 1
    lang1 = ((key >> layout.lang_bits) & lang_mask).astype(np.int16)
    quarters = (key >> (2 * layout.lang_bits)) & ((1 << QUARTER_BITS) - 1)
    return u, v, quarters, lang1, lang2
