"""Proposals that are not accepted by both partners in time lapse.

Without an end, a partner who never answers holds the other's place for good: the
proposal counts against both capacities, so no later run looks for either again. A lapsed
proposal ends (``Match.EXPIRED``; never counted as answered in the figures), the pair is
not proposed to each other again, whoever accepted is told they stay in the pool (or that
no run can propose them anyone now), and whoever did not answer has new matches paused
until they resume them, so that the next run does not hand them to someone else who would
wait in vain too.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from exchanges.models import Match, Participant
from exchanges.services.notifications import notification_create
from exchanges.services.participants import pool_words
from exchanges.services.session_series import match_sessions_stop

BATCH = 200  # proposals per transaction: each run of the task holds few locks at a time

ACCEPTED_NOTICE = gettext_noop(
    "%(name)s did not answer your proposed match in time, so it has lapsed. You stay in "
    "the pool for the next run.")
ACCEPTED_PAUSED_NOTICE = gettext_noop(
    "%(name)s did not answer your proposed match in time, so it has lapsed. New matches "
    "are paused for you: resume them on your dashboard when you are ready.")
ACCEPTED_CLOSED_NOTICE = gettext_noop(
    "%(name)s did not answer your proposed match in time, so it has lapsed. No matching run "
    "can propose you a new partner for now: none of your programs is open for matching in "
    "your city.")
UNANSWERED_NOTICE = gettext_noop(
    "Your proposed match with %(name)s lapsed unanswered. New matches are paused for you: "
    "resume them on your dashboard when you are ready.")


def proposals_expire(*, now: dt.datetime | None = None) -> int:
    """Lapse every proposal older than ``Match.ANSWER_DAYS``; returns how many.

    Idempotent and safe beside a partner's answer: each batch locks its proposals with
    SKIP LOCKED and takes only those still proposed, so an answer being given now wins
    or waits, and a lapsed proposal is never lapsed twice.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=Match.ANSWER_DAYS)
    total = 0
    while True:
        done = _expire_batch(cutoff=cutoff, now=now)
        total += done
        if done < BATCH:
            return total


@transaction.atomic
def _expire_batch(*, cutoff: dt.datetime, now: dt.datetime) -> int:
    ids = list(
        Match.objects.select_for_update(skip_locked=True)
        .filter(status=Match.Status.PROPOSED, created_at__lt=cutoff)
        .order_by("pk").values_list("pk", flat=True)[:BATCH]
    )
    matches = Match.objects.filter(pk__in=ids).select_related(
        "participant_a__user", "participant_b__user"
    )
    for match in matches:
        match.status = Match.Status.ENDED
        match.ended_reason = Match.EXPIRED
        match.ended_at = now
        match.save(update_fields=["status", "ended_reason", "ended_at"])
        match_sessions_stop(match=match, now=now)
        for person, accepted in ((match.participant_a, match.a_accepted_at),
                                 (match.participant_b, match.b_accepted_at)):
            partner = match.partner_of(person)
            if accepted is None:
                Participant.objects.filter(pk=person.pk).update(matching_paused=True)
                message = UNANSWERED_NOTICE
            else:
                message = pool_words(person, staying=ACCEPTED_NOTICE,
                                     paused=ACCEPTED_PAUSED_NOTICE,
                                     closed=ACCEPTED_CLOSED_NOTICE)
            notification_create(
                user=person.user, kind="match.expired", url=reverse("dashboard"),
                message=message,
                params={"name": partner.user.public_name},
            )
    return len(ids)
