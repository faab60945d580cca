from exchanges.models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_recent(*, user, limit: int = 20):
    return Notification.objects.filter(user=user)[:limit]
