"""A block ends the pair's matches: the blocked person is told their partnership ended
and their upcoming sessions are cancelled (as when a partner ends it), without being
told more; the blocker, who did it, gets no notice."""

import pytest

from exchanges.models import Match, Notification
from exchanges.services.rooms import block_create
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import MatchFactory, pool_enrol

pytestmark = pytest.mark.django_db


def test_the_blocked_person_is_told_the_partnership_ended_and_sessions_are_cancelled():
    match, _sessions = scheduled_match()
    pool_enrol(match)  # a coming run can propose Nora a partner
    nora, bruno = match.participant_a, match.participant_b
    before = set(Notification.objects.values_list("pk", flat=True))
    block_create(blocker=bruno, blocked=nora)
    new = Notification.objects.exclude(pk__in=before)
    assert [n.user for n in new] == [nora.user]
    assert new[0].text == ("Your partnership with Bruno has ended: your upcoming sessions are "
                           "cancelled. You stay in the pool for the next run.")
    assert new[0].url == "/dashboard/"


def test_blocking_again_or_without_a_live_match_tells_nobody():
    match = MatchFactory(status=Match.Status.ENDED)
    block_create(blocker=match.participant_a, blocked=match.participant_b)
    block_create(blocker=match.participant_a, blocked=match.participant_b)
    assert not Notification.objects.exists()


def test_a_blocked_proposal_is_no_partnership_and_is_not_told_as_one():
    match = MatchFactory(status=Match.Status.PROPOSED)
    block_create(blocker=match.participant_a, blocked=match.participant_b)
    assert not Notification.objects.exists()


def test_a_blocked_person_who_paused_new_matches_is_not_told_they_stay_in_the_pool():
    match, _sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    nora.matching_paused = True
    nora.save(update_fields=["matching_paused"])
    block_create(blocker=bruno, blocked=nora)
    told = Notification.objects.get(user=nora.user, kind="match.ended")
    assert told.text == ("Your partnership with Bruno has ended: your upcoming sessions are "
                         "cancelled. New matches are paused for you: resume them on your "
                         "dashboard when you are ready.")
