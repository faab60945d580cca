from django.db.models import Q

from exchanges.models import Match
from exchanges.pure.explanations import explanation_sentences


def matches_for_dashboard(*, participant) -> list[Match]:
    """Live matches, each with ``partner``, ``sentences`` and ``i_accepted`` for the card."""
    matches = list(
        Match.objects.filter(Q(participant_a=participant) | Q(participant_b=participant))
        .filter(status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related(
            "participant_a__user", "participant_b__user", "participant_a__city",
            "participant_b__city", "program", "room",
        )
        .order_by("-created_at")
    )
    for match in matches:
        match.partner = match.partner_of(participant)
        match.sentences = explanation_sentences(
            explanation=match.explanation, viewer_id=participant.pk,
            partner_name=match.partner.user.public_name,
        )
        is_a = match.participant_a_id == participant.pk
        match.i_accepted = (match.a_accepted_at if is_a else match.b_accepted_at) is not None
    return matches


def match_for_participant(*, match_id: int, participant) -> Match | None:
    return (
        Match.objects.filter(pk=match_id)
        .filter(Q(participant_a=participant) | Q(participant_b=participant))
        .select_related("participant_a__user", "participant_b__user", "twinning", "program")
        .first()
    )
