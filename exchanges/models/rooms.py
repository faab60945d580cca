from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.models.classrooms import ClassroomExchange
from exchanges.models.matches import Match

MESSAGE_MAX_LENGTH = 2000


class Room(models.Model):
    """A chat room of an active match, of a classroom exchange (its class room), or of a
    pupil pair or trio of one (``pupils_exchange``)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("room status", "Open")
        CLOSED = "closed", pgettext_lazy("room status", "Closed")

    match = models.OneToOneField(
        Match,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room",
        verbose_name=_("match"),
    )
    exchange = models.OneToOneField(
        ClassroomExchange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room",
        verbose_name=_("class exchange"),
    )
    # A pupils' room (a pair's or a trio's) says whose exchange it is, as long as the room
    # lasts: its pupil group may be dissolved (a pupil removed) while its history stays.
    # Deleting the exchange leaves the room, of no exchange, as its group's deletion does.
    pupils_exchange = models.ForeignKey(
        ClassroomExchange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupil_rooms",
        verbose_name=_("class exchange of its pupils"),
    )
    title = models.CharField(max_length=200, blank=True, verbose_name=_("title"))
    status = models.CharField(
        max_length=6,
        choices=Status.choices,
        default=Status.OPEN,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    closed_reason = models.CharField(
        max_length=200, blank=True, verbose_name=_("reason for closing")
    )
    # Closed by its twinning's suspension or termination alone, so its reactivation
    # reopens it; any other close (a teacher's, a partner's) clears it for good.
    closed_by_twinning = models.BooleanField(
        default=False, verbose_name=_("closed by its twinning's change")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="RoomMember",
        related_name="rooms",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or f"Room {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def group_name(self) -> str:
        return f"room.{self.pk}"


class RoomMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"  # a teacher reading their pupils' room

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)
    # A moderator muted this member: their messages are refused until then.
    muted_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="room_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.room} ({self.role})"


class Message(models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="messages", verbose_name=_("room")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("author"),
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH, verbose_name=_("body"))
    # Chosen by the client so that a retried send returns the original message.
    client_id = models.CharField(max_length=64, verbose_name=_("client ID"))
    # The language the author wrote in (a BCP 47 code, one of the room's languages), so
    # that pages mark the text for screen readers; blank when unknown (older messages,
    # older clients). A database default too: a process still running the previous
    # release inserts without the column.
    lang = models.CharField(max_length=35, blank=True, default="", db_default="",
                            verbose_name=_("language"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    # A moderator hid it: the body is no longer sent to anyone, a placeholder is.
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hidden at"))
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="message_idempotent_send"
            )
        ]
        indexes = [
            models.Index(fields=["room", "id"]),
            models.Index(fields=["author", "room", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Correction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="corrections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="corrections"
    )
    corrected = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Correction of message {self.message_id}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        RESOLVED = "resolved", pgettext_lazy("report status", "Resolved")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports", verbose_name=_("message")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reporter"),
    )
    reason = models.TextField(max_length=1000, verbose_name=_("reason"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once")
        ]

    def __str__(self) -> str:
        return f"Report on message {self.message_id} ({self.status})"


class Presence(models.Model):
    """One open socket of a user in a room, kept alive by heartbeats.

    Kept in the database so every server process sees the same presence, and a
    process that dies leaves rows that expire when their heartbeat goes stale.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["room", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} online in room {self.room_id}"
