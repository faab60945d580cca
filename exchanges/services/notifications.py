from exchanges.models import Notification


def notification_create(*, user, kind: str, text: str, url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)


def notifications_mark_read(*, user) -> int:
    from django.utils import timezone

    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
