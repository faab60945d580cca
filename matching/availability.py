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
  read conservatively: the later reading for a start, the earlier one for an end.
- Participants with identical (zone, windows) share one raster ("profile"); pair checks
  run once per distinct profile pair, vectorised over packed 64-bit words.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .records import DAYS, Participant, Period

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
_WORDS_PER_WEEK = math.ceil(SLOTS_PER_WEEK / 64)
_UTC = dt.UTC


@dataclass(frozen=True)
class Rasters:
    """Packed per-profile bits: run[p, w] = where a session may start in week w;
    free[p, w] = free slots of week w (for counting common hours)."""

    run: np.ndarray  # (profiles, weeks, words) uint64
    free: np.ndarray  # (profiles, weeks, words) uint64


def profile_index(participants: Sequence[Participant]) -> tuple[np.ndarray, list]:
    """Map each participant to a distinct (zone, windows) profile; profiles sorted."""
    keys = [(p.availability.tz, p.availability.weekly) for p in participants]
    unique = sorted(set(keys), key=lambda k: (k[0], [(w.day, w.start, w.end) for w in k[1]]))
    where = {k: i for i, k in enumerate(unique)}
    return np.array([where[k] for k in keys], dtype=np.int64), unique


def _utc_minute(zone, date: dt.date, minute: int, origin: dt.datetime, later: bool) -> int:
    """Exact local->UTC conversion (minutes since origin) for DST transition days."""
    local = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=minute)
    readings = [
        (local.replace(tzinfo=zone, fold=f).astimezone(_UTC) - origin) // dt.timedelta(minutes=1)
        for f in (0, 1)
    ]
    return max(readings) if later else min(readings)


def _zone_days(zone, dates: list[dt.date]) -> tuple[np.ndarray, np.ndarray]:
    """Per local date: the UTC offset in minutes, and whether the offset changes that day."""
    def off(d: dt.date, fold: int) -> int:
        t = dt.datetime.combine(d, dt.time(), tzinfo=zone).replace(fold=fold)
        return int(t.utcoffset() // dt.timedelta(minutes=1))

    nxt = dates[-1] + dt.timedelta(days=1)
    mid = [(off(d, 0), off(d, 1)) for d in [*dates, nxt]]
    offsets = np.array([m[0] for m in mid[:-1]], dtype=np.int64)
    changes = np.array(
        [len({*mid[i], *mid[i + 1]}) > 1 for i in range(len(dates))], dtype=bool
    )
    return offsets, changes


def rasterise(profiles: list, period: Period, session_minutes: int) -> Rasters:
    weeks = period.weeks
    origin_date = period.start - dt.timedelta(days=1)
    origin = dt.datetime.combine(origin_date, dt.time(), tzinfo=_UTC)
    n_slots = (7 * weeks + 2) * SLOTS_PER_DAY
    need = math.ceil(session_minutes / SLOT_MINUTES)
    # Local dates whose windows can touch the raster, for any offset in -12h..+14h.
    first = period.start - dt.timedelta(days=2)
    dates = [first + dt.timedelta(days=i) for i in range(7 * weeks + 4)]
    day_base = np.array([(d - origin_date).days * 1440 for d in dates], dtype=np.int64)
    weekday = np.array([d.weekday() for d in dates])

    zones = sorted({tz for tz, _ in profiles})
    zone_info = {tz: zoneinfo.ZoneInfo(tz) for tz in zones}
    zone_days = {tz: _zone_days(zone_info[tz], dates) for tz in zones}

    # All (profile, interval) rows in minutes since origin.
    prof_rows, starts, ends = [], [], []
    for p, (tz, windows) in enumerate(profiles):
        offsets, changes = zone_days[tz]
        for w in windows:
            js = np.flatnonzero(weekday == DAYS.index(w.day))
            s = day_base[js] + w.start - offsets[js]
            e = day_base[js] + w.end - offsets[js]
            for idx in np.flatnonzero(changes[js]):  # DST days: convert exactly
                d = dates[js[idx]]
                s[idx] = _utc_minute(zone_info[tz], d, w.start, origin, later=True)
                e[idx] = _utc_minute(zone_info[tz], d, w.end, origin, later=False)
            prof_rows.append(np.full(len(js), p, dtype=np.int64))
            starts.append(s)
            ends.append(e)
    n_prof = len(profiles)
    if prof_rows:
        prow = np.concatenate(prof_rows)
        s_slot = np.clip(-(-np.concatenate(starts) // SLOT_MINUTES), 0, n_slots)  # round up
        e_slot = np.clip(np.concatenate(ends) // SLOT_MINUTES, 0, n_slots)  # round down
        keep = e_slot > s_slot
        prow, s_slot, e_slot = prow[keep], s_slot[keep], e_slot[keep]
    else:
        prow = s_slot = e_slot = np.zeros(0, dtype=np.int64)

    words = _WORDS_PER_WEEK
    run = np.zeros((n_prof, weeks, words), dtype=np.uint64)
    free = np.zeros((n_prof, weeks, words), dtype=np.uint64)
    lo, hi = SLOTS_PER_DAY, SLOTS_PER_DAY + weeks * SLOTS_PER_WEEK
    chunk = 1024
    order = np.argsort(prow, kind="stable")
    prow, s_slot, e_slot = prow[order], s_slot[order], e_slot[order]
    for c0 in range(0, n_prof, chunk):
        c1 = min(n_prof, c0 + chunk)
        a, b = np.searchsorted(prow, [c0, c1])
        rows = prow[a:b] - c0
        width = n_slots + 1
        diff = np.bincount(rows * width + s_slot[a:b], minlength=(c1 - c0) * width)
        diff -= np.bincount(rows * width + e_slot[a:b], minlength=(c1 - c0) * width)
        avail = np.cumsum(diff.reshape(c1 - c0, width), axis=1)[:, :n_slots] > 0
        # run[t]: free for `need` slots from t on (prefix sums over the free slots).
        csum = np.zeros((c1 - c0, n_slots + 1), dtype=np.int32)
        np.cumsum(avail, axis=1, out=csum[:, 1:])
        starts_ok = np.zeros_like(avail)
        if need <= n_slots:
            span = csum[:, need:] - csum[:, : n_slots - need + 1]
            starts_ok[:, : n_slots - need + 1] = span == need
        run[c0:c1] = _pack(starts_ok[:, lo:hi], weeks)
        free[c0:c1] = _pack(avail[:, lo:hi], weeks)
    return Rasters(run=run, free=free)


def _pack(bits: np.ndarray, weeks: int) -> np.ndarray:
    n = bits.shape[0]
    packed = np.packbits(bits.reshape(n, weeks, SLOTS_PER_WEEK), axis=-1)
    out = np.zeros((n, weeks, _WORDS_PER_WEEK * 8), dtype=np.uint8)
    out[:, :, : packed.shape[-1]] = packed
    return out.view(np.uint64)


def pair_overlap(r: Rasters, pa: np.ndarray, pb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For profile pairs: (feasible in every week, minimum common free hours over weeks)."""
    n = len(pa)
    ok = np.zeros(n, dtype=bool)
    hours = np.zeros(n, dtype=np.float64)
    chunk = 16384
    for c0 in range(0, n, chunk):
        a, b = pa[c0 : c0 + chunk], pb[c0 : c0 + chunk]
        ok[c0 : c0 + chunk] = (r.run[a] & r.run[b]).any(axis=2).all(axis=1)
        common = np.bitwise_count(r.free[a] & r.free[b]).sum(axis=2, dtype=np.int64)
        hours[c0 : c0 + chunk] = common.min(axis=1) * (SLOT_MINUTES / 60)
    return ok, hours
