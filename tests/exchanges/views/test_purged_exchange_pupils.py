"""After an ended exchange's pupils' data is purged, its pupils who stay (their class is
in another exchange) read nothing of it: not its wall, class room or pupils' rooms,
which their home no longer lists; its teachers keep them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange, Room, WallPost
from exchanges.selectors.wall import exchange_for_member
from exchanges.services import retention
from exchanges.services.wall import wall_post_create
from tests.exchanges.class_exchange_fixtures import confirmed_pairing, pupils_joined_before
from tests.exchanges.classroom_fixtures import classroom, teacher
from tests.exchanges.wall_fixtures import client_for

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def retention_days(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


def _ended_with_class_a_staying():
    """An exchange ended 91 days ago whose class A runs another exchange: its pupils
    stay. Returns (exchange, staying pupil, the exchange's rooms, a teacher's post)."""
    exchange, pupils_a, _pupils_b, pairing = confirmed_pairing(2, 2)
    post = wall_post_create(exchange=exchange, author=exchange.classroom_a.teacher,
                            text="Our last visit")
    other = classroom(teacher_user=teacher(), city=exchange.classroom_b.city, name="8a",
                      speaks="de", learns="en")
    ClassroomExchange.objects.create(twinning=exchange.twinning,
                                     classroom_a=exchange.classroom_a, classroom_b=other,
                                     status=ClassroomExchange.Status.ACTIVE)
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ClassroomExchange.Status.ENDED, ended_at=NOW - dt.timedelta(days=91))
    pupils_joined_before(exchange, NOW - dt.timedelta(days=91))
    exchange.refresh_from_db()
    user = pupils_a[0].user
    user.must_set_password = False
    user.save(update_fields=["must_set_password"])
    rooms = [exchange.room.pk] + [group.room_id for group in pairing.groups.all()
                                  if group.members.filter(pk=pupils_a[0].pk).exists()]
    return exchange, user, rooms, post


def test_before_the_purge_a_pupil_of_the_ended_exchange_still_reads_it():
    exchange, user, rooms, _post = _ended_with_class_a_staying()
    client = client_for(user)
    assert client.get(reverse("wall", args=[exchange.pk])).status_code == 200
    for room in rooms:
        assert client.get(reverse("room_detail", args=[room])).status_code == 200


def test_after_the_purge_a_pupil_who_stays_reads_nothing_of_the_exchange():
    exchange, user, rooms, post = _ended_with_class_a_staying()
    assert len(rooms) == 2  # the class room and the pupil's pair room

    assert retention.retention_purge(exchange_id=exchange.pk, now=NOW) == 2  # class B's

    client = client_for(user)
    home = client.get(reverse("dashboard")).content.decode()
    assert reverse("wall", args=[exchange.pk]) not in home
    assert client.get(reverse("wall", args=[exchange.pk])).status_code == 404
    assert exchange_for_member(exchange_id=exchange.pk, user=user) is None
    for room in rooms:
        assert reverse("room_detail", args=[room]) not in home
        assert client.get(reverse("room_detail", args=[room])).status_code == 404
    # Its teachers keep the wall, with their post, and the rooms.
    teacher_client = client_for(exchange.classroom_a.teacher)
    wall = teacher_client.get(reverse("wall", args=[exchange.pk]))
    assert wall.status_code == 200
    assert WallPost.objects.filter(pk=post.pk).exists()
    assert "Our last visit" in wall.content.decode()
    assert Room.objects.filter(pk__in=rooms).count() == 2
    for room in rooms:
        assert teacher_client.get(reverse("room_detail", args=[room])).status_code == 200
