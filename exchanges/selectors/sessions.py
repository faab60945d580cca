from django.db.models import Q
from django.utils import timezone

from exchanges.models import Session


def sessions_for_dashboard(*, participant, limit: int = 5) -> list[Session]:
    return list(
        Session.objects.filter(
            Q(match__participant_a=participant) | Q(match__participant_b=participant),
            status=Session.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )[:limit]
    )
