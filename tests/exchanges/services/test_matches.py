import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import (
    Block,
    Match,
    Notification,
    Program,
    Room,
    Session,
    SlotProposal,
    Twinning,
)
from exchanges.selectors.matching import exclusions_among
from exchanges.services import notifications as notifications_module
from exchanges.services.matches import match_accept, match_decline, match_end
from exchanges.services.slots import slot_propose
from tests.exchanges.scheduling_fixtures import NOW, another_slot, scheduled_match
from tests.factories import CityFactory, MatchFactory, ParticipantFactory

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


def test_accepting_twice_changes_nothing_and_notifies_nobody_again(match):
    # A double click or a second tab: the second answer is done already (not refused
    # beside the first's success), and nothing is written or said again.
    first = match_accept(match=match, by=match.participant_a)
    again = match_accept(match=match, by=match.participant_a)
    assert again.status == "proposed" and again.a_accepted_at == first.a_accepted_at
    assert Match.objects.get(pk=match.pk).a_accepted_at == first.a_accepted_at
    assert Notification.objects.filter(user=match.participant_b.user).count() == 1


def test_answering_an_active_match_again_changes_nothing_or_is_refused_in_plain_words(match):
    match_accept(match=match, by=match.participant_a)
    active = match_accept(match=match, by=match.participant_b)
    notices = Notification.objects.count()
    again = match_accept(match=match, by=match.participant_b)
    assert again.status == "active" and again.activated_at == active.activated_at
    assert Room.objects.filter(match=match).count() == 1
    with pytest.raises(ValidationError, match="You are partners already"):
        match_decline(match=match, by=match.participant_a)
    assert Notification.objects.count() == notices


def test_a_declined_match_says_so_in_plain_words(match):
    match_decline(match=match, by=match.participant_b)
    for answer in (match_accept, match_decline):
        with pytest.raises(ValidationError) as refused:
            answer(match=match, by=match.participant_a)
        assert refused.value.messages == [
            "This match was declined, so it can no longer be answered."]
    # The decliner's double click is done already: nothing changes, nobody is told again.
    notices = Notification.objects.count()
    again = match_decline(match=match, by=match.participant_b)
    assert again.status == "declined" and again.declined_by_id == match.participant_b.pk
    assert Notification.objects.count() == notices


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


def test_ending_a_partnership_cancels_its_future_closes_the_room_and_tells_the_partner(
    monkeypatch
):
    active, sessions = scheduled_match()
    nora, bruno = active.participant_a, active.participant_b
    written_for = []
    real = notifications_module.in_language_of

    def recording(user):
        written_for.append(user.pk)
        return real(user)

    slot_propose(match=active, by=bruno, **another_slot(active), now=NOW)
    monkeypatch.setattr(notifications_module, "in_language_of", recording)  # match_end's only
    ended = match_end(match=active, by=bruno)
    assert ended.status == Match.Status.ENDED and ended.ended_at
    assert ended.ended_reason == "ended by a partner"
    rows = Session.objects.filter(match=active)
    assert set(rows.values_list("status", flat=True)) == {Session.Status.CANCELLED}
    assert not SlotProposal.objects.filter(match=active, status="proposed").exists()
    room = Room.objects.get(match=active)
    assert room.status == Room.Status.CLOSED and room.closed_reason == "ended by a partner"
    told = Notification.objects.get(user=nora.user, kind="match.ended")
    assert "Bruno" in told.text and written_for == [nora.user_id]  # in Nora's language
    assert not Block.objects.exists()  # not punitive
    # Matching never proposes them again: an earlier match excludes the pair.
    program = active.program
    program.twinnings.add(active.twinning)
    nora.programs.add(program)
    bruno.programs.add(program)
    pair = (min(nora.pk, bruno.pk), max(nora.pk, bruno.pk))
    assert pair in exclusions_among(program=program, participant_ids={nora.pk, bruno.pk})


def test_only_an_active_partnership_of_ones_own_can_be_ended(match):
    with pytest.raises(ValidationError, match="still a proposal"):
        match_end(match=match, by=match.participant_a)
    with pytest.raises(PermissionDenied):
        match_end(match=match, by=ParticipantFactory())
    active, _sessions = scheduled_match()
    match_end(match=active, by=active.participant_a)
    with pytest.raises(ValidationError, match="already ended"):
        match_end(match=active, by=active.participant_b)
    assert Notification.objects.filter(kind="match.ended").count() == 1


def test_accepting_more_proposals_than_ones_capacity_is_refused_in_words():
    """Two programs' runs read the same free place, or the capacity was lowered since:
    the proposals stand, but accepting stops at the capacity (proposals accepted count,
    as each may turn active without another word)."""
    first = MatchFactory(participant_a__capacity=2)
    alice = first.participant_a
    second = MatchFactory(participant_a=alice, twinning=first.twinning)
    third = MatchFactory(participant_a=alice, twinning=first.twinning)
    match_accept(match=first, by=alice)
    match_accept(match=first, by=first.participant_b)  # active
    match_accept(match=second, by=alice)  # accepted, the partner has not answered yet
    with pytest.raises(ValidationError, match=r"as many partners as your profile allows \(2\)"):
        match_accept(match=third, by=alice)
    assert Match.objects.get(pk=third.pk).a_accepted_at is None
    # Her partner in the third may still accept; she may still decline it.
    match_accept(match=third, by=third.participant_b)
    match_decline(match=third, by=alice)
    # A place freed (the second declined by its partner) can be taken again.
    fourth = MatchFactory(participant_a=alice, twinning=first.twinning)
    match_decline(match=second, by=second.participant_b)
    assert match_accept(match=fourth, by=alice).a_accepted_at is not None


def test_a_partner_who_paused_new_matches_is_not_told_they_stay_in_the_pool():
    proposal = MatchFactory(participant_a__matching_paused=True)
    match_decline(match=proposal, by=proposal.participant_b)
    declined = Notification.objects.get(user=proposal.participant_a.user, kind="match.declined")
    assert "stay in the pool" not in declined.text
    assert "New matches are paused for you" in declined.text

    active, _sessions = scheduled_match()
    active.participant_a.matching_paused = True
    active.participant_a.save(update_fields=["matching_paused"])
    match_end(match=active, by=active.participant_b)
    ended = Notification.objects.get(user=active.participant_a.user, kind="match.ended")
    assert "stay in the pool" not in ended.text
    assert "New matches are paused for you" in ended.text


def test_a_proposal_cannot_be_accepted_once_a_partner_moved_away_from_its_twinning():
    # The pair must live in the two cities of an active twinning; a move after the run
    # leaves a proposal that no run would make now.
    match = MatchFactory()
    moved = match.participant_b
    moved.city = CityFactory()
    moved.save(update_fields=["city"])
    for person in (match.participant_b, match.participant_a):
        with pytest.raises(ValidationError, match="moved away from the twinned cities"):
            match_accept(match=match, by=person)
    assert Match.objects.get(pk=match.pk).status == Match.Status.PROPOSED
    assert match_decline(match=match, by=match.participant_a).status == "declined"


def test_a_proposal_cannot_be_accepted_once_its_program_has_ended():
    # The partnership would have no week left to schedule; declining still works.
    match = MatchFactory(program__name="Spring tandem")
    Program.objects.filter(pk=match.program_id).update(
        start_date=timezone.now().date() - dt.timedelta(weeks=13), weeks=12)
    for person in (match.participant_a, match.participant_b):
        with pytest.raises(ValidationError, match="Spring tandem ended on .*, so this proposal "
                                                  "can no longer be accepted: decline it"):
            match_accept(match=match, by=person)
    stored = Match.objects.get(pk=match.pk)
    assert stored.status == Match.Status.PROPOSED
    assert stored.a_accepted_at is None and stored.b_accepted_at is None
    assert match_decline(match=match, by=match.participant_a).status == "declined"
