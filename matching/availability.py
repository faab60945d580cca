"""Weekly local availability rasterised onto real UTC instants.

Model (documented, because every choice here decides who can be matched):
- The period is the UTC instants [start 00:00 UTC, start + 7*weeks days 00:00 UTC); week i
  is the i-th block of 7 * 24 h of it. A pair is feasible when, in EVERY week, both sides
  are free together for session_minutes without a break, starting inside that week (the
  session may run past the week's end; the raster carries one extra day on each side so
  windows straddling a boundary are not cut).
- Each local weekly window is expanded for every local date with `zoneinfo`, so a DST
  change on either side moves the window on the real timeline on the right date.
- Slots are SLOT_MINUTES long on the UTC grid. Quantisation is conservative: a window's
  start is rounded up and its end rounded down to the grid, and a session needs
  ceil(session_minutes / SLOT_MINUTES) slots; every real zone offset today is a multiple
  of 15 minutes, so windows on quarter hours lose nothing.
- A local time that does not exist (spring-forward gap) or exists twice (fall-back) is
  read conservatively: the later reading for a start, the earlier one for an end. An end
  of 24:00 is the first instant of the next date (the change itself when the clock skips
  midnight).
- Participants with identical (zone, windows) share one raster ("profile"); pair checks
  run once per distinct profile pair, vectorised over packed 64-bit words.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import threads
from .keysort import stable_order
from .ragged import ragged
from .records import DAYS, Participant, Period

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
_WORDS_PER_WEEK = math.ceil(SLOTS_PER_WEEK / 64)
_UTC = dt.UTC
_DAY = {d: i for i, d in enumerate(DAYS)}


@dataclass(frozen=True)
class Rasters:
    """Packed per-profile bits: run[p, w] = where a session may start in week w;
    free[p, w] = free slots of week w (for counting common hours).

    With week classes, only the first week of each class of the profile's zone is painted
    (the others would be copies: pair checks read one week per class); every_week()
    fills them in."""

    run: np.ndarray  # (profiles, weeks, words) uint64
    free: np.ndarray  # (profiles, weeks, words) uint64
    # zone[p]: the zone index of profile p; week_class[z, w]: the first week whose rows
    # equal week w's for EVERY profile of zone z (so pairs need only one week per class).
    zone: np.ndarray | None = None  # (profiles,) int64
    week_class: np.ndarray | None = None  # (zones, weeks) int64
    # hours0[p]: bit h set when a session may start in hour h of week 0 (168 bits): a pair
    # with no such hour in common cannot meet in week 0, read from 24 bytes instead of 88.
    hours0: np.ndarray | None = None  # (profiles, 3) uint64

    def every_week(self) -> Rasters:
        """These rasters with every week filled in from its class's first week, and no
        classes: what checking every week on its own reads."""
        if self.zone is None or self.week_class is None:
            return self
        run, free = self.run.copy(), self.free.copy()
        source = self.week_class[self.zone]  # (profiles, weeks): the week each copies
        p, w = np.nonzero(source != np.arange(run.shape[1]))
        free[p, w] = free[p, source[p, w]]
        run[p, w] = run[p, source[p, w]]
        return Rasters(run, free, None, None, self.hours0)


def profile_index(participants: Sequence[Participant]) -> tuple[np.ndarray, list]:
    """Map each participant to a distinct (zone, windows) profile, numbered in order of
    first appearance. Shared Availability objects (instance_from_dict shares equal ones)
    are recognised by identity first, so each distinct object is hashed only once."""
    where: dict = {}
    by_object: dict[int, int] = {}
    of = np.empty(len(participants), dtype=np.int64)
    for i, p in enumerate(participants):
        a = p.availability
        k = by_object.get(id(a))  # the objects stay alive for the whole loop
        if k is None:
            k = where.setdefault((a.tz, a.weekly), len(where))
            by_object[id(a)] = k
        of[i] = k
    return of, list(where)


@functools.lru_cache(maxsize=65536)
def _utc_minute(zone, date: dt.date, minute: int, origin: dt.datetime, later: bool) -> int:
    """Exact local->UTC conversion (minutes since origin) for DST transition days."""
    local = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=minute)
    readings = [
        (local.replace(tzinfo=zone, fold=f).astimezone(_UTC) - origin) // dt.timedelta(minutes=1)
        for f in (0, 1)
    ]
    if minute == 24 * 60 and not later:
        # 24:00 ends the day: the first instant of the next date. When the clock skips
        # midnight, that is the change itself (the reading that falls on the next date),
        # not the earlier reading, which still lies inside the day.
        nxt = local.date()
        on_next = [r for r in readings
                   if (origin + dt.timedelta(minutes=r)).astimezone(zone).date() == nxt]
        if on_next:
            return min(on_next)
    return max(readings) if later else min(readings)


def _zone_days(zone, dates: list[dt.date]) -> tuple[np.ndarray, np.ndarray]:
    """Per local date: the UTC offset in minutes, and whether the offset changes that day."""

    def off(d: dt.date, fold: int) -> int:
        t = dt.datetime.combine(d, dt.time(), tzinfo=zone).replace(fold=fold)
        return int(t.utcoffset() // dt.timedelta(minutes=1))

    nxt = dates[-1] + dt.timedelta(days=1)
    mid = [(off(d, 0), off(d, 1)) for d in [*dates, nxt]]
    offsets = np.array([m[0] for m in mid[:-1]], dtype=np.int64)
    changes = np.array([len({*mid[i], *mid[i + 1]}) > 1 for i in range(len(dates))], dtype=bool)
    return offsets, changes


# Profiles rasterised together: blocks keep every per-interval temporary small (they are
# reused from block to block instead of freshly mapped) and give the threads work.
PROFILE_BLOCK = 4096


def rasterise(profiles: list, period: Period, session_minutes: int) -> Rasters:
    weeks = period.weeks
    # Local dates whose windows can touch the raster, for any offset in -12h..+14h.
    first = period.start - dt.timedelta(days=2)
    dates = [first + dt.timedelta(days=i) for i in range(7 * weeks + 7)]  # whole weeks
    zones = sorted({tz for tz, _ in profiles})
    zone_info = {tz: zoneinfo.ZoneInfo(tz) for tz in zones}
    zone_days = {tz: _zone_days(zone_info[tz], dates) for tz in zones}
    offsets = np.stack([zone_days[tz][0] for tz in zones]) if zones else np.zeros((0, 0))
    changes = np.stack([zone_days[tz][1] for tz in zones]) if zones else np.zeros((0, 0))
    # Weeks of a class hold the same bits (decided from the zones' clocks alone), so only
    # the local dates that reach a class's first week are expanded; other weeks are copied.
    week_class = _zone_week_classes(offsets, changes, weeks)
    reaches = np.zeros((len(zones), len(dates)), dtype=bool)
    for z, classes in enumerate(week_class):
        for w in np.unique(classes):
            reaches[z, 7 * w : 7 * w + _SPAN_DAYS] = True
    zone_pos = {tz: i for i, tz in enumerate(zones)}
    clock = _Clock(period, dates, zones, zone_info, offsets, changes, reaches)

    n_prof = len(profiles)
    free = np.zeros((n_prof, weeks, _WORDS_PER_WEEK), dtype=np.uint64)
    run = np.zeros_like(free)
    need = math.ceil(session_minutes / SLOT_MINUTES)

    def block(p0: int) -> None:
        p1 = min(n_prof, p0 + PROFILE_BLOCK)
        # One flat list of ints converts several times faster than a list of tuples.
        flat = [
            x
            for p, (tz, windows) in enumerate(profiles[p0:p1])
            for day, start, end in windows
            for x in (p, zone_pos[tz], _DAY[day], start, end)
        ]
        prow, s, e = _merged_intervals(clock, np.array(flat, dtype=np.int64).reshape(-1, 5))
        long_enough = e - s >= need
        _paint_into(free[p0:p1], prow, s, e)
        _paint_into(run[p0:p1], prow[long_enough], s[long_enough], e[long_enough] - need + 1)

    threads.each(block, range(0, n_prof, PROFILE_BLOCK))
    prof_zone = np.array([zone_pos[tz] for tz, _ in profiles], dtype=np.int64)
    return Rasters(run, free, prof_zone, week_class, _hours(run[:, 0]) if weeks else None)


@dataclass(frozen=True)
class _Clock:
    """What turns local weekly windows into UTC slots over the period, for every zone."""

    period: Period
    dates: list[dt.date]  # local dates that can reach the raster
    zones: list[str]
    zone_info: dict
    offsets: np.ndarray  # (zones, dates): UTC offset in minutes
    changes: np.ndarray  # (zones, dates): the offset changes that day
    reaches: np.ndarray  # (zones, dates): the date reaches the first week of a class


def _merged_intervals(c: _Clock, table: np.ndarray):
    """Rows (profile, zone, weekday, start minute, end minute) of local weekly windows ->
    maximal free intervals [s, e) in slots from week 0's start, sorted by profile and s."""
    weeks = c.period.weeks
    origin_date = c.period.start - dt.timedelta(days=1)
    origin = dt.datetime.combine(origin_date, dt.time(), tzinfo=_UTC)
    n_slots = (7 * weeks + 2) * SLOTS_PER_DAY
    day_base = np.array([(d - origin_date).days * 1440 for d in c.dates], dtype=np.int64)
    weekday = np.array([d.weekday() for d in c.dates])
    # dates_of[d] lists the date indices falling on weekday d (same count for every d).
    per_day = len(c.dates) // 7
    dates_of = np.array([np.flatnonzero(weekday == d)[:per_day] for d in range(7)])
    js = dates_of[table[:, 2]]  # (rows, per_day)
    r, k = np.nonzero(c.reaches[table[:, 1:2], js])
    j, zone = js[r, k], table[r, 1]
    s = day_base[j] + table[r, 3] - c.offsets[zone, j]
    e = day_base[j] + table[r, 4] - c.offsets[zone, j]
    for i in np.flatnonzero(c.changes[zone, j]):  # DST days: exact
        tz, d = c.zones[zone[i]], c.dates[j[i]]
        s[i] = _utc_minute(c.zone_info[tz], d, int(table[r[i], 3]), origin, later=True)
        e[i] = _utc_minute(c.zone_info[tz], d, int(table[r[i], 4]), origin, later=False)
    prow = table[r, 0]
    s_slot = np.clip(-(-s // SLOT_MINUTES), 0, n_slots)  # round start up
    e_slot = np.clip(e // SLOT_MINUTES, 0, n_slots)  # round end down
    keep = e_slot > s_slot
    prow, s_slot, e_slot = prow[keep], s_slot[keep], e_slot[keep]

    # Merge each profile's overlapping intervals so each is maximal: then run starts are
    # simply [s, e - need + 1) for the intervals at least `need` long.
    stride = n_slots + 2
    order = stable_order(prow * stride + s_slot, in_place=True)
    prow, s_slot, e_slot = prow[order], s_slot[order], e_slot[order]
    reach = np.maximum.accumulate(prow * stride + e_slot) - prow * stride
    fresh = np.ones(len(prow), dtype=bool)
    fresh[1:] = (prow[1:] != prow[:-1]) | (s_slot[1:] > reach[:-1])
    first_of = np.flatnonzero(fresh)
    last_of = np.append(first_of[1:], len(prow))[: len(first_of)] - 1
    prow, s_slot, e_slot = prow[first_of], s_slot[first_of], reach[last_of]
    return prow, s_slot - SLOTS_PER_DAY, e_slot - SLOTS_PER_DAY  # from week 0's start


# For a byte of 8 slots: bit 0 = any of its first 4 slots (one hour), bit 1 = any of the last 4.
_HOUR_OF_BYTE = np.array([(x & 0x0F != 0) | (x & 0xF0 != 0) << 1 for x in range(256)],
                         dtype=np.uint8)


def _hours(week: np.ndarray) -> np.ndarray:
    """Hour-level summary (profiles, 3 words) of one week's packed slot bits."""
    lut = _HOUR_OF_BYTE[week.view(np.uint8)]  # (profiles, 88): 2 hours per byte
    bits = np.stack([lut & 1, lut >> 1], axis=-1).reshape(len(week), 2 * lut.shape[1])
    packed = np.zeros((len(week), 24), dtype=np.uint8)
    packed[:, :22] = np.packbits(bits.astype(bool), axis=1, bitorder="little")[:, :22]
    return packed.view(np.uint64)


# Local dates whose windows can reach week w's slots or the session running past its end:
# date indices 7w .. 7w + 11 (dates start two days before the period; offsets lie within
# -12 h .. +14 h and a session lasts at most a day).
_SPAN_DAYS = 12


def _zone_week_classes(offsets: np.ndarray, changes: np.ndarray, weeks: int) -> np.ndarray:
    """week_class[z, w]: the first week whose bits equal week w's for every profile of zone
    z. Two weeks are equal when the zone's UTC offset is the same on every local date that
    can reach them and no clock changes on those dates: then every window lands exactly
    7 days apart on the UTC grid. A week with a clock change in reach is its own class."""
    out = np.tile(np.arange(weeks, dtype=np.int64), (len(offsets), 1))
    for z in range(len(offsets)):
        first: dict[bytes, int] = {}
        for w in range(weeks):
            span = slice(7 * w, 7 * w + _SPAN_DAYS)
            if not changes[z, span].any():
                out[z, w] = first.setdefault(offsets[z, span].tobytes(), w)
    return out


def _paint_into(out: np.ndarray, prow, s, e) -> None:
    """Paint disjoint intervals [s, e) per profile into the zeroed (profiles, weeks,
    words) array `out`, in slots from week 0's start: slot t of a week is bit t % 64 of
    its word t // 64.

    Never slot by slot, and never a pass over the whole array: each interval is cut at
    week and word ends into one mask per word it touches, and the masks sharing a word are
    OR-ed together with one reduceat (intervals come sorted by profile and start, so the
    words already come in order)."""
    if not out.flags.c_contiguous:  # reshape would paint a copy
        raise ValueError("paint into a contiguous array")
    weeks = out.shape[1]
    flat = out.reshape(-1)
    s, e = np.clip(s, 0, weeks * SLOTS_PER_WEEK), np.clip(e, 0, weeks * SLOTS_PER_WEEK)
    keep = e > s
    if keep.any():
        prow, s, e = prow[keep], s[keep], e[keep]
        first = s // SLOTS_PER_WEEK  # split at week ends
        i, k = ragged((e - 1) // SLOTS_PER_WEEK - first + 1)
        week = first[i] + k
        base = week * SLOTS_PER_WEEK
        a = np.maximum(s[i], base) - base
        b = np.minimum(e[i], base + SLOTS_PER_WEEK) - base
        word0 = (prow[i] * weeks + week) * _WORDS_PER_WEEK  # the row's first word
        j, k = ragged((b - 1) // 64 - a // 64 + 1)  # then at word ends
        word = a[j] // 64 + k
        low = np.where(k == 0, a[j] - word * 64, 0)
        high = np.minimum(b[j] - word * 64, 64)
        mask = _low(high) & ~_low(low)
        at = word0[j] + word
        if not (at[1:] >= at[:-1]).all():  # callers pass sorted intervals; be safe anyway
            order = np.argsort(at, kind="stable")
            at, mask = at[order], mask[order]
        starts = np.flatnonzero(np.concatenate([[True], at[1:] != at[:-1]]))
        flat[at[starts]] = np.bitwise_or.reduceat(mask, starts)


def _low(bits: np.ndarray) -> np.ndarray:
    """Masks of the `bits` lowest bits (0 .. 64)."""
    shift = bits.astype(np.uint64)
    return np.where(
        bits >= 64, np.uint64(2**64 - 1), (np.uint64(1) << (shift & np.uint64(63))) - np.uint64(1)
    )


def pair_overlap(r: Rasters, pa: np.ndarray, pb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For profile pairs: (feasible in every week, minimum common free hours over weeks).

    Only one week per distinct (week class of a's zone, week class of b's zone) is
    looked at, and each side is read from its class's first week (the only one painted):
    the other weeks hold identical bits, so every answer is the same."""
    n = len(pa)
    ok = np.zeros(n, dtype=bool)
    hours = np.zeros(n, dtype=np.float64)
    if n == 0:
        return ok, hours
    weeks = r.run.shape[1]
    if r.zone is None or r.week_class is None:
        every = np.arange(weeks)
        groups = [(np.arange(n), every, every)]
    else:
        za, zb = r.zone[pa], r.zone[pb]
        n_zones = len(r.week_class)
        combo = za * n_zones + zb
        first = combo[0]
        if (combo == first).all():  # the usual case: one zone pair
            combos, members = [first], [np.arange(n)]
        else:
            order = np.argsort(combo, kind="stable")
            combos, start = np.unique(combo[order], return_index=True)
            members = np.split(order, start[1:])
        groups = []
        for c, idx in zip(combos, members, strict=True):
            ca, cb = r.week_class[c // n_zones], r.week_class[c % n_zones]
            _, reps = np.unique(ca * weeks + cb, return_index=True)
            reps = np.sort(reps)  # week 0 first
            groups.append((idx, ca[reps], cb[reps]))
    # Rows p * weeks + w of 2-D views: np.take of whole rows is several times faster than
    # fancy indexing of the 3-D arrays.
    n_words = r.run.shape[2]
    run, free = r.run.reshape(-1, n_words), r.free.reshape(-1, n_words)
    for idx_all, wa, wb in groups:
        chunk = 16384  # the rows taken stay in cache
        for c0 in range(0, len(idx_all), chunk):
            idx = idx_all[c0 : c0 + chunk]
            a, b = pa[idx], pb[idx]
            if r.hours0 is not None and wa[0] == wb[0] == 0:  # no common hour: no common slot
                near = _any_bit(np.take(r.hours0, a, axis=0) & np.take(r.hours0, b, axis=0))
                a, b, idx = a[near], b[near], idx[near]
            ra, rb = a * weeks, b * weeks
            # Most pairs fail in the first week already: weeks one by one, survivors only.
            for wx, wy in zip(wa, wb, strict=True):
                live = _any_bit(np.take(run, ra + wx, axis=0) & np.take(run, rb + wy, axis=0))
                ra, rb, idx = ra[live], rb[live], idx[live]
            ok[idx] = True
            least = None
            for wx, wy in zip(wa, wb, strict=True):
                count = _bit_count(np.take(free, ra + wx, axis=0)
                                   & np.take(free, rb + wy, axis=0))
                least = count if least is None else np.minimum(least, count, out=least)
            if least is not None:
                hours[idx] = least * (SLOT_MINUTES / 60)
    return ok, hours


# Reductions over the short last axis (the 11 words of a week) are slow in NumPy; these
# forms of the same sums are about twice as fast.
def _any_bit(words: np.ndarray) -> np.ndarray:
    """Whether any bit is set, over the last axis."""
    return words.any(axis=-1)


def _bit_count(words: np.ndarray) -> np.ndarray:
    """Number of set bits over the last axis (at most 11 * 64, so uint16 holds it)."""
    per_word = np.bitwise_count(words)
    out = per_word[..., 0].astype(np.uint16)
    for i in range(1, words.shape[-1]):
        out += per_word[..., i]
    return out
