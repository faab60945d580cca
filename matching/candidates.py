"""Candidate pairs: every pair that satisfies every hard constraint except capacity.

Blocking keeps the cost proportional to candidate edges, not N^2: for each active twinning
we only cross participants indexed by (city, language offered) with those indexed by
(city, language learnt) (tandem/classroom), or by (city, language spoken at B1+) (citizen).
Age, exclusion and availability checks then run vectorised over each twinning's pairs.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields

import numpy as np

from .availability import Rasters, pair_overlap
from .keysort import distinct_pairs, edge_order
from .languages import LEVEL_RANK, SHARED_MIN_RANK, TEACH_MIN_RANK
from .ragged import ragged
from .records import Instance, Participant
from .slot_join import HourIndex, expand_joined

ADULT_AGE = 18
_WORKERS = max(1, min(4, os.cpu_count() or 1))
MAX_MINOR_AGE_GAP = 2


@dataclass(frozen=True)
class Candidates:
    """Edges u < v (indices into the id-sorted participants) and the facts behind them.

    Tandem: u offers lang1 (u's level rank1_u) that v learns (v's level rank1_v) and
    v offers lang2 (rank2_v) that u learns (rank2_u). Citizen: lang1 is the shared
    language (u at rank1_u, v at rank1_v) and lang2 == -1.

    The facts are stored narrow (language int16, rank int8, hours float32, which holds
    every multiple of 1/4 exactly): at 100 000 people there are millions of edges, and on
    a virtual machine every fresh gigabyte costs about two seconds of page faults.
    """

    u: np.ndarray  # int64
    v: np.ndarray  # int64
    lang1: np.ndarray  # int16
    rank1_u: np.ndarray  # int8
    rank1_v: np.ndarray  # int8
    lang2: np.ndarray  # int16
    rank2_v: np.ndarray  # int8
    rank2_u: np.ndarray  # int8
    hours: np.ndarray  # float32: minimum over the weeks of common free hours

    def take(self, which) -> Candidates:
        """The edges selected by `which` (an index array, mask or slice)."""
        return Candidates(*(getattr(self, f.name)[which] for f in fields(self)))


def ages(participants: list[Participant], start_year: int) -> np.ndarray:
    """Age reached in the period's start year (start year - birth year)."""
    return np.array([start_year - p.birth_year for p in participants], dtype=np.int64)


class _LanguageProfiles:
    """Participants grouped by their exact language list. Pairs are decided per profile
    pair (a handful per city), so only compatible profile pairs are ever expanded."""

    def __init__(self, people: list[Participant], codes: dict[str, int], tandem: bool):
        # Keyed by the identities of the Language records first: instance_from_dict shares
        # equal ones, so most people's lists are sorted into a key only once.
        memo: dict[tuple[int, ...], int] = {}
        keys: list[tuple] = []
        seen = []
        for p in people:
            ids = tuple(map(id, p.languages))  # the records stay alive for the whole loop
            k = memo.get(ids)
            if k is None:
                k = memo[ids] = len(keys)
                keys.append(tuple(sorted((x.code, x.level, x.learning) for x in p.languages)))
            seen.append(k)
        unique = sorted(set(keys))
        where = {k: i for i, k in enumerate(unique)}
        self.of = np.array([where[k] for k in keys], dtype=np.int64)[np.array(seen, dtype=np.int64)]
        n_lang = max(1, len(codes))
        # speak[p, l]: spoken level rank usable here (C1+ to teach, B1+ to share), else 0;
        # learn[p, l]: learning level rank, else 0.
        self.speak = np.zeros((len(unique), n_lang), dtype=np.int8)
        self.learn = np.zeros((len(unique), n_lang), dtype=np.int8)
        floor = TEACH_MIN_RANK if tandem else SHARED_MIN_RANK
        for i, key in enumerate(unique):
            for code, level, learning in key:
                rank = LEVEL_RANK[level]
                if learning:
                    self.learn[i, codes[code]] = rank
                elif rank >= floor:
                    self.speak[i, codes[code]] = rank
        # wanted[p]: the languages p learns, best level first (then lowest index), padded
        # with n_lang; teaches[p, n_lang] is False. "The language y learns best among those
        # x can teach" is then the first of wanted[y] that x teaches: a few 1-D steps
        # instead of a (pairs x languages) table.
        order = np.argsort(-self.learn, axis=1, kind="stable")
        width = max(1, int((self.learn > 0).sum(axis=1).max(initial=0)))
        self.wanted = np.where(
            np.take_along_axis(self.learn, order, axis=1) > 0, order, n_lang
        )[:, :width]
        self.teaches = np.zeros((len(unique), n_lang + 1), dtype=bool)
        self.teaches[:, :n_lang] = self.speak > 0

    def taught(self, teacher: np.ndarray, learner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per profile pair: the language `learner` learns best among those `teacher` can
        teach (lowest index on ties), and whether there is one."""
        choice = np.full(len(teacher), -1, dtype=np.int64)
        for k in range(self.wanted.shape[1]):
            lang = self.wanted[learner, k]
            hit = (choice < 0) & self.teaches[teacher, lang]
            choice[hit] = lang[hit]
        return np.maximum(choice, 0), choice >= 0


def _groups(key: np.ndarray, city_people: np.ndarray):
    """Participants grouped by key: (group keys, start offsets, counts, members)."""
    order = city_people[np.argsort(key[city_people], kind="stable")]
    grp, start = np.unique(key[order], return_index=True)
    counts = np.diff(np.append(start, len(order)))
    return grp, start, counts, order


def _choose(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: best language (highest score, then lowest index) and whether any is > 0."""
    best = np.argmax(score, axis=1)  # argmax returns the first (lowest index) maximum
    return best, score[np.arange(len(score)), best] > 0


def _pairs_for_twinning(lp, group, n_age, age_of_code, x_people, y_people, tandem: bool,
                        hours: HourIndex | None = None):
    """Pairs across a twinning that pass language and age rules, as (x member, y member,
    group pair of each) and per group pair (language x teaches y, language y teaches x;
    citizen: the shared language and -1). Orienting them as u < v waits until the
    availability test has dropped most of them.

    People are grouped by (language profile, age code): whole group pairs are decided at
    once, and only the compatible ones are expanded into their members' cross product."""
    gx_key, sx, cx, mx = _groups(group, x_people)
    gy_key, sy, cy, my = _groups(group, y_people)
    if len(gx_key) == 0 or len(gy_key) == 0:
        return None
    # Languages are decided per distinct language-profile pair, then looked up per group.
    lx, lx_of = np.unique(gx_key // n_age, return_inverse=True)
    ly, ly_of = np.unique(gy_key // n_age, return_inverse=True)
    a, b = np.repeat(lx, len(ly)), np.tile(ly, len(lx))
    if tandem:
        # x teaches y: the language y learns best among those x can teach; and back.
        l_xy, ok_xy = lp.taught(a, b)
        l_yx, ok_yx = lp.taught(b, a)
        lang_ok = ok_xy & ok_yx
    else:
        sa, sb = lp.speak[a].astype(np.int64), lp.speak[b].astype(np.int64)
        score = np.where((sa > 0) & (sb > 0), np.minimum(sa, sb) * 16 - np.abs(sa - sb), 0)
        l_xy, lang_ok = _choose(score)
        l_yx = np.full(len(lang_ok), -1)
    gx, gy = np.meshgrid(np.arange(len(gx_key)), np.arange(len(gy_key)), indexing="ij")
    gx, gy = gx.ravel(), gy.ravel()
    lpair = lx_of[gx] * len(ly) + ly_of[gy]
    age_a, age_b = age_of_code[gx_key[gx] % n_age], age_of_code[gy_key[gy] % n_age]
    # Code 0 is "adult" (age -1 here); other codes are minors allowed to take part.
    age_ok = ((age_a < 0) & (age_b < 0)) | (
        (age_a >= 0) & (age_b >= 0) & (np.abs(age_a - age_b) <= MAX_MINOR_AGE_GAP)
    )
    ok = lang_ok[lpair] & age_ok
    l_xy, l_yx = l_xy[lpair], l_yx[lpair]
    gx, gy, l_xy, l_yx = gx[ok], gy[ok], l_xy[ok], l_yx[ok]
    if len(gx) == 0:
        return None
    if hours is not None:  # few start hours each: join on them (slot_join.py)
        got = expand_joined(hours, x_people, y_people, gx, gy, (mx, cx), (my, cy))
        if got is not None:
            return (*got, l_xy.astype(np.int16), l_yx.astype(np.int16))
    # Expand each compatible group pair into its members' cross product.
    size = cx[gx] * cy[gy]
    k, within = ragged(size)
    cyk = cy[gy][k]
    xi = mx[sx[gx][k] + within // cyk]
    yi = my[sy[gy][k] + within % cyk]
    return xi, yi, k, l_xy.astype(np.int16), l_yx.astype(np.int16)


def _oriented(xi, yi, l_xy, l_yx, tandem: bool):
    """(u, v, lang1, lang2) with u < v: in tandem, u teaches lang1 and v teaches lang2."""
    x_low = xi < yi
    u, v = np.where(x_low, xi, yi), np.where(x_low, yi, xi)
    if tandem:
        return u, v, np.where(x_low, l_xy, l_yx), np.where(x_low, l_yx, l_xy)
    return u, v, l_xy, l_yx


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

    # Age code per person: adults share one code, allowed minors one code per age, and
    # minors without a class or consent are left out (they can never be matched).
    age = ages(people, instance.period.start.year)
    minor = age < ADULT_AGE
    allowed = np.array([p.via_class or p.guardian_consent for p in people], dtype=bool)
    minor_ages, minor_code = np.unique(age[minor], return_inverse=True)
    age_code = np.zeros(n, dtype=np.int64)
    age_code[minor] = 1 + minor_code
    age_of_code = np.concatenate([[-1], minor_ages]).astype(np.int64)
    n_age = len(age_of_code)
    group = profiles.of * n_age + age_code
    takes_part = ~minor | allowed
    by_city = np.flatnonzero(takes_part)[np.argsort(city_idx[takes_part], kind="stable")]
    if n < 2**31:  # member pairs are counted in millions: halve their index arrays
        by_city = by_city.astype(np.int32)
    city_start = np.searchsorted(city_idx[by_city], np.arange(len(cities) + 1))

    pos = {p.id: i for i, p in enumerate(people)}
    excl = [(pos[a], pos[b]) for a, b in instance.exclusions if a in pos and b in pos]
    excluded = np.array(sorted(min(a, b) * n + max(a, b) for a, b in excl), dtype=np.int64)
    in_exclusion = np.zeros(n, dtype=bool)
    for a, b in excl:
        in_exclusion[a] = in_exclusion[b] = True

    twinnings = sorted(
        {
            (min(city_of[a], city_of[b]), max(city_of[a], city_of[b]))
            for a, b in instance.twinnings
            if a in city_of and b in city_of and a != b
        }
    )
    n_prof = int(profile_of.max()) + 1 if n else 0
    start_hours = None if rasters.hours0 is None or n == 0 else HourIndex(rasters.hours0,
                                                                          profile_of)

    def edges_of(twinning):
        x, y = twinning
        xs = by_city[city_start[x] : city_start[x + 1]]
        ys = by_city[city_start[y] : city_start[y + 1]]
        got = _pairs_for_twinning(profiles, group, n_age, age_of_code, xs, ys, tandem,
                                  start_hours)
        if got is None:
            return None
        xi, yi, gp, l_xy, l_yx = got
        if len(excluded):
            maybe = np.flatnonzero(in_exclusion[xi] & in_exclusion[yi])
            if len(maybe):
                a, b = xi[maybe], yi[maybe]
                key = np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
                drop = maybe[np.isin(key, excluded)]
                if len(drop):
                    keep = np.ones(len(xi), dtype=bool)
                    keep[drop] = False
                    xi, yi, gp = xi[keep], yi[keep], gp[keep]
        if len(xi) == 0:
            return None
        pa, pb = profile_of[xi], profile_of[yi]
        if 2 * n_prof < n:
            # Many people share a profile: check each distinct profile pair once.
            qa, qb, inverse = distinct_pairs(pa, pb, n_prof)
            ok, hours = pair_overlap(rasters, qa, qb)
            ok, hours = ok[inverse], hours[inverse]
        else:  # nearly one profile per person: deduplicating would cost more than it saves
            ok, hours = pair_overlap(rasters, pa, pb)
        gp = gp[ok]
        return [*_oriented(xi[ok], yi[ok], l_xy[gp], l_yx[gp], tandem),
                hours[ok].astype(np.float32)]

    # Twinnings are independent and NumPy releases the GIL in the heavy steps, so they run
    # on every core, largest first; results are kept in twinning order (deterministic).
    size = [(city_start[x + 1] - city_start[x]) * (city_start[y + 1] - city_start[y])
            for x, y in twinnings]
    by_size = sorted(range(len(twinnings)), key=lambda i: -size[i])
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        done = dict(zip(by_size, pool.map(edges_of, [twinnings[i] for i in by_size]), strict=True))
    found = [done.pop(i) for i in range(len(twinnings))]
    found = [f for f in found if f is not None]
    columns = []
    for k in range(len(_EMPTY)):  # each column joined and its pieces released at once
        columns.append(np.concatenate([_EMPTY[k], *(f[k] for f in found)]))
        for f in found:
            f[k] = None
    return _in_order(columns, n, profiles, tandem)


_EMPTY = (
    np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
    np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.float32),
)


def _in_order(columns: list, n: int, lp: _LanguageProfiles, tandem: bool):
    """The edges (columns u, v, lang1, lang2, hours; emptied here, so that u and v are
    released once sorted) sorted by (u, v) with their level ranks looked up. One
    packed-key sort; the gathers after it run on two halves side by side."""
    u, v, lang1, lang2, hours = columns
    columns.clear()
    order, su, sv = edge_order(u, v, n)
    del u, v
    m = len(order)
    l1 = np.empty(m, dtype=np.int16)
    l2 = np.empty(m, dtype=np.int16)
    ranks = {k: np.empty(m, dtype=np.int8) for k in ("r1u", "r1v", "r2v", "r2u")}
    out_hours = np.empty(m, dtype=np.float32)

    def fill(lo: int, hi: int) -> None:
        o = order[lo:hi]
        a, b = lang1[o], lang2[o]
        pu, pv = lp.of[su[lo:hi]], lp.of[sv[lo:hi]]
        out_hours[lo:hi] = hours[o]
        l1[lo:hi] = a
        ranks["r1u"][lo:hi] = lp.speak[pu, a]
        if tandem:  # u teaches lang1 to v; v teaches lang2 to u
            ranks["r1v"][lo:hi] = lp.learn[pv, a]
            l2[lo:hi] = b
            ranks["r2v"][lo:hi] = lp.speak[pv, b]
            ranks["r2u"][lo:hi] = lp.learn[pu, b]
        else:  # lang1 is the shared language
            ranks["r1v"][lo:hi] = lp.speak[pv, a]
            l2[lo:hi] = -1
            ranks["r2v"][lo:hi] = ranks["r2u"][lo:hi] = -1

    half = m // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(fill, (0, half), (half, m)))
    return Candidates(
        su, sv, l1, ranks["r1u"], ranks["r1v"], l2, ranks["r2v"], ranks["r2u"], out_hours
    )
