"""An officer's new dates for a program: the sessions still to come that no longer fall
inside it on both sides' calendars are cancelled once the officer confirms (asked first,
nothing saved until then), their people told; held or past sessions stay, and a longer
program cancels nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import AuditEvent, ClassroomExchange, Notification, Program, Session
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from exchanges.services.programs import program_update
from tests.exchanges.classroom_fixtures import classroom, pupil, teacher
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.exchanges.services.test_series_program_days import (
    AUCKLAND,
    LOS_ANGELES,
    match_across_the_date_line,
    series_on,
)
from tests.factories import CityFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def _update(program, officer, now=None, **values):
    if now is not None:
        values["now"] = now
    return program_update(program=program, by=officer, twinnings=list(program.twinnings.all()),
                          completion_sessions=2, **values)


def _asked(program, officer, now=None, **values) -> ValidationError:
    """The question the change asks (a refusal keyed by the dates' field); its answer."""
    with pytest.raises(ValidationError) as refused:
        _update(program, officer, now=now, **values)
    (error,) = [e for errors in refused.value.error_dict.values() for e in errors]
    return error


def _status(sessions) -> list[str]:
    return [s.status for s in Session.objects.filter(pk__in=[s.pk for s in sessions])
            .order_by("starts_at")]


@pytest.fixture
def series():
    """A weekly pair series over the six weeks from Monday 1 March 2027, planned at NOW
    (New York and London), the match's program with a twinning and an officer."""
    match, sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    return match, sorted(sessions, key=lambda s: s.starts_at), make_officer(program)


def test_shortening_asks_first_and_saves_nothing_until_confirmed(series):
    match, sessions, officer = series
    program = match.program
    assert len(sessions) == 6
    error = _asked(program, officer, weeks=3)
    assert error.code == "dates_unconfirmed"
    text = error.message % error.params
    assert "This change cancels 3 sessions planned" in text
    # The new last day, the Sunday of the third week, as the reader's language writes it.
    assert date_format(dt.date(2027, 3, 21), "DATE_FORMAT") in text
    program.refresh_from_db()
    assert program.weeks == 6
    assert set(_status(sessions)) == {Session.Status.SCHEDULED}
    assert not AuditEvent.objects.filter(verb="program.updated").exists()
    # An answer to another question (other dates, or fewer sessions) confirms nothing.
    with pytest.raises(ValidationError):
        _update(program, officer, weeks=3, dates_confirmed="2027-03-01/3/2")


def test_confirmed_shortening_cancels_the_sessions_after_the_new_last_day(series):
    match, sessions, officer = series
    program = match.program
    token = _asked(program, officer, weeks=3).params["token"]
    _update(program, officer, weeks=3, dates_confirmed=token)
    program.refresh_from_db()
    assert program.weeks == 3 and program.last_day == dt.date(2027, 3, 21)
    kept, cancelled = sessions[:3], sessions[3:]
    assert _status(kept) == [Session.Status.SCHEDULED] * 3
    assert _status(cancelled) == [Session.Status.CANCELLED] * 3
    # Calendar feeds see them changed: their SEQUENCE goes up, the kept ones' does not.
    sequences = dict(Session.objects.values_list("pk", "sequence"))
    assert [sequences[s.pk] for s in cancelled] == [s.sequence + 1 for s in cancelled]
    assert [sequences[s.pk] for s in kept] == [s.sequence for s in kept]
    for person, partner in ((match.participant_a, match.participant_b),
                            (match.participant_b, match.participant_a)):
        told = Notification.objects.get(user=person.user, kind="session.cancelled")
        assert told.params["n"] == 3 and told.params["name"] == partner.user.public_name
        assert told.params["last"]["date"] == "2027-03-21"
        assert date_format(dt.date(2027, 3, 21), "DATE_FORMAT") in told.text
    event = AuditEvent.objects.get(verb="program.updated")
    assert event.data["sessions_cancelled"] == 3 and event.data["changed"] == [
        "completion_sessions", "weeks"]


def test_held_and_past_sessions_stay_as_they_are(series):
    match, sessions, officer = series
    program = match.program
    Session.objects.filter(pk=sessions[3].pk).update(status=Session.Status.HELD)
    # After the fifth session's start (not yet settled): only the sixth is still to come.
    now = sessions[4].starts_at + dt.timedelta(hours=2)
    error = _asked(program, officer, now=now, weeks=3)
    assert error.params["count"] == 1
    _update(program, officer, now=now, weeks=3, dates_confirmed=error.params["token"])
    assert _status(sessions) == [Session.Status.SCHEDULED] * 3 + [
        Session.Status.HELD, Session.Status.SCHEDULED, Session.Status.CANCELLED]
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == 1


def test_lengthening_asks_nothing_and_cancels_nothing(series):
    match, sessions, officer = series
    _update(match.program, officer, weeks=10)
    match.program.refresh_from_db()
    assert match.program.weeks == 10
    assert set(_status(sessions)) == {Session.Status.SCHEDULED}
    assert not Notification.objects.filter(kind="session.cancelled").exists()
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == 0


def test_the_new_last_day_is_read_on_both_partners_calendars():
    """Monday 22 March in Auckland is still Sunday 21 March, the new last day, in Los
    Angeles and in UTC: the session lies after the program in Auckland, and goes."""
    match = match_across_the_date_line()  # from Monday 1 March 2027, four weeks
    match.program.twinnings.add(match.twinning)
    officer = make_officer(match.program)
    _proposal, sessions = series_on(match, AUCKLAND)
    last = max(sessions, key=lambda s: s.starts_at)
    assert last.starts_at.astimezone(ZoneInfo(AUCKLAND)).date() == dt.date(2027, 3, 22)
    assert last.starts_at.astimezone(ZoneInfo(LOS_ANGELES)).date() == dt.date(2027, 3, 21)
    assert last.starts_at.astimezone(dt.UTC).date() == dt.date(2027, 3, 21)
    error = _asked(match.program, officer, weeks=3)
    assert error.params["count"] == 1
    _update(match.program, officer, weeks=3, dates_confirmed=error.params["token"])
    assert [s.status for s in Session.objects.filter(match=match).order_by("starts_at")] == [
        Session.Status.SCHEDULED, Session.Status.SCHEDULED, Session.Status.CANCELLED]


def test_a_later_start_cancels_the_sessions_before_it_on_either_calendar():
    """Monday 8 March in Auckland is Sunday 7 March in Los Angeles: moved to start on the
    8th, the program no longer holds that session."""
    match = match_across_the_date_line()
    match.program.twinnings.add(match.twinning)
    officer = make_officer(match.program)
    _proposal, sessions = series_on(match, AUCKLAND)
    first = min(sessions, key=lambda s: s.starts_at)
    assert first.starts_at.astimezone(ZoneInfo(AUCKLAND)).date() == dt.date(2027, 3, 8)
    start = dt.date(2027, 3, 8)
    error = _asked(match.program, officer, start_date=start, weeks=3)
    assert error.params["count"] == 1
    _update(match.program, officer, start_date=start, weeks=3,
            dates_confirmed=error.params["token"])
    first.refresh_from_db()
    assert first.status == Session.Status.CANCELLED
    assert Session.objects.filter(match=match, status=Session.Status.SCHEDULED).count() == 2


@pytest.fixture
def class_series():
    """A class in Auckland (Tuesdays 08:00–12:00) and one in Los Angeles (Mondays), in a
    classroom program that began on a Tuesday over a week ago, with a weekly time on
    Tuesdays 09:00 in Auckland (Mondays around midday in LA) and a pupil on each side."""
    auckland = CityFactory(name="Auckland", country="NZ", tz=AUCKLAND)
    los_angeles = CityFactory(name="Los Angeles", country="US", tz=LOS_ANGELES)
    twinning = TwinningFactory(city_a=auckland, city_b=los_angeles)
    a = classroom(teacher_user=teacher(), city=auckland, hours=[(1, "08:00", "12:00")])
    b = classroom(teacher_user=teacher(), city=los_angeles, speaks="de", learns="en",
                  name="7c", hours=[(0, "11:00", "17:00")])
    today = timezone.localdate()
    start = today - dt.timedelta(days=(today.weekday() - 1) % 7 + 7)  # a Tuesday
    program = ProgramFactory(kind=Program.Kind.CLASSROOM, twinnings=[twinning],
                             start_date=start, weeks=20)
    exchange = ClassroomExchange.objects.create(
        program=program, twinning=twinning, classroom_a=a, classroom_b=b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now(),
    )
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(9, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    pupils = (pupil(a, "Amelia K."), pupil(b, "Jonas M."))
    return exchange, sorted(sessions, key=lambda s: s.starts_at), pupils, make_officer(program)


def test_shortening_a_classroom_program_cancels_its_class_sessions_after_the_last_day(
    class_series,
):
    exchange, sessions, pupils, officer = class_series
    program = exchange.program
    # The new end date is the third session's Tuesday in Auckland: still Monday, inside
    # the program, in Los Angeles and in UTC.
    cut = sessions[2].starts_at
    end_date = cut.astimezone(ZoneInfo(AUCKLAND)).date()
    assert cut.astimezone(ZoneInfo(LOS_ANGELES)).date() < end_date
    assert cut.astimezone(dt.UTC).date() < end_date
    weeks = (end_date - program.start_date).days // 7
    error = _asked(program, officer, weeks=weeks)
    assert error.params["count"] == len(sessions) - 2
    _update(program, officer, weeks=weeks, dates_confirmed=error.params["token"])
    assert _status(sessions) == [Session.Status.SCHEDULED] * 2 + [
        Session.Status.CANCELLED] * (len(sessions) - 2)
    assert all(s.sequence == 1 for s in Session.objects.filter(
        status=Session.Status.CANCELLED))
    last = (end_date - dt.timedelta(days=1)).isoformat()
    for who in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
        told = Notification.objects.get(user=who, kind="class_session.cancelled")
        assert told.params["n"] == len(sessions) - 2 and told.params["last"]["date"] == last
    for child, other in zip(pupils, (exchange.classroom_b, exchange.classroom_a), strict=True):
        told = Notification.objects.get(user=child.user, kind="class_session.cancelled")
        assert told.params["class"] == other.name and told.params["last"]["date"] == last
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == (
        len(sessions) - 2)


def test_lengthening_a_classroom_program_cancels_no_class_session(class_series):
    exchange, sessions, _pupils, officer = class_series
    _update(exchange.program, officer, weeks=30)
    assert set(_status(sessions)) == {Session.Status.SCHEDULED}
    assert not Notification.objects.filter(kind="class_session.cancelled").exists()
    assert AuditEvent.objects.get(verb="program.updated").data["sessions_cancelled"] == 0


def test_removing_a_twinning_with_a_match_going_is_asked_with_the_dates_in_one_refusal(
    series,
):
    match, sessions, officer = series
    program = match.program
    other = TwinningFactory()
    program.twinnings.add(other)
    with pytest.raises(ValidationError) as refused:
        program_update(program=program, by=officer, twinnings=[other], completion_sessions=2,
                       weeks=3)
    asked = {e.code: e for errors in refused.value.error_dict.values() for e in errors}
    assert set(asked) == {"removal_unconfirmed", "dates_unconfirmed"}
    assert asked["removal_unconfirmed"].params["token"] == str(match.twinning.pk)
    assert set(program.twinnings.all()) == {match.twinning, other}  # nothing saved
    # One answered: the other alone is asked, and nothing is saved yet.
    with pytest.raises(ValidationError) as refused:
        program_update(program=program, by=officer, twinnings=[other], completion_sessions=2,
                       weeks=3, removal_confirmed=str(match.twinning.pk))
    assert [e.code for errors in refused.value.error_dict.values() for e in errors] == [
        "dates_unconfirmed"]
    program_update(program=program, by=officer, twinnings=[other], completion_sessions=2,
                   weeks=3, removal_confirmed=str(match.twinning.pk),
                   dates_confirmed=asked["dates_unconfirmed"].params["token"])
    assert list(program.twinnings.all()) == [other]
    assert _status(sessions) == [Session.Status.SCHEDULED] * 3 + [Session.Status.CANCELLED] * 3
