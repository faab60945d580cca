"""A wall image's file leaves the storage whenever its row is deleted, however it goes
(a teacher's own account, the admin's deletion of a user or a class), once the deletion
commits; a deletion rolled back keeps the file its row still points at."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from exchanges.models import ClassroomExchange, WallImage, WallPost
from exchanges.services.accounts import account_delete
from exchanges.services.wall import wall_post_create
from tests.exchanges.admin_delete_pages import delete_confirmed
from tests.exchanges.wall_fixtures import jpeg_with_gps, make_exchange, make_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _photo_post(exchange, author) -> str:
    """A post of ``author`` with one image; the stored file's name."""
    post = wall_post_create(exchange=exchange, author=author, text="Our town",
                            images=[SimpleUploadedFile("town.jpg", jpeg_with_gps())])
    name = post.images.get().file.name
    assert default_storage.exists(name)
    return name


def test_a_teacher_without_classes_deleting_her_account_takes_her_photos_from_storage(
    django_capture_on_commit_callbacks
):
    built = make_exchange()
    stored = _photo_post(built.exchange, built.a.teacher)
    leaving = built.a.teacher
    # An administrator handed her class over to another teacher: she has none left.
    built.a.classroom.teacher = make_teacher()
    built.a.classroom.save(update_fields=["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaving, password="correct-horse-battery")
    assert not WallImage.objects.exists()
    assert not default_storage.exists(stored)


def test_the_admin_deleting_a_pupil_takes_their_photos_from_storage(
    client, root, django_capture_on_commit_callbacks
):
    built = make_exchange()
    pupil = built.a.pupils[0]
    stored = _photo_post(built.exchange, pupil)
    kept = _photo_post(built.exchange, built.a.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        delete_confirmed(client, pupil)
    assert not WallPost.objects.filter(author=pupil).exists()
    assert not default_storage.exists(stored)
    assert default_storage.exists(kept)


def test_the_admin_deleting_a_class_takes_its_exchanges_photos_from_storage(
    client, root, django_capture_on_commit_callbacks
):
    built = make_exchange()
    stored = [_photo_post(built.exchange, built.a.teacher),
              _photo_post(built.exchange, built.b.pupils[0])]
    built.exchange.status = ClassroomExchange.Status.ENDED
    built.exchange.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        delete_confirmed(client, built.a.classroom)
    assert not ClassroomExchange.objects.filter(pk=built.exchange.pk).exists()
    assert not any(default_storage.exists(name) for name in stored)


def test_a_deletion_rolled_back_keeps_the_file(django_capture_on_commit_callbacks):
    built = make_exchange()
    stored = _photo_post(built.exchange, built.a.teacher)
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        WallPost.objects.all().delete()
        raise RuntimeError("the deletion fails after the rows went")
    assert WallImage.objects.get().file.name == stored
    assert default_storage.exists(stored)
