"""The bulk confirmation (seeding, benchmarks) plans what ``slot_confirm`` would, and
nothing it would refuse: a proposal it would refuse stays open, and no session is
written for it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchanges.models import Session, SlotProposal
from exchanges.services import slots_bulk
from exchanges.services.matches import match_end
from exchanges.services.slots import slot_confirm, slot_options, slot_propose
from exchanges.services.slots_bulk import slots_confirm_many
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.scheduling_fixtures import (
    NOW,
    active_match,
    another_slot,
    scheduled_match,
    second_partner,
)
from tests.exchanges.threads import Pause, race

pytestmark = pytest.mark.django_db


def proposed(match) -> SlotProposal:
    option = slot_options(match=match, now=NOW)[0]
    return slot_propose(match=match, by=match.participant_a, option=option, now=NOW)


def test_a_bulk_confirm_plans_nothing_across_a_suspended_twinning():
    refused, bulk, going = active_match(), active_match(), active_match()
    proposals = {match: proposed(match) for match in (refused, bulk, going)}
    for match in (refused, bulk):
        match.program.twinnings.add(match.twinning)
        twinning_suspend(twinning=match.twinning, by=make_officer(match.program),
                         reason="Council vote", effective=timezone.localdate())
    with pytest.raises(ValidationError, match="no sessions can be scheduled across it"):
        slot_confirm(proposal=proposals[refused], by=refused.participant_b, now=NOW)

    assert slots_confirm_many(proposals=[proposals[bulk], proposals[going]], now=NOW) == 6
    assert not Session.objects.filter(match=bulk).exists()
    proposals[bulk].refresh_from_db()
    assert proposals[bulk].status == SlotProposal.Status.PROPOSED
    assert Session.objects.filter(match=going, status=Session.Status.SCHEDULED).count() == 6


def test_a_bulk_confirm_after_the_program_ended_leaves_the_proposal_open():
    refused, bulk = active_match(), active_match()  # six weeks from Monday 1 March 2027
    proposals = {match: proposed(match) for match in (refused, bulk)}
    after = dt.datetime(2027, 4, 20, 12, tzinfo=dt.UTC)  # two weeks past the last day
    with pytest.raises(ValidationError, match="no session left by then"):
        slot_confirm(proposal=proposals[refused], by=refused.participant_b, now=after)

    assert slots_confirm_many(proposals=[proposals[bulk]], now=after) == 0
    proposals[bulk].refresh_from_db()
    assert proposals[bulk].status == SlotProposal.Status.PROPOSED
    assert proposals[bulk].confirmed_at is None


def _written(match, proposal: SlotProposal, later=dt.timedelta(0)) -> SlotProposal:
    """A proposal for ``match`` at ``proposal``'s weekly time (or ``later``), written as a
    seeding script writes them: the services would not propose a time a partner is busy,
    nor leave two proposals of one match open."""
    return SlotProposal.objects.create(
        match=match, proposed_by=match.participant_a, first_start=proposal.first_start + later,
        anchor_tz=proposal.anchor_tz, minutes=proposal.minutes,
    )


def _left_open(proposal: SlotProposal) -> bool:
    proposal.refresh_from_db()
    return proposal.status == SlotProposal.Status.PROPOSED and proposal.confirmed_at is None


def test_a_bulk_confirm_leaves_a_match_that_has_sessions_as_it_is():
    """A proposal on a match with sessions is a series move, which ``slot_confirm`` makes
    by cancelling the series first: the bulk confirmation does not, and plans nothing."""
    match, sessions = scheduled_match()
    move = slot_propose(match=match, by=match.participant_a, **another_slot(match), now=NOW)
    fresh = active_match()
    before = sorted(Session.objects.filter(match=match).values_list("pk", "starts_at",
                                                                     "status", "slot_id"))

    assert slots_confirm_many(proposals=[move, proposed(fresh)], now=NOW) == 6
    assert _left_open(move)
    assert sorted(Session.objects.filter(match=match).values_list(
        "pk", "starts_at", "status", "slot_id")) == before
    assert len(before) == len(sessions) == 6
    assert Session.objects.filter(match=fresh, status=Session.Status.SCHEDULED).count() == 6


def test_a_bulk_confirm_leaves_a_slot_that_clashes_with_a_partners_other_series():
    match, _sessions = scheduled_match()  # Nora and Bruno, weekly
    taken = SlotProposal.objects.get(match=match, status=SlotProposal.Status.CONFIRMED)
    clash = _written(second_partner(match), taken)  # Nora and Carla, at Nora's series
    with pytest.raises(ValidationError, match="not both free at that time"):
        slot_confirm(proposal=clash, by=clash.match.participant_b, now=NOW)

    assert slots_confirm_many(proposals=[clash], now=NOW) == 0
    assert _left_open(clash)
    assert not Session.objects.filter(match=clash.match).exists()


def test_a_bulk_confirm_plans_one_of_two_slots_that_clash_with_each_other():
    """Two matches of one person at one time in the same batch: the first (by id) is
    planned, and the second clashes with it as it would confirmed after it."""
    match = active_match()
    first = proposed(match)
    second = _written(second_partner(match), first)

    assert slots_confirm_many(proposals=[second, first], now=NOW) == 6
    first.refresh_from_db()
    assert first.status == SlotProposal.Status.CONFIRMED
    assert _left_open(second)
    assert Session.objects.filter(match=match).count() == 6
    assert not Session.objects.filter(match=second.match).exists()


def test_a_bulk_confirm_plans_one_proposal_of_a_match():
    """A second proposal of one match in the batch would move the series just planned:
    it stays open."""
    match = active_match()
    first = proposed(match)
    again = _written(match, first, later=dt.timedelta(hours=1))

    assert slots_confirm_many(proposals=[first, again], now=NOW) == 6
    assert _left_open(again)
    assert set(Session.objects.filter(match=match).values_list("slot_id", flat=True)) == {
        first.pk}


def _confirm_paused(monkeypatch, proposal: SlotProposal):
    """The bulk confirmation of ``proposal``, pausing once it has read what it plans and
    before it writes the sessions."""
    pause, copy = Pause(), slots_bulk._copy_sessions

    def pause_then_copy(*args):
        pause.here()
        return copy(*args)

    monkeypatch.setattr(slots_bulk, "_copy_sessions", pause_then_copy)
    return pause, lambda: slots_confirm_many(proposals=[proposal], now=NOW)


def _end(match):
    return match_end(match=match, by=match.participant_a)


def _suspend(match):
    match.program.twinnings.add(match.twinning)
    return twinning_suspend(twinning=match.twinning, by=make_officer(match.program),
                            reason="Council vote", effective=timezone.localdate())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("halt", [_end, _suspend], ids=["match-ended", "twinning-suspended"])
def test_a_bulk_confirm_racing_a_halt_leaves_no_session_scheduled(postgres, monkeypatch, halt):
    """A partner ending the match, or its twinning suspended, while the bulk confirmation
    writes its series: the halt waits for the match, as it does for ``slot_confirm``, and
    cancels the series, instead of cancelling before it is committed and missing it."""
    match = active_match()
    pause, confirm = _confirm_paused(monkeypatch, proposed(match))
    outcomes = race(("confirm", confirm), ("halt", lambda: halt(match)), pause=pause)
    assert outcomes["confirm"] == 6
    assert not isinstance(outcomes["halt"], Exception)
    assert not Session.objects.filter(match=match, status=Session.Status.SCHEDULED).exists()
