"""Member pairs of a twinning joined on shared start hours instead of a cross product.

Two people can meet only if a session can start for both in the same quarter hour of
week 0, so only if their week-0 start hours (Rasters.hours0, 168 bits) share a bit:
pair_overlap drops every other pair first thing. When people are free for an hour or two
a week (the Douzelage population: every town twinned with every other, one or two UTC
slots each), the cross product of a twinning's compatible groups is almost all such pairs
and grows with the square of the towns' sizes. Joining people on each start hour gives
the pairs that share one, each once (at the lowest hour they share), and drops nothing
that could pass: the candidates are the same edges, only fewer pairs are tested.
"""

from __future__ import annotations

import numpy as np

from .ragged import ragged

_WORDS = 3  # 168 hour bits in three 64-bit words
# Join when it expands at most this share of the cross product's pairs.
JOIN_SHARE = 0.25


class HourIndex:
    """Each person's week-0 start hours, as bit words and as (hour, person) entries."""

    def __init__(self, hours0: np.ndarray, profile_of: np.ndarray):
        self.words = hours0[profile_of]  # (people, 3) uint64
        bits = np.unpackbits(self.words.view(np.uint8), axis=1, bitorder="little")
        person, hour = np.nonzero(bits)  # row-major: by person, then hour
        self.first = np.searchsorted(person, np.arange(len(profile_of) + 1))
        self.hour = hour.astype(np.int64)

    def hours_of(self, people: np.ndarray):
        """(hour, person) entries of `people`, sorted by hour."""
        count = self.first[people + 1] - self.first[people]
        k, within = ragged(count)
        hour = self.hour[self.first[people][k] + within]
        who = people[k]
        order = np.argsort(hour, kind="stable")
        return hour[order], who[order]


def joined_members(index: HourIndex, xs: np.ndarray, ys: np.ndarray):
    """(x members, y members) of xs x ys sharing a start hour, each pair once, or None
    when the join would not expand far fewer pairs than the cross product."""
    hx, px = index.hours_of(xs)
    hy, py = index.hours_of(ys)
    cx = np.bincount(hx, minlength=_WORDS * 64)
    cy = np.bincount(hy, minlength=_WORDS * 64)
    if float(cx @ cy) > JOIN_SHARE * len(xs) * len(ys):
        return None
    sx = np.concatenate([[0], np.cumsum(cx)])
    sy = np.concatenate([[0], np.cumsum(cy)])
    hours = np.flatnonzero(cx * cy)
    k, within = ragged(cx[hours] * cy[hours])
    h = hours[k]
    ck = cy[h]
    xi = px[sx[h] + within // ck]
    yi = py[sy[h] + within % ck]
    # Keep a pair only at the lowest hour it shares: no common bit below h.
    common = index.words[xi] & index.words[yi]
    word, bit = h // 64, (h % 64).astype(np.uint64)
    below = np.where(np.arange(_WORDS)[None, :] < word[:, None], ~np.uint64(0), np.uint64(0))
    low = (np.uint64(1) << bit) - np.uint64(1)
    below[np.arange(len(h)), word] = low
    keep = ~(common & below).any(axis=1)
    return xi[keep], yi[keep]


def expand_joined(index: HourIndex, xs, ys, gx, gy, x_groups, y_groups):
    """(x members, y members, index of their group pair) over the compatible group pairs
    (gx[i], gy[i]) of a twinning, joined on start hours; None to expand by cross product.
    x_groups / y_groups: (members sorted by group, count per group) of each side."""
    joined = joined_members(index, xs, ys)
    if joined is None:
        return None
    xi, yi = joined
    gxi = _group_of(xi, *x_groups)
    gyi = _group_of(yi, *y_groups)
    table = np.full((len(x_groups[1]), len(y_groups[1])), -1, dtype=np.int64)
    table[gx, gy] = np.arange(len(gx))
    k = table[gxi, gyi]
    keep = k >= 0
    return xi[keep], yi[keep], k[keep]


def _group_of(people, members, counts):
    """The group number of each of `people` (all among `members`)."""
    group = np.repeat(np.arange(len(counts)), counts)
    order = np.argsort(members, kind="stable")
    return group[order[np.searchsorted(members[order], people)]]
