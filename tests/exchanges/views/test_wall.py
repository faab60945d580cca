"""The wall through the client: posting with images, form errors, approval, images
served to members only, the teacher's export, and the authorization matrix."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from exchanges.models import WallImage, WallPost
from exchanges.services.wall import wall_comment_create, wall_post_create, wall_post_decide
from tests.exchanges.wall_fixtures import client_for, jpeg_with_gps, make_exchange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def built():
    return make_exchange()


def _url(name, built, *args):
    return reverse(name, args=[built.exchange.pk, *args])


def test_a_pupil_posts_a_photo_and_it_waits_for_the_teacher(built):
    client = client_for(built.a.pupils[0])
    photo = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(_url("wall_post", built), {"text": "Our lunch", "images": [photo]})
    assert response.status_code == 302
    post = WallPost.objects.get()
    assert post.status == WallPost.Status.PENDING and post.images.count() == 1
    page = client.get(_url("wall", built)).content.decode()
    assert "Our lunch" in page and "Waiting for the teacher" in page
    partner_page = client_for(built.b.pupils[0]).get(_url("wall", built))
    assert partner_page.status_code == 200 and "Our lunch" not in partner_page.content.decode()


def test_the_served_image_has_no_exif_and_is_private(built):
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="x",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    image = post.images.get()
    response = client_for(built.b.pupils[0]).get(_url("wall_image", built, image.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    served = b"".join(response.streaming_content)
    assert not Image.open(io.BytesIO(served)).getexif()


def test_a_non_image_upload_is_a_form_error_not_a_500(built):
    client = client_for(built.a.teacher)
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a jpeg", content_type="image/jpeg")
    response = client.post(_url("wall_post", built), {"text": "hello", "images": [fake]})
    assert response.status_code == 400
    assert "virus.jpg: The file is not an image we can read." in response.content.decode()
    assert not WallPost.objects.exists()


def test_an_oversized_upload_is_a_form_error(built, monkeypatch):
    monkeypatch.setattr("exchanges.pure.images.MAX_UPLOAD_BYTES", 300)
    big = SimpleUploadedFile("big.jpg", jpeg_with_gps(size=(300, 300)))
    response = client_for(built.a.teacher).post(_url("wall_post", built),
                                                {"text": "", "images": [big]})
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_five_images_are_a_form_error(built):
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(5)]
    response = client_for(built.a.teacher).post(_url("wall_post", built), {"images": files})
    assert response.status_code == 400 and "At most 4 images" in response.content.decode()


def test_a_pupils_contact_detail_is_a_form_error(built):
    response = client_for(built.b.pupils[0]).post(_url("wall_post", built),
                                                  {"text": "my snap is lena_k"})
    assert response.status_code == 400
    assert "social-media account" in response.content.decode()


def test_the_teacher_approves_then_the_partner_class_sees_and_comments(built):
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi all")
    assert client_for(built.b.teacher).post(
        _url("wall_post_approve", built, post.pk)).status_code == 404  # not theirs to see
    response = client_for(built.a.teacher).post(_url("wall_post_approve", built, post.pk))
    assert response.status_code == 302
    partner = client_for(built.b.pupils[0])
    assert "Hi all" in partner.get(_url("wall", built)).content.decode()
    response = partner.post(_url("wall_comment", built, post.pk), {"text": "Hello back!"})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    assert post.comments.get().text == "Hello back!"


def test_a_refused_comment_is_shown_again_under_its_post_with_the_text_kept(built):
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Hi all")
    partner = client_for(built.b.pupils[0])
    typed = "write me at lena@example.com"
    response = partner.post(_url("wall_comment", built, post.pk), {"text": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "e-mail address" in page
    field = page[page.index(f'id="comment-{post.pk}"'):]
    assert f'value="{typed}"' in field[:field.index(">")]
    assert not post.comments.exists()


@pytest.mark.parametrize("status", ["ended", "paused"])
def test_a_post_or_comment_sent_after_the_exchange_stopped_is_refused_in_words_text_kept(
    built, status
):
    """The page was opened while the exchange was active; its end (or pause) is said on
    the wall page, not a bare 403, and the text typed meanwhile is on it to copy."""
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Hi all")
    built.exchange.status = status
    built.exchange.save(update_fields=["status"])
    pupil = client_for(built.b.pupils[0])
    for url, typed in ((_url("wall_post", built), "Our <b>trip</b> to the zoo"),
                       (_url("wall_comment", built, post.pk), "Great photo!")):
        response = pupil.post(url, {"text": typed})
        assert response.status_code == 409
        page = response.content.decode()
        assert "is no longer active" in page and 'id="wall-unsent-error"' in page
        assert escape(typed) in page and "<b>trip</b>" not in page
    assert WallPost.objects.count() == 1 and not post.comments.exists()


def _outsiders(built):
    other = make_exchange()
    return {
        "pupil of another exchange": other.a.pupils[0],
        "teacher of another class": other.b.teacher,
        "adult participant": UserFactory(),
    }


@pytest.mark.parametrize("who", ["pupil of another exchange", "teacher of another class",
                                 "adult participant"])
def test_outsiders_get_404_on_every_wall_url(built, who):
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="x",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    image = post.images.get()
    client = client_for(_outsiders(built)[who])
    assert client.get(_url("wall", built)).status_code == 404
    assert client.get(_url("wall_image", built, image.pk)).status_code == 404
    assert client.get(_url("wall_export", built)).status_code == 404
    assert client.post(_url("wall_post", built), {"text": "hi"}).status_code == 404
    assert client.post(_url("wall_comment", built, post.pk), {"text": "hi"}).status_code == 404
    assert WallPost.objects.count() == 1


def test_an_image_of_a_pending_post_is_404_for_the_partner_class(built):
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="x",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    image = post.images.get()
    assert client_for(built.b.pupils[0]).get(_url("wall_image", built, image.pk)).status_code == 404
    assert client_for(built.a.teacher).get(_url("wall_image", built, image.pk)).status_code == 200
    # An image id of another exchange is not found through this one.
    other = make_exchange()
    assert client_for(other.a.teacher).get(
        reverse("wall_image", args=[other.exchange.pk, image.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(built):
    response = Client().get(_url("wall", built))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_teacher_exports_the_wall_as_a_zip_of_json_and_images(built):
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Hello",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    wall_comment_create(post=post, author=built.b.pupils[0], text="Hi!")
    wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="pending one")
    response = client_for(built.b.teacher).get(_url("wall_export", built))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("wall.json"))
    [exported] = document["posts"]
    assert exported["text"] == "Hello" and exported["comments"][0]["text"] == "Hi!"
    assert exported["comments"][0]["author"] == built.b.pupils[0].public_name
    assert exported["images"] == [f"images/post-{post.pk}-1.jpg"]
    assert archive.read(exported["images"][0]) == post.images.get().file.read()
    assert "@" not in json.dumps(document)  # no e-mail address in the export


def test_a_pupil_cannot_export(built):
    assert client_for(built.a.pupils[0]).get(_url("wall_export", built)).status_code == 403


def test_images_are_not_public_files(built, client):
    wall_post_create(exchange=built.exchange, author=built.a.teacher, text="x",
                     images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    stored = WallImage.objects.get().file.name
    assert client.get(f"/media/{stored}").status_code == 404


def test_a_request_larger_than_four_images_is_refused_before_it_is_read(built, monkeypatch):
    monkeypatch.setattr("exchanges.views.wall.MAX_POST_BYTES", 1000)
    big = SimpleUploadedFile("big.jpg", jpeg_with_gps(size=(300, 300)))
    response = client_for(built.a.teacher).post(_url("wall_post", built), {"images": [big]})
    assert response.status_code == 413
    assert "The upload is too large" in response.content.decode()
    assert not WallPost.objects.exists()


@pytest.mark.parametrize("status", ["ended", "paused"])
def test_a_stopped_exchanges_wall_offers_no_decision_and_refuses_one_in_words(built, status):
    """A pupil's post still pending when the exchange ended (or paused): the read-only
    wall shows no Approve / Do not publish, nor "waiting for you", and a decision sent
    from a page opened before is refused in words, the post left as it was."""
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi all")
    teacher = client_for(built.a.teacher)
    page = teacher.get(_url("wall", built)).content.decode()
    assert _url("wall_post_approve", built, post.pk) in page  # while active
    built.exchange.status = status
    built.exchange.save(update_fields=["status"])
    page = teacher.get(_url("wall", built)).content.decode()
    assert "Hi all" in page
    assert _url("wall_post_approve", built, post.pk) not in page
    assert _url("wall_post_reject", built, post.pk) not in page
    assert "waiting for you" not in page
    for name in ("wall_post_approve", "wall_post_reject"):
        response = teacher.post(_url(name, built, post.pk), follow=True)
        assert response.status_code == 200
        assert "This exchange is not active: its wall is read-only." in (
            response.content.decode())
    post.refresh_from_db()
    assert post.status == WallPost.Status.PENDING


@pytest.mark.parametrize("status", ["ended", "paused"])
def test_a_post_left_pending_on_a_stopped_wall_is_not_said_to_wait_for_the_teacher(
    built, status
):
    """The teacher cannot decide on it any more: its author reads that it is not
    published while the exchange is not active, not that it waits for the teacher."""
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi all")
    built.exchange.status = status
    built.exchange.save(update_fields=["status"])
    for user in (built.a.pupils[0], built.a.teacher):
        page = client_for(user).get(_url("wall", built)).content.decode()
        shown = page[page.index(f'id="post-{post.pk}"'):]
        shown = shown[:shown.index("</header>")]
        assert "Waiting for the teacher" not in shown
        assert "Not published while the exchange is not active" in shown


def _badge(page: str, post) -> str:
    """The status badge in the post's header."""
    header = page[page.index(f'id="post-{post.pk}"'):]
    header = header[:header.index("</header>")]
    return header[header.index('<span class="badge'):]


def test_unpublished_posts_wear_the_warning_badge_not_the_success_one(built):
    """Green (the plain badge) reads as done: a post waiting for the teacher, refused,
    or left pending on a stopped wall is not."""
    waiting = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="One")
    refused = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Two")
    wall_post_decide(post=refused, by=built.a.teacher, approve=False)
    page = client_for(built.a.teacher).get(_url("wall", built)).content.decode()
    assert _badge(page, waiting).startswith('<span class="badge warn">Waiting for the teacher')
    assert _badge(page, refused).startswith('<span class="badge warn">Not published')
    built.exchange.status = "ended"
    built.exchange.save(update_fields=["status"])
    page = client_for(built.a.teacher).get(_url("wall", built)).content.decode()
    assert _badge(page, waiting).startswith('<span class="badge warn">Not published while')


def test_a_removed_pupils_photos_leave_the_storage_with_their_posts(
    built, django_capture_on_commit_callbacks
):
    """Removing a pupil takes "everything they wrote": the re-encoded images of their
    posts too, not only the rows that pointed at them (as the retention purge does)."""
    from django.core.files.storage import default_storage

    leaving = built.a.pupils[0]
    post = wall_post_create(exchange=built.exchange, author=leaving, text="Our lunch",
                            images=[SimpleUploadedFile("me.jpg", jpeg_with_gps())])
    wall_post_decide(post=post, by=built.a.teacher, approve=True)
    kept = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="x",
                            images=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    stored, teachers = post.images.get().file.name, kept.images.get().file.name
    assert default_storage.exists(stored)
    url = reverse("pupil_remove", args=[built.a.classroom.pk, leaving.participant.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(built.a.teacher).post(url)
    assert response.status_code == 302 and not WallImage.objects.filter(post=post).exists()
    assert not default_storage.exists(stored)
    assert default_storage.exists(teachers)
