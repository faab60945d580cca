"""In-app notifications (the bell on every page)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification (the bell on every page).

    ``message`` (an English msgid, with its plural form and context when it has them) and
    ``params`` let the page write the notice in the reader's current language, so that a
    person who switches language reads all their notices in it
    (``selectors.notification_text``). ``text`` is the notice as written for the
    recipient when it was made: what rows from before ``message`` existed show.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(max_length=40, verbose_name=_("kind"))
    text = models.CharField(max_length=300, verbose_name=_("text"))
    url = models.CharField(max_length=300, blank=True, verbose_name=_("link"))
    message = models.TextField(blank=True, verbose_name=_("message (msgid)"))
    message_plural = models.TextField(blank=True, verbose_name=_("plural message (msgid)"))
    message_context = models.CharField(
        max_length=100, blank=True, verbose_name=_("message context")
    )
    # The name of the param whose number picks the plural form.
    message_count = models.CharField(max_length=40, blank=True, verbose_name=_("message count"))
    # The placeholders' values; language-dependent ones are stored language-neutral with
    # a type tag ({"date": "2027-03-01", "format": "DATE_FORMAT"}).
    params = models.JSONField(default=dict, blank=True, verbose_name=_("placeholder values"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
