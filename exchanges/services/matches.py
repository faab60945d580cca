"""A proposed match's life: both accept (it becomes active and gets a room) or one declines."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import matching
from exchanges.models import Match, Participant, Program, Twinning
from exchanges.selectors.matching import matching_instance
from exchanges.services.metrics import match_activated_summaries_refresh
from exchanges.services.notifications import notification_create
from exchanges.services.rooms import room_open


def _lock(match: Match) -> Match:
    return (
        Match.objects.select_for_update()
        .select_related("participant_a__user", "participant_b__user", "twinning")
        .get(pk=match.pk)
    )


def _check_member(match: Match, by: Participant) -> None:
    if not match.has_member(by):
        raise PermissionDenied("Only the two partners can answer this proposal.")


@transaction.atomic
def match_accept(*, match: Match, by: Participant) -> Match:
    match = _lock(match)
    _check_member(match, by)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(f"This match is {match.get_status_display().lower()}, not proposed.")
    if match.twinning.status != Twinning.Status.ACTIVE:
        raise ValidationError("The twinning behind this match is no longer active.")
    now = timezone.now()
    if by.pk == match.participant_a_id:
        match.a_accepted_at = match.a_accepted_at or now
    else:
        match.b_accepted_at = match.b_accepted_at or now
    partner = match.partner_of(by)
    if match.a_accepted_at and match.b_accepted_at:
        match.status = Match.Status.ACTIVE
        match.activated_at = now
        match.save()
        _on_active(match)
        match_activated_summaries_refresh(match=match)
    else:
        match.save()
        notification_create(
            user=partner.user, kind="match.accepted_by_partner",
            text=f"{by.user.public_name} accepted your match. Accept too to open your room.",
            url=reverse("dashboard"),
        )
    return match


def _on_active(match: Match) -> None:
    room = room_open(match=match)
    for person in match.members:
        notification_create(
            user=person.user, kind="match.active",
            text=f"You and {match.partner_of(person).user.public_name} are partners now. "
                 "Pick a weekly slot and say hello in your room.",
            url=reverse("room_detail", args=[room.pk]),
        )


@transaction.atomic
def match_decline(*, match: Match, by: Participant) -> Match:
    """End the proposal; the pair is excluded from later runs (declines are remembered)."""
    match = _lock(match)
    _check_member(match, by)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(f"This match is {match.get_status_display().lower()}, not proposed.")
    match.status = Match.Status.DECLINED
    match.declined_by = by
    match.ended_at = timezone.now()
    match.ended_reason = "declined"
    match.save()
    partner = match.partner_of(by)
    notification_create(
        user=partner.user, kind="match.declined",
        text="Your proposed match did not go ahead. You stay in the pool for the next run.",
        url=reverse("dashboard"),
    )
    return match


@transaction.atomic
def match_create_demo(
    *, program: Program, twinning: Twinning, a: Participant, b: Participant
) -> Match:
    """An active match between two given people, scored and explained by the engine."""
    instance = matching_instance(program=program, free={a.pk: 1, b.pk: 1})
    result = matching.solve(matching.instance_from_dict(instance))
    pair = next(iter(result.pairs), None)
    if pair is None:
        raise ValidationError(f"{a} and {b} cannot be matched under the program's rules.")
    now = timezone.now()
    match = Match.objects.create(
        program=program, twinning=twinning, participant_a=a, participant_b=b,
        score=pair.score, explanation=pair.explanation, status=Match.Status.ACTIVE,
        a_accepted_at=now, b_accepted_at=now, activated_at=now,
    )
    _on_active(match)
    return match
