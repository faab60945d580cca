import asyncio
import datetime as dt
import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import Match, Notification, Reminder, Room, Session
from exchanges.realtime.broadcast import room_group
from exchanges.services.sessions import (
    session_cancel,
    session_move,
    session_move_answer,
    session_move_propose,
)
from exchanges.services.switches import sessions_send_switches, switch_at
from tests.exchanges.scheduling_fixtures import (
    NOW,
    beat_materializes,
    scheduled_match,
    second_partner,
    z,
)
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_cancel_notifies_partner_in_app_and_by_email_and_bumps_sequence(
    tasks_run_locally, django_capture_on_commit_callbacks, mailoutbox
):
    match, sessions = scheduled_match()
    beat_materializes(sessions)  # the reminder rows exist, as 48 h before the session
    session = sessions[2]
    assert session.reminders.filter(cancelled=False).count() == 4
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session_cancel(session=session, by=match.participant_a, now=NOW)
    assert len(callbacks) == 1  # the e-mail task is enqueued only after commit
    session.refresh_from_db()
    assert (session.status, session.sequence) == ("cancelled", 1)
    note = Notification.objects.get(user=match.participant_b.user, kind="session.cancelled")
    assert "Nora cancelled your session on Mon 15 Mar, 18:00" in note.text
    assert [m.to for m in mailoutbox] == [[match.participant_b.user.email]]
    assert "cancelled" in mailoutbox[0].subject
    assert not session.reminders.filter(cancelled=False).exists()
    # Other sessions untouched.
    assert Session.objects.filter(match=match, status="scheduled").count() == 5


def test_move_one_session_replaces_its_reminders_and_notifies(
    tasks_run_locally, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.JUMELAGE_SITE_URL = "http://jumelage.test"
    match, sessions = scheduled_match()
    session = sessions[1]
    new_start = z(2027, 3, 10, 19)
    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=session, by=match.participant_b, new_start=new_start, now=NOW)
    session.refresh_from_db()
    assert (session.starts_at, session.sequence, session.status) == (new_start, 1, "scheduled")
    send_ats = sorted(session.reminders.values_list("send_at", flat=True))
    assert send_ats == [z(2027, 3, 9, 19)] * 2 + [z(2027, 3, 10, 18, 45)] * 2
    note = Notification.objects.get(user=match.participant_a.user, kind="session.moved")
    assert "Wed 10 Mar, 14:00" in note.text  # New York local time for Nora
    assert mailoutbox[0].to == [match.participant_a.user.email]
    assert "moved" in mailoutbox[0].subject.lower()
    assert f"Your schedule: http://jumelage.test/matches/{match.pk}/schedule/" in mailoutbox[0].body


def test_a_proposed_move_waits_for_the_partner_who_confirms_it(
    tasks_run_locally, django_capture_on_commit_callbacks, mailoutbox
):
    match, sessions = scheduled_match()
    session, old_start, new_start = sessions[1], sessions[1].starts_at, z(2027, 3, 10, 19)
    with django_capture_on_commit_callbacks(execute=True):
        session_move_propose(session=session, by=match.participant_b, new_start=new_start,
                             now=NOW)
    session.refresh_from_db()
    assert (session.starts_at, session.move_to, session.sequence) == (old_start, new_start, 0)
    note = Notification.objects.get(user=match.participant_a.user, kind="session.move_proposed")
    assert "Bruno proposes to move your session" in note.text and "Wed 10 Mar, 14:00" in note.text
    assert "Move your session" in mailoutbox[-1].subject
    with pytest.raises(PermissionDenied):  # the proposer does not confirm their own move
        session_move_answer(session=session, by=match.participant_b, accept=True, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        session_move_answer(session=session, by=match.participant_a, accept=True, now=NOW)
    session.refresh_from_db()
    assert (session.starts_at, session.move_to, session.sequence) == (new_start, None, 1)
    assert Notification.objects.filter(user=match.participant_b.user,
                                       kind="session.move_confirmed").exists()
    with pytest.raises(ValidationError):  # nothing left to answer
        session_move_answer(session=session, by=match.participant_a, accept=False, now=NOW)


def test_the_same_move_proposed_twice_tells_the_partner_once(
    tasks_run_locally, django_capture_on_commit_callbacks, mailoutbox
):
    # A double click or a second tab: one notice and one e-mail, not two of each.
    match, sessions = scheduled_match()
    session, new_start = sessions[1], z(2027, 3, 10, 19)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            session_move_propose(session=session, by=match.participant_b, new_start=new_start,
                                 now=NOW)
    assert Notification.objects.filter(
        user=match.participant_a.user, kind="session.move_proposed").count() == 1
    assert len(mailoutbox) == 1
    session.refresh_from_db()
    assert session.move_to == new_start


def test_a_move_never_lands_in_either_partners_night_nor_after_the_program():
    match, sessions = scheduled_match()  # Nora in New York, Bruno in London
    with pytest.raises(ValidationError, match="04:00–05:00 for Nora"):
        session_move_propose(session=sessions[1], by=match.participant_b,
                             new_start=z(2027, 3, 10, 9), now=NOW)
    with pytest.raises(ValidationError, match="program.s last day is"):
        session_move_propose(session=sessions[1], by=match.participant_b,
                             new_start=z(2099, 3, 10, 18), now=NOW)


def test_only_members_change_future_scheduled_sessions():
    match, sessions = scheduled_match()
    with pytest.raises(PermissionDenied):
        session_cancel(session=sessions[0], by=ParticipantFactory(), now=NOW)
    with pytest.raises(ValidationError):
        session_cancel(session=sessions[0], by=match.participant_a, now=sessions[0].starts_at)
    with pytest.raises(ValidationError):  # clashes with the next session
        session_move(
            session=sessions[0],
            by=match.participant_a,
            new_start=sessions[1].starts_at + dt.timedelta(minutes=30),
            now=NOW,
        )


def test_switch_is_broadcast_to_the_room_once_at_half_time(django_capture_on_commit_callbacks):
    match, sessions = scheduled_match()
    session = sessions[0]
    room = Room.objects.get(match=match)
    half = switch_at(session)
    assert half == session.starts_at + dt.timedelta(minutes=30)

    def send_at_three_times():
        with django_capture_on_commit_callbacks(execute=True):
            assert sessions_send_switches(now=half - dt.timedelta(minutes=1)) == 0
            assert sessions_send_switches(now=half + dt.timedelta(seconds=5)) == 1
            assert sessions_send_switches(now=half + dt.timedelta(minutes=1)) == 0

    async def listen_while_sending():
        # One event loop for the listener and the sender: layers are bound to their loop.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(room_group(room.pk), channel)
        await sync_to_async(send_at_three_times)()
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    event = async_to_sync(listen_while_sending)()
    assert event == {
        "type": "room.broadcast",
        "payload": {
            "type": "session.switch",
            "session_id": session.pk,
            "language": "en",
            "language_name": "English",
            "text": "Switch to English",
        },
    }
    session.refresh_from_db()
    assert session.switch_sent_at is not None


def test_reminders_of_a_cancelled_session_are_never_sent():
    from exchanges.services.reminders import reminders_materialize, reminders_send_due

    match, sessions = scheduled_match()
    beat_materializes(sessions[:1])
    session_cancel(session=sessions[0], by=match.participant_a, now=NOW)
    # Later beat runs create no row for the cancelled session, and send nothing.
    reminders_materialize(now=sessions[0].starts_at - dt.timedelta(hours=30))
    reminders_send_due(now=sessions[0].starts_at)
    assert not Reminder.objects.filter(session=sessions[0], sent_at__isnull=False).exists()


def test_every_session_action_is_refused_once_the_match_has_ended():
    # A session left scheduled (as older code left them on a block) is not changeable.
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    session_move_propose(session=sessions[1], by=nora,
                         new_start=sessions[1].starts_at + dt.timedelta(days=1), now=NOW)
    Notification.objects.all().delete()
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    later = sessions[2].starts_at + dt.timedelta(days=1)
    attempts = [
        lambda: session_cancel(session=sessions[2], by=nora, now=NOW),
        lambda: session_move_propose(session=sessions[2], by=nora, new_start=later, now=NOW),
        lambda: session_move(session=sessions[2], by=nora, new_start=later, now=NOW),
        lambda: session_move_answer(session=sessions[1], by=bruno, accept=True, now=NOW),
        lambda: session_move_answer(session=sessions[1], by=bruno, accept=False, now=NOW),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="This partnership has ended"):
            attempt()
    assert not Notification.objects.exists()  # nobody is told anything
    assert Session.objects.get(pk=sessions[2].pk).status == Session.Status.SCHEDULED


def test_a_session_never_moves_onto_an_hour_either_partner_meets_someone_else():
    from exchanges.services.slots import slot_confirm, slot_propose

    # Nora meets Bruno Mondays 18:00 London; a move of one session is proposed, then
    # Carla's series takes Nora's Mondays 19:00 London.
    first, sessions = scheduled_match(a_windows=((0, "13:00", "17:00"),))
    session_move_propose(session=sessions[2], by=first.participant_b,
                         new_start=sessions[2].starts_at + dt.timedelta(minutes=30), now=NOW)
    second = second_partner(first, windows=((0, "18:00", "22:00"),))
    carla = slot_confirm(
        proposal=slot_propose(match=second, by=second.participant_b, weekday=0,
                              local_start=dt.time(19), anchor_tz="Europe/London", now=NOW),
        by=second.participant_a, now=NOW)
    assert carla[1].starts_at == sessions[1].starts_at + dt.timedelta(hours=1)
    # Half an hour later would run into her hour with Carla.
    with pytest.raises(ValidationError, match="Nora is not free at that time"):
        session_move_propose(session=sessions[1], by=first.participant_b,
                             new_start=sessions[1].starts_at + dt.timedelta(minutes=30),
                             now=NOW)
    with pytest.raises(ValidationError, match="Nora is not free at that time"):
        session_move_answer(session=sessions[2], by=first.participant_a, accept=True, now=NOW)
    assert Session.objects.get(pk=sessions[2].pk).starts_at == sessions[2].starts_at
    # Half an hour earlier she is free.
    session_move_propose(session=sessions[1], by=first.participant_b,
                         new_start=sessions[1].starts_at - dt.timedelta(minutes=30), now=NOW)


def test_a_proposed_move_answered_before_its_email_went_is_not_mailed_as_moved(mailoutbox):
    from exchanges.services.sessions import session_change_email

    match, sessions = scheduled_match()
    session = sessions[1]
    session_move_propose(session=session, by=match.participant_a,
                         new_start=session.starts_at + dt.timedelta(days=2), now=NOW)
    session_move_answer(session=session, by=match.participant_b, accept=False, now=NOW)
    # The queue reaches the proposal's e-mail only now.
    assert session_change_email.apply(
        args=(session.pk, match.participant_b.pk, "move_proposed")).get() == 0
    assert mailoutbox == []


def test_a_change_email_to_or_about_a_deleted_account_is_dropped(mailoutbox):
    from exchanges.services.accounts import account_delete
    from exchanges.services.sessions import session_change_email

    match, sessions = scheduled_match()
    session_cancel(session=sessions[1], by=match.participant_a, now=NOW)
    session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
    bruno = match.participant_b.user
    bruno.set_password("bruno-pass-2027")
    bruno.save()
    account_delete(user=bruno, password="bruno-pass-2027")  # before the queue got there
    for session in sessions[1:3]:
        result = session_change_email.apply(args=(session.pk, match.participant_b.pk,
                                                   "cancelled"))
        assert result.successful() and result.get() == 0
    assert mailoutbox == []


def test_a_cancelled_session_drops_its_proposed_move_and_its_email(mailoutbox):
    from exchanges.services.sessions import session_change_email

    match, sessions = scheduled_match()
    session = sessions[1]
    session_move_propose(session=session, by=match.participant_a,
                         new_start=session.starts_at + dt.timedelta(days=2), now=NOW)
    session_cancel(session=session, by=match.participant_b, now=NOW)
    session.refresh_from_db()
    assert (session.move_to, session.move_proposed_by) == (None, None)
    # The queue reaches the proposal's e-mail only now: nobody is asked to confirm.
    session_change_email.apply(args=(session.pk, match.participant_b.pk, "move_proposed"))
    assert mailoutbox == []


def test_a_move_lands_before_the_programs_end_date_on_both_partners_calendars():
    match, sessions = scheduled_match(a_windows=((0, "18:00", "21:00"),), b_zone="Asia/Tokyo",
                                      b_windows=((1, "07:00", "10:00"),))
    end = match.program.end_date  # Monday 12 April 2027: the series stops before it
    assert end == dt.date(2027, 4, 12) and all(s.starts_at.date() < end for s in sessions)
    # The refusal names the last day, Sunday 11 April, as the dashboard does, not the end date.
    assert match.program.last_day == dt.date(2027, 4, 11)
    refusal = "The program's last day is Sun 11 Apr 2027: pick that day or earlier."
    # Sunday 11 April, 19:00 in New York, is already Monday 08:00 in Tokyo.
    with pytest.raises(ValidationError) as refused:
        session_move_propose(session=sessions[1], by=match.participant_a,
                             new_start=z(2027, 4, 11, 23), now=NOW)
    assert refused.value.message_dict == {"new_start": [refusal]}
    with pytest.raises(ValidationError, match=re.escape(refusal)):
        session_move_propose(session=sessions[1], by=match.participant_a,
                             new_start=z(2027, 4, 12, 12), now=NOW)
    # Saturday 10 April, 19:00 in New York (Sunday 08:00 in Tokyo): inside.
    session_move_propose(session=sessions[1], by=match.participant_a,
                         new_start=z(2027, 4, 10, 23), now=NOW)


def test_a_move_lands_on_or_after_the_programs_start_date_on_both_partners_calendars():
    match, sessions = scheduled_match(a_windows=((0, "18:00", "21:00"),), b_zone="Asia/Tokyo",
                                      b_windows=((1, "07:00", "10:00"),))
    start = match.program.start_date  # Monday 1 March 2027, weeks after NOW
    assert start == dt.date(2027, 3, 1) and NOW.date() < start
    # Saturday 27 February, 19:00 in New York: free, waking, but before the program.
    with pytest.raises(ValidationError, match="The program starts on Mon 1 Mar 2027"):
        session_move_propose(session=sessions[1], by=match.participant_a,
                             new_start=z(2027, 2, 28, 0), now=NOW)
    # Monday 1 March, 08:00 in Tokyo, is still Sunday 28 February in New York.
    with pytest.raises(ValidationError, match="The program starts on Mon 1 Mar 2027"):
        session_move(session=sessions[1], by=match.participant_a,
                     new_start=z(2027, 2, 28, 23), now=NOW)
    # Wednesday 3 March, 19:00 in New York (Thursday 09:00 in Tokyo): inside.
    session_move_propose(session=sessions[1], by=match.participant_a,
                         new_start=z(2027, 3, 4, 0), now=NOW)
