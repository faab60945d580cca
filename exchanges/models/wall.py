"""The exchange wall: the two classes' asynchronous posts (text, up to four images) and
comments. Pupils' posts wait for their own teacher's approval; teachers' appear at once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from exchanges.models.classrooms import ClassroomExchange

POST_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
IMAGES_PER_POST = 4


def wall_image_path(instance, filename: str) -> str:
    # A random name: the uploaded file's name (often a pupil's name or a date) is dropped
    # with the rest of the original upload.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"wall/{instance.post.exchange_id}/{uuid.uuid4().hex}.{extension}"


class WallPost(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("wall post status", "Waiting for the teacher")
        APPROVED = "approved", pgettext_lazy("wall post status", "Published")
        REJECTED = "rejected", pgettext_lazy("wall post status", "Not published")

    exchange = models.ForeignKey(
        ClassroomExchange, on_delete=models.CASCADE, related_name="wall_posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wall_posts"
    )
    text = models.TextField(max_length=POST_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["exchange", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.pk} by {self.author} ({self.status})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class WallImage(models.Model):
    """An image of a post, as re-encoded by the platform (never the uploaded file)."""

    post = models.ForeignKey(WallPost, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=wall_image_path, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["post", "position", "id"]

    def __str__(self) -> str:
        return f"Image {self.pk} of post {self.post_id}"


class WallComment(models.Model):
    post = models.ForeignKey(WallPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wall_comments"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"


class ExchangeRetention(models.Model):
    """Where an ended exchange is in its pupils' retention: warned, then purged.

    The row is claimed before the warning is sent, so the teacher is warned exactly once
    however many beat runs overlap.
    """

    exchange = models.OneToOneField(
        ClassroomExchange, on_delete=models.CASCADE, related_name="retention"
    )
    warned_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    pupils_deleted = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Retention of exchange {self.exchange_id}"
