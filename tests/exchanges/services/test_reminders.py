import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from exchanges.models import Match, Notification, Reminder, Room
from exchanges.services.reminders import (
    reminders_email_set,
    reminders_send_batch,
    reminders_send_due,
)
from tests.exchanges.scheduling_fixtures import beat_materializes, scheduled_match

pytestmark = pytest.mark.django_db


def test_due_reminders_are_sent_once_by_email_and_in_app(mailoutbox, settings):
    settings.JUMELAGE_SITE_URL = "http://jumelage.test"
    match, sessions = scheduled_match()
    beat_materializes(sessions)
    first = sessions[0]
    assert reminders_send_due(now=first.starts_at - dt.timedelta(hours=24)) == 2  # both
    at = first.starts_at - dt.timedelta(minutes=15)
    assert reminders_send_due(now=at) == 2
    assert reminders_send_due(now=at) == 0
    assert not Reminder.objects.filter(session=first, sent_at__isnull=True).exists()
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4
    assert Notification.objects.filter(kind="session.reminder").count() == 4
    assert len(mailoutbox) == 4
    nora_soon = next(
        m
        for m in mailoutbox
        if m.to == [match.participant_a.user.email] and "15 minutes" in m.subject
    )
    assert nora_soon.subject == "Session with Bruno in 15 minutes"
    assert "13:00 America/New_York" in nora_soon.body
    assert nora_soon.extra_headers["Message-ID"].startswith("<reminder-")
    # A mail client cannot follow a relative link: e-mails carry the site's address.
    room = Room.objects.get(match=match)
    assert f"Join the room: http://jumelage.test/rooms/{room.pk}/" in nora_soon.body


def test_email_off_keeps_the_in_app_reminder(mailoutbox):
    match, sessions = scheduled_match()
    beat_materializes(sessions)
    reminders_email_set(participant=match.participant_a, enabled=False)
    reminders_send_due(now=sessions[0].starts_at - dt.timedelta(hours=24))
    reminders_send_due(now=sessions[0].starts_at - dt.timedelta(minutes=15))
    assert (
        Notification.objects.filter(user=match.participant_a.user)
        .filter(kind="session.reminder")
        .count()
        == 2
    )
    assert {tuple(m.to) for m in mailoutbox} == {(match.participant_b.user.email,)}


def test_batches_are_small_and_stale_reminders_are_dropped(mailoutbox):
    _, sessions = scheduled_match()
    beat_materializes(sessions)
    # Workers were down for the whole first session: its reminders are dropped, not sent.
    after_first = sessions[0].starts_at + dt.timedelta(hours=2)
    assert reminders_send_batch(now=after_first, batch_size=3) == 3
    assert reminders_send_due(now=after_first, batch_size=3) == 1
    assert Reminder.objects.filter(session=sessions[0], cancelled=True).count() == 4
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
    assert mailoutbox == []


def test_failed_email_rolls_the_batch_back(monkeypatch, mailoutbox):
    from django.core.mail.backends.locmem import EmailBackend

    _, sessions = scheduled_match()
    beat_materializes(sessions)

    def boom(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", boom)
    with pytest.raises(OSError):
        reminders_send_due(now=sessions[0].starts_at)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
    assert Notification.objects.filter(kind="session.reminder").count() == 0


def test_rows_are_materialized_on_a_rolling_horizon_exactly_once():
    from exchanges.services.reminders import reminders_materialize
    from exchanges.services.session_series import REMINDER_HORIZON

    match, sessions = scheduled_match()
    first, second = sessions[0], sessions[1]
    assert not Reminder.objects.exists()  # the whole program lies beyond 48 h
    # A row appears when its send_at comes within 48 h: the 24 h one 72 h before the start.
    day_row_at = first.starts_at - dt.timedelta(hours=24) - REMINDER_HORIZON
    assert reminders_materialize(now=day_row_at - dt.timedelta(minutes=1)) == 0  # not yet
    assert reminders_materialize(now=day_row_at) == 2  # 24 h, both members
    assert reminders_materialize(now=day_row_at) == 0  # idempotent
    soon_row_at = first.starts_at - dt.timedelta(minutes=15) - REMINDER_HORIZON
    assert reminders_materialize(now=soon_row_at) == 2  # 15 min, both members
    assert reminders_materialize(now=soon_row_at) == 0
    rows = Reminder.objects.filter(session=first)
    assert sorted(rows.values_list("kind", "send_at")) == sorted(
        [("15m", first.starts_at - dt.timedelta(minutes=15))] * 2
        + [("24h", first.starts_at - dt.timedelta(hours=24))] * 2
    )
    assert not Reminder.objects.filter(session=second).exists()
    # Sent rows are never re-created, and later runs add only what entered the horizon.
    reminders_send_due(now=first.starts_at - dt.timedelta(hours=24))
    reminders_send_due(now=first.starts_at - dt.timedelta(minutes=15))
    later = second.starts_at - REMINDER_HORIZON
    assert reminders_materialize(now=later) == 4
    assert Reminder.objects.filter(session=first).count() == 4
    assert Reminder.objects.filter(session=first, sent_at__isnull=False).count() == 4


def test_materialize_skips_past_reminders_and_cancelled_sessions_and_follows_moves():
    from exchanges.services.reminders import reminders_materialize
    from exchanges.services.sessions import session_cancel, session_move
    from tests.exchanges.scheduling_fixtures import NOW

    match, sessions = scheduled_match()
    first, second, third = sessions[:3]
    session_cancel(session=second, by=match.participant_a, now=NOW)
    session_move(
        session=third,
        by=match.participant_b,
        new_start=third.starts_at + dt.timedelta(days=1),
        now=NOW,
    )
    third.refresh_from_db()
    moved = sorted(Reminder.objects.filter(session=third).values_list("kind", "send_at"))
    # Two hours before the first session: its 24 h reminder is already past, skipped.
    assert reminders_materialize(now=first.starts_at - dt.timedelta(hours=2)) == 2
    assert set(Reminder.objects.filter(session=first).values_list("kind", flat=True)) == {"15m"}
    for session in (second, third):
        reminders_materialize(now=session.starts_at - dt.timedelta(hours=30))
    assert not Reminder.objects.filter(session=second).exists()  # cancelled: none
    # The moved session keeps the rows session_move made for its new start, only those.
    assert sorted(Reminder.objects.filter(session=third).values_list("kind", "send_at")) == moved
    assert {
        send_at + (dt.timedelta(hours=24) if kind == "24h" else dt.timedelta(minutes=15))
        for kind, send_at in moved
    } == {third.starts_at}


def test_the_beat_task_materializes_before_it_claims(mailoutbox):
    from django.utils import timezone

    from exchanges.models import Session
    from exchanges.tasks.reminders import reminders_send_due as task

    match, sessions = scheduled_match()
    soon = timezone.now() + dt.timedelta(minutes=10)  # 15 min reminder already due
    Session.objects.filter(pk=sessions[0].pk).update(starts_at=soon)
    assert not Reminder.objects.exists()
    assert task.apply().get() == 0  # 15 min reminder past (skipped as at confirm time)
    Session.objects.filter(pk=sessions[0].pk).update(starts_at=soon + dt.timedelta(minutes=10))
    task.apply()  # now due in 5 minutes: created, not yet sent
    rows = Reminder.objects.filter(session=sessions[0])
    assert list(rows.values_list("kind", "sent_at")) == [("15m", None)] * 2
    assert mailoutbox == []


def test_no_reminder_for_a_session_of_an_ended_match():
    # A session left scheduled (as older code left them on a block) reminds nobody.
    match, sessions = scheduled_match()
    first = sessions[0]
    beat_materializes(sessions[:1])
    assert Reminder.objects.filter(session=first).count() == 4
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    assert reminders_send_due(now=first.starts_at - dt.timedelta(minutes=15)) == 0
    assert not Notification.objects.filter(kind="session.reminder").exists()
    Reminder.objects.all().delete()
    beat_materializes(sessions[1:2])
    assert not Reminder.objects.exists()


def test_a_session_moved_after_its_reminders_went_out_is_reminded_again(mailoutbox):
    from exchanges.services.reminders import reminders_materialize
    from exchanges.services.sessions import session_move_answer, session_move_propose

    match, sessions = scheduled_match()
    first = sessions[0]
    beat_materializes([first])
    day_before = first.starts_at - dt.timedelta(hours=24)
    assert reminders_send_due(now=day_before) == 2  # "tomorrow", to both
    # Two hours later they agree to meet three days later instead.
    later, new_start = day_before + dt.timedelta(hours=2), first.starts_at + dt.timedelta(days=3)
    session_move_propose(session=first, by=match.participant_a, new_start=new_start, now=later)
    session_move_answer(session=first, by=match.participant_b, accept=True, now=later)
    mailoutbox.clear()
    reminders_materialize(now=new_start - dt.timedelta(hours=30))
    assert reminders_send_due(now=new_start - dt.timedelta(hours=24)) == 2
    assert reminders_send_due(now=new_start - dt.timedelta(minutes=15)) == 2
    nora = [m.subject for m in mailoutbox if m.to == [match.participant_a.user.email]]
    assert new_start.astimezone(ZoneInfo(match.participant_a.zone)).day == 4
    assert nora == ["Session with Bruno tomorrow, Thu 4 Mar 2027, 13:00",
                    "Session with Bruno in 15 minutes"]


def test_a_day_before_reminder_sent_late_on_the_sessions_day_says_today(mailoutbox):
    match, sessions = scheduled_match()
    first = sessions[0]  # Monday 1 March 2027, 18:00 London, 13:00 New York
    beat_materializes([first])
    # The workers were down from before the 24 h reminder until Monday 10:00 UTC.
    assert reminders_send_due(now=first.starts_at - dt.timedelta(hours=8)) == 2
    assert sorted(m.subject for m in mailoutbox) == [
        "Session with Bruno today, Mon 1 Mar 2027, 13:00",
        "Session with Nora today, Mon 1 Mar 2027, 18:00"]
    assert all("starts today" in m.body for m in mailoutbox)
    notice = Notification.objects.get(kind="session.reminder", user=match.participant_a.user)
    assert notice.text == "Session with Bruno today, Mon 1 Mar 2027, 13:00"
    assert reminders_send_due(now=first.starts_at - dt.timedelta(minutes=15)) == 2
    # On time, the day before in both zones: "tomorrow".
    second = sessions[1]
    beat_materializes([second])
    mailoutbox.clear()
    assert reminders_send_due(now=second.starts_at - dt.timedelta(hours=24)) == 2
    assert sorted(m.subject for m in mailoutbox) == [
        "Session with Bruno tomorrow, Mon 8 Mar 2027, 13:00",
        "Session with Nora tomorrow, Mon 8 Mar 2027, 18:00"]


def test_a_day_before_reminder_waits_for_the_readers_day_before_across_a_spring_forward(
    mailoutbox,
):
    """Havana springs forward at midnight on Sunday 14 March 2027 (00:00 -> 01:00). A
    session on Monday 15 March at 00:30 there is 24 hours after Saturday 23:30 there:
    Nora is reminded on Sunday, her day before, not "tomorrow" on the Saturday."""
    from exchanges.models import Participant, Session

    match, sessions = scheduled_match()
    Participant.objects.filter(pk=match.participant_a_id).update(tz="America/Havana")
    havana = ZoneInfo("America/Havana")
    start = dt.datetime(2027, 3, 15, 0, 30, tzinfo=havana)
    Session.objects.filter(pk=sessions[0].pk).update(starts_at=start)
    first = Session.objects.get(pk=sessions[0].pk)
    beat_materializes([first])
    saturday_night = first.starts_at - dt.timedelta(hours=24)
    assert saturday_night.astimezone(havana).date() == dt.date(2027, 3, 13)
    reminders_send_due(now=saturday_night)
    assert [m.to for m in mailoutbox] == [[match.participant_b.user.email]]  # London's
    assert not Notification.objects.filter(user=match.participant_a.user,
                                           kind="session.reminder").exists()
    sunday = dt.datetime(2027, 3, 14, 1, 30, tzinfo=havana)
    reminders_send_due(now=sunday)
    nora = [m for m in mailoutbox if m.to == [match.participant_a.user.email]]
    assert [m.subject for m in nora] == ["Session with Bruno tomorrow, Mon 15 Mar 2027, 00:30"]
    assert Reminder.objects.filter(session=first, kind=Reminder.Kind.DAY_BEFORE,
                                   sent_at__isnull=True).count() == 0


def _to(mailoutbox, participant):
    return [m for m in mailoutbox if m.to == [participant.user.email]]


def test_a_15_minute_reminder_sent_after_the_start_says_the_session_has_started(mailoutbox):
    match, sessions = scheduled_match()
    first = sessions[0]  # 13:00 in New York
    beat_materializes([first])
    reminders_send_due(now=first.starts_at - dt.timedelta(hours=24))
    mailoutbox.clear()
    # The workers were down from before the 15 minute reminder until 10 minutes in.
    assert reminders_send_due(now=first.starts_at + dt.timedelta(minutes=10)) == 2
    [nora] = _to(mailoutbox, match.participant_a)
    assert nora.subject == "Session with Bruno has started"
    assert "Your session with Bruno started at 13:00 (America/New_York)" in nora.body
    notices = Notification.objects.filter(kind="session.reminder", user=match.participant_a.user)
    assert notices.latest("pk").text == "Session with Bruno has started"


def test_a_15_minute_reminder_sent_late_says_how_many_minutes_are_left(mailoutbox):
    match, sessions = scheduled_match()
    first = sessions[0]
    beat_materializes([first])
    reminders_send_due(now=first.starts_at - dt.timedelta(hours=24))
    mailoutbox.clear()
    reminders_send_due(now=first.starts_at - dt.timedelta(minutes=4))
    [nora] = _to(mailoutbox, match.participant_a)
    assert nora.subject == "Session with Bruno in 4 minutes"
    assert "starts in 4 minutes (13:00 America/New_York)" in nora.body
    notices = Notification.objects.filter(kind="session.reminder", user=match.participant_a.user)
    assert notices.latest("pk").text == "Session with Bruno in 4 minutes"
    # Sent on time (the beat claims it within its minute), it says 15 as before.
    second = sessions[1]
    beat_materializes([second])
    reminders_send_due(now=second.starts_at - dt.timedelta(hours=24))
    mailoutbox.clear()
    reminders_send_due(now=second.starts_at - dt.timedelta(minutes=14, seconds=30))
    assert [m.subject for m in _to(mailoutbox, match.participant_a)] == [
        "Session with Bruno in 15 minutes"]


def test_after_an_outage_the_day_before_reminder_gives_way_to_the_15_minute_one(mailoutbox):
    # Workers down through the day before: at 10 minutes to the start, both rows are due.
    # Each person gets one message, "in 10 minutes", not "today" and "in 15" at once.
    match, sessions = scheduled_match()
    first = sessions[0]
    beat_materializes([first])
    assert reminders_send_due(now=first.starts_at - dt.timedelta(minutes=10)) == 4
    assert sorted(m.subject for m in mailoutbox) == [
        "Session with Bruno in 10 minutes", "Session with Nora in 10 minutes"]
    assert Notification.objects.filter(kind="session.reminder").count() == 2
    day_rows = Reminder.objects.filter(session=first, kind=Reminder.Kind.DAY_BEFORE)
    assert list(day_rows.values_list("sent_at", "cancelled")) == [(None, True)] * 2
