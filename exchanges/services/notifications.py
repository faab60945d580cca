import json

from django.utils import timezone

from exchanges.models import Notification
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.notification_text import TEXT_MAX, Message, message_render


def notification_build(
    *, user, kind: str, message: str | Message, params: dict | None = None, url: str = ""
) -> Notification:
    """An unsaved notice (for ``bulk_create``): ``message`` is an English msgid (marked
    with ``gettext_noop``) or a :class:`Message`; ``params`` its placeholders' values,
    JSON-serialisable (see ``selectors.notification_text`` for language-dependent ones).

    ``text`` is written at once in the recipient's language: e-mails and older readers
    use it, and writing it checks that every placeholder has its value."""
    message = Message.of(message)
    # Stored as JSON will give it back: a value JSON cannot hold fails here, not later.
    params = json.loads(json.dumps(params or {}))
    with in_language_of(user):
        text = message_render(message, params, limit=TEXT_MAX)
    return Notification(
        user=user, kind=kind, text=text, url=url,
        message=message.msgid, message_plural=message.plural,
        message_count=message.count, message_context=message.context, params=params,
    )


def notification_create(
    *, user, kind: str, message: str | Message, params: dict | None = None, url: str = ""
) -> Notification:
    notification = notification_build(user=user, kind=kind, message=message, params=params,
                                      url=url)
    notification.save()
    return notification


def notifications_mark_read(*, user, ids) -> int:
    """Marks read the notices the reader was shown: not older ones beyond the page, nor
    one that arrived while the page was being written."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
