"""Cell pairs of a twinning joined on shared start bits instead of a cross product.

Two people can meet only if a session can start for both in the same quarter hour of
week 0, so only if their week-0 start slots (Rasters.run[:, 0], 672 bits) share a bit,
and so their start hours (Rasters.hours0, 168 bits): pair_overlap drops every other pair
first thing. When people are free for an hour or two a week (the Douzelage population:
every town twinned with every other, one or two UTC slots each), the cross product of a
twinning's compatible cells is almost all such pairs and grows with the square of the
towns' sizes. Joining cells on each start bit gives the pairs that share one, each once
(at the lowest bit they share), and drops nothing that could pass: the candidates are
the same edges, only fewer pairs are tested. Slots join narrow windows far tighter than
hours; broad windows share many slots per pair, so the caller joins on whichever of the
two expands fewer pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ragged import ragged

# Join when it expands at most this share of the cross product's pairs.
JOIN_SHARE = 0.25


# _BIT_AT[x, j]: the position of the j-th set bit of byte x (0 past its last).
_BIT_AT = np.zeros((256, 8), dtype=np.int64)
for _x in range(256):
    _at = [b for b in range(8) if _x >> b & 1]
    _BIT_AT[_x, : len(_at)] = _at


class StartIndex:
    """Each unit's week-0 start bits (hours, 3 words; or quarter-hour slots, 11 words),
    as bit words and as (bit, unit) entries. Units are people or cells of people; the
    entries are kept per profile (units of one profile share them)."""

    def __init__(self, words: np.ndarray, profile_of: np.ndarray):
        self.profile_of = profile_of
        self.profile_words = np.ascontiguousarray(words)  # (profiles, words) uint64
        # Set bits read byte by byte: most bytes are empty, so this scans words / 8 bytes
        # instead of one flag per bit.
        data = self.profile_words.view(np.uint8)
        prof, col = np.nonzero(data)
        byte = data[prof, col]
        k, within = ragged(np.bitwise_count(byte).astype(np.int64))
        self.bit = col[k] * 8 + _BIT_AT[byte[k], within]  # by profile, then bit
        self.first = np.searchsorted(prof[k], np.arange(len(words) + 1))

    def words_of(self, units: np.ndarray) -> np.ndarray:
        """(units, words) start bits."""
        return self.profile_words[self.profile_of[units]]

    def side(self, units: np.ndarray) -> Side:
        """The (bit, unit) entries of `units` and the units per bit."""
        prof = self.profile_of[units]
        k, within = ragged(self.first[prof + 1] - self.first[prof])
        bit = self.bit[self.first[prof][k] + within]
        count = np.bincount(bit, minlength=64 * self.profile_words.shape[1])
        return Side(bit, units[k], count, len(units))


@dataclass(frozen=True)
class Side:
    """One side of a join: its (bit, unit) entries, by unit, the units per bit, and how
    many units it has."""

    bit: np.ndarray
    unit: np.ndarray
    count: np.ndarray
    units: int

    def by_bit(self) -> np.ndarray:
        """The entries' units sorted by bit (stable: by unit within a bit)."""
        order = np.argsort(self.bit, kind="stable")
        return self.unit[order]


def join_size(x: Side, y: Side) -> float:
    """Pairs the join of two sides would expand (a pair once per bit it shares)."""
    return float(x.count @ y.count)


def joined_members(index: StartIndex, x: Side, y: Side):
    """(x members, y members) of the two sides' units sharing a start bit, each pair
    once, or None when the join would not expand far fewer pairs than the cross product."""
    if join_size(x, y) > JOIN_SHARE * x.units * y.units:
        return None
    n_words = index.profile_words.shape[1]
    cx, cy = x.count, y.count
    px, py = x.by_bit(), y.by_bit()
    sx = np.concatenate([[0], np.cumsum(cx)])
    sy = np.concatenate([[0], np.cumsum(cy)])
    bits = np.flatnonzero(cx * cy)
    k, within = ragged(cx[bits] * cy[bits])
    h = bits[k]
    ck = cy[h]
    xi = px[sx[h] + within // ck]
    yi = py[sy[h] + within % ck]
    # Keep a pair only at the lowest bit it shares: no common bit below h.
    common = index.words_of(xi) & index.words_of(yi)
    word, bit = h // 64, (h % 64).astype(np.uint64)
    below = np.where(np.arange(n_words)[None, :] < word[:, None], ~np.uint64(0), np.uint64(0))
    low = (np.uint64(1) << bit) - np.uint64(1)
    below[np.arange(len(h)), word] = low
    keep = ~(common & below).any(axis=1)
    return xi[keep], yi[keep]
