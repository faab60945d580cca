"""A teacher deletes a class that never had an exchange, with its pupils' accounts, after
a page that says what goes; a class with an exchange stays, and nobody else's class can
be deleted."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from exchanges.models import Classroom, ClassroomExchange, Notification, PartnerRequest, User
from exchanges.services.class_exchange_end import class_exchange_end
from tests.exchanges.class_exchange_fixtures import active_exchange, pairing_confirmed
from tests.exchanges.classroom_fixtures import classroom, partner_pair, pupil, teacher, twin_cities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


def _exchange_of_a_class():
    """(exchange, class A): an active exchange with one pupil a side."""
    exchange, _, _ = active_exchange(1, 1)
    return exchange, exchange.classroom_a


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
    assert f"the partner request between it and {theirs} is gone." in told.text
    assert told.url == reverse("classes")


def test_the_delete_page_says_when_each_exchange_lets_the_pupils_data_go(client):
    exchange, room = _exchange_of_a_class()
    client.force_login(room.teacher)
    url = reverse("classroom_delete", args=[room.pk])
    page = client.get(url).content.decode()
    assert "deleted 90 days after that exchange ends" in page
    assert "It ends when either teacher ends it" in page

    ended = class_exchange_end(exchange=exchange, by=room.teacher)
    page = client.get(url).content.decode()
    # The day on the teacher's class's calendar (Coventry's), whatever the hour in UTC.
    deletion = date_format((ended.ended_at + dt.timedelta(days=90)).astimezone(
        ZoneInfo(room.city.tz)).date(), "DATE_FORMAT")
    assert f"data is deleted on {deletion}" in page
    assert "It ends when either teacher ends it" not in page


def test_a_class_whose_exchanges_are_all_purged_can_be_deleted(client):
    """Once the retention purge has taken the pupils' data of every exchange the class
    had, nothing shared is left to keep: the class goes, with those ended exchanges,
    and the partner class's teacher is told."""
    from exchanges.services.class_sessions import class_session_confirm, class_session_propose
    from exchanges.services.retention import retention_purge_due
    from exchanges.services.wall import wall_post_create

    exchange, _, _ = active_exchange(2, 2)
    room, partner = exchange.classroom_a, exchange.classroom_b
    # What an exchange leaves behind: pair rooms, sessions, the teachers' wall posts.
    pairing_confirmed(exchange)
    class_session_confirm(proposal=class_session_propose(
        exchange=exchange, by=room.teacher, weekday=1, local_start=dt.time(14, 0),
        minutes=45), by=partner.teacher)
    wall_post_create(exchange=exchange, author=partner.teacher, text="Bye!")
    ended = class_exchange_end(exchange=exchange, by=room.teacher)
    retention_purge_due(now=ended.ended_at + dt.timedelta(days=91))
    pupil(room, name="Late J.")  # joined after the exchange: goes with the class
    client.force_login(room.teacher)
    url = reverse("classroom_delete", args=[room.pk])
    page = client.get(url).content.decode()
    assert "cannot be deleted" not in page and f'action="{url}"' in page
    assert "Its ended exchanges, whose pupils' data is already deleted, go with it" in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classes")
    assert "is deleted, with 1 pupil account" in response.content.decode()
    assert not Classroom.objects.filter(pk=room.pk).exists()
    assert not ClassroomExchange.objects.filter(pk=exchange.pk).exists()
    assert Classroom.objects.filter(pk=partner.pk).exists()
    told = Notification.objects.get(user=partner.teacher, kind="classroom.deleted")
    assert "was deleted by its teacher" in told.text
    assert f"the ended exchange between it and {partner} is gone." in told.text
    assert told.url == reverse("classes")


def test_a_class_with_an_exchange_still_keeping_data_stays(client):
    """Ended but not yet purged: the class stays, and says until when."""
    exchange, room = _exchange_of_a_class()
    class_exchange_end(exchange=exchange, by=room.teacher)
    client.force_login(room.teacher)
    response = client.post(reverse("classroom_delete", args=[room.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Classroom.objects.filter(pk=room.pk).exists()


def test_the_deletion_date_is_the_day_on_the_class_calendar(client):
    """An exchange that ends at 23:30 UTC ended the next day in Berlin: the teacher's
    pages give the day on their class's calendar, not UTC's."""
    exchange, room = _exchange_of_a_class()
    room.city.tz = "Europe/Berlin"
    room.city.save(update_fields=["tz"])
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    ended_at = dt.datetime.combine(yesterday, dt.time(23, 30), tzinfo=dt.UTC)
    class_exchange_end(exchange=exchange, by=room.teacher)
    ClassroomExchange.objects.filter(pk=exchange.pk).update(ended_at=ended_at)
    berlin = date_format(yesterday + dt.timedelta(days=91), "DATE_FORMAT")
    utc = date_format(yesterday + dt.timedelta(days=90), "DATE_FORMAT")
    client.force_login(room.teacher)
    for url in (reverse("classroom_delete", args=[room.pk]), reverse("classes")):
        page = client.get(url).content.decode()
        assert f"deleted on {berlin}" in page, url
        assert f"deleted on {utc}" not in page, url
        assert f"nded on {date_format(yesterday + dt.timedelta(days=1), 'DATE_FORMAT')}" in page


def test_a_deleted_class_takes_its_ended_exchanges_wall_images_off_the_storage(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The teachers' posts outlive the purge; deleting the class deletes the ended
    exchange and its posts, and so the images stored for them."""
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exchanges.services.retention import retention_purge_due
    from exchanges.services.wall import wall_post_create
    from tests.exchanges.wall_fixtures import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path / "media"
    exchange, _, _ = active_exchange(1, 1)
    room, partner = exchange.classroom_a, exchange.classroom_b
    post = wall_post_create(exchange=exchange, author=partner.teacher, text="Bye!",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    stored = post.images.get().file.name
    ended = class_exchange_end(exchange=exchange, by=room.teacher)
    retention_purge_due(now=ended.ended_at + dt.timedelta(days=91))
    assert default_storage.exists(stored)
    client.force_login(room.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classroom_delete", args=[room.pk]))
    assert response.status_code == 302 and not Classroom.objects.filter(pk=room.pk).exists()
    assert not default_storage.exists(stored)
