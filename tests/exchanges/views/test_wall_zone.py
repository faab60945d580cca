"""The wall's post times are in the viewer's zone; a viewer whose zone is not known yet
(a teacher without a profile, before zone.js set its cookie) reads them in UTC, and the
page says so."""

import datetime as dt

import pytest
from django.urls import reverse

from exchanges.middleware import ZONE_COOKIE
from exchanges.models import WallPost
from tests.exchanges.wall_fixtures import client_for, make_exchange

pytestmark = pytest.mark.django_db

SAID = "Times in UTC."


@pytest.fixture
def built():
    built = make_exchange()
    post = WallPost.objects.create(exchange=built.exchange, author=built.a.teacher,
                                   text="Hello from Coventry", status=WallPost.Status.APPROVED)
    # 12:00 UTC in January: 13:00 in Berlin.
    WallPost.objects.filter(pk=post.pk).update(
        created_at=dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC))
    return built


def _wall(client, built) -> str:
    return client.get(reverse("wall", args=[built.exchange.pk])).content.decode()


def test_a_viewer_of_unknown_zone_is_told_the_times_are_in_utc(built):
    page = _wall(client_for(built.b.teacher), built)
    assert SAID in page and "12:00" in page


def test_a_viewer_whose_browser_told_the_zone_reads_it_unnamed(built):
    client = client_for(built.b.teacher)
    client.cookies[ZONE_COOKIE] = "Europe/Berlin"
    page = _wall(client, built)
    assert SAID not in page and "13:00" in page


def test_a_pupil_reads_the_times_in_their_profiles_zone(built):
    page = _wall(client_for(built.b.pupils[0]), built)
    assert SAID not in page and "13:00" in page


def test_an_empty_wall_says_nothing_of_times(built):
    WallPost.objects.all().delete()
    assert SAID not in _wall(client_for(built.b.teacher), built)
