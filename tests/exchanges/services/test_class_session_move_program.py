"""A class session moves only inside its classroom program's dates, as either class's
calendar has them, besides inside the shared school time: Auckland's Tuesday morning is
Los Angeles' Monday."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import Program, Session
from exchanges.services.class_session_changes import class_session_move_propose
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from tests.exchanges.classroom_fixtures import auckland_los_angeles_exchange
from tests.exchanges.views.move_form_markup import move_form

pytestmark = pytest.mark.django_db
AUCKLAND, LOS_ANGELES = ZoneInfo("Pacific/Auckland"), ZoneInfo("America/Los_Angeles")


@pytest.fixture
def classes():
    return auckland_los_angeles_exchange()


def _weekly(exchange):
    """Tuesdays 09:00 in Auckland (Mondays around midday in LA), proposed and confirmed."""
    proposal = class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                                     weekday=1, local_start=dt.time(9, 0), minutes=45)
    return proposal, class_session_confirm(proposal=proposal, by=exchange.classroom_b.teacher)


@pytest.fixture
def planned(classes):
    """(exchange, sessions): Tuesdays 09:00 in Auckland, Mondays around midday in LA."""
    return classes, _weekly(classes)[1]


def dates_program(exchange, *, start_date, end_date):
    weeks = (end_date - start_date).days // 7
    Program.objects.filter(pk=exchange.program_id).update(start_date=start_date, weeks=weeks)
    exchange.refresh_from_db()


def test_a_move_to_the_day_before_the_start_on_the_other_class_calendar_is_refused(planned):
    exchange, sessions = planned
    target = sessions[1].starts_at + dt.timedelta(hours=1)  # Tuesday 10:00 in Auckland
    tuesday = target.astimezone(AUCKLAND).date()
    monday = target.astimezone(LOS_ANGELES).date()
    assert monday == tuesday - dt.timedelta(days=1)
    dates_program(exchange, start_date=tuesday, end_date=tuesday + dt.timedelta(weeks=10))
    with pytest.raises(ValidationError) as refused:
        class_session_move_propose(session=sessions[0], by=exchange.classroom_a.teacher,
                                   new_start=target)
    assert refused.value.message_dict == {"new_start": [
        f"The program starts on {date_format(tuesday, 'DATE_FORMAT')}: pick that day or later."
    ]}
    # From the Monday, the day Los Angeles has then, the move is inside the program.
    dates_program(exchange, start_date=monday, end_date=monday + dt.timedelta(weeks=10))
    moved = class_session_move_propose(session=sessions[0], by=exchange.classroom_a.teacher,
                                       new_start=target)
    assert moved.move_to == target


def test_a_move_onto_the_end_date_on_the_other_class_calendar_is_refused(planned):
    exchange, sessions = planned
    target = sessions[2].starts_at + dt.timedelta(hours=1)
    tuesday = target.astimezone(AUCKLAND).date()
    # The end date is Auckland's Tuesday: Los Angeles is still on the last day, Monday.
    dates_program(exchange, start_date=tuesday - dt.timedelta(weeks=10), end_date=tuesday)
    # Named by its last day, Monday, as the dashboard names a program's end.
    monday = tuesday - dt.timedelta(days=1)
    assert exchange.program.last_day == monday != exchange.program.end_date
    with pytest.raises(ValidationError) as refused:
        class_session_move_propose(session=sessions[1], by=exchange.classroom_b.teacher,
                                   new_start=target)
    assert refused.value.message_dict == {"new_start": [
        f"The program's last day is {date_format(monday, 'DATE_FORMAT')}: "
        "pick that day or earlier."
    ]}
    dates_program(exchange, start_date=tuesday - dt.timedelta(weeks=10),
                  end_date=tuesday + dt.timedelta(weeks=1))
    moved = class_session_move_propose(session=sessions[1], by=exchange.classroom_b.teacher,
                                       new_start=target)
    assert moved.move_to == target


def test_the_move_form_shows_the_program_refusal_beside_the_time_typed(client, planned):
    exchange, sessions = planned
    target = sessions[2].starts_at + dt.timedelta(hours=1)
    tuesday = target.astimezone(AUCKLAND).date()
    dates_program(exchange, start_date=tuesday - dt.timedelta(weeks=10), end_date=tuesday)
    client.force_login(exchange.classroom_a.teacher)
    url = reverse("class_session_move", args=[sessions[1].pk])
    typed = target.astimezone(AUCKLAND).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"new_start": typed})
    assert response.status_code == 400
    shown = move_form(response.content.decode(), url)
    assert shown.value == typed and shown.invalid
    monday = tuesday - dt.timedelta(days=1)
    assert shown.errors == [f"The program's last day is {date_format(monday, 'DATE_FORMAT')}: "
                            "pick that day or earlier."]
    assert Session.objects.get(pk=sessions[1].pk).move_to is None


def test_a_weekly_time_plans_only_the_programs_weeks_on_both_class_calendars(classes):
    """The terms run on past the program both ways: the first week would be Monday, the
    day before the start, in Los Angeles, and the last Tuesday falls on the end date in
    Auckland."""
    today = timezone.now().astimezone(AUCKLAND).date()
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 + 14)
    dates_program(classes, start_date=tuesday, end_date=tuesday + dt.timedelta(weeks=6))
    proposal, sessions = _weekly(classes)
    program = Program.objects.get(pk=classes.program_id)
    assert proposal.first_start.astimezone(AUCKLAND).date() == tuesday + dt.timedelta(weeks=1)
    assert [s.starts_at.astimezone(AUCKLAND).date() for s in sessions] == [
        tuesday + dt.timedelta(weeks=week) for week in range(1, 6)]
    for session in sessions:
        for zone in (AUCKLAND, LOS_ANGELES):
            day = session.starts_at.astimezone(zone).date()
            assert program.start_date <= day < program.end_date


def test_the_class_sessions_page_offers_no_time_once_the_programs_weeks_are_past(client, classes):
    today = timezone.localdate()
    dates_program(classes, start_date=today - dt.timedelta(weeks=10), end_date=today)
    with pytest.raises(ValidationError) as refused:
        _weekly(classes)
    assert refused.value.messages == ["No school week is left at that time."]
    client.force_login(classes.classroom_a.teacher)
    page = client.get(reverse("class_sessions", args=[classes.pk])).content.decode()
    assert 'name="slot"' not in page
