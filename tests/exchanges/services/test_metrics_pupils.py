"""Pupils' roll-ups (exchanges/services/metrics_pupils.py): a classroom program's
attendance rate and active participants from its pupils' attendance at class sessions,
with the figures of tests/exchanges/pupil_attendance_fixtures.py worked out by hand."""

import datetime as dt

import pytest

from exchanges.models import ActiveDay, Program, Session, SessionSummary
from exchanges.selectors.metrics import Period, Scope, metrics
from exchanges.selectors.metrics.definitions import figures_for_kind
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.class_attendance import class_sessions_settle_finished
from exchanges.services.metrics import metrics_refresh
from exchanges.services.pupils import pupil_remove
from tests.exchanges.metrics_fixtures import build_dataset
from tests.exchanges.pupil_attendance_fixtures import classes_with_attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes():
    return classes_with_attendance()


def _figures(classes, first=None, last=None, **narrow):
    period = Period(first, last or classes.today)
    figures = metrics(scope=Scope(program_ids=(classes.program.pk,), **narrow), period=period)
    return figures_for_kind(figures, kind=classes.program.kind)


def _days(classes, n):
    return classes.today + dt.timedelta(days=n)


def test_a_class_sessions_summary_counts_the_pupils_expected_and_those_who_came(classes):
    metrics_refresh(full=True)
    counts = {
        name: SessionSummary.objects.filter(session=session).values_list(
            "a_pupils", "b_pupils", "a_pupils_came", "b_pupils_came"
        ).get()
        for name, session in classes.sessions.items()
    }
    # S1: b2 and b3 had not joined class B (their rows were made, missed, at settling);
    # S2: b3 joined five minutes in and came, so was expected too.
    assert counts["S1"] == (5, 1, 2, 1)
    assert counts["S2"] == (5, 3, 3, 2)
    assert counts["S3"] == counts["S4"] == (0, 0, 0, 0)  # cancelled; still to come


def test_a_classroom_programs_attendance_and_active_pupils_are_counted(classes):
    metrics_refresh(full=True)
    totals = _figures(classes)["totals"]
    assert (totals["sessions_scheduled"], totals["sessions_held"],
            totals["sessions_cancelled"]) == (3, 2, 1)  # S4 is after the range
    assert totals["attendance_rate"] == round(8 / 14, 4)
    assert totals["active_participants"] == 6  # a4 and a5 never came; a1, a2 came twice


def test_a_range_counts_its_own_sessions_and_each_pupil_once(classes):
    metrics_refresh(full=True)
    later = _figures(classes, first=_days(classes, -15))["totals"]
    assert (later["attendance_rate"], later["active_participants"]) == (0.625, 5)
    earlier = _figures(classes, last=_days(classes, -15))["totals"]
    assert (earlier["attendance_rate"], earlier["active_participants"]) == (0.5, 3)


def test_each_classes_pupils_count_under_its_city_and_twinning(classes):
    metrics_refresh(full=True)
    figures = _figures(classes)
    by_city = {row["id"]: row for row in figures["by_city"]}
    city_a = by_city[classes.exchange.classroom_a.city_id]
    city_b = by_city[classes.exchange.classroom_b.city_id]
    assert (city_a["attendance_rate"], city_a["active_participants"]) == (0.5, 3)
    assert (city_b["attendance_rate"], city_b["active_participants"]) == (0.75, 3)
    (twinning,) = figures["by_twinning"]
    assert (twinning["attendance_rate"], twinning["active_participants"]) == (
        round(8 / 14, 4), 6)
    # A city's view: its pupils, and the partner class's by twinning.
    city = _figures(classes, city_id=classes.exchange.classroom_a.city_id)["totals"]
    assert (city["attendance_rate"], city["active_participants"]) == (0.5, 3)


def test_the_beat_counts_a_newly_settled_class_session_as_the_full_refresh_does(classes):
    metrics_refresh(full=True)
    start = dt.datetime.combine(_days(classes, -3), dt.time(9), tzinfo=dt.UTC)
    Session.objects.create(exchange=classes.exchange, starts_at=start, minutes=45)
    a4 = classes.pupils["a4"]  # their first class session
    attendance_join(room=classes.exchange.room, user_id=a4.user_id, at=start)
    attendance_leave(room=classes.exchange.room, user_id=a4.user_id,
                     at=start + dt.timedelta(minutes=20))
    class_sessions_settle_finished(now=start + dt.timedelta(hours=2))
    metrics_refresh()  # the five-minute beat: only what changed

    def totals():
        return [_figures(classes)["totals"],
                _figures(classes, first=_days(classes, -4))["totals"]]

    incremental = totals()
    assert incremental[0]["attendance_rate"] == round(9 / 22, 4)  # 1 of 8 more
    assert incremental[0]["active_participants"] == 7
    assert incremental[1]["active_participants"] == 1
    metrics_refresh(full=True)
    assert totals() == incremental


def test_the_beat_moves_a_pupils_milestones_when_their_class_session_settles(classes):
    classes.program.completion_sessions = 2
    classes.program.save(update_fields=["completion_sessions"])
    metrics_refresh(full=True)
    assert _figures(classes)["totals"]["completion"] == 2  # a1 and a2
    start = dt.datetime.combine(_days(classes, -3), dt.time(9), tzinfo=dt.UTC)
    Session.objects.create(exchange=classes.exchange, starts_at=start, minutes=45)
    a3 = classes.pupils["a3"]  # their second class session
    attendance_join(room=classes.exchange.room, user_id=a3.user_id, at=start)
    attendance_leave(room=classes.exchange.room, user_id=a3.user_id,
                     at=start + dt.timedelta(minutes=20))
    class_sessions_settle_finished(now=start + dt.timedelta(hours=2))
    metrics_refresh()  # the five-minute beat, not the nightly one
    assert _figures(classes)["totals"]["completion"] == 3


def test_a_removed_pupil_counts_at_no_session_from_their_removal(classes):
    metrics_refresh(full=True)
    a1 = classes.pupils["a1"]
    pupil_remove(pupil=a1, by=classes.exchange.classroom_a.teacher)
    # No refresh: the removal recounts the sessions a1 was counted at.
    totals = _figures(classes)["totals"]
    # S1: 4 + 1 expected, a2 and b1 came; S2: 4 + 3 expected, a2, a3, b2 and b3 came.
    assert totals["attendance_rate"] == 0.5
    assert totals["active_participants"] == 5
    metrics_refresh(full=True)
    assert _figures(classes)["totals"] == totals


def test_the_roll_ups_keep_counts_never_pupils(classes):
    metrics_refresh(full=True)
    rows = list(ActiveDay.objects.filter(program=classes.program).values())
    assert sum(row["count"] for row in rows) == 8  # attended pupil-sessions
    pupil_ids = {p.pk for p in classes.pupils.values()}
    for row in rows:
        assert set(row) == {
            "id", "program_id", "twinning_id", "city_id", "partner_city_id", "day",
            "previous_day", "previous_in_twinning_day", "count", "kept",
        }
    summary = SessionSummary.objects.get(session=classes.sessions["S2"])
    assert summary.participant_a_id is None and summary.participant_b_id is None
    assert not pupil_ids & {summary.participant_a_id, summary.participant_b_id}


def test_a_program_with_tandems_and_classes_counts_partners_and_pupils_together():
    data = build_dataset()  # tandems: 8 of 12 person-sessions, 3 active (2026)
    classes = classes_with_attendance(program=data.program)
    assert data.program.kind == Program.Kind.TANDEM
    metrics_refresh(full=True)
    figures = _figures(classes)
    totals = figures["totals"]
    assert totals["attendance_rate"] == round((8 + 8) / (12 + 14), 4)
    assert totals["active_participants"] == 3 + 6
    rows = {row["id"]: row for row in figures["by_twinning"]}
    class_row = rows[classes.exchange.twinning_id]
    assert (class_row["attendance_rate"], class_row["active_participants"]) == (
        round(8 / 14, 4), 6)
    # Across programs (the twinning's own view) the pupils are counted by who they are.
    twinning = metrics(scope=Scope(twinning_id=classes.exchange.twinning_id),
                       period=Period(None, classes.today))["totals"]
    assert (twinning["attendance_rate"], twinning["active_participants"]) == (
        round(8 / 14, 4), 6)


def test_class_sessions_at_the_same_time_count_each_pupil_active_once(classes):
    # S2 moved onto S1's start (a clash made in the admin, say): a1 and a2, who came to
    # both, are still one active pupil each, whichever session comes first.
    s1, s2 = classes.sessions["S1"], classes.sessions["S2"]
    Session.objects.filter(pk=s2.pk).update(starts_at=s1.starts_at)
    metrics_refresh(full=True)
    assert _figures(classes)["totals"]["active_participants"] == 6
