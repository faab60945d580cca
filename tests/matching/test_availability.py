"""Availability on real instants: DST on either side, half-hour zones, far zones."""

import datetime as dt

import numpy as np
import pytest

from matching import availability, instance_from_dict, solve
from matching.availability import (
    SLOTS_PER_WEEK,
    _hours,
    _paint_into,
    pair_overlap,
    profile_index,
    rasterise,
)
from tests.matching.builders import instance, person


def _paint(n_prof, weeks, prow, s, e):
    out = np.zeros((n_prof, weeks, availability._WORDS_PER_WEEK), dtype=np.uint64)
    _paint_into(out, prow, s, e)
    return out


def _two(tz_a, win_a, tz_b, win_b, start, weeks, minutes=60, cities=("newyork", "berlin")):
    a = person("a", cities[0], ("en",), ("de",), tz=tz_a)
    b = person("b", cities[1], ("de",), ("en",), tz=tz_b)
    a["availability"]["weekly"] = [win_a]
    b["availability"]["weekly"] = [win_b]
    data = instance(
        [a, b], twinnings=[cities], period={"start": start, "weeks": weeks}, session_minutes=minutes
    )
    return solve(instance_from_dict(data))


NY_NOON = {"day": "mon", "start": "12:00", "end": "13:00"}  # 17:00 UTC (EST), 16:00 (EDT)
BERLIN_SIX = {"day": "mon", "start": "18:00", "end": "19:00"}  # 17:00 UTC (CET), 16:00 (CEST)


def test_week_where_only_the_us_changed_clocks_breaks_a_twelve_week_period():
    # US moves on 14 March 2027, Europe on 28 March: the Mondays 15 and 22 March miss.
    result = _two("America/New_York", NY_NOON, "Europe/Berlin", BERLIN_SIX, "2027-03-01", 12)
    assert result.pairs == ()


def test_same_windows_match_before_and_after_the_gap_weeks():
    before = _two("America/New_York", NY_NOON, "Europe/Berlin", BERLIN_SIX, "2027-03-01", 2)
    after = _two("America/New_York", NY_NOON, "Europe/Berlin", BERLIN_SIX, "2027-03-29", 4)
    assert len(before.pairs) == 1 and len(after.pairs) == 1
    assert before.pairs[0].explanation["overlap_hours_per_week"] == 1.0


def test_tehran_half_hour_offset_counts_exactly():
    tehran = {"day": "mon", "start": "20:30", "end": "21:30"}  # +03:30 -> 17:00-18:00 UTC
    hit = _two("Asia/Tehran", tehran, "Europe/Berlin", BERLIN_SIX, "2027-01-04", 8,
               cities=("isfahan", "berlin"))
    assert len(hit.pairs) == 1
    assert hit.pairs[0].explanation["overlap_hours_per_week"] == 1.0
    late = {"day": "mon", "start": "20:45", "end": "21:45"}  # 17:15-18:15 UTC: 45 minutes
    assert _two("Asia/Tehran", late, "Europe/Berlin", BERLIN_SIX, "2027-01-04", 8,
                cities=("isfahan", "berlin")).pairs == ()
    ok45 = _two("Asia/Tehran", late, "Europe/Berlin", BERLIN_SIX, "2027-01-04", 8, minutes=45,
                cities=("isfahan", "berlin"))
    assert len(ok45.pairs) == 1
    assert ok45.pairs[0].explanation["overlap_hours_per_week"] == 0.75


def test_london_and_sydney_meet_across_the_date_line_in_winter():
    london = {"day": "mon", "start": "20:00", "end": "21:00"}
    sydney = {"day": "tue", "start": "07:00", "end": "08:00"}  # AEDT +11: Monday 20:00 UTC
    hit = _two("Europe/London", london, "Australia/Sydney", sydney, "2027-01-04", 10,
               cities=("dull", "bland"))
    assert len(hit.pairs) == 1
    # From 28 March London is +1 and until 4 April Sydney still +11: that week misses.
    miss = _two("Europe/London", london, "Australia/Sydney", sydney, "2027-03-15", 6,
                cities=("dull", "bland"))
    assert miss.pairs == ()


def test_quantisation_is_conservative():
    # 18:10-19:10 overlaps 18:00-20:00 for a full hour, but on the 15-minute grid only
    # 18:15-19:00 is certain: the engine refuses rather than overclaims.
    odd = {"day": "mon", "start": "18:10", "end": "19:10"}
    wide = {"day": "mon", "start": "18:00", "end": "20:00"}
    assert _two("Europe/London", odd, "Europe/London", wide, "2027-01-04", 2).pairs == ()
    assert len(_two("Europe/London", odd, "Europe/London", wide, "2027-01-04", 2, 45).pairs) == 1


def _rasters(weekly_a, weekly_b, tz="UTC", weeks=2, minutes=60):
    a = person("a", "x", tz=tz)
    b = person("b", "y", tz=tz)
    a["availability"]["weekly"], b["availability"]["weekly"] = weekly_a, weekly_b
    inst = instance_from_dict(instance([a, b], period={"start": "2027-01-04", "weeks": weeks},
                                       session_minutes=minutes))
    where, profiles = profile_index(inst.participants)
    return where, rasterise(profiles, inst.period, minutes)


def test_run_starts_need_the_whole_session_contiguous():
    # Two 30-minute windows with a 15-minute gap never hold a 60-minute session.
    split = [{"day": "tue", "start": "10:00", "end": "10:30"},
             {"day": "tue", "start": "10:45", "end": "11:15"}]
    where, r = _rasters(split, split)
    ok, _ = pair_overlap(r, where[:1], where[:1])
    assert not ok[0]
    assert np.bitwise_count(r.run).sum() == 0
    # the free time itself is there: 2 x 30 minutes a week
    assert np.bitwise_count(r.every_week().free[where[0]]).sum(axis=-1).tolist() == [4, 4]


def test_adjacent_windows_merge_into_one_run():
    joined = [{"day": "tue", "start": "10:00", "end": "10:30"},
              {"day": "tue", "start": "10:30", "end": "11:00"}]
    where, r = _rasters(joined, joined)
    ok, _ = pair_overlap(r, where[:1], where[:1])
    assert ok[0]
    # exactly one start slot (10:00) per week for a 60-minute session
    assert np.bitwise_count(r.every_week().run[where[0]]).sum(axis=-1).tolist() == [1, 1]


def test_window_ending_at_midnight_is_accepted():
    late = [{"day": "sun", "start": "23:00", "end": "24:00"}]
    where, r = _rasters(late, late)
    assert pair_overlap(r, where[:1], where[:1])[0][0]


def test_dst_gap_hour_counts_as_no_time():
    # 28 March 2027 02:00-03:00 does not exist in Berlin.
    gap = [{"day": "sun", "start": "02:00", "end": "03:00"}]
    a = person("a", "x", tz="Europe/Berlin")
    a["availability"]["weekly"] = gap
    inst = instance_from_dict(instance([a], period={"start": "2027-03-22", "weeks": 1}))
    where, profiles = profile_index(inst.participants)
    r = rasterise(profiles, inst.period, 15)
    assert np.bitwise_count(r.free).sum() == 0
    assert dt.date(2027, 3, 28).weekday() == 6


def test_week_classes_give_the_same_answers_as_checking_every_week(monkeypatch):
    # Pairs are checked on one week per distinct (zone class, zone class) only; compare
    # with checking all 12 weeks, across both clock changes and far zones.
    import random

    rng = random.Random(7)
    zones = ["Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney",
             "Asia/Tehran", "Asia/Tokyo"]
    people = []
    for i in range(60):
        p = person(f"p{i}", "x", tz=rng.choice(zones))
        p["availability"]["weekly"] = [
            {"day": rng.choice(["mon", "tue", "sat", "sun"]),
             "start": f"{h:02d}:{rng.choice(['00', '30'])}",
             "end": f"{h + rng.randint(1, 4):02d}:00"}
            for h in (rng.randint(0, 19) for _ in range(rng.randint(1, 3)))
        ]
        people.append(p)
    inst = instance_from_dict(instance(people, period={"start": "2027-03-01", "weeks": 12}))
    where, profiles = profile_index(inst.participants)
    r = rasterise(profiles, inst.period, 60)
    assert r.week_class is not None and (r.week_class != np.arange(12)).any()
    every_week = r.every_week()
    pa, pb = np.meshgrid(np.arange(len(profiles)), np.arange(len(profiles)), indexing="ij")
    pa, pb = pa.ravel(), pb.ravel()
    ok, hours = pair_overlap(r, pa, pb)
    ok_all, hours_all = pair_overlap(every_week, pa, pb)
    assert ok.any()
    assert (ok == ok_all).all()
    assert (hours == hours_all).all()
    # The claim behind the classes: every profile of a zone has the same bits in weeks of
    # one class. Painting every week on its own must give the same rasters as the copies.
    identity = lambda offsets, changes, weeks: np.tile(np.arange(weeks), (len(offsets), 1))  # noqa: E731
    monkeypatch.setattr(availability, "_zone_week_classes", identity)
    painted = rasterise(profiles, inst.period, 60)
    assert (painted.run == every_week.run).all() and (painted.free == every_week.free).all()
    assert painted.run.any()


def test_painted_bits_equal_a_slot_by_slot_reference():
    rng = np.random.default_rng(3)
    weeks, n_prof = 3, 40
    total = weeks * SLOTS_PER_WEEK
    prow, s, e = [], [], []
    for p in range(n_prof):
        # Disjoint, non-touching intervals, some past either end and across week ends.
        cuts = np.sort(rng.choice(np.arange(-50, total + 50), size=12, replace=False))
        for a, b in zip(cuts[::2], cuts[1::2], strict=True):
            prow.append(p)
            s.append(a)
            e.append(b)
    prow, s, e = (np.array(x, dtype=np.int64) for x in (prow, s, e))
    got = _paint(n_prof, weeks, prow, s, e)
    want = np.zeros((n_prof, total), dtype=bool)
    for p, a, b in zip(prow, s, e, strict=True):
        want[p, max(a, 0) : min(b, total)] = True
    bits = np.unpackbits(got.view(np.uint8), axis=-1, bitorder="little")[..., :SLOTS_PER_WEEK]
    assert (bits.reshape(n_prof, total) == want).all()
    assert want.any()


def test_painting_does_not_depend_on_the_order_of_the_intervals():
    prow = np.array([0, 0, 1, 0], dtype=np.int64)
    s = np.array([10, 700, 5, 70], dtype=np.int64)
    e = np.array([20, 760, 9, 80], dtype=np.int64)
    order = np.argsort(prow * 10_000 + s, kind="stable")
    assert (_paint(2, 2, prow, s, e) == _paint(2, 2, prow[order], s[order], e[order])).all()
    assert np.bitwise_count(_paint(2, 2, prow, s, e)).sum() == 10 + 60 + 4 + 10


def test_hour_summary_marks_exactly_the_hours_with_a_start_slot():
    rng = np.random.default_rng(5)
    slots = rng.random((30, SLOTS_PER_WEEK)) < 0.02  # a few start slots per profile
    week = np.zeros((30, 88), dtype=np.uint8)
    week[:, :84] = np.packbits(slots, axis=1, bitorder="little")
    week = week.view(np.uint64)  # the painter's layout: slot t = bit t % 64 of word t // 64
    want = slots.reshape(30, 168, 4).any(axis=2)
    got = np.unpackbits(_hours(week).view(np.uint8), axis=-1, bitorder="little")[:, :168]
    assert (got.astype(bool) == want).all()
    assert want.any() and not want.all()


def test_rasters_do_not_depend_on_how_profiles_are_blocked(monkeypatch):
    import random

    rng = random.Random(11)
    zones = ["Europe/London", "America/New_York", "Asia/Tehran", "Australia/Sydney"]
    people = []
    for i in range(23):
        p = person(f"p{i}", "x", tz=rng.choice(zones))
        p["availability"]["weekly"] = [
            {"day": rng.choice(["mon", "wed", "sun"]), "start": f"{h:02d}:30",
             "end": f"{h + rng.randint(1, 3):02d}:00"}
            for h in (rng.randint(0, 20) for _ in range(rng.randint(1, 3)))
        ]
        people.append(p)
    inst = instance_from_dict(instance(people, period={"start": "2027-03-15", "weeks": 5}))
    _, profiles = profile_index(inst.participants)
    assert len(profiles) == 23
    whole = rasterise(profiles, inst.period, 60)
    assert whole.run.any() and whole.free.any()
    for size in (1, 4, 7):  # 23 blocks, 6 with a partial last one, 4
        monkeypatch.setattr(availability, "PROFILE_BLOCK", size)
        blocked = rasterise(profiles, inst.period, 60)
        assert (blocked.run == whole.run).all() and (blocked.free == whole.free).all()
        assert (blocked.hours0 == whole.hours0).all()


def test_painting_refuses_an_array_it_cannot_paint_in_place():
    out = np.zeros((4, 2, 11), dtype=np.uint64)[:, :1]  # every other week: not contiguous
    with pytest.raises(ValueError, match="contiguous"):
        _paint_into(out, np.array([0]), np.array([0]), np.array([5]))


@pytest.mark.parametrize("start", [
    "2027-03-29",  # Santiago falls back at the midnight ending Saturday 3 April
    "2027-08-30",  # and springs forward at the midnight ending Saturday 4 September
])
def test_a_window_to_midnight_keeps_its_last_hour_when_clocks_change_at_midnight(start):
    # 24:00 is the end of Saturday: when the clock skips midnight, that is the change
    # itself (04:00 UTC), not an hour earlier.
    late = {"day": "sat", "start": "23:00", "end": "24:00"}
    result = _two("America/Santiago", late, "America/Santiago", late, start, weeks=2,
                  cities=("santiago", "valparaiso"))
    assert len(result.pairs) == 1
