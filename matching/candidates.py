"""Candidate pairs: every pair that satisfies every hard constraint except capacity.

Blocking keeps the cost proportional to candidate edges, not N^2: for each active twinning
we only cross participants indexed by (city, language offered) with those indexed by
(city, language learnt) (tandem/classroom), or by (city, language spoken at B1+) (citizen).
Age, exclusion and availability checks then run vectorised over each twinning's pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .availability import Rasters, pair_overlap
from .languages import LEVEL_RANK, SHARED_MIN_RANK, TEACH_MIN_RANK
from .records import Instance, Participant

ADULT_AGE = 18
MAX_MINOR_AGE_GAP = 2


@dataclass(frozen=True)
class Candidates:
    """Edges u < v (indices into the id-sorted participants) and the facts behind them.

    Tandem: u offers lang1 (u's level rank1_u) that v learns (v's level rank1_v) and
    v offers lang2 (rank2_v) that u learns (rank2_u). Citizen: lang1 is the shared
    language (u at rank1_u, v at rank1_v) and lang2 == -1.
    """

    u: np.ndarray
    v: np.ndarray
    lang1: np.ndarray
    rank1_u: np.ndarray
    rank1_v: np.ndarray
    lang2: np.ndarray
    rank2_v: np.ndarray
    rank2_u: np.ndarray
    hours: np.ndarray  # minimum over the weeks of common free hours


def ages(participants: list[Participant], start_year: int) -> np.ndarray:
    """Age reached in the period's start year (start year - birth year)."""
    return np.array([start_year - p.birth_year for p in participants], dtype=np.int64)


class _LanguageProfiles:
    """Participants grouped by their exact language list. Pairs are decided per profile
    pair (a handful per city), so only compatible profile pairs are ever expanded."""

    def __init__(self, people: list[Participant], codes: dict[str, int], tandem: bool):
        keys = [tuple(sorted((x.code, x.level, x.learning) for x in p.languages)) for p in people]
        unique = sorted(set(keys))
        where = {k: i for i, k in enumerate(unique)}
        self.of = np.array([where[k] for k in keys], dtype=np.int64)
        n_lang = max(1, len(codes))
        # speak[p, l]: spoken level rank usable here (C1+ to teach, B1+ to share), else 0;
        # learn[p, l]: learning level rank, else 0.
        self.speak = np.zeros((len(unique), n_lang), dtype=np.int64)
        self.learn = np.zeros((len(unique), n_lang), dtype=np.int64)
        floor = TEACH_MIN_RANK if tandem else SHARED_MIN_RANK
        for i, key in enumerate(unique):
            for code, level, learning in key:
                rank = LEVEL_RANK[level]
                if learning:
                    self.learn[i, codes[code]] = rank
                elif rank >= floor:
                    self.speak[i, codes[code]] = rank

    def members(self, city_people: np.ndarray):
        """(profile ids, start offsets, member list) for the given participants."""
        order = city_people[np.argsort(self.of[city_people], kind="stable")]
        prof, start = np.unique(self.of[order], return_index=True)
        counts = np.diff(np.append(start, len(order)))
        return prof, start, counts, order


def _choose(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: best language (highest score, then lowest index) and whether any is > 0."""
    best = np.argmax(score, axis=1)  # argmax returns the first (lowest index) maximum
    return best, score[np.arange(len(score)), best] > 0


def _pairs_for_twinning(lp: _LanguageProfiles, x_people, y_people, tandem: bool):
    px, sx, cx, mx = lp.members(x_people)
    py, sy, cy, my = lp.members(y_people)
    if len(px) == 0 or len(py) == 0:
        return None
    gx, gy = np.meshgrid(np.arange(len(px)), np.arange(len(py)), indexing="ij")
    gx, gy = gx.ravel(), gy.ravel()
    a, b = px[gx], py[gy]
    if tandem:
        # x teaches y: the language y learns best among those x can teach; and back.
        l_xy, ok_xy = _choose(np.where(lp.speak[a] > 0, lp.learn[b], 0))
        l_yx, ok_yx = _choose(np.where(lp.speak[b] > 0, lp.learn[a], 0))
        ok = ok_xy & ok_yx
    else:
        sa, sb = lp.speak[a], lp.speak[b]
        score = np.where((sa > 0) & (sb > 0), np.minimum(sa, sb) * 16 - np.abs(sa - sb), 0)
        l_xy, ok = _choose(score)
        l_yx = np.full(len(ok), -1)
    gx, gy, l_xy, l_yx = gx[ok], gy[ok], l_xy[ok], l_yx[ok]
    if len(gx) == 0:
        return None
    # Expand each compatible profile pair into its members' cross product.
    size = cx[gx] * cy[gy]
    k = np.repeat(np.arange(len(gx)), size)
    within = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    xi = mx[sx[gx[k]] + within // cy[gy[k]]]
    yi = my[sy[gy[k]] + within % cy[gy[k]]]
    l_xy, l_yx = l_xy[k], l_yx[k]
    pxk, pyk = px[gx[k]], py[gy[k]]
    x_low = xi < yi
    u, v = np.where(x_low, xi, yi), np.where(x_low, yi, xi)
    pu, pv = np.where(x_low, pxk, pyk), np.where(x_low, pyk, pxk)
    if tandem:
        lang1 = np.where(x_low, l_xy, l_yx)  # u teaches v
        lang2 = np.where(x_low, l_yx, l_xy)  # v teaches u
        return (u, v, lang1, lp.speak[pu, lang1], lp.learn[pv, lang1],
                lang2, lp.speak[pv, lang2], lp.learn[pu, lang2])
    none = np.full(len(u), -1)
    return u, v, l_xy, lp.speak[pu, l_xy], lp.speak[pv, l_xy], none, none, none


def generate(
    instance: Instance,
    people: list[Participant],
    lang_codes: list[str],
    profile_of: np.ndarray,
    rasters: Rasters,
) -> Candidates:
    """Candidate edges for participants `people` (sorted by id)."""
    n = len(people)
    cities = sorted({p.city for p in people})
    city_of = {c: i for i, c in enumerate(cities)}
    codes = {c: i for i, c in enumerate(lang_codes)}
    tandem = instance.kind in ("tandem", "classroom")
    profiles = _LanguageProfiles(people, codes, tandem)
    city_idx = np.array([city_of[p.city] for p in people], dtype=np.int64)
    by_city = np.argsort(city_idx, kind="stable")
    city_start = np.searchsorted(city_idx[by_city], np.arange(len(cities) + 1))

    age = ages(people, instance.period.start.year)
    minor = age < ADULT_AGE
    allowed = np.array([p.via_class or p.guardian_consent for p in people], dtype=bool)
    pos = {p.id: i for i, p in enumerate(people)}
    excluded = np.array(
        sorted(
            min(pos[a], pos[b]) * n + max(pos[a], pos[b])
            for a, b in instance.exclusions
            if a in pos and b in pos
        ),
        dtype=np.int64,
    )

    twinnings = sorted(
        {
            (min(city_of[a], city_of[b]), max(city_of[a], city_of[b]))
            for a, b in instance.twinnings
            if a in city_of and b in city_of and a != b
        }
    )
    found = []
    for x, y in twinnings:
        got = _pairs_for_twinning(
            profiles,
            by_city[city_start[x] : city_start[x + 1]],
            by_city[city_start[y] : city_start[y + 1]],
            tandem,
        )
        if got is None:
            continue
        u, v = got[0], got[1]
        keys = u * n + v
        both_adult = ~minor[u] & ~minor[v]
        both_minor = (
            minor[u]
            & minor[v]
            & (np.abs(age[u] - age[v]) <= MAX_MINOR_AGE_GAP)
            & allowed[u]
            & allowed[v]
        )
        keep = (both_adult | both_minor) & ~np.isin(keys, excluded)
        if not keep.any():
            continue
        cols = [c[keep] for c in got]
        u, v = cols[0], cols[1]
        pa, pb = profile_of[u], profile_of[v]
        n_prof = int(profile_of.max()) + 1
        if 2 * n_prof < n:
            # Many people share a profile: check each distinct profile pair once.
            pkey, inverse = np.unique(pa * n_prof + pb, return_inverse=True)
            ok, hours = pair_overlap(rasters, pkey // n_prof, pkey % n_prof)
            ok, hours = ok[inverse], hours[inverse]
        else:  # nearly one profile per person: deduplicating would cost more than it saves
            ok, hours = pair_overlap(rasters, pa, pb)
        found.append([*[c[ok] for c in cols], hours[ok]])
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(*(empty,) * 8, np.zeros(0))
    cat = [np.concatenate(col) for col in zip(*found, strict=True)]
    order = np.lexsort((cat[1], cat[0]))
    return Candidates(*(c[order] for c in cat))
