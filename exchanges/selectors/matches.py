import datetime as dt

from django.db.models import Q
from django.utils import timezone

from exchanges.models import Match
from exchanges.pure.explanations import explanation_sentences
from exchanges.pure.program_end import ended_for


def program_over(match: Match, now: dt.datetime | None = None) -> bool:
    """Whether the match's program has ended in either partner's calendar: its end date
    is the day after its last week, and no session can be planned from then on
    (services/sessions.py), so a partnership begun then would have no week to meet."""
    return ended_for(end_date=match.program.end_date, at=now or timezone.now(),
                     zones=[person.zone for person in match.members])


def matches_for_dashboard(*, participant) -> list[Match]:
    """Live matches, each with ``partner``, ``sentences``, ``i_accepted``,
    ``partner_accepted`` and ``program_over`` (no longer to accept) for the card.

    A proposal past its deadline has lapsed, though the sweep may not have ended it yet:
    it is not offered for an answer."""
    answerable = timezone.now() - dt.timedelta(days=Match.ANSWER_DAYS)
    matches = list(
        Match.objects.filter(Q(participant_a=participant) | Q(participant_b=participant))
        .filter(Q(status=Match.Status.ACTIVE)
                | Q(status=Match.Status.PROPOSED, created_at__gt=answerable))
        .select_related(
            "participant_a__user", "participant_b__user", "participant_a__city",
            "participant_b__city", "program", "room", "twinning__city_a", "twinning__city_b",
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
        match.partner_accepted = (
            match.b_accepted_at if is_a else match.a_accepted_at) is not None
        match.program_over = program_over(match)
    return matches


def match_for_participant(*, match_id: int, participant) -> Match | None:
    return (
        Match.objects.filter(pk=match_id)
        .filter(Q(participant_a=participant) | Q(participant_b=participant))
        .select_related("participant_a__user", "participant_b__user", "twinning", "program")
        .first()
    )


def partners_count(*, participant) -> int:
    """How many partners the person has now (active matches)."""
    return Match.objects.filter(
        Q(participant_a=participant) | Q(participant_b=participant),
        status=Match.Status.ACTIVE,
    ).count()
