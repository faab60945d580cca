"""The admin's other deletions that would cascade through people's history (a twinning,
a match, a room, a session, a city) are refused as a program's are: the page says why
and what to do instead, and nothing is deleted; a row created by mistake is deleted."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import (
    Attendance,
    City,
    Match,
    Message,
    PeopleDay,
    Room,
    Session,
    Twinning,
    TwinningStatusChange,
)
from tests.exchanges.admin_delete_pages import delete_confirmed, delete_selected_confirmed
from tests.factories import (
    CityFactory,
    MatchFactory,
    ProgramFactory,
    TwinningFactory,
)

pytestmark = pytest.mark.django_db

REFUSED = "people&#x27;s history, which the deletion would erase"


def _talking() -> Match:
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = Room.objects.create(match=match)
    Message.objects.create(room=room, author=match.participant_a.user, body="Hi", client_id="1")
    return match


def test_a_twinning_in_a_program_is_kept(client, root):
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    html = delete_confirmed(client, twinning)
    assert REFUSED in html and "suspend or terminate it" in html and "in 1 program" in html
    assert list(program.twinnings.all()) == [twinning]


def test_a_twinning_with_a_status_history_is_kept_one_added_by_mistake_deleted(client, root):
    mistake, twinning = TwinningFactory(), TwinningFactory(status=Twinning.Status.SUSPENDED)
    TwinningStatusChange.objects.create(
        twinning=twinning, from_status=Twinning.Status.ACTIVE,
        to_status=Twinning.Status.SUSPENDED, effective=dt.date(2022, 3, 1))
    html = delete_confirmed(client, twinning)
    assert REFUSED in html and "1 status change in the public register" in html
    assert TwinningStatusChange.objects.filter(twinning=twinning).count() == 1
    delete_confirmed(client, mistake)
    assert list(Twinning.objects.all()) == [twinning]


def test_a_match_with_a_conversation_is_kept_single_and_selected(client, root):
    matches = [_talking(), _talking()]
    for html in (delete_confirmed(client, matches[0]), delete_selected_confirmed(client, matches)):
        assert REFUSED in html and "A match is ended, not deleted" in html
        assert "1 message" in html
    assert (Match.objects.count(), Room.objects.count(), Message.objects.count()) == (2, 2, 2)


def test_even_a_bare_proposal_is_kept_matching_never_proposes_a_pair_twice(client, root):
    match = MatchFactory()
    html = delete_confirmed(client, match)
    assert REFUSED in html and "2 people told of it" in html
    assert Match.objects.filter(pk=match.pk).exists()


def test_a_room_with_messages_is_kept(client, root):
    room = _talking().room
    room.status = Room.Status.CLOSED
    room.save()
    html = delete_confirmed(client, room)
    assert REFUSED in html and "conversation stays readable" in html
    assert Message.objects.filter(room=room).count() == 1


def test_an_open_room_is_kept_and_an_empty_closed_one_deleted(client, root):
    open_room, closed = (Room.objects.create(match=MatchFactory(status=Match.Status.ACTIVE))
                         for _ in range(2))
    Room.objects.filter(pk=closed.pk).update(status=Room.Status.CLOSED)
    assert "open to its members" in delete_selected_confirmed(client, [open_room, closed])
    assert Room.objects.count() == 2  # the batch is refused whole
    delete_confirmed(client, closed)
    assert list(Room.objects.all()) == [open_room]


def _session(minutes_from_now: int, status=Session.Status.SCHEDULED) -> Session:
    return Session.objects.create(
        match=MatchFactory(status=Match.Status.ACTIVE), status=status,
        starts_at=timezone.now() + dt.timedelta(minutes=minutes_from_now))


def test_a_held_session_keeps_its_attendance(client, root):
    session = _session(-120, status=Session.Status.HELD)
    Attendance.objects.create(session=session, participant=session.match.participant_a,
                              status=Attendance.Status.ATTENDED)
    html = delete_confirmed(client, session)
    assert REFUSED in html and "1 attendance" in html and "already begun" in html
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_scheduled_session_is_kept_a_cancelled_future_one_deleted(client, root):
    session = _session(60 * 24)
    cancelled = _session(60 * 24, status=Session.Status.CANCELLED)
    html = delete_confirmed(client, session)
    assert REFUSED in html and "cancel it on the platform" in html
    assert "scheduled in its people&#x27;s calendars" in html
    delete_confirmed(client, cancelled)
    assert list(Session.objects.all()) == [session]


def test_a_city_counted_in_past_figures_is_kept_one_added_by_mistake_deleted(client, root):
    city, mistake = CityFactory(), CityFactory()
    PeopleDay.objects.create(program=ProgramFactory(), city=city, day=dt.date(2026, 3, 1),
                             count=2, kept=True)
    html = delete_confirmed(client, city)
    assert REFUSED in html and "1 row of past figures" in html
    assert PeopleDay.objects.filter(city=city).count() == 1
    delete_confirmed(client, mistake)
    assert not City.objects.filter(pk=mistake.pk).exists()
    assert City.objects.filter(pk=city.pk).exists()
