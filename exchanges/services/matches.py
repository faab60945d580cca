"""A match's life: both accept a proposal (it becomes active and gets a room) or one
declines it; either partner may later end the active partnership."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import Match, Participant, Program, Room, Twinning
from exchanges.selectors.matches import program_over
from exchanges.selectors.matching import matching_instance
from exchanges.selectors.twinning_rooms import CLOSES_WITH_ITS_REASON
from exchanges.services.metrics_participants import match_activated_summaries_refresh
from exchanges.services.notifications import notification_create
from exchanges.services.participants import pool_words
from exchanges.services.rooms import room_close, room_open
from exchanges.services.session_series import match_sessions_stop

# Stored as the match's ended_reason and the room's closed_reason (said in words by
# selectors/rooms.py); no blame, and no block: the pair is simply not proposed again.
ENDED_BY_PARTNER = "ended by a partner"


def _lock(match: Match) -> Match:
    # No key update: the rows it joins (partners, twinning) stay free for the key checks
    # of other writes, such as the figures' refresh inserting rows of that twinning.
    return (
        Match.objects.select_for_update(no_key=True)
        .select_related("participant_a__user", "participant_b__user", "twinning")
        .get(pk=match.pk)
    )


def _check_member(match: Match, by: Participant) -> None:
    if not match.has_member(by):
        raise PermissionDenied(_("Only the two partners can answer this proposal."))


def _check_proposed(match: Match) -> None:
    """Refuse to answer a match that is no longer a proposal, saying where it stands in
    words a person reads (a person's own earlier answer is not refused: see the callers).

    A proposal past its deadline has lapsed even before the sweep (every quarter of an
    hour, services/match_expiry.py) ends it: the page and the e-mail said so."""
    lapsed = match.status == Match.Status.PROPOSED and timezone.now() >= match.answer_by
    if match.status == Match.Status.PROPOSED and not lapsed:
        return
    if match.status == Match.Status.ACTIVE:
        raise ValidationError(_("You are partners already. To stop, end the partnership "
                                "from your room or your dashboard."))
    if match.status == Match.Status.DECLINED:
        raise ValidationError(_("This match was declined, so it can no longer be answered."))
    if lapsed or match.ended_reason == Match.EXPIRED:
        raise ValidationError(_("Nobody answered this proposal in time, so it has lapsed "
                                "and can no longer be answered."))
    raise ValidationError(_("This match has ended, so it can no longer be answered."))


def _check_free_place(match: Match, by: Participant) -> None:
    """Refuse an acceptance beyond the person's capacity, counting their partners and the
    proposals they accepted (each may become a partner without another word from them).

    Runs propose within the free places they read, but two programs' runs can read them
    at once, and a capacity lowered later leaves earlier proposals standing. The person's
    row is locked so that two acceptances at once are counted one after the other.
    """
    me = Participant.objects.select_for_update().only("capacity").get(pk=by.pk)
    mine = Q(participant_a=me, a_accepted_at__isnull=False) | Q(
        participant_b=me, b_accepted_at__isnull=False)
    taken = Match.objects.filter(mine, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
    if taken.exclude(pk=match.pk).count() >= me.capacity:
        raise ValidationError(_(
            "You already have as many partners as your profile allows (%(count)s), counting "
            "the proposals you accepted: decline this proposal, or allow more partners at "
            "once in your profile."
        ) % {"count": me.capacity})


@transaction.atomic
def match_accept(*, match: Match, by: Participant) -> Match:
    match = _lock(match)
    _check_member(match, by)
    if match.status == Match.Status.ACTIVE:
        # A double click or a stale tab: accepted already (not refused beside the first
        # click's success, whose words the page may never show); nothing is written.
        return match
    _check_proposed(match)
    mine = match.a_accepted_at if by.pk == match.participant_a_id else match.b_accepted_at
    if mine is not None:
        # The same, while the partner has yet to answer: nobody is told again.
        return match
    if match.twinning.status != Twinning.Status.ACTIVE:
        raise ValidationError(_("The twinning behind this match is no longer active."))
    if program_over(match):
        # Its last week is over: the partnership would have no week to meet.
        raise ValidationError(_(
            "%(program)s ended on %(date)s, so this proposal can no longer be accepted: "
            "decline it."
        ) % {"program": match.program.name,
             "date": formats.date_format(match.program.last_day, "DATE_FORMAT")})
    if {match.participant_a.city_id, match.participant_b.city_id} != {
            match.twinning.city_a_id, match.twinning.city_b_id}:
        # A move after the run: no run would propose this pair now.
        raise ValidationError(_(
            "One of you has moved away from the twinned cities this proposal was made for, "
            "so it can no longer be accepted: decline it, and the next runs look for a "
            "partner where you live now."))
    _check_free_place(match, by)
    now = timezone.now()
    if by.pk == match.participant_a_id:
        match.a_accepted_at = now
    else:
        match.b_accepted_at = now
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
            message=gettext_noop("%(name)s accepted your match. Accept too to open your room."),
            params={"name": by.user.public_name},
            url=reverse("dashboard"),
        )
    return match


def _on_active(match: Match) -> None:
    room = room_open(match=match)
    for person in match.members:
        notification_create(
            user=person.user, kind="match.active",
            message=gettext_noop("You and %(name)s are partners now. Pick a weekly slot and "
                                 "say hello in your room."),
            params={"name": match.partner_of(person).user.public_name},
            url=reverse("room_detail", args=[room.pk]),
        )


@transaction.atomic
def match_decline(*, match: Match, by: Participant) -> Match:
    """End the proposal; the pair is excluded from later runs (declines are remembered)."""
    match = _lock(match)
    _check_member(match, by)
    if match.status == Match.Status.DECLINED and match.declined_by_id == by.pk:
        return match  # a double click: declined already, the partner was told once
    _check_proposed(match)
    match.status = Match.Status.DECLINED
    match.declined_by = by
    match.ended_at = timezone.now()
    match.ended_reason = "declined"
    match.save()
    partner = match.partner_of(by)
    notification_create(
        user=partner.user, kind="match.declined",
        message=pool_words(
            partner,
            staying=gettext_noop(
                "Your proposed match did not go ahead. You stay in the pool for the next run."),
            paused=gettext_noop(
                "Your proposed match did not go ahead. New matches are paused for you: resume "
                "them on your dashboard when you are ready."),
            closed=gettext_noop(
                "Your proposed match did not go ahead. No matching run can propose you a new "
                "partner for now: none of your programs is open for matching in your city.")),
        url=reverse("dashboard"),
    )
    return match


@transaction.atomic
def match_end(*, match: Match, by: Participant) -> Match:
    """Either partner ends an active partnership: its future sessions are cancelled, the
    room closes to new messages (its history stays readable) and the partner is told.

    Not a block: nobody is reported or blamed. Matching never proposes the pair again
    because any earlier match between two people excludes them
    (``selectors.matching.exclusions_among``).
    """
    match = _lock(match)
    if not match.has_member(by):
        raise PermissionDenied(_("Only the two partners can end this partnership."))
    if match.status == Match.Status.PROPOSED:
        raise ValidationError(_("This match is still a proposal: decline it instead."))
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(_("This partnership has already ended."))
    now = timezone.now()
    match.status = Match.Status.ENDED
    match.ended_at = now
    match.ended_reason = ENDED_BY_PARTNER
    match.save(update_fields=["status", "ended_at", "ended_reason"])
    match_sessions_stop(match=match, now=now)
    # A room its twinning's suspension closed takes this reason: reactivation leaves it
    # closed, and the suspension's words would no longer say why.
    for room in Room.objects.filter(CLOSES_WITH_ITS_REASON,
                                    match=match):
        room_close(room=room, reason=ENDED_BY_PARTNER)
    partner = match.partner_of(by)
    notification_create(
        user=partner.user, kind="match.ended",
        message=pool_words(
            partner,
            staying=gettext_noop(
                "%(name)s has ended your partnership: your upcoming sessions are cancelled and "
                "your room stays readable. You stay in the pool for the next run."),
            paused=gettext_noop(
                "%(name)s has ended your partnership: your upcoming sessions are cancelled and "
                "your room stays readable. New matches are paused for you: resume them on your "
                "dashboard when you are ready."),
            closed=gettext_noop(
                "%(name)s has ended your partnership: your upcoming sessions are cancelled and "
                "your room stays readable. No matching run can propose you a new partner for "
                "now: none of your programs is open for matching in your city.")),
        params={"name": by.user.public_name},
        url=reverse("dashboard"),
    )
    return match


@transaction.atomic
def match_create_demo(
    *, program: Program, twinning: Twinning, a: Participant, b: Participant
) -> Match:
    """An active match between two given people, scored and explained by the engine."""
    instance = matching_instance(program=program, free={a.pk: 1, b.pk: 1})
    # The engine (numpy, scipy, OR-Tools: ~2 s to import) loads when first used, not
    # with every command, web process and worker that imports this module.
    import matching

    result = matching.solve(matching.instance_from_dict(instance))
    pair = next(iter(result.pairs), None)
    if pair is None:
        raise ValidationError(f"{a} and {b} cannot be matched under the program's rules.")
    match = Match.objects.create(
        program=program, twinning=twinning, participant_a=a, participant_b=b,
        score=pair.score, explanation=pair.explanation, status=Match.Status.ACTIVE,
    )
    # Accepted and active as it is created: at its ``created_at``, which the save stamps
    # (a time read before it would come first in the partners' data export).
    match.a_accepted_at = match.b_accepted_at = match.activated_at = match.created_at
    match.save(update_fields=["a_accepted_at", "b_accepted_at", "activated_at"])
    _on_active(match)
    return match
