"""A teacher deletes a class that never had an exchange, with its pupils' accounts, after
a page that says what goes; a class with an exchange stays, and nobody else's class can
be deleted."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from exchanges.models import Classroom, ClassroomExchange, Notification, PartnerRequest, User
from exchanges.services.class_exchange_end import class_exchange_end
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import classroom, partner_pair, pupil, teacher, twin_cities

pytestmark = pytest.mark.django_db


def test_a_class_without_exchange_goes_with_its_pupils(client):
    coventry, _, _ = twin_cities()
    owner = teacher()
    room = classroom(teacher_user=owner, city=coventry)
    kids = [pupil(room, "Amelia K."), pupil(room, "Ben T.")]
    other_room = classroom(teacher_user=owner, city=coventry, name="8A")
    stays = pupil(other_room, "Cara M.")
    client.force_login(owner)
    url = reverse("classroom_delete", args=[room.pk])
    detail = client.get(reverse("classroom_detail", args=[room.pk])).content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url).content.decode()
    assert "the accounts of its 2 pupils" in page

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classes")
    assert "7B is deleted, with 2 pupil accounts." in response.content.decode()
    assert not Classroom.objects.filter(pk=room.pk).exists()
    assert not User.objects.filter(pk__in=[k.user_id for k in kids]).exists()
    assert User.objects.filter(pk=stays.user_id).exists()
    assert Classroom.objects.filter(pk=other_room.pk).exists()


def test_a_class_with_an_exchange_stays_and_says_why(client):
    exchange, _, _ = active_exchange(2, 2)
    room = exchange.classroom_a
    client.force_login(room.teacher)
    url = reverse("classroom_delete", args=[room.pk])
    assert "cannot be deleted" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classroom_detail", args=[room.pk])
    assert "cannot be deleted" in response.content.decode()
    assert Classroom.objects.filter(pk=room.pk).exists()
    assert ClassroomExchange.objects.filter(pk=exchange.pk).exists()
    assert User.objects.filter(participant__classroom=room).count() == 2


def test_a_pending_partner_request_goes_with_the_class_and_others_get_404(client):
    mine, theirs, _ = partner_pair()
    PartnerRequest.objects.create(from_classroom=mine, to_classroom=theirs, message="Hi")
    client.force_login(theirs.teacher)
    url = reverse("classroom_delete", args=[mine.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Classroom.objects.filter(pk=mine.pk).exists()
    client.force_login(mine.teacher)
    client.post(url)
    assert not Classroom.objects.filter(pk=mine.pk).exists()
    assert not PartnerRequest.objects.exists()
    assert Classroom.objects.filter(pk=theirs.pk).exists()
    told = Notification.objects.get(user=theirs.teacher, kind="classroom.deleted")
    assert told.text.startswith("7B, School in Coventry (Coventry) was deleted by its teacher")


def test_the_delete_page_says_when_each_exchange_lets_the_pupils_data_go(client, settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90
    exchange, _, _ = active_exchange(1, 1)
    room = exchange.classroom_a
    client.force_login(room.teacher)
    url = reverse("classroom_delete", args=[room.pk])
    page = client.get(url).content.decode()
    assert "deleted 90 days after that exchange ends" in page
    assert "It ends when either teacher ends it" in page

    ended = class_exchange_end(exchange=exchange, by=room.teacher)
    page = client.get(url).content.decode()
    deletion = date_format(ended.ended_at + dt.timedelta(days=90), "DATE_FORMAT")
    assert f"data is deleted on {deletion}" in page
    assert "It ends when either teacher ends it" not in page
