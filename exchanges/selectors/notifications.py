from exchanges.models import Notification
from exchanges.selectors.notification_text import notification_text


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_recent(*, user, limit: int = 20) -> list[Notification]:
    """The latest notices, each with ``shown``: its sentence in the active language."""
    items = list(Notification.objects.filter(user=user)[:limit])
    for item in items:
        item.shown = notification_text(item)
    return items
