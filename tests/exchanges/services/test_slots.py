import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import Attendance, Match, Notification, Reminder, Session, SlotProposal
from exchanges.services import slots
from exchanges.services.slots import slot_confirm, slot_options, slot_propose
from tests.exchanges.scheduling_fixtures import (
    NOW,
    active_match,
    beat_materializes,
    scheduled_match,
    second_partner,
    series_slot,
    z,
)
from tests.exchanges.threads import Pause, race
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_options_are_the_valid_slots_in_both_local_times():
    match = active_match()
    options = slot_options(match=match, now=NOW)
    assert {o.key for o in options} == {"0|14:00|America/New_York", "0|18:00|Europe/London"}
    bruno = match.participant_b
    london = next(o for o in options if o.anchor_tz == "Europe/London")
    assert london.view_for(bruno.pk).label == "Mondays 18:00"
    assert london.partner_view_for(bruno.pk).label == "Mondays 13:00"
    assert london.notes == ["moves to 14:00 for Nora for 2 weeks in March"]


def test_partners_whose_shared_hour_crosses_one_side_midnight_can_plan_it():
    # Nora's late evening is typed as two windows split at midnight; the matching engine
    # reads them as one, so it may pair her with Bruno for that hour: it must be plannable.
    match = active_match(
        a_zone="Europe/London", a_windows=((0, "23:30", "00:00"), (1, "00:00", "00:30")),
        b_zone="Europe/Berlin", b_windows=((1, "00:00", "02:00"),),
    )
    [option] = slot_options(match=match, now=NOW)
    assert option.key == "0|23:30|Europe/London"
    proposal = slot_propose(match=match, by=match.participant_b, weekday=0,
                            local_start=dt.time(23, 30), anchor_tz="Europe/London", now=NOW)
    sessions = slot_confirm(proposal=proposal, by=match.participant_a, now=NOW)
    # Six Mondays of March 2027 at 23:30 London, GMT then BST from the 29th.
    assert [s.starts_at for s in sessions] == [
        z(2027, 3, 1, 23, 30), z(2027, 3, 8, 23, 30), z(2027, 3, 15, 23, 30),
        z(2027, 3, 22, 23, 30), z(2027, 3, 29, 22, 30), z(2027, 4, 5, 22, 30),
    ]


def test_partners_who_share_an_hour_from_a_quarter_past_can_plan_it():
    match = active_match(
        a_zone="Europe/London", a_windows=((0, "18:15", "19:15"),),
        b_zone="Europe/Paris", b_windows=((0, "19:00", "21:00"),),
        start_date=dt.date(2027, 3, 1), weeks=2,
    )
    [option] = slot_options(match=match, now=NOW)
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    assert [s.starts_at for s in sessions] == [z(2027, 3, 1, 18, 15), z(2027, 3, 8, 18, 15)]


def test_confirm_creates_the_series_with_utc_instants_then_reminders_on_the_horizon():
    match = active_match()
    option = next(o for o in slot_options(match=match, now=NOW) if o.anchor_tz == "Europe/London")
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    assert Notification.objects.filter(user=match.participant_b.user, kind="slot.proposed").exists()
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    assert [s.starts_at for s in sessions] == [
        z(2027, 3, 1, 18),
        z(2027, 3, 8, 18),
        z(2027, 3, 15, 18),
        z(2027, 3, 22, 18),
        z(2027, 3, 29, 17),
        z(2027, 4, 5, 17),
    ]
    assert Session.objects.filter(match=match, status="scheduled").count() == 6
    # No reminder is due within 48 h of NOW, and attendance rows come on join or settling.
    assert not Reminder.objects.filter(session__match=match).exists()
    assert not Attendance.objects.filter(session__match=match).exists()
    beat_materializes(sessions)  # the beat, through the real path
    assert Reminder.objects.filter(session__match=match).count() == 6 * 2 * 2
    reminder = Reminder.objects.get(
        session=sessions[0], participant=match.participant_a, kind="15m"
    )
    assert reminder.send_at == z(2027, 3, 1, 17, 45)
    # Nora (a) learns German from Bruno, Bruno learns English: halves alternate weekly.
    assert sessions[0].language_plan == [
        {"language": "de", "minutes": 30, "for": match.participant_a_id},
        {"language": "en", "minutes": 30, "for": match.participant_b_id},
    ]
    assert sessions[1].language_plan[0]["language"] == "en"
    proposal.refresh_from_db()
    assert proposal.status == SlotProposal.Status.CONFIRMED


def test_confirm_creates_the_reminders_due_within_the_horizon():
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    at = option.starts[0] - dt.timedelta(hours=30)
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=at)
    rows = Reminder.objects.filter(session__match=match)
    assert sorted(rows.values_list("session_id", "kind")) == sorted(
        [(sessions[0].pk, "15m")] * 2 + [(sessions[0].pk, "24h")] * 2
    )


def test_reminders_already_past_are_skipped():
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    late = option.starts[0] - dt.timedelta(hours=2)
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=late)
    kinds = set(Reminder.objects.filter(session=sessions[0]).values_list("kind", flat=True))
    assert kinds == {"15m"}


def test_citizen_program_uses_one_shared_language():
    match = active_match(kind="citizen")
    match.participant_b.languages.create(code="en", level="C1", learning=False)
    _, sessions = None, None
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    sessions = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    assert sessions[0].language_plan == [{"language": "en", "minutes": 60, "for": None}]


def test_proposer_cannot_confirm_and_strangers_cannot_propose():
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    with pytest.raises(PermissionDenied):
        slot_propose(match=match, by=ParticipantFactory(), option=option, now=NOW)
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    with pytest.raises(PermissionDenied):
        slot_confirm(proposal=proposal, by=match.participant_a, now=NOW)


def test_slot_not_free_every_week_is_refused():
    match = active_match()
    with pytest.raises(ValidationError):
        slot_propose(
            match=match,
            by=match.participant_b,
            weekday=0,
            local_start=dt.time(19),
            anchor_tz="Europe/London",
            now=NOW,
        )


def test_picking_another_slot_withdraws_the_pending_one():
    match = active_match()
    first, second = slot_options(match=match, now=NOW)[:2]
    old = slot_propose(match=match, by=match.participant_a, option=first, now=NOW)
    new = slot_propose(match=match, by=match.participant_b, option=second, now=NOW)
    old.refresh_from_db()
    assert old.status == SlotProposal.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        slot_confirm(proposal=old, by=match.participant_b, now=NOW)
    assert len(slot_confirm(proposal=new, by=match.participant_a, now=NOW)) == 6


def test_confirming_a_new_slot_moves_the_series():
    match = active_match()
    first, second = slot_options(match=match, now=NOW)[:2]
    p1 = slot_propose(match=match, by=match.participant_a, option=first, now=NOW)
    old_sessions = slot_confirm(proposal=p1, by=match.participant_b, now=NOW)
    later = z(2027, 3, 10)
    p2 = slot_propose(match=match, by=match.participant_a, option=second, now=later)
    new_sessions = slot_confirm(proposal=p2, by=match.participant_b, now=later)
    assert len(new_sessions) == 4  # 15, 22, 29 March and 5 April remain
    states = {s.pk: (s.status, s.sequence) for s in Session.objects.filter(match=match)}
    assert states[old_sessions[0].pk] == ("scheduled", 0)  # already past: kept
    assert all(states[s.pk] == ("cancelled", 1) for s in old_sessions[2:])
    assert not Reminder.objects.filter(
        session__in=old_sessions[2:], cancelled=False, sent_at__isnull=True
    ).exists()


def test_a_series_move_drops_the_one_off_moves_proposed_on_the_sessions_it_cancels(mailoutbox):
    # Bruno proposed to move one session, then the whole series moved: the cancelled
    # session kept its proposal, and the queued e-mail still asked Nora to answer it.
    from exchanges.services.sessions import (
        session_change_email_send,
        session_move_answer,
        session_move_propose,
    )

    match = active_match()
    first, second = slot_options(match=match, now=NOW)[:2]
    p1 = slot_propose(match=match, by=match.participant_a, option=first, now=NOW)
    old = slot_confirm(proposal=p1, by=match.participant_b, now=NOW)
    session_move_propose(session=old[3], by=match.participant_b,
                         new_start=old[3].starts_at + dt.timedelta(days=1), now=NOW)
    p2 = slot_propose(match=match, by=match.participant_a, option=second, now=NOW)
    slot_confirm(proposal=p2, by=match.participant_b, now=NOW)
    moved = Session.objects.get(pk=old[3].pk)
    assert moved.status == "cancelled"
    assert (moved.move_to, moved.move_proposed_by_id) == (None, None)
    assert session_change_email_send(session_id=moved.pk, recipient_id=match.participant_a_id,
                                     change="move_proposed") == 0
    assert mailoutbox == []
    # Nora's old page still offers the move: accepting it is refused and changes nothing.
    with pytest.raises(ValidationError, match="no longer scheduled"):
        session_move_answer(session=moved, by=match.participant_a, accept=True,
                            move_to=old[3].starts_at + dt.timedelta(days=1), now=NOW)
    after = Session.objects.get(pk=moved.pk)
    assert (after.status, after.starts_at, after.sequence, after.move_to) == (
        moved.status, moved.starts_at, moved.sequence, None)


def test_a_slot_meeting_the_series_only_in_the_weeks_the_clocks_differ_is_offered_as_a_move():
    # The series is on Mondays 18:00 London (13:00 for Nora, 14:00 in the two March weeks
    # New York has changed clocks and London not). Mondays 14:00 New York is the same
    # instant in those two weeks only: moving to it keeps Nora's time steady and changes
    # the other weeks, yet it was not offered because it shared those two instants.
    match, _ = scheduled_match()
    assert series_slot(match)["anchor_tz"] == "Europe/London"
    offered = {option.key for option in slot_options(match=match, now=NOW)}
    assert "0|14:00|America/New_York" in offered
    assert "0|18:00|Europe/London" not in offered


def test_the_slot_the_series_is_on_is_not_proposed_again_from_a_stale_page():
    # A tab opened before the series was confirmed still lists its slot. Proposing it
    # asked the partner again, and confirming it would cancel and re-create every
    # session (new calendar events, one-off moves undone) to change nothing.
    match, sessions = scheduled_match()
    with pytest.raises(ValidationError, match="already on that slot"):
        slot_propose(match=match, by=match.participant_b, **series_slot(match), now=NOW)
    assert not SlotProposal.objects.filter(match=match, status="proposed").exists()
    assert not Notification.objects.filter(kind="slot.proposed",
                                           user=match.participant_a.user).exists()
    assert Session.objects.filter(match=match, status="scheduled").count() == len(sessions)


@pytest.mark.parametrize("hours_before", [None, 30], ids=["far", "within-horizon"])
def test_bulk_confirm_writes_the_same_rows_as_slot_confirm(hours_before):
    from exchanges.services.slots_bulk import slots_confirm_many

    one, bulk = active_match(), active_match()
    for match in (one, bulk):
        option = slot_options(match=match, now=NOW)[0]
        slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    now = NOW if hours_before is None else option.starts[0] - dt.timedelta(hours=hours_before)
    slot_confirm(proposal=one.slot_proposals.get(), by=one.participant_b, now=now)
    assert slots_confirm_many(proposals=[bulk.slot_proposals.get()], now=now) == 6

    def rows(match):
        a, b = match.participant_a_id, match.participant_b_id
        who = {a: "a", b: "b", None: None}
        sessions = Session.objects.filter(match=match).order_by("starts_at")
        return (
            [(s.starts_at, s.minutes, s.status, s.sequence, s.uid.version) for s in sessions],
            [[{**p, "for": who[p["for"]]} for p in s.language_plan] for s in sessions],
            sorted(
                (r.session.starts_at, who[r.participant_id], r.kind, r.send_at, r.cancelled)
                for r in Reminder.objects.filter(session__match=match).select_related("session")
            ),
            Attendance.objects.filter(session__match=match).count(),
        )

    assert rows(one) == rows(bulk)
    assert len(rows(one)[2]) == (0 if hours_before is None else 4)


def test_an_ended_partnership_can_neither_propose_nor_confirm_a_slot():
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    with pytest.raises(ValidationError, match="This partnership has ended"):
        slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    with pytest.raises(ValidationError, match="This partnership has ended"):
        slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    assert not Session.objects.filter(match=match).exists()


def test_the_same_slot_proposed_twice_asks_the_partner_once():
    # A double click or a second tab sends the same proposal again: it stays the one
    # pending (a partner's page showing it can still confirm it), told once.
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    first = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    again = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.status == SlotProposal.Status.PROPOSED
    assert Notification.objects.filter(
        user=match.participant_b.user, kind="slot.proposed").count() == 1
    assert len(slot_confirm(proposal=first, by=match.participant_b, now=NOW)) == 6


def test_a_slot_confirmed_twice_plans_the_series_once_and_tells_the_partner_once():
    # A double click or a second tab on "Confirm this slot": the second answer says it is
    # confirmed (not "no longer open" beside the first's success), and writes nothing.
    match = active_match()
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    first = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    again = slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)
    assert [s.pk for s in again] == [s.pk for s in first] and len(first) == 6
    assert Session.objects.filter(match=match).count() == 6
    assert Session.objects.filter(match=match, status="cancelled").count() == 0
    assert Notification.objects.filter(
        user=match.participant_a.user, kind="slot.confirmed").count() == 1
    with pytest.raises(PermissionDenied):  # the proposer still cannot confirm it
        slot_confirm(proposal=proposal, by=match.participant_a, now=NOW)


NORA_FREE_LONGER = ((0, "13:00", "17:00"),)  # Mondays, New York
CARLA_FREE = ((0, "18:00", "22:00"),)  # Mondays, London


def test_a_partner_is_not_offered_nor_given_an_hour_they_meet_another_partner():
    # Nora (New York) meets Bruno Mondays 18:00 London; Carla, also in London, has more
    # evening free than Bruno.
    first, sessions = scheduled_match(a_windows=NORA_FREE_LONGER)
    assert sessions[0].starts_at == z(2027, 3, 1, 18)
    second = second_partner(first, windows=CARLA_FREE)
    keys = [option.key for option in slot_options(match=second, now=NOW)]
    assert "0|18:00|Europe/London" not in keys and "0|18:30|Europe/London" not in keys
    assert keys[0] == "0|19:00|Europe/London"  # right after her hour with Bruno
    with pytest.raises(ValidationError, match="not both free"):
        slot_propose(match=second, by=second.participant_b, weekday=0,
                     local_start=dt.time(18), anchor_tz="Europe/London", now=NOW)
    proposal = slot_propose(match=second, by=second.participant_b,
                            option=slot_options(match=second, now=NOW)[0], now=NOW)
    theirs = slot_confirm(proposal=proposal, by=first.participant_a, now=NOW)
    assert theirs[0].starts_at == z(2027, 3, 1, 19)


def test_a_slot_taken_with_another_partner_meanwhile_is_not_confirmed():
    first = active_match(a_windows=NORA_FREE_LONGER)
    second = second_partner(first, windows=CARLA_FREE)
    london_18 = {"weekday": 0, "local_start": dt.time(18), "anchor_tz": "Europe/London"}
    # Carla proposes Mondays 18:00 London to Nora; Bruno then confirms Nora's same hour.
    pending = slot_propose(match=second, by=second.participant_b, now=NOW, **london_18)
    bruno = slot_propose(match=first, by=first.participant_a, now=NOW, **london_18)
    slot_confirm(proposal=bruno, by=first.participant_b, now=NOW)
    with pytest.raises(ValidationError, match="not both free at that time"):
        slot_confirm(proposal=pending, by=second.participant_a, now=NOW)
    assert not Session.objects.filter(match=second).exists()
    assert SlotProposal.objects.get(pk=pending.pk).status == SlotProposal.Status.PROPOSED


def test_in_the_programs_last_days_no_slot_past_its_end_replaces_the_last_session():
    # Mondays and Wednesdays free; the series is on Wednesdays; the program's end date is
    # Monday 12 April 2027, its last day Sunday 11 April (its last session is Wednesday 7 April).
    both = {"a_windows": ((0, "13:00", "15:00"), (2, "13:00", "15:00")),
            "b_windows": ((0, "18:00", "20:00"), (2, "18:00", "20:00"))}
    match = active_match(**both)
    assert match.program.end_date == dt.date(2027, 4, 12)
    wednesdays = slot_propose(match=match, by=match.participant_b, weekday=2,
                              local_start=dt.time(18), anchor_tz="Europe/London", now=NOW)
    last = slot_confirm(proposal=wednesdays, by=match.participant_a, now=NOW)[-1]
    assert last.starts_at == z(2027, 4, 7, 17)
    tuesday = z(2027, 4, 6, 12)
    keys = [option.key for option in slot_options(match=match, now=tuesday)]
    assert keys and not [key for key in keys if key.startswith("0|")]  # Monday is past the end
    with pytest.raises(ValidationError, match="The program's last day is Sun 11 Apr 2027"):
        slot_propose(match=match, by=match.participant_b, weekday=0,
                     local_start=dt.time(18), anchor_tz="Europe/London", now=tuesday)
    # A Monday proposed a week earlier (it had a session then) is not confirmed now.
    monday = slot_propose(match=match, by=match.participant_b, weekday=0,
                          local_start=dt.time(18), anchor_tz="Europe/London",
                          now=tuesday - dt.timedelta(days=7))
    with pytest.raises(ValidationError, match="no session left by then"):
        slot_confirm(proposal=monday, by=match.participant_a, now=tuesday)
    assert Session.objects.get(pk=last.pk).status == Session.Status.SCHEDULED


@pytest.mark.django_db(transaction=True)
def test_a_confirm_racing_a_new_proposal_waits_for_it_instead_of_deadlocking(
    postgres, monkeypatch
):
    """Bruno confirms Nora's slot while she proposes another: the proposal (holding the
    match) withdraws hers, and the confirm is refused in words; neither dies on a
    deadlock (both took the match and the proposal, in opposite orders)."""
    match = active_match(a_windows=((0, "13:00", "17:00"),))
    options = slot_options(match=match, now=NOW)
    pending = slot_propose(match=match, by=match.participant_a, option=options[0], now=NOW)
    people, pause = slots.match_people, Pause()

    def paused_match_people(m):  # Nora's proposal holds the match lock here
        pause.here()
        return people(m)

    monkeypatch.setattr(slots, "match_people", paused_match_people)
    outcomes = race(
        ("propose", lambda: slot_propose(
            match=match, by=match.participant_a, option=options[1], now=NOW)),
        ("confirm", lambda: slot_confirm(proposal=pending, by=match.participant_b, now=NOW)),
        pause=pause,
    )
    assert isinstance(outcomes["propose"], SlotProposal), outcomes["propose"]
    assert isinstance(outcomes["confirm"], ValidationError), outcomes["confirm"]
    assert outcomes["confirm"].messages == ["This proposal is no longer open."]
    assert not Session.objects.filter(match=match).exists()
