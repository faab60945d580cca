from django.core.paginator import Page, Paginator

from exchanges.models import Notification
from exchanges.selectors.notification_text import notification_text


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _shown(items):
    """Each notice with ``shown``: its sentence in the active language."""
    for item in items:
        item.shown = notification_text(item)
    return items


def notifications_page(*, user, number, per_page: int = 50) -> Page:
    """One page of the notices, newest first (a number out of range gives the nearest
    page), each with ``shown``."""
    page = Paginator(Notification.objects.filter(user=user), per_page).get_page(number)
    page.object_list = _shown(list(page.object_list))
    return page
