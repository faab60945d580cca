"""A person whose match ends is told they stay in the pool only when a coming run can
propose them a partner, as their dashboard says; when none can (their programs are
closed, or their city's twinning is suspended or terminated), they are told that."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import Match, Notification, Program, Room, Twinning
from exchanges.selectors.dashboard import dashboard_sections
from exchanges.services.accounts import account_delete, partner_left_email
from exchanges.services.attendance import (
    attendance_join,
    attendance_leave,
    sessions_settle_finished,
)
from exchanges.services.match_expiry import proposals_expire
from exchanges.services.matches import match_accept, match_decline, match_end
from exchanges.services.rooms import block_create
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import MatchFactory, pool_enrol

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # the factories' password
CLOSED = ("No matching run can propose you a new partner for now: none of your programs "
          "is open for matching in your city.")
STAYING = "You stay in the pool for the next run."


def _closed(match: Match) -> None:
    Program.objects.filter(pk=match.program_id).update(is_open=False)


def _twinning(match: Match, status: str) -> None:
    Twinning.objects.filter(pk=match.twinning_id).update(status=status)


def test_a_declined_partner_stays_in_an_open_pool_and_is_told_when_none_is_open(client):
    open_proposal = pool_enrol(MatchFactory())
    match_decline(match=open_proposal, by=open_proposal.participant_b)
    told = Notification.objects.get(user=open_proposal.participant_a.user)
    assert told.text.endswith(STAYING)

    proposal = pool_enrol(MatchFactory())
    _closed(proposal)
    match_decline(match=proposal, by=proposal.participant_b)
    alice = proposal.participant_a
    told = Notification.objects.get(user=alice.user)
    assert told.text == "Your proposed match did not go ahead. " + CLOSED
    # Her dashboard says the same: no run is coming for her.
    assert dashboard_sections(participant=alice)["next_matching_run"] is None
    client.force_login(alice.user)
    page = client.get("/dashboard/").content.decode()
    assert "matching for it is closed for now" in page and "The next matching run" not in page


def test_an_ended_partnership_over_a_suspended_twinning_is_told_no_run_can_propose():
    match, _sessions = scheduled_match()
    pool_enrol(match)
    _twinning(match, Twinning.Status.SUSPENDED)
    match_end(match=match, by=match.participant_b)
    told = Notification.objects.get(user=match.participant_a.user, kind="match.ended")
    assert told.text == ("Bruno has ended your partnership: your upcoming sessions are "
                         "cancelled and your room stays readable. " + CLOSED)


def test_a_blocked_person_of_a_terminated_twinning_is_told_no_run_can_propose():
    match, _sessions = scheduled_match()
    pool_enrol(match)
    _twinning(match, Twinning.Status.TERMINATED)
    block_create(blocker=match.participant_b, blocked=match.participant_a)
    told = Notification.objects.get(user=match.participant_a.user, kind="match.ended")
    assert told.text == ("Your partnership with Bruno has ended: your upcoming sessions are "
                         "cancelled. " + CLOSED)


def test_the_partner_of_one_who_left_is_told_no_run_can_propose(mailoutbox, monkeypatch):
    proposal = pool_enrol(MatchFactory(participant_a__user__display_name="Nora"))
    _closed(proposal)
    account_delete(user=proposal.participant_a.user, password=PASSWORD)
    told = Notification.objects.get(user=proposal.participant_b.user, kind="match.left")
    assert told.text == ("Nora has left Jumelage, so your proposed match with them has "
                         "ended. " + CLOSED)

    match, sessions = scheduled_match()
    pool_enrol(match)
    _closed(match)
    monkeypatch.setattr(partner_left_email, "delay_on_commit",
                        lambda *a: partner_left_email.apply(args=a))
    account_delete(user=match.participant_a.user, password=PASSWORD)
    told = Notification.objects.get(user=match.participant_b.user, kind="match.left")
    assert told.text == ("Nora has left Jumelage: your match has ended and its sessions are "
                         "cancelled. " + CLOSED)
    [mail] = mailoutbox
    assert (f"your {len(sessions)} upcoming sessions with them are cancelled. " + CLOSED
            in mail.body)


def test_three_misses_tell_both_no_run_can_propose_when_none_is_open():
    match, sessions = scheduled_match()
    pool_enrol(match)
    _twinning(match, Twinning.Status.SUSPENDED)
    room = Room.objects.get(match=match)
    bruno = match.participant_b.user_id
    for s in sessions[:3]:  # Bruno comes, Nora misses three in a row
        attendance_join(room=room, user_id=bruno, at=s.starts_at)
        attendance_leave(room=room, user_id=bruno, at=s.starts_at + dt.timedelta(hours=1))
    sessions_settle_finished(now=sessions[2].starts_at + dt.timedelta(hours=2))
    to_nora = Notification.objects.get(user=match.participant_a.user, kind="match.flagged")
    assert to_nora.text == ("You missed 3 sessions in a row, so this match has ended. "
                            + CLOSED)
    to_bruno = Notification.objects.get(user=match.participant_b.user, kind="match.flagged")
    assert to_bruno.text == ("Nora missed 3 sessions in a row, so we ended the match. "
                             + CLOSED)


def test_a_lapsed_proposal_tells_the_one_who_accepted_when_no_run_can_propose():
    match = pool_enrol(MatchFactory(participant_b__user__display_name="Bruno"))
    match_accept(match=match, by=match.participant_a)
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    _closed(match)
    assert proposals_expire() == 1
    told = Notification.objects.get(user=match.participant_a.user, kind="match.expired")
    assert told.text == ("Bruno did not answer your proposed match in time, so it has "
                         "lapsed. " + CLOSED)
