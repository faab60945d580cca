"""Pupils who join a class while its exchange is stopped: one added while it is paused
(its twinning suspended) enters it when it resumes, as a pupil who joins an active
exchange does (the class room, and a group of the final pairs); one added after it ended
was never in it, so their home links to no room of it (the room would answer 404)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange, Participant, PupilGroup, WallPost
from exchanges.services.class_exchange_end import class_exchange_end
from exchanges.services.pupils import pupils_add
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_suspend
from tests.exchanges.class_exchange_fixtures import confirmed_pairing
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND

pytestmark = pytest.mark.django_db


def test_a_pupil_added_during_a_pause_enters_the_rooms_when_the_exchange_resumes(client):
    exchange, _pupils_a, _pupils_b, pairing = confirmed_pairing(2, 2)
    today = timezone.localdate()
    twinning_suspend(twinning=exchange.twinning, by=None, reason="", effective=today)
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.PAUSED
    client.force_login(exchange.classroom_a.teacher)
    client.post(reverse("pupils_add", args=[exchange.classroom_a.pk]), {"names": "Late J."})
    late = Participant.objects.get(user__display_name="Late J.")
    twinning_reactivate(twinning=exchange.twinning, by=None, reason="", effective=today)
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ACTIVE

    late.user.must_set_password = False
    late.user.save(update_fields=["must_set_password"])
    client.force_login(late.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    rooms = set(re.findall(r'href="(/rooms/\d+/)"', page))
    assert reverse("room_detail", args=[exchange.room.pk]) in rooms
    group = PupilGroup.objects.get(pairing=pairing, members=late)
    assert reverse("room_detail", args=[group.room_id]) in rooms
    for url in rooms:
        assert client.get(url).status_code == 200, url


def test_a_pupil_added_after_the_exchange_ended_gets_no_link_to_its_closed_rooms(client):
    exchange, pupils_a, _pupils_b, _pairing = confirmed_pairing(2, 2)
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    teacher_client = client.__class__()
    teacher_client.force_login(exchange.classroom_a.teacher)
    teacher_client.post(reverse("pupils_add", args=[exchange.classroom_a.pk]),
                        {"names": "Late J."})
    late = Participant.objects.get(user__display_name="Late J.")
    late.user.must_set_password = False
    late.user.save(update_fields=["must_set_password"])
    class_room = reverse("room_detail", args=[exchange.room.pk])
    client.force_login(late.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    assert exchange.classroom_b.name in page  # the ended exchange is still listed
    for url in set(re.findall(r'href="(/rooms/\d+/)"', page)):
        assert client.get(url).status_code == 200, url
    assert f'href="{class_room}"' not in page
    # A pupil who was in it still reads its class room.
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert f'href="{class_room}"' in client.get(reverse("dashboard")).content.decode()


def test_a_pupil_added_after_the_exchange_ended_cannot_read_its_wall(client):
    exchange, pupils_a, _pupils_b, _pairing = confirmed_pairing(2, 2)
    WallPost.objects.create(exchange=exchange, author=pupils_a[0].user, text="Our zoo trip",
                            status=WallPost.Status.APPROVED)
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    (card,) = pupils_add(classroom=exchange.classroom_a, names=["Late J."],
                         by=exchange.classroom_a.teacher)
    card.pupil.user.must_set_password = False
    card.pupil.user.save(update_fields=["must_set_password"])
    wall = reverse("wall", args=[exchange.pk])
    client.force_login(card.pupil.user, backend=PUPIL_BACKEND)
    assert client.get(wall).status_code == 404
    assert f'href="{wall}"' not in client.get(reverse("dashboard")).content.decode()
    # A pupil who was in it still reads it.
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert "Our zoo trip" in client.get(wall).content.decode()
    assert f'href="{wall}"' in client.get(reverse("dashboard")).content.decode()
