"""Times in the viewer's zone: the profile's zone, else the browser's (a cookie)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.middleware import ZONE_COOKIE, ViewerZoneMiddleware
from exchanges.models import Message
from tests.exchanges.chat_fixtures import make_match_room
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import CityFactory, ParticipantFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twinning_to_tokyo():
    return TwinningFactory(city_b=CityFactory(name="Tokyo", country="JP", tz="Asia/Tokyo"))


def _zone_seen(user, cookie: str | None = None) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    if cookie is not None:
        request.COOKIES[ZONE_COOKIE] = cookie
    middleware = ViewerZoneMiddleware(lambda r: HttpResponse(timezone.get_current_timezone_name()))
    return middleware(request).content.decode()


def test_a_participant_sees_their_profile_zone_whatever_the_browser_says():
    participant = ParticipantFactory(tz="Asia/Tokyo")
    assert _zone_seen(participant.user, cookie="Europe/Paris") == "Asia/Tokyo"


def test_people_without_a_profile_see_their_browsers_zone_if_it_is_a_real_one():
    assert _zone_seen(UserFactory(), cookie="America/Sao_Paulo") == "America/Sao_Paulo"
    assert _zone_seen(AnonymousUser(), cookie="Europe/Paris") == "Europe/Paris"
    assert _zone_seen(AnonymousUser(), cookie="Mars/Olympus_Mons") == "UTC"
    assert _zone_seen(AnonymousUser(), cookie="../../etc/passwd") == "UTC"
    assert _zone_seen(AnonymousUser()) == "UTC"


def test_room_history_is_in_the_viewers_zone_on_a_24_hour_clock(client):
    room, user_a, user_b, match = make_match_room()
    match.participant_a.tz = "Asia/Tokyo"
    match.participant_a.save(update_fields=["tz"])
    message = Message.objects.create(room=room, author=user_b, body="hi", client_id="1")
    Message.objects.filter(pk=message.pk).update(
        created_at=dt.datetime(2026, 12, 3, 15, 20, tzinfo=dt.UTC)
    )
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert 'data-tz="Asia/Tokyo"' in html
    assert ">00:20</time>" in html  # 15:20 UTC is 00:20 the next day in Tokyo, not 12:20 AM


def test_a_zone_changed_on_one_device_shows_on_the_others_next_page(twinning_to_tokyo):
    room, user, _, _ = make_match_room()
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    page = reverse("room_detail", args=[room.pk])
    assert 'data-tz="Europe/London"' in laptop.get(page).content.decode()
    moved = phone.post(reverse("profile"), onboarding_data(twinning_to_tokyo.city_b))
    assert moved.status_code == 302
    assert 'data-tz="Asia/Tokyo"' in phone.get(page).content.decode()
    assert 'data-tz="Asia/Tokyo"' in laptop.get(page).content.decode()


def test_the_profile_zone_costs_a_page_no_query_of_its_own():
    """The zone rides on the user's query: a participant's page costs what the page costs
    someone without a profile, and only that query reads the participant."""
    counts = {}
    for who in ("participant", "newcomer"):
        user = ParticipantFactory(tz="Asia/Tokyo").user if who == "participant" else UserFactory()
        client = Client()
        client.force_login(user)
        client.get("/")  # the first request may fill caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts[who] = len(queries)
        if who == "participant":
            reading = [q["sql"] for q in queries if '"exchanges_participant"' in q["sql"]]
            assert len(reading) == 1 and 'FROM "exchanges_user"' in reading[0]
    assert counts["participant"] == counts["newcomer"]
