"""Candidate pairs: every pair that satisfies every hard constraint except capacity.

Blocking keeps the cost proportional to candidate edges, not N^2: people are grouped into
cells of equal (city, language profile and age, availability profile), and for each
active twinning only the cell pairs whose languages, ages and availability fit are
expanded into member pairs (exclusions are then dropped). Each edge leaves its twinning
as one packed int64 (edge_pack.py), so the whole graph is sorted by (u, v) bucket by
bucket with its facts carried along.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from . import edge_pack, threads
from .availability import Rasters, pair_overlap
from .cells import Cells, cell_pairs, members
from .keysort import distinct_pairs, edge_order
from .language_profiles import LanguageProfiles
from .records import Instance, Participant
from .slot_join import StartIndex

ADULT_AGE = 18
MAX_MINOR_AGE_GAP = 2


@dataclass(frozen=True)
class Candidates:
    """Edges u < v (indices into the id-sorted participants) and the facts behind them.

    Tandem: u offers lang1 (u's level rank1_u) that v learns (v's level rank1_v) and
    v offers lang2 (rank2_v) that u learns (rank2_u). Citizen: lang1 is the shared
    language (u at rank1_u, v at rank1_v) and lang2 == rank2_v == rank2_u == -1 (one
    read-only value seen for every edge).

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


@dataclass(frozen=True)
class PairFacts:
    """The facts of any candidate edges, derived again from their two people by the steps
    generate takes (languages per language profile, ranks, the hours of the two
    availability profiles). The optimiser reads only the edges' ends and weights, so the
    engine never holds the whole graph's facts (generate_weighed) and reads the chosen
    edges' facts from here, for their explanations."""

    profiles: LanguageProfiles
    availability: np.ndarray  # availability profile per person
    rasters: Rasters
    tandem: bool

    def of(self, u: np.ndarray, v: np.ndarray) -> Candidates:
        """The candidate edges u-v (u < v) with the facts generate gave them."""
        k = len(u)
        out = {"u": np.asarray(u, dtype=np.int64), "v": np.asarray(v, dtype=np.int64)}
        out.update(_fact_columns(k, self.tandem))
        lp = self.profiles
        pu, pv = lp.of[out["u"]], lp.of[out["v"]]
        if self.tandem:  # u teaches lang1 to v, v teaches lang2 to u
            (a, ok_a), (b, ok_b) = lp.taught(pu, pv), lp.taught(pv, pu)
            ok = ok_a & ok_b
        else:
            (a, ok), b = lp.shared(pu, pv), None
        meet, hours = pair_overlap(self.rasters, self.availability[out["u"]],
                                   self.availability[out["v"]])
        if not (ok & meet).all():
            raise ValueError("not candidate edges: no language or no common slot")
        _ranks(out, 0, k, pu, pv, a, b, lp, self.tandem)
        np.multiply(np.rint(hours * 4), 0.25, out=out["hours"], casting="unsafe")  # exact
        return _from_columns(out)


def ages(participants: list[Participant], start_year: int) -> np.ndarray:
    """Age reached in the period's start year (start year - birth year)."""
    return np.array([start_year - p.birth_year for p in participants], dtype=np.int64)


def _group_pairs(lp, gx_key, gy_key, n_age, age_of_code, tandem: bool):
    """Compatible group pairs of a twinning (index into each side's groups) and their
    languages (x teaches y, y teaches x; citizen: the shared language and -1)."""
    # Languages are decided per distinct language-profile pair, then looked up per group.
    lx, lx_of = np.unique(gx_key // n_age, return_inverse=True)
    ly, ly_of = np.unique(gy_key // n_age, return_inverse=True)
    if tandem:
        # x teaches y: the language y learns best among those x can teach; and back.
        a, b = np.repeat(lx, len(ly)), np.tile(ly, len(lx))
        l_xy, ok_xy = lp.taught(a, b)
        l_yx, ok_yx = lp.taught(b, a)
        lang_ok = ok_xy & ok_yx
    else:  # the shared language; profile pair (i, j) at row i * len(ly) + j, as in tandem
        l_xy, lang_ok = lp.shared(lx[:, None], ly[None, :])
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
    return gx[ok], gy[ok], l_xy[lpair[ok]], l_yx[lpair[ok]]


@dataclass(frozen=True)
class WeighedEdges:
    """Candidate edges u < v sorted by (u, v) and their weights, without their facts."""

    u: np.ndarray  # int64
    v: np.ndarray  # int64
    weights: np.ndarray


def generate(
    instance: Instance,
    people: list[Participant],
    lang_codes: list[str],
    profile_of: np.ndarray,
    rasters: Rasters,
) -> tuple[Candidates, PairFacts]:
    """Candidate edges for participants `people` (sorted by id) with every fact, and
    their facts' source (PairFacts)."""
    layout, found, facts = _twinning_edges(instance, people, lang_codes, profile_of, rasters)
    if not layout.fits:
        return _in_order(_joined(found), layout.n, facts), facts
    return _from_columns(_decoded(layout, found, facts)), facts


def generate_weighed(
    instance: Instance,
    people: list[Participant],
    lang_codes: list[str],
    profile_of: np.ndarray,
    rasters: Rasters,
    weigh: Callable[[Candidates], np.ndarray],
) -> tuple[WeighedEdges, PairFacts]:
    """The edges generate gives, weighed by weigh(Candidates) -> weights one sort bucket
    at a time as they are decoded: their facts are never held for the whole graph (145 MB
    at 18 M edges, and fresh memory costs about 2 s per GB on a virtual machine); the
    chosen edges' facts are read again from the PairFacts."""
    layout, found, facts = _twinning_edges(instance, people, lang_codes, profile_of, rasters)
    if not layout.fits:  # past about 370 000 people: every fact, then the weights
        cand = _in_order(_joined(found), layout.n, facts)
        parts = threads.each(lambda b: weigh(cand.take(slice(*b))), threads.bounds(len(cand.u)))
        return WeighedEdges(cand.u, cand.v, np.concatenate(parts)), facts
    out = _decoded(layout, found, facts, weigh)
    return WeighedEdges(out["u"], out["v"], out["weights"]), facts


def _twinning_edges(instance, people, lang_codes, profile_of, rasters):
    """(edge_pack.Layout, each twinning's edges, PairFacts): packed keys in buckets when
    the layout fits, else columns (u, v, lang1, lang2, quarters)."""
    n = len(people)
    cities = sorted({p.city for p in people})
    city_of = {c: i for i, c in enumerate(cities)}
    codes = {c: i for i, c in enumerate(lang_codes)}
    tandem = instance.kind in ("tandem", "classroom")
    profiles = LanguageProfiles(people, codes, tandem)
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
    cells = Cells(city_idx, group, profile_of, ~minor | allowed, len(cities))

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
    # Every pair that can meet shares a week-0 start slot (so an hour): indices of the
    # cells' start hours and start slots, to join on.
    starts = []
    if rasters.hours0 is not None and len(cells.start):
        starts = [StartIndex(rasters.hours0, cells.profile),
                  StartIndex(rasters.run[:, 0], cells.profile)]
    layout = edge_pack.Layout(n, len(lang_codes))

    def edges_of(twinning):
        x, y = twinning
        gx_key = cells.run_key[cells.city_run[x] : cells.city_run[x + 1]]
        gy_key = cells.run_key[cells.city_run[y] : cells.city_run[y + 1]]
        if len(gx_key) == 0 or len(gy_key) == 0:
            return None
        gx, gy, l_xy, l_yx = _group_pairs(profiles, gx_key, gy_key, n_age, age_of_code,
                                          tandem)
        if len(gx) == 0:
            return None
        cx, cy, gp = cell_pairs(cells, x, y, gx, gy, starts)
        # Availability per cell pair, each distinct profile pair checked once when
        # many cells share a profile.
        pa, pb = cells.profile[cx], cells.profile[cy]
        if 2 * n_prof < len(cells.start):
            qa, qb, inverse = distinct_pairs(pa, pb, n_prof)
            ok, hours = pair_overlap(rasters, qa, qb)
            ok, hours = ok[inverse], hours[inverse]
        else:
            ok, hours = pair_overlap(rasters, pa, pb)
        cx, cy, gp, hours = cx[ok], cy[ok], gp[ok], hours[ok]
        xi, yi, k = members(cells, cx, cy)
        if len(excluded):
            maybe = np.flatnonzero(in_exclusion[xi] & in_exclusion[yi])
            if len(maybe):
                a, b = xi[maybe], yi[maybe]
                key = np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
                drop = maybe[np.isin(key, excluded)]
                if len(drop):
                    keep = np.ones(len(xi), dtype=bool)
                    keep[drop] = False
                    xi, yi, k = xi[keep], yi[keep], k[keep]
        if len(xi) == 0:
            return None
        quarters = np.rint(hours * 4).astype(np.int64)  # hours are whole quarters
        a, b = l_xy[gp], l_yx[gp]
        # In tandem u teaches lang1 and v lang2: the languages swap when y is u.
        ab = layout.payload(quarters, a, b)
        ba = layout.payload(quarters, b, a) if tandem else ab
        x_low = xi < yi
        payload = np.where(x_low, ab[k], ba[k])
        if not layout.fits:  # too wide to pack: columns, sorted by _in_order
            u, v = np.where(x_low, xi, yi), np.where(x_low, yi, xi)
            _, _, q, l1, l2 = edge_pack.unpacked(layout, payload)
            return [u.astype(np.int64), v.astype(np.int64), l1, l2, q]
        return layout.buckets(layout.keys(np.minimum(xi, yi), np.maximum(xi, yi), payload))

    # Twinnings are independent and NumPy releases the GIL in the heavy steps, so they run
    # on every core, largest first; results are kept in twinning order (deterministic).
    size = [(cells.city_start[x + 1] - cells.city_start[x])
            * (cells.city_start[y + 1] - cells.city_start[y]) for x, y in twinnings]
    by_size = sorted(range(len(twinnings)), key=lambda i: -size[i])
    done = dict(zip(by_size, threads.each(edges_of, [twinnings[i] for i in by_size]), strict=True))
    found = [done.pop(i) for i in range(len(twinnings))]
    found = [f for f in found if f is not None]
    return layout, found, PairFacts(profiles, profile_of, rasters, tandem)


def _joined(found: list) -> list[np.ndarray]:
    """The twinnings' columns joined, each column's pieces released at once."""
    columns = []
    for k in range(len(_EMPTY)):
        columns.append(np.concatenate([_EMPTY[k], *(f[k] for f in found)]))
        for f in found:
            f[k] = None
    return columns


def _decoded(layout: edge_pack.Layout, found: list, facts: PairFacts, weigh=None) -> dict:
    """Columns u, v and the facts (or, with `weigh`, the weights) of the packed keys of
    every twinning, sorted bucket by bucket."""
    m = sum(len(b) for f in found for b in f)
    lp, tandem = facts.profiles, facts.tandem
    out = {k: np.empty(m, dtype=np.int64) for k in ("u", "v")}
    if weigh is None:
        out.update(_fact_columns(m, tandem))
    weighed = {}  # (first edge, end) -> the weights of that bucket (some are empty)

    def decode(lo: int, keys: np.ndarray) -> None:
        hi = lo + len(keys)
        u, v, quarters, a, b = edge_pack.unpacked(layout, keys, out["u"][lo:hi], out["v"][lo:hi])
        del keys
        into, at = (out, lo) if weigh is None else (_fact_columns(hi - lo, tandem), 0)
        np.multiply(quarters, 0.25, out=into["hours"][at : at + hi - lo], casting="unsafe")
        _ranks(into, at, at + hi - lo, lp.of[u], lp.of[v], a, b, lp, tandem)
        if weigh is not None:
            weighed[lo, hi] = weigh(_from_columns({"u": u, "v": v, **into}))

    edge_pack.sorted_decoded(layout, found, decode)
    if weigh is not None:
        out["weights"] = np.concatenate([weighed.pop(at) for at in sorted(weighed)])
    return out


def _fact_columns(m: int, tandem: bool) -> dict[str, np.ndarray]:
    """Empty fact columns for m edges. A citizen edge has no second language: its lang2,
    rank2_v and rank2_u are one read-only -1 seen m times (72 MB of fresh memory fewer at
    18 M edges, where fresh pages cost about 2 s per GB)."""
    types = {"l1": np.int16, "l2": np.int16, "r1u": np.int8, "r1v": np.int8,
             "r2v": np.int8, "r2u": np.int8, "hours": np.float32}
    return {k: np.empty(m, dtype=t) if tandem or k not in ("l2", "r2v", "r2u")
            else np.broadcast_to(np.array(-1, dtype=t), (m,)) for k, t in types.items()}


def _from_columns(out: dict) -> Candidates:
    return Candidates(out["u"], out["v"], out["l1"], out["r1u"], out["r1v"], out["l2"],
                      out["r2v"], out["r2u"], out["hours"])


def _ranks(out: dict, lo: int, hi: int, pu, pv, a, b, lp: LanguageProfiles, tandem: bool):
    """Languages and level ranks of edges lo .. hi-1 (u's and v's language profiles pu,
    pv; languages a, b) written into out's columns."""
    out["l1"][lo:hi] = a
    out["r1u"][lo:hi] = lp.speak[pu, a]
    if tandem:  # u teaches lang1 to v; v teaches lang2 to u
        out["r1v"][lo:hi] = lp.learn[pv, a]
        out["l2"][lo:hi] = b
        out["r2v"][lo:hi] = lp.speak[pv, b]
        out["r2u"][lo:hi] = lp.learn[pu, b]
    else:  # lang1 is the shared language (lang2, rank2_v, rank2_u are -1 throughout)
        out["r1v"][lo:hi] = lp.speak[pv, a]


_EMPTY = (
    np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
    np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int64),
)


def _in_order(columns: list, n: int, facts: PairFacts):
    """The edges (columns u, v, lang1, lang2, quarters; emptied here) sorted by (u, v) with
    their level ranks looked up, when the packed keys would not fit in 62 bits. One
    packed (u, v, position) sort; the gathers after it run on two halves side by side."""
    u, v, lang1, lang2, quarters = columns
    columns.clear()
    lp, tandem = facts.profiles, facts.tandem
    order, su, sv = edge_order(u, v, n)
    del u, v
    m = len(order)
    out = {"u": su, "v": sv}
    out.update(_fact_columns(m, tandem))

    def fill(lo: int, hi: int) -> None:
        o = order[lo:hi]
        out["hours"][lo:hi] = quarters[o] * np.float32(0.25)
        _ranks(out, lo, hi, lp.of[su[lo:hi]], lp.of[sv[lo:hi]], lang1[o], lang2[o], lp,
               tandem)

    threads.each(lambda part: fill(*part), threads.bounds(m))
    return _from_columns(out)
