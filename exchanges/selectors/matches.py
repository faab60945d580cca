from django.db.models import Q

from exchanges.models import Match


def matches_for_dashboard(*, participant) -> list[Match]:
    matches = (
        Match.objects.filter(Q(participant_a=participant) | Q(participant_b=participant))
        .filter(status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related("participant_a__user", "participant_b__user", "program")
        .order_by("-created_at")
    )
    return list(matches)
