"""Writes on an exchange's wall: posts (text and up to four images), the teacher's
decision on a pupil's post, comments.

Images are decoded, checked and re-encoded without metadata (exchanges/pure/images.py)
before anything is stored: the uploaded bytes are never written to the storage, so the
GPS position a phone wrote into a photo cannot be served. Pupils' text is checked for
contact details as in the rooms. Errors are ValidationError keyed by form field.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exchanges.models import ClassroomExchange, User, WallComment, WallImage, WallPost
from exchanges.models.wall import COMMENT_MAX_LENGTH, IMAGES_PER_POST, POST_MAX_LENGTH
from exchanges.pure import images as image_rules
from exchanges.pure.contact_details import find_contact_detail
from exchanges.pure.images import ImageRefused, clean_image
from exchanges.pure.text_safety import text_clean
from exchanges.selectors.wall import WallViewer, wall_viewer
from exchanges.services.notifications import notification_create

WRITABLE = (ClassroomExchange.Status.ACTIVE,)


def _member(exchange: ClassroomExchange, user) -> WallViewer:
    viewer = wall_viewer(exchange=exchange, user=user)
    if viewer is None:
        raise PermissionDenied(_("Only the two classes of this exchange use its wall."))
    return viewer


def _clean_text(text, *, field: str, max_length: int, author) -> str:
    text = text or ""
    if "\x00" in text:
        raise ValidationError({field: _("The text contains a NUL character.")})
    # Direction overrides go; text that draws nothing (zero-width spaces) is empty.
    text = text_clean(text)
    if len(text) > max_length:
        raise ValidationError({field: ngettext(
            "At most %(n)d character.", "At most %(n)d characters.", max_length
        ) % {"n": max_length}})
    if author.is_pupil:
        found = find_contact_detail(text)
        if found is not None:
            raise ValidationError({field: found.reason})
    return text


def _read_upload(upload) -> bytes:
    # Reads at most one byte more than the limit: a bigger file is refused unread.
    upload.seek(0)
    return upload.read(image_rules.MAX_UPLOAD_BYTES + 1)


def _clean_images(uploads) -> list:
    uploads = list(uploads or [])
    if len(uploads) > IMAGES_PER_POST:
        raise ValidationError({"images": ngettext(
            "At most %(n)d image per post.", "At most %(n)d images per post.", IMAGES_PER_POST
        ) % {"n": IMAGES_PER_POST}})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_image(_read_upload(upload)))
        except ImageRefused as exc:
            name = getattr(upload, "name", "") or _("image")
            raise ValidationError({"images": f"{name[:60]}: {exc}"}) from None
    return cleaned


def _notify(user: User, *, kind: str, message: str, exchange: ClassroomExchange,
            params: dict | None = None) -> None:
    notification_create(user=user, kind=kind, message=message, params=params,
                        url=reverse("wall", args=[exchange.pk]))


@transaction.atomic
def wall_post_create(*, exchange: ClassroomExchange, author, text="", images=()) -> WallPost:
    """A member posts on the wall. A teacher's post is published at once; a pupil's
    waits for their own teacher, who is notified."""
    viewer = _member(exchange, author)
    if exchange.status not in WRITABLE:
        raise PermissionDenied(_("This exchange is not active: its wall is read-only."))
    text = _clean_text(text, field="text", max_length=POST_MAX_LENGTH, author=author)
    cleaned = _clean_images(images)
    if not text and not cleaned:
        raise ValidationError({"text": _("Write something or add an image.")})
    now = timezone.now()
    post = WallPost.objects.create(
        exchange=exchange, author=author, text=text,
        status=WallPost.Status.APPROVED if viewer.is_teacher else WallPost.Status.PENDING,
        decided_by=author if viewer.is_teacher else None,
        decided_at=now if viewer.is_teacher else None,
    )
    saved = []
    try:
        for position, image in enumerate(cleaned):
            stored = WallImage(post=post, content_type=image.content_type, width=image.width,
                               height=image.height, position=position)
            # Only the re-encoded bytes reach the storage.
            stored.file.save(f"image.{image.extension}", ContentFile(image.data), save=False)
            saved.append(stored.file.name)
            stored.save()
    except Exception:
        # The rows roll back; the files would stay behind with nothing pointing at them.
        for name in saved:
            default_storage.delete(name)
        raise
    if not viewer.is_teacher:
        teacher = User.objects.get(pk=_teacher_of(exchange, viewer.classroom_id))
        _notify(teacher, kind="wall.pending", exchange=exchange,
                message=gettext_noop("%(name)s wrote a post for the wall: approve it or not."),
                params={"name": author.public_name})
    return post


def _teacher_of(exchange: ClassroomExchange, classroom_id: int) -> int:
    if classroom_id == exchange.classroom_a_id:
        return exchange.classroom_a.teacher_id
    return exchange.classroom_b.teacher_id


@transaction.atomic
def wall_post_decide(*, post: WallPost, by, approve: bool) -> WallPost:
    """The teacher of the author's class publishes a pupil's post, or not, while the
    exchange is active (a post still pending when it ended or paused stays so)."""
    post = WallPost.objects.select_for_update().select_related("exchange").get(pk=post.pk)
    viewer = _member(post.exchange, by)
    author_classroom = (
        User.objects.filter(pk=post.author_id).values_list("participant__classroom_id",
                                                           flat=True).first()
    )
    if not viewer.is_teacher or author_classroom != viewer.classroom_id:
        raise PermissionDenied(_("Only the teacher of the author's class decides on this post."))
    if post.exchange.status not in WRITABLE:  # published on a read-only wall: no
        raise ValidationError(_("This exchange is not active: its wall is read-only."))
    if post.status != WallPost.Status.PENDING:
        raise ValidationError(_("This post has been decided already."))
    post.status = WallPost.Status.APPROVED if approve else WallPost.Status.REJECTED
    post.decided_by = by
    post.decided_at = timezone.now()
    post.save(update_fields=["status", "decided_by", "decided_at"])
    _notify(post.author, kind=f"wall.{post.status}", exchange=post.exchange,
            message=gettext_noop("Your post is on the wall.") if approve
            else gettext_noop("Your post was not published."))
    return post


def _image_file_delete_on_commit(sender, instance: WallImage, using, **kwargs) -> None:
    """A wall image's row is deleted, however it goes (a pupil removed, an account or a
    class deleted, the retention purge, the admin; as the cascade of any of them): its
    file leaves the storage once the deletion commits, and stays if it rolls back."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=using)


def wall_image_files_wire() -> None:
    """Connect the deletion of the files with their rows (from ExchangesConfig.ready)."""
    post_delete.connect(_image_file_delete_on_commit, sender=WallImage,
                        dispatch_uid="jumelage.wall_image_file")


@transaction.atomic
def wall_comment_create(*, post: WallPost, author, text) -> WallComment:
    """A member comments on a published post."""
    exchange = post.exchange
    _member(exchange, author)
    if exchange.status not in WRITABLE:
        raise PermissionDenied(_("This exchange is not active: its wall is read-only."))
    if not post.is_approved:
        raise ValidationError({"text": _("Only published posts take comments.")})
    text = _clean_text(text, field="text", max_length=COMMENT_MAX_LENGTH, author=author)
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    return WallComment.objects.create(post=post, author=author, text=text)
