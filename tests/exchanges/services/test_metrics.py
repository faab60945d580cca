"""The summaries stay right: on the writes that change them (a session settled, a match
activated) and through the beat's incremental and full refreshes."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import (
    Match,
    Message,
    Participant,
    ParticipantSummary,
    Room,
    RoomMessageDay,
    Session,
    SessionSummary,
)
from exchanges.selectors.metrics import Period, Scope, metrics
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.matches import match_accept
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import _settle, at, build_dataset, proposed_today
from tests.factories import MatchFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


def _figures(data):
    return metrics(scope=Scope(program_ids=(data.program.pk,)),
                   period=Period(dt.date(2026, 3, 1), dt.date(2026, 12, 31)))


def test_settling_a_session_writes_its_summary_at_once(data):
    m1 = data.matches["M1"]
    session = Session.objects.create(match=m1, starts_at=at(6, 7, 18), minutes=60)
    room = Room.objects.get(match=m1)
    for person in (data.people["alice"], data.people["bruno"]):
        attendance_join(room=room, user_id=person.user_id, at=at(6, 7, 18, 5))
        attendance_leave(room=room, user_id=person.user_id, at=at(6, 7, 18, 35))
    _settle(session)
    summary = SessionSummary.objects.get(session=session)
    assert summary.status == "held" and summary.together_seconds == 30 * 60
    assert summary.a_attended and summary.b_attended


def test_a_partner_still_connected_at_settling_counts_until_the_end(data):
    m1 = data.matches["M1"]
    session = Session.objects.create(match=m1, starts_at=at(6, 14, 18), minutes=60)
    room = Room.objects.get(match=m1)
    attendance_join(room=room, user_id=data.people["alice"].user_id, at=at(6, 14, 17, 55))
    attendance_join(room=room, user_id=data.people["bruno"].user_id, at=at(6, 14, 18, 20))
    _settle(session)  # neither left: both counted until 19:00
    assert SessionSummary.objects.get(session=session).together_seconds == 40 * 60


def test_a_match_becoming_active_refreshes_both_partners_at_once(data):
    emma, dieter = data.people["emma"], data.people["dieter"]
    m4 = proposed_today(data.matches["M4"])
    summary = ParticipantSummary.objects.get(participant=emma, program=data.program)
    assert summary.first_active_at is None
    match_accept(match=m4, by=emma)
    match_accept(match=m4, by=dieter)
    summary = ParticipantSummary.objects.get(participant=emma, program=data.program)
    assert summary.first_active_at is not None
    assert summary.days_to_match == (summary.first_active_at - at(3, 10)).days


def test_the_beat_picks_up_a_cancelled_session_and_new_messages(data):
    before = _figures(data)["totals"]
    s5 = data.sessions["S5"]
    s5.status = Session.Status.CANCELLED
    s5.save()
    room = Room.objects.get(match=data.matches["M2"])
    Message.objects.create(room=room, author=data.people["carla"].user, body="hi", client_id="x1")
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    Message.objects.filter(client_id="x1").update(created_at=a_minute_ago)
    result = metrics_refresh(now=timezone.now())
    assert result["sessions"] >= 1 and result["room_days"] == 1
    after = _figures(data)["totals"]
    assert after["sessions_cancelled"] == before["sessions_cancelled"] + 1
    assert after["sessions_held"] == before["sessions_held"] - 1
    today = timezone.now().astimezone(dt.UTC).date()
    assert RoomMessageDay.objects.get(room=room, day=today).count == 1


def test_an_incremental_run_recounts_a_day_without_double_counting(data):
    room = Room.objects.get(match=data.matches["M1"])
    now = timezone.now()
    for n in range(3):
        Message.objects.create(room=room, author=data.people["alice"].user, body="x",
                               client_id=f"dup-{n}")
    metrics_refresh(now=now + dt.timedelta(seconds=1))
    metrics_refresh(now=now + dt.timedelta(seconds=2))
    today = now.astimezone(dt.UTC).date()
    assert RoomMessageDay.objects.get(room=room, day=today).count == 3


def test_a_full_refresh_from_nothing_gives_the_same_figures(data):
    before = _figures(data)
    SessionSummary.objects.all().delete()
    ParticipantSummary.objects.all().delete()
    RoomMessageDay.objects.all().delete()
    metrics_refresh(full=True, now=at(12, 3))
    assert _figures(data)["totals"] == before["totals"]
    assert _figures(data)["by_city"] == before["by_city"]


def test_leaving_the_program_or_an_incomplete_profile_drops_the_summary(data):
    emma = data.people["emma"]
    emma.programs.remove(data.program)
    newcomer = ParticipantFactory(onboarded_at=None)
    newcomer.programs.add(data.program)
    metrics_refresh(full=True, now=at(12, 3))
    ids = set(ParticipantSummary.objects.filter(program=data.program)
              .values_list("participant_id", flat=True))
    assert emma.pk not in ids and newcomer.pk not in ids
    assert len(ids) == 5


def test_a_match_in_another_program_never_counts(data):
    MatchFactory(program=data.other_program, twinning=data.twinning,
                 participant_a=data.people["alice"], participant_b=data.people["bruno"],
                 status=Match.Status.ACTIVE, activated_at=at(3, 2))
    metrics_refresh(full=True, now=at(12, 3))
    summary = ParticipantSummary.objects.get(participant=data.people["alice"], program=data.program)
    assert summary.days_to_match == 10


def test_the_refresh_runs_on_the_beat():
    import exchanges.tasks  # noqa: F401 (registers the tasks)
    from config.celery import app

    names = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"exchanges.tasks.metrics_refresh", "exchanges.tasks.metrics_refresh_full"} <= names
    assert "exchanges.tasks.metrics_refresh" in app.tasks


def test_sessions_settled_one_by_one_count_each_active_person_once(postgres, data):
    """The previous-attendance columns written at settling (not by a full refresh) give
    the same active people as the plain-SQL baseline (written for PostgreSQL: on SQLite
    it failed on its interval syntax)."""
    from benchmarks.officer_metrics_baseline import baseline_totals

    m2 = data.matches["M2"]
    room = Room.objects.get(match=m2)
    for day in (3, 10):
        session = Session.objects.create(match=m2, starts_at=at(6, day, 18), minutes=60)
        for person in (data.people["carla"], data.people["dieter"]):
            attendance_join(room=room, user_id=person.user_id, at=at(6, day, 18))
            attendance_leave(room=room, user_id=person.user_id, at=at(6, day, 18, 45))
        _settle(session)
    june = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    spring_to_june = Period(dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    for period in (june, spring_to_june):
        totals = metrics(scope=Scope(program_ids=(data.program.pk,)), period=period)["totals"]
        if period is june:
            assert totals["active_participants"] == 2  # Carla and, at last, Dieter
        assert totals == baseline_totals(program=data.program, period=period)


def test_the_writes_and_the_beat_keep_the_roll_ups_as_a_full_rebuild_makes_them(data):
    """After a match activated (on write), a session moved to another day and one settled
    (on write), a new profile and new messages (the beat), the daily roll-ups give the same
    figures as rebuilding every summary and roll-up from nothing."""
    from exchanges.models import (
        ActiveDay,
        LanguageDay,
        MessageDay,
        PeopleDay,
        ProfileDay,
        RegisterPeopleDay,
        SessionDay,
    )
    from exchanges.selectors.metrics import dashboard
    from exchanges.selectors.register import register_json, transparency_register

    emma, dieter = data.people["emma"], data.people["dieter"]
    m4 = proposed_today(data.matches["M4"])
    match_accept(match=m4, by=emma)
    match_accept(match=m4, by=dieter)
    s3 = data.sessions["S3"]
    s3.starts_at = at(4, 28, 18)  # moved two days later, its summary not yet refreshed
    s3.save()
    room = Room.objects.get(match=data.matches["M4"])
    session = Session.objects.create(match=data.matches["M4"], starts_at=at(6, 2, 18), minutes=60)
    for person in (emma, dieter):
        attendance_join(room=room, user_id=person.user_id, at=at(6, 2, 18))
        attendance_leave(room=room, user_id=person.user_id, at=at(6, 2, 19))
    _settle(session)
    newcomer = ParticipantFactory(city=data.london, onboarded_at=timezone.now())
    newcomer.programs.add(data.program)
    Message.objects.create(room=room, author=emma.user, body="hallo", client_id="w1")
    metrics_refresh(now=timezone.now() + dt.timedelta(seconds=1))

    scope = Scope(program_ids=(data.program.pk,))
    periods = [Period(dt.date(2026, 3, 1), dt.date(2026, 12, 31)),
               Period(dt.date(2026, 4, 27), dt.date(2026, 6, 2)),
               Period(None, timezone.localdate())]

    def everything():
        register = register_json(transparency_register())
        del register["generated_at"]
        del register["figures_as_of"]  # the refresh's own time
        figures = [dashboard(scope=scope, period=p) for p in periods]
        for one in figures:
            del one["as_of"]  # the refresh's own time
        return figures, register

    kept = everything()
    for model in (SessionSummary, ParticipantSummary, RoomMessageDay, SessionDay, ActiveDay,
                  MessageDay, PeopleDay, ProfileDay, LanguageDay, RegisterPeopleDay):
        model.objects.all().delete()
    metrics_refresh(full=True)
    assert everything() == kept
    assert kept[0][0]["totals"]["sessions_held"] == 4


def test_a_profile_edit_refreshes_the_breakdown_at_once(data):
    """Changing the language one learns (or one's city or birth year) reaches the
    participant summaries and their roll-ups on the save, not at the nightly refresh."""
    import datetime as _dt

    from exchanges.selectors.metrics import participant_breakdown
    from exchanges.services.participants import (
        LanguageInput,
        WindowInput,
        participant_update_profile,
    )

    scope = Scope(program_ids=(data.program.pk,))
    spring = Period(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
    before = participant_breakdown(scope=scope, period=spring, twinnings=[])["languages"]
    assert before == {"de": 3, "en": 3, "fr": 1}
    alice = data.people["alice"]
    participant_update_profile(
        participant=alice, city=alice.city, birth_year=1990,
        languages=[LanguageInput("en", "native", False), LanguageInput("fr", "B1", True)],
        interests=["Cycling"], windows=[WindowInput(0, _dt.time(18), _dt.time(20))],
    )
    after = participant_breakdown(scope=scope, period=spring, twinnings=[])["languages"]
    assert after == {"de": 2, "en": 3, "fr": 2}


def test_the_pupils_of_a_classroom_programs_exchanges_count_though_they_join_no_program():
    # Pupils join a class with its code; nothing enrols them in the program whose
    # exchange their class is in. The officer's figures still count them (as pupils).
    from tests.exchanges.class_exchange_fixtures import exchange_in_program

    program, exchange, pupils_a, pupils_b = exchange_in_program(3, 2)
    metrics_refresh(full=True)
    today = timezone.now().date()
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=Period(None, today))
    assert figures["totals"]["participants"] == 5
    summaries = ParticipantSummary.objects.filter(program=program)
    assert set(summaries.values_list("participant_id", flat=True)) == {
        p.pk for p in pupils_a + pupils_b
    }
    assert set(summaries.values_list("role", flat=True)) == {"pupil"}
    assert set(summaries.values_list("classroom_id", flat=True)) == {
        exchange.classroom_a_id, exchange.classroom_b_id,
    }


def test_a_pupil_joining_a_class_of_a_classroom_programs_exchange_counts_at_the_next_beat():
    from tests.exchanges.class_exchange_fixtures import exchange_in_program
    from tests.exchanges.classroom_fixtures import pupil

    program, exchange, _, _ = exchange_in_program(1, 1)
    metrics_refresh(full=True)
    newcomer = pupil(exchange.classroom_b, "Lea F.")
    metrics_refresh(now=timezone.now() + dt.timedelta(seconds=1))
    assert ParticipantSummary.objects.filter(program=program, participant=newcomer).exists()
    assert ParticipantSummary.objects.filter(program=program).count() == 3


def test_a_class_session_counts_the_time_both_classes_were_there_under_both_cities():
    # Two pupils of class A overlap each other; class B's one pupil overlaps them 15
    # minutes: the session is held with 15 minutes together (not 25: overlapping pupils
    # of one class count once), under both classes' cities.
    from exchanges.services.class_attendance import class_sessions_settle_finished
    from tests.exchanges.class_exchange_fixtures import exchange_in_program

    program, exchange, pupils_a, pupils_b = exchange_in_program(2, 1)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    session = Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
    room = exchange.room

    def stay(person, first, last):
        attendance_join(room=room, user_id=person.user_id, at=start + dt.timedelta(minutes=first))
        attendance_leave(room=room, user_id=person.user_id, at=start + dt.timedelta(minutes=last))

    stay(pupils_a[0], 0, 20)
    stay(pupils_a[1], 10, 30)
    stay(pupils_b[0], 15, 40)  # with class A from 15 to 30
    class_sessions_settle_finished(now=start + dt.timedelta(hours=2))
    metrics_refresh(full=True)
    summary = SessionSummary.objects.get(session=session)
    assert summary.status == "held" and summary.together_seconds == 15 * 60
    city_a, city_b = exchange.classroom_a.city_id, exchange.classroom_b.city_id
    assert (summary.city_a_id, summary.city_b_id) == (city_a, city_b)
    today = timezone.now().date()
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=Period(None, today))
    assert figures["totals"]["sessions_held"] == 1
    assert figures["totals"]["contact_hours"] == 0.25
    by_city = {row["id"]: row for row in figures["by_city"]}
    assert by_city[city_a]["sessions_held"] == by_city[city_b]["sessions_held"] == 1
    # The public register reads the same roll-ups (suppressed there, so read unsuppressed).
    from exchanges.selectors.metrics.participation import participation_by_twinning_year

    register = participation_by_twinning_year(twinning_ids=[exchange.twinning_id])
    key = (exchange.twinning_id, start.year)
    assert (register.sessions_held[key], register.seconds[key]) == (1, 15 * 60)


def test_pupils_who_attend_class_sessions_complete_and_are_retained():
    # A classroom program whose pupils came to every class session: completion,
    # retention, attendance and active participants count them (not 0, not null).
    from exchanges.selectors.metrics.definitions import figures_for_kind
    from exchanges.services.class_attendance import class_sessions_settle_finished
    from tests.exchanges.class_exchange_fixtures import exchange_in_program

    program, exchange, pupils_a, pupils_b = exchange_in_program(2, 2, completion_sessions=3)
    now = timezone.now().replace(microsecond=0)
    for person in pupils_a + pupils_b:  # in their classes before the first session
        Participant.objects.filter(pk=person.pk).update(onboarded_at=now - dt.timedelta(days=60))
    for days_ago in (40, 26, 12):
        start = now - dt.timedelta(days=days_ago)
        Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
        for person in pupils_a + pupils_b[:1]:  # one pupil of class B never comes
            attendance_join(room=exchange.room, user_id=person.user_id, at=start)
            attendance_leave(room=exchange.room, user_id=person.user_id,
                             at=start + dt.timedelta(minutes=40))
    class_sessions_settle_finished(now=now)
    metrics_refresh(full=True)
    figures = figures_for_kind(
        metrics(scope=Scope(program_ids=(program.pk,)), period=Period(None, now.date())),
        kind=program.kind,
    )["totals"]
    assert (figures["participants"], figures["sessions_held"]) == (4, 3)
    assert figures["completion"] == 3
    assert figures["retention"] == 1.0  # the three who came, of the three who came first
    assert figures["attendance_rate"] == 0.75  # 3 of the 4 pupils, at each session
    assert figures["active_participants"] == 3
