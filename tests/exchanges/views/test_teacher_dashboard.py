"""A teacher's dashboard says at a glance what waits in their classes: counts, the next
class session in their class's zone, requests to answer and pupils' reports; only their
own classes count."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange, PartnerRequest, Report, Session
from exchanges.selectors.class_sessions import pupil_next_sessions
from exchanges.services.chat import message_send
from exchanges.services.rooms import room_open
from tests.exchanges.classroom_fixtures import (
    PUPIL_BACKEND,
    classroom,
    partner_pair,
    pupil,
    teacher,
    twin_cities,
)

pytestmark = pytest.mark.django_db


def _world():
    a, b, twinning = partner_pair()
    exchange = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=a, classroom_b=b, status=ClassroomExchange.Status.ACTIVE,
    )
    amelia, jonas = pupil(a), pupil(b, name="Jonas M.")
    pupil(a, name="Harry P.")
    room = room_open(exchange=exchange)
    # 13:00 UTC: 13:00 in Coventry and 14:00 in Dresden in winter, an hour later in summer.
    day = timezone.now().date() + dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(13, 0), tzinfo=dt.UTC)
    Session.objects.create(exchange=exchange, starts_at=starts + dt.timedelta(days=7))
    Session.objects.create(exchange=exchange, starts_at=starts)
    Session.objects.create(exchange=exchange, starts_at=starts - dt.timedelta(days=1),
                           status=Session.Status.CANCELLED)
    said, _ = message_send(room=room, author=jonas.user, body="Hallo", client_id="c1")
    Report.objects.create(message=said, reporter=amelia.user, reason="rude")
    return a, b, starts


def test_the_glance_counts_the_teachers_own_classes(client, settings):
    settings.USE_TZ = True
    a, b, starts = _world()
    # Someone else's class asks a's teacher for an exchange: one request waits.
    coventry, dresden, _ = twin_cities()
    other = classroom(teacher_user=teacher(), city=dresden, speaks="de", learns="en", name="8d")
    PartnerRequest.objects.create(from_classroom=other, to_classroom=a)
    client.force_login(a.teacher)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 class · 2 pupils (0 signed in) · 1 exchange" in page
    local = starts.astimezone(ZoneInfo(a.city.tz))  # Coventry's time, in any season
    assert f"{local:%-d %b}, {local:%H:%M}" in page
    assert "in Coventry, 7B with 7c" in page
    assert "1 partner request waits for your answer" in page
    assert "1 open report from pupils" in page

    # The partner teacher sees their own class, in Dresden's time, and no request.
    client.force_login(b.teacher)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 class · 1 pupil (0 signed in) · 1 exchange" in page
    dresden_time = f"{starts.astimezone(ZoneInfo(b.city.tz)):%H:%M}"
    assert dresden_time in page and "in Dresden, 7c with 7B" in page
    assert "partner request" not in page
    assert "1 open report from pupils" in page


def test_a_teacher_without_classes_is_told_how_to_start(client):
    client.force_login(teacher())
    page = client.get(reverse("dashboard")).content.decode()
    assert "Create a class, let your pupils join with a code" in page
    assert "Next class session" not in page


def test_a_pupil_sees_the_next_class_sessions_in_the_class_zone(client):
    a, b, starts = _world()
    member = a.pupils.get(user__display_name="Amelia K.")
    client.force_login(member.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    listed = page.split('id="pupil-next-sessions"')[1].split("</ul>")[0]
    # The two scheduled ones, soonest first; the cancelled one is not listed.
    first, second = starts, starts + dt.timedelta(days=7)
    assert listed.count("<li>") == 2
    assert listed.index(f"{first:%-d %b}") < listed.index(f"{second:%-d %b}")
    assert f"{first.astimezone(ZoneInfo(a.city.tz)):%H:%M}</strong> with 7c" in listed
    assert f"{(starts - dt.timedelta(days=1)):%-d %b}," not in listed

    # A pupil of the partner class reads Dresden's time and the other class's name.
    client.force_login(b.pupils.get().user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"{starts.astimezone(ZoneInfo(b.city.tz)):%H:%M}</strong> with 7B" in page


def test_a_pupils_class_session_under_way_stays_listed_until_it_ends(client):
    a, _, starts = _world()
    member = a.pupils.get(user__display_name="Amelia K.")
    during = pupil_next_sessions(participant=member, now=starts + dt.timedelta(minutes=10))
    assert [row["under_way"] for row in during] == [True, False]
    assert during[0]["partner"] == "7c"
    minutes = Session.objects.filter(starts_at=starts).values_list("minutes", flat=True)[0]
    ended = pupil_next_sessions(participant=member,
                                now=starts + dt.timedelta(minutes=minutes))
    assert [row["under_way"] for row in ended] == [False]
    with mock.patch("exchanges.selectors.class_sessions.timezone.now",
                    return_value=starts + dt.timedelta(minutes=10)):
        client.force_login(member.user, backend=PUPIL_BACKEND)
        page = client.get(reverse("dashboard")).content.decode()
    listed = page.split('id="pupil-next-sessions"')[1].split("</ul>")[0]
    assert listed.count("under way") == 1


def test_a_pupil_of_an_ended_exchange_sees_no_next_session(client):
    a, _, _ = _world()
    ClassroomExchange.objects.update(status=ClassroomExchange.Status.ENDED)
    client.force_login(a.pupils.get(user__display_name="Amelia K.").user, backend=PUPIL_BACKEND)
    assert 'id="pupil-next-sessions"' not in client.get(reverse("dashboard")).content.decode()


def test_pupils_who_never_signed_in_are_counted_apart_on_the_dashboard_and_classes(client):
    """A pupil the teacher added but who never logged in has not joined: the counts say
    how many pupils there are and how many of them have signed in."""
    a, _b, _starts = _world()
    amelia = a.pupils.get(user__display_name="Amelia K.").user
    amelia.last_login = timezone.now()
    amelia.save(update_fields=["last_login"])
    client.force_login(a.teacher)
    assert "1 class · 2 pupils (1 signed in) · 1 exchange" in client.get(
        reverse("dashboard")).content.decode()
    classes = client.get(reverse("classes")).content.decode()
    assert "2 pupils (1 signed in)" in classes and "joined" not in classes
