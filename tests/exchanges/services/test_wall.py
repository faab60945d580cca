"""The exchange wall's writes: posts with images re-encoded without EXIF, pupils' posts
waiting for their own teacher, comments, and who may do what."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchanges.models import ClassroomExchange, Notification, WallImage, WallPost
from exchanges.selectors.wall import wall_posts, wall_viewer
from exchanges.services.wall import wall_comment_create, wall_post_create, wall_post_decide
from tests.exchanges.wall_fixtures import jpeg_with_gps, make_exchange, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _jpeg(name="holiday.jpg", data=None):
    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type="image/jpeg")


def _viewer(built, user):
    return wall_viewer(exchange=built.exchange, user=user)


def test_an_uploaded_jpeg_with_gps_exif_is_stored_without_it(media_root):
    built = make_exchange()
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Our town",
                            images=[_jpeg()])
    [image] = post.images.all()
    with default_storage.open(image.file.name, "rb") as handle:
        stored = handle.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Exif" not in stored and b"Dresden" not in stored
    # Nothing else was written: the upload itself never reached the storage.
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [image.file.name.rsplit("/", 1)[-1]]
    assert "holiday" not in image.file.name
    assert (image.width, image.height, image.content_type) == (64, 48, "image/jpeg")


def test_a_teachers_post_appears_at_once_a_pupils_waits_for_their_teacher():
    built = make_exchange()
    teacher_post = wall_post_create(exchange=built.exchange, author=built.b.teacher,
                                    text="Welcome!")
    pupil_post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0],
                                  text="Hello from Coventry")
    assert teacher_post.status == WallPost.Status.APPROVED
    assert pupil_post.status == WallPost.Status.PENDING
    assert Notification.objects.filter(user=built.a.teacher, kind="wall.pending").exists()
    assert not Notification.objects.filter(user=built.b.teacher, kind="wall.pending").exists()


def test_a_pupils_post_is_invisible_to_the_partner_class_until_approved():
    built = make_exchange()
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi!")
    seen_by = {
        "author": post in wall_posts(exchange=built.exchange,
                                     viewer=_viewer(built, built.a.pupils[0])),
        "own teacher": post in wall_posts(exchange=built.exchange,
                                          viewer=_viewer(built, built.a.teacher)),
        "classmate": post in wall_posts(exchange=built.exchange,
                                        viewer=_viewer(built, built.a.pupils[1])),
        "partner pupil": post in wall_posts(exchange=built.exchange,
                                            viewer=_viewer(built, built.b.pupils[0])),
        "partner teacher": post in wall_posts(exchange=built.exchange,
                                              viewer=_viewer(built, built.b.teacher)),
    }
    assert seen_by == {"author": True, "own teacher": True, "classmate": False,
                       "partner pupil": False, "partner teacher": False}

    wall_post_decide(post=post, by=built.a.teacher, approve=True)

    assert post in wall_posts(exchange=built.exchange, viewer=_viewer(built, built.b.pupils[0]))
    assert Notification.objects.filter(user=built.a.pupils[0], kind="wall.approved").exists()


def test_only_the_authors_own_teacher_decides():
    built = make_exchange()
    post = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi!")
    for someone in (built.b.teacher, built.a.pupils[1]):
        with pytest.raises(PermissionDenied):
            wall_post_decide(post=post, by=someone, approve=True)
    wall_post_decide(post=post, by=built.a.teacher, approve=False)
    post.refresh_from_db()
    assert post.status == WallPost.Status.REJECTED
    with pytest.raises(ValidationError):
        wall_post_decide(post=post, by=built.a.teacher, approve=True)


def test_outsiders_cannot_post():
    built, other = make_exchange(), make_exchange()
    for outsider in (other.a.pupils[0], other.b.teacher):
        with pytest.raises(PermissionDenied):
            wall_post_create(exchange=built.exchange, author=outsider, text="Hi")
    assert not WallPost.objects.filter(exchange=built.exchange).exists()


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (SimpleUploadedFile("notes.pdf", b"%PDF-1.4 ...", content_type="application/pdf"),
         "not an image"),
        (SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "empty"),
    ],
)
def test_a_non_image_upload_is_refused_with_a_form_error_and_nothing_is_stored(
    upload, says, media_root
):
    built = make_exchange()
    with pytest.raises(ValidationError) as refused:
        wall_post_create(exchange=built.exchange, author=built.a.teacher, text="x",
                         images=[upload])
    assert says in " ".join(refused.value.message_dict["images"])
    assert not WallPost.objects.exists() and not WallImage.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_an_oversized_upload_is_refused(monkeypatch):
    monkeypatch.setattr("exchanges.pure.images.MAX_UPLOAD_BYTES", 500)
    built = make_exchange()
    with pytest.raises(ValidationError) as refused:
        wall_post_create(exchange=built.exchange, author=built.a.teacher,
                         images=[_jpeg(data=jpeg_with_gps(size=(400, 400)))])
    assert "too large" in " ".join(refused.value.message_dict["images"])


def test_at_most_four_images_and_something_to_post():
    built = make_exchange()
    uploads = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(5)]
    with pytest.raises(ValidationError, match="At most 4"):
        wall_post_create(exchange=built.exchange, author=built.a.teacher, images=uploads)
    with pytest.raises(ValidationError, match="Write something"):
        wall_post_create(exchange=built.exchange, author=built.a.teacher, text="   ")
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher,
                            images=uploads[:4])
    assert [i.position for i in post.images.all()] == [0, 1, 2, 3]


def test_a_pupils_contact_detail_is_refused_in_posts_and_comments_not_a_teachers():
    built = make_exchange()
    with pytest.raises(ValidationError) as refused:
        wall_post_create(exchange=built.exchange, author=built.a.pupils[0],
                         text="add me: lena at gmail dot com")
    assert "e-mail address" in refused.value.message_dict["text"][0]
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher,
                            text="Our school: www.example-school.org.uk")
    with pytest.raises(ValidationError):
        wall_comment_create(post=post, author=built.b.pupils[0], text="insta: lena_k")
    comment = wall_comment_create(post=post, author=built.b.pupils[0], text="Nice school!")
    assert comment.text == "Nice school!"


def test_comments_only_on_published_posts_and_only_while_the_exchange_is_active():
    built = make_exchange()
    pending = wall_post_create(exchange=built.exchange, author=built.a.pupils[0], text="Hi")
    with pytest.raises(ValidationError):
        wall_comment_create(post=pending, author=built.a.teacher, text="Nice")
    built.exchange.status = ClassroomExchange.Status.ENDED
    built.exchange.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Late")


def test_files_already_stored_are_removed_when_a_later_image_fails(media_root, monkeypatch):
    built = make_exchange()
    calls = {"n": 0}
    original = WallImage.save

    def second_save_fails(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WallImage, "save", second_save_fails)
    with pytest.raises(RuntimeError):
        wall_post_create(exchange=built.exchange, author=built.a.teacher,
                         images=[_jpeg(), _jpeg()])
    assert not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200b ", "\ufeff\u2060", "\u202e\u202c"])
def test_a_post_or_comment_that_draws_nothing_is_refused_as_empty(text):
    built = make_exchange()
    with pytest.raises(ValidationError) as refused:
        wall_post_create(exchange=built.exchange, author=built.a.teacher, text=text)
    assert refused.value.message_dict["text"] == ["Write something or add an image."]
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text="Hello")
    with pytest.raises(ValidationError) as refused:
        wall_comment_create(post=post, author=built.b.pupils[0], text=text)
    assert refused.value.message_dict["text"] == ["Write a comment."]
    assert not post.comments.exists()


def test_direction_overrides_are_taken_out_of_posts_and_comments():
    built = make_exchange()
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher,
                            text="Our trip to \u202enodnoL\u202c!")
    assert post.text == "Our trip to nodnoL!"
    comment = wall_comment_create(post=post, author=built.b.pupils[0],
                                  text="\u2067Toll!\u2069")
    assert comment.text == "Toll!"


@pytest.mark.parametrize(
    "text", ["שלום לכולם!", "مرحبا بكم", "नमस्ते दोस्तों", "みなさん、こんにちは", "🎉👩\u200d🏫"]
)
def test_posts_and_comments_in_other_scripts_are_kept(text):
    built = make_exchange()
    post = wall_post_create(exchange=built.exchange, author=built.a.teacher, text=text)
    comment = wall_comment_create(post=post, author=built.b.pupils[0], text=text)
    assert post.text == comment.text == text
