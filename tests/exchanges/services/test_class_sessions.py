"""Class sessions: proposed by one teacher inside both schools' shared hours, confirmed
by the other; sessions only in both terms, never on a holiday; the teachers' feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import ClassSessionProposal, Notification, Session, TermHoliday
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    class_sessions_check,
    teacher_calendar_ensure,
    teacher_calendar_rotate,
)
from exchanges.services.classrooms import ClassroomInput, HolidayInput, classroom_update
from exchanges.services.participants import LanguageInput, WindowInput
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import teacher

pytestmark = pytest.mark.django_db
LONDON, BERLIN = ZoneInfo("Europe/London"), ZoneInfo("Europe/Berlin")
TUESDAY = 1


def _two_o_clock(exchange, by, minutes=45):
    return class_session_propose(
        exchange=exchange, by=by, weekday=TUESDAY, local_start=dt.time(14, 0), minutes=minutes
    )


def test_proposed_and_confirmed_sessions_fall_in_both_schools_hours_and_terms():
    exchange, _, _ = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = _two_o_clock(exchange, a.teacher)
    assert proposal.first_start.astimezone(LONDON).time() == dt.time(14, 0)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    assert len(sessions) >= 10  # a 90-day term has about 13 Tuesdays
    for session in sessions:
        london = session.starts_at.astimezone(LONDON)
        berlin = session.starts_at.astimezone(BERLIN)
        assert (london.weekday(), london.time()) == (TUESDAY, dt.time(14, 0))
        assert dt.time(15) <= berlin.time() and (
            berlin + dt.timedelta(minutes=45)).time() <= dt.time(17)
        assert a.term_start <= london.date() <= min(a.term_end, b.term_end)
        assert session.exchange_id == exchange.pk and session.match_id is None
        assert [p["language"] for p in session.language_plan] in (["de", "en"], ["en", "de"])
        assert sum(p["minutes"] for p in session.language_plan) == 45
    proposal.refresh_from_db()
    assert proposal.status == ClassSessionProposal.Status.CONFIRMED
    assert proposal.confirmed_by == b.teacher


@pytest.mark.parametrize("start", [dt.time(14, 7), dt.time(14, 0, 30)])
def test_a_time_between_the_offered_quarter_hours_is_refused(start):
    """The page offers 14:00, 14:15 and 14:30 for 45 minutes (Tuesdays 14:00–15:15 in
    Coventry): a forged 14:07 fits the hours but is none of them."""
    exchange, _, _ = active_exchange(1, 1)
    with pytest.raises(ValidationError, match="Pick one of the times offered."):
        class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                              weekday=TUESDAY, local_start=start, minutes=45)
    assert not ClassSessionProposal.objects.filter(exchange=exchange).exists()
    proposal = class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                                     weekday=TUESDAY, local_start=dt.time(14, 15), minutes=45)
    assert proposal.first_start.astimezone(LONDON).time() == dt.time(14, 15)


def test_no_session_on_either_schools_holiday():
    exchange, _, _ = active_exchange(2, 2)
    b = exchange.classroom_b
    today = timezone.localdate()
    holiday_start = today + dt.timedelta(days=14)
    TermHoliday.objects.create(classroom=b, first_day=holiday_start,
                               last_day=holiday_start + dt.timedelta(days=13), name="Ferien")
    proposal = _two_o_clock(exchange, b.teacher)
    sessions = class_session_confirm(proposal=proposal, by=exchange.classroom_a.teacher)
    days = [s.starts_at.astimezone(BERLIN).date() for s in sessions]
    assert not [d for d in days if holiday_start <= d <= holiday_start + dt.timedelta(days=13)]
    assert len([d for d in days if d > holiday_start]) >= 5  # sessions resume after it


def test_a_time_outside_the_shared_hours_is_refused():
    exchange, _, _ = active_exchange(2, 2)
    teacher_a = exchange.classroom_a.teacher
    with pytest.raises(ValidationError, match="both schools' hours"):
        class_session_propose(exchange=exchange, by=teacher_a, weekday=TUESDAY,
                              local_start=dt.time(13, 0), minutes=45)
    with pytest.raises(ValidationError, match="both schools' hours"):  # runs past 15:15
        class_session_propose(exchange=exchange, by=teacher_a, weekday=TUESDAY,
                              local_start=dt.time(14, 45), minutes=45)
    with pytest.raises(ValidationError, match="30, 45 or 60"):
        class_session_propose(exchange=exchange, by=teacher_a, weekday=TUESDAY,
                              local_start=dt.time(14, 0), minutes=50)


def test_only_the_two_teachers_propose_and_only_the_other_confirms():
    exchange, pupils_a, _ = active_exchange(1, 1)
    a, b = exchange.classroom_a, exchange.classroom_b
    with pytest.raises(PermissionDenied):
        _two_o_clock(exchange, teacher())
    with pytest.raises(PermissionDenied):
        _two_o_clock(exchange, pupils_a[0].user)
    proposal = _two_o_clock(exchange, a.teacher)
    with pytest.raises(PermissionDenied):
        class_session_confirm(proposal=proposal, by=a.teacher)
    with pytest.raises(PermissionDenied):
        class_session_confirm(proposal=proposal, by=teacher())
    class_session_confirm(proposal=proposal, by=b.teacher)
    with pytest.raises(ValidationError, match="no longer open"):
        class_session_confirm(proposal=proposal, by=b.teacher)


def test_a_new_time_replaces_the_future_sessions_of_the_old_one():
    exchange, _, _ = active_exchange(1, 1)
    a, b = exchange.classroom_a, exchange.classroom_b
    first = class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    thursday = class_session_propose(exchange=exchange, by=b.teacher, weekday=3,
                                     local_start=dt.time(14, 30), minutes=30)
    second = class_session_confirm(proposal=thursday, by=a.teacher)
    assert Session.objects.filter(pk__in=[s.pk for s in first],
                                  status=Session.Status.SCHEDULED).count() == 0
    cancelled = Session.objects.get(pk=first[-1].pk)
    assert cancelled.status == Session.Status.CANCELLED and cancelled.sequence == 1
    assert all(s.starts_at.astimezone(LONDON).weekday() == 3 for s in second)


def test_proposing_again_withdraws_the_pending_proposal():
    exchange, _, _ = active_exchange(1, 1)
    first = _two_o_clock(exchange, exchange.classroom_a.teacher)
    _two_o_clock(exchange, exchange.classroom_b.teacher, minutes=30)
    first.refresh_from_db()
    assert first.status == ClassSessionProposal.Status.WITHDRAWN


def test_teacher_calendar_token_is_created_once_and_rotates():
    user = teacher()
    calendar = teacher_calendar_ensure(user=user)
    assert teacher_calendar_ensure(user=user).token == calendar.token
    rotated = teacher_calendar_rotate(user=user)
    assert rotated.token != calendar.token


def test_sessions_stop_when_the_shorter_term_ends():
    exchange, _, _ = active_exchange(1, 1)
    b = exchange.classroom_b
    b.term_end = timezone.localdate() + dt.timedelta(days=30)
    b.save(update_fields=["term_end"])
    proposal = _two_o_clock(exchange, exchange.classroom_a.teacher)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    assert 3 <= len(sessions) <= 5
    assert max(s.starts_at.astimezone(BERLIN).date() for s in sessions) <= b.term_end


def _as_input(room, **overrides):
    """The class as its edit form would send it back, with ``overrides``."""
    data = dict(
        name=room.name, school=room.school, city=room.city, age_min=room.age_min,
        age_max=room.age_max, size=room.size, term_start=room.term_start,
        term_end=room.term_end,
        languages=[LanguageInput(lang.code, lang.level, lang.learning)
                   for lang in room.languages.all()],
        hours=[WindowInput(h.weekday, h.start, h.end) for h in room.hours.all()],
        holidays=[], consent_confirmed=True,
    )
    data.update(overrides)
    return ClassroomInput(**data)


def _update_confirmed(room, data):
    """``room`` saved as ``data`` by its teacher, who is asked first about the sessions
    the save cancels (services/class_sessions.py) and confirms."""
    with pytest.raises(ValidationError) as asked:
        classroom_update(classroom=room, by=room.teacher, data=data)
    return classroom_update(classroom=room, by=room.teacher, data=data,
                            sessions_confirmed=asked.value.params["token"])


def test_a_holiday_added_after_the_sessions_were_planned_cancels_the_sessions_in_it():
    exchange, _, _ = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    sessions = class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    first, last = timezone.localdate() + dt.timedelta(days=14), timezone.localdate() + dt.timedelta(
        days=27)
    inside = {s.pk for s in sessions if first <= s.starts_at.astimezone(BERLIN).date() <= last}
    assert len(inside) == 2

    _update_confirmed(b, _as_input(b, holidays=[HolidayInput(first, last, "Ferien")]))

    status = dict(Session.objects.filter(exchange=exchange).values_list("pk", "status"))
    assert {pk for pk, s in status.items() if s == Session.Status.CANCELLED} == inside
    assert Session.objects.filter(pk__in=inside, sequence=1).count() == 2  # feeds update them
    for who in (a.teacher, b.teacher):  # the partner class's teacher, and the editor
        told = Notification.objects.get(user=who, kind="class_session.cancelled")
        assert told.params["n"] == 2 and told.params["class"] == str(b)


def test_the_pupils_of_both_classes_are_told_of_the_sessions_a_class_edit_cancels():
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    first = timezone.localdate() + dt.timedelta(days=14)
    last = first + dt.timedelta(days=13)

    _update_confirmed(b, _as_input(b, holidays=[HolidayInput(first, last, "Ferien")]))

    for pupil, other in [*((p, b) for p in pupils_a), *((p, a) for p in pupils_b)]:
        told = Notification.objects.get(user=pupil.user, kind="class_session.cancelled")
        assert told.params == {"class": other.name, "city": other.city.name, "n": 2}
        assert told.text == (f"The school times changed: 2 class sessions with {other.name} "
                             f"({other.city.name}) are cancelled. They do not take place.")


def test_a_shorter_term_or_other_hours_cancel_the_sessions_they_leave_out():
    exchange, _, _ = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    sessions = class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    new_end = timezone.localdate() + dt.timedelta(days=30)
    _update_confirmed(a, _as_input(a, term_end=new_end))
    scheduled = Session.objects.filter(exchange=exchange, status=Session.Status.SCHEDULED)
    assert 0 < scheduled.count() < len(sessions)
    assert all(s.starts_at.astimezone(LONDON).date() <= new_end for s in scheduled)
    # Tuesdays now end at 14:30 in Coventry: no 45-minute session from 14:00 fits.
    _update_confirmed(a, _as_input(
        a, term_end=new_end, hours=[WindowInput(1, dt.time(13), dt.time(14, 30))]))
    assert not Session.objects.filter(exchange=exchange, status=Session.Status.SCHEDULED).exists()


def test_refitting_judges_by_the_schools_dates_not_a_viewer_zone_already_in_tomorrow():
    """A teacher whose browser is in UTC+14 edits the class on a session's day, two hours
    before it: the session, on the schools' today, is kept."""
    exchange, _, _ = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    sessions = class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    session = sessions[2]
    before = session.starts_at - dt.timedelta(hours=2)
    with timezone.override("Pacific/Kiritimati"):
        assert timezone.localdate(before) > session.starts_at.astimezone(LONDON).date()
        left_out = class_sessions_check(classroom=a, confirmed="", now=before)
    assert left_out == []
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_confirming_on_a_sessions_day_from_a_zone_already_in_tomorrow_keeps_that_day():
    exchange, _, _ = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    planned = class_session_confirm(proposal=_two_o_clock(exchange, a.teacher), by=b.teacher)
    # A week later, two hours before that Tuesday's session, the time is confirmed again.
    before = planned[1].starts_at - dt.timedelta(hours=2)
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=TUESDAY,
                                     local_start=dt.time(14, 0), minutes=45, now=before)
    with timezone.override("Pacific/Kiritimati"):
        sessions = class_session_confirm(proposal=proposal, by=b.teacher, now=before)
    assert sessions[0].starts_at == planned[1].starts_at


def test_a_class_with_two_partner_classes_is_never_in_two_sessions_at_once():
    from exchanges.models import ClassroomExchange
    from exchanges.selectors.class_sessions import schedule_page
    from exchanges.services.class_session_changes import class_session_move_propose
    from tests.exchanges.classroom_fixtures import classroom, twin_cities

    first, _, _ = active_exchange(1, 1)
    coventry = first.classroom_a
    _, dresden, twinning = twin_cities()
    other = classroom(teacher_user=teacher(), city=dresden, speaks="de", learns="en",
                      name="8d", hours=[(1, "15:00", "17:00"), (3, "15:00", "17:00")])
    second = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=coventry, classroom_b=other,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now())
    held = class_session_confirm(proposal=_two_o_clock(first, coventry.teacher),
                                 by=first.classroom_b.teacher)  # Tuesdays 14:00 London
    # The second partner class is not offered, nor given, Coventry's Tuesdays at 14:00.
    page = schedule_page(exchange=second, user=coventry.teacher, minutes=45)
    keys = [option.key for option in page["options"]]
    assert "1|14:00|45" not in keys and "1|13:30|45" not in keys and "1|14:30|45" not in keys
    assert "3|14:00|45" in keys  # Thursdays are free
    with pytest.raises(ValidationError, match="meets another partner class at that time"):
        _two_o_clock(second, coventry.teacher)
    # A time proposed while it was free is refused when the other teacher confirms.
    ClassSessionProposal.objects.create(
        exchange=second, proposed_by=other.teacher, first_start=held[0].starts_at,
        anchor_tz="Europe/London", minutes=45)
    with pytest.raises(ValidationError, match="meets another partner class at that time"):
        class_session_confirm(proposal=ClassSessionProposal.objects.get(exchange=second),
                              by=coventry.teacher)
    # Thursdays for the second class; then none of its sessions moves onto a Tuesday's.
    thursdays = class_session_confirm(
        proposal=class_session_propose(exchange=second, by=coventry.teacher, weekday=3,
                                       local_start=dt.time(14, 0), minutes=45),
        by=other.teacher)
    with pytest.raises(ValidationError, match="meets another partner class at that time"):
        class_session_move_propose(session=thursdays[1], by=other.teacher,
                                   new_start=held[1].starts_at + dt.timedelta(minutes=15))
    assert Session.objects.get(pk=thursdays[1].pk).move_to is None


@pytest.mark.django_db(transaction=True)
def test_two_teachers_confirming_the_same_hour_for_one_class_at_once_book_it_once(
    postgres, monkeypatch
):
    """Coventry's two partner teachers confirm Tuesdays at 14:00 at the same instant: the
    second waits for the first (both lock Coventry's row) and is refused in words, so
    the class is never in two sessions at once."""
    from exchanges.models import ClassroomExchange
    from exchanges.services import class_sessions
    from tests.exchanges.classroom_fixtures import classroom, twin_cities
    from tests.exchanges.threads import Pause, race

    first, _, _ = active_exchange(1, 1)
    coventry = first.classroom_a
    _, dresden, twinning = twin_cities()
    other = classroom(teacher_user=teacher(), city=dresden, speaks="de", learns="en",
                      name="8d", hours=[(1, "15:00", "17:00"), (3, "15:00", "17:00")])
    second = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=coventry, classroom_b=other,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now())
    proposals = [_two_o_clock(exchange, coventry.teacher) for exchange in (first, second)]
    busy, pause = class_sessions.classes_busy, Pause()

    def paused_classes_busy(**kwargs):  # the first confirm holds what it read
        rows = busy(**kwargs)
        pause.here()
        return rows

    monkeypatch.setattr(class_sessions, "classes_busy", paused_classes_busy)
    outcomes = race(
        ("first", lambda: class_session_confirm(proposal=proposals[0],
                                                by=first.classroom_b.teacher)),
        ("second", lambda: class_session_confirm(proposal=proposals[1], by=other.teacher)),
        pause=pause,
    )
    assert isinstance(outcomes["first"], list) and outcomes["first"], outcomes["first"]
    assert isinstance(outcomes["second"], ValidationError), outcomes["second"]
    assert "meets another partner class at that time" in outcomes["second"].messages[0]
    assert not Session.objects.filter(exchange=second).exists()


def test_the_same_weekly_time_proposed_twice_asks_the_other_teacher_once():
    """A double click, or a second tab: the pending proposal stays, and the other
    teacher gets one notice, not two."""
    exchange, _, _ = active_exchange(1, 1)
    first = _two_o_clock(exchange, exchange.classroom_a.teacher)
    again = _two_o_clock(exchange, exchange.classroom_a.teacher)
    assert again.pk == first.pk
    assert list(ClassSessionProposal.objects.filter(exchange=exchange)
                .values_list("status", flat=True)) == [ClassSessionProposal.Status.PROPOSED]
    assert Notification.objects.filter(user=exchange.classroom_b.teacher,
                                       kind="class_session.proposed").count() == 1
    other = _two_o_clock(exchange, exchange.classroom_a.teacher, minutes=30)  # a new one
    assert other.pk != first.pk
    assert Notification.objects.filter(user=exchange.classroom_b.teacher,
                                       kind="class_session.proposed").count() == 2
