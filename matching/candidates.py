"""Candidate pairs: every pair that satisfies every hard constraint except capacity.

Blocking keeps the cost proportional to candidate edges, not N^2: for each active twinning
we only cross participants indexed by (city, language offered) with those indexed by
(city, language learnt) (tandem/classroom), or by (city, language spoken at B1+) (citizen).
Age, exclusion and availability checks then run vectorised over each twinning's pairs.
"""

from __future__ import annotations

from collections import defaultdict
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


def _index(people: list[Participant], city_of: dict, codes: dict, tandem: bool):
    """(city, lang) -> [(participant, rank)] for what each person offers and learns."""
    offers, learns = defaultdict(list), defaultdict(list)
    for i, p in enumerate(people):
        c = city_of[p.city]
        for lang in p.languages:
            rank = LEVEL_RANK[lang.level]
            key = (c, codes[lang.code])
            if lang.learning:
                if tandem:
                    learns[key].append((i, rank))
            elif rank >= (TEACH_MIN_RANK if tandem else SHARED_MIN_RANK):
                offers[key].append((i, rank))
    as_arrays = {k: np.array(v, dtype=np.int64).reshape(-1, 2) for k, v in offers.items()}
    return as_arrays, {k: np.array(v, dtype=np.int64).reshape(-1, 2) for k, v in learns.items()}


def _cross(x: np.ndarray, y: np.ndarray):
    """All (row of x, row of y) combinations as two aligned arrays."""
    return np.repeat(x, len(y), axis=0), np.tile(y, (len(x), 1))


def _best(keys: np.ndarray, *cols_desc_then_asc) -> np.ndarray:
    """Index of the first record per key after sorting by the given columns (lexsort)."""
    order = np.lexsort((*reversed(cols_desc_then_asc), keys))
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    return order[first]


def _tandem_pairs(n, x_city, y_city, offers, learns, langs):
    """Pairs (u<v) across cities x,y with a language each way; the chosen languages."""
    parts = {True: [], False: []}  # keyed by "the teacher is u (lower index)"
    for tc, lc in ((x_city, y_city), (y_city, x_city)):
        for lang in langs:
            t, lr = offers.get((tc, lang)), learns.get((lc, lang))
            if t is None or lr is None:
                continue
            tt, ll = _cross(t, lr)
            u, v = np.minimum(tt[:, 0], ll[:, 0]), np.maximum(tt[:, 0], ll[:, 0])
            rec = np.stack([u * n + v, np.full(len(u), lang), tt[:, 1], ll[:, 1]], axis=1)
            teacher_low = tt[:, 0] < ll[:, 0]
            parts[True].append(rec[teacher_low])
            parts[False].append(rec[~teacher_low])
    chosen = {}
    for flag in (True, False):
        if not parts[flag]:
            return None
        rec = np.concatenate(parts[flag])
        # Prefer the language the learner knows best, then the smaller code index.
        rec = rec[_best(rec[:, 0], -rec[:, 3], rec[:, 1])]
        chosen[flag] = rec
    both, i1, i2 = np.intersect1d(chosen[True][:, 0], chosen[False][:, 0], return_indices=True)
    a, b = chosen[True][i1], chosen[False][i2]
    # a: u teaches lang to v; b: v teaches lang to u.
    return both, a[:, 1], a[:, 2], a[:, 3], b[:, 1], b[:, 2], b[:, 3]


def _citizen_pairs(n, x_city, y_city, speaks, langs):
    parts = []
    for lang in langs:
        s1, s2 = speaks.get((x_city, lang)), speaks.get((y_city, lang))
        if s1 is None or s2 is None:
            continue
        p, q = _cross(s1, s2)
        low = p[:, 0] < q[:, 0]
        u = np.where(low, p[:, 0], q[:, 0])
        v = np.where(low, q[:, 0], p[:, 0])
        ru = np.where(low, p[:, 1], q[:, 1])
        rv = np.where(low, q[:, 1], p[:, 1])
        parts.append(np.stack([u * n + v, np.full(len(u), lang), ru, rv], axis=1))
    if not parts:
        return None
    rec = np.concatenate(parts)
    worst = np.minimum(rec[:, 2], rec[:, 3])
    gap = np.abs(rec[:, 2] - rec[:, 3])
    rec = rec[_best(rec[:, 0], -worst, gap, rec[:, 1])]
    none = np.full(len(rec), -1)
    return rec[:, 0], rec[:, 1], rec[:, 2], rec[:, 3], none, none, none


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
    offers, learns = _index(people, city_of, codes, tandem)
    langs = range(len(lang_codes))

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
        got = (
            _tandem_pairs(n, x, y, offers, learns, langs)
            if tandem
            else _citizen_pairs(n, x, y, offers, langs)
        )
        if got is None or len(got[0]) == 0:
            continue
        keys = got[0]
        u, v = keys // n, keys % n
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
        u, v = u[keep], v[keep]
        pa, pb = profile_of[u], profile_of[v]
        n_prof = int(profile_of.max()) + 1
        if 2 * n_prof < n:
            # Many people share a profile: check each distinct profile pair once.
            pkey, inverse = np.unique(pa * n_prof + pb, return_inverse=True)
            ok, hours = pair_overlap(rasters, pkey // n_prof, pkey % n_prof)
            ok, hours = ok[inverse], hours[inverse]
        else:  # nearly one profile per person: deduplicating would cost more than it saves
            ok, hours = pair_overlap(rasters, pa, pb)
        found.append([u[ok], v[ok], *[c[ok] for c in cols[1:]], hours[ok]])
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(*(empty,) * 8, np.zeros(0))
    cat = [np.concatenate(col) for col in zip(*found, strict=True)]
    order = np.lexsort((cat[1], cat[0]))
    return Candidates(*(c[order] for c in cat))
