import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import Match, Notification, Twinning
from exchanges.services.matches import match_accept, match_decline
from tests.factories import MatchFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def match():
    return MatchFactory()


def test_first_accept_waits_for_the_partner(match):
    accepted = match_accept(match=match, by=match.participant_a)
    assert accepted.status == "proposed"
    assert accepted.a_accepted_at is not None
    note = Notification.objects.get(user=match.participant_b.user)
    assert "accepted your match" in note.text


def test_both_accepting_activates_opens_a_room_and_notifies_both(match):
    match_accept(match=match, by=match.participant_a)
    active = match_accept(match=match, by=match.participant_b)
    assert active.status == "active"
    assert active.activated_at is not None
    room = active.room
    assert set(room.members.all()) == {match.participant_a.user, match.participant_b.user}
    assert Notification.objects.filter(kind="match.active").count() == 2


def test_accepting_twice_is_harmless(match):
    match_accept(match=match, by=match.participant_a)
    again = match_accept(match=match, by=match.participant_a)
    assert again.status == "proposed"


def test_decline_ends_the_proposal_and_tells_the_partner(match):
    declined = match_decline(match=match, by=match.participant_b)
    assert declined.status == "declined"
    assert declined.declined_by == match.participant_b
    assert Notification.objects.filter(user=match.participant_a.user,
                                       kind="match.declined").exists()
    with pytest.raises(ValidationError):
        match_accept(match=match, by=match.participant_a)


def test_only_the_partners_can_answer(match):
    stranger = ParticipantFactory()
    with pytest.raises(PermissionDenied):
        match_accept(match=match, by=stranger)
    with pytest.raises(PermissionDenied):
        match_decline(match=match, by=stranger)
    assert Match.objects.get(pk=match.pk).status == "proposed"


def test_a_suspended_twinning_blocks_acceptance(match):
    match.twinning.status = Twinning.Status.SUSPENDED
    match.twinning.save()
    with pytest.raises(ValidationError, match="no longer active"):
        match_accept(match=match, by=match.participant_a)
