import datetime as dt

import pytest

from exchanges.models import Notification, Reminder
from exchanges.services.reminders import (
    reminders_email_set,
    reminders_send_batch,
    reminders_send_due,
)
from tests.exchanges.scheduling_fixtures import scheduled_match

pytestmark = pytest.mark.django_db


def test_due_reminders_are_sent_once_by_email_and_in_app(mailoutbox):
    match, sessions = scheduled_match()
    first = sessions[0]
    at = first.starts_at - dt.timedelta(minutes=15)
    assert reminders_send_due(now=at) == 4  # 24 h and 15 min, for both
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


def test_email_off_keeps_the_in_app_reminder(mailoutbox):
    match, sessions = scheduled_match()
    reminders_email_set(participant=match.participant_a, enabled=False)
    reminders_send_due(now=sessions[0].starts_at - dt.timedelta(minutes=1))
    assert (
        Notification.objects.filter(user=match.participant_a.user)
        .filter(kind="session.reminder")
        .count()
        == 2
    )
    assert {tuple(m.to) for m in mailoutbox} == {(match.participant_b.user.email,)}


def test_batches_are_small_and_stale_reminders_are_dropped(mailoutbox):
    _, sessions = scheduled_match()
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

    def boom(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", boom)
    with pytest.raises(OSError):
        reminders_send_due(now=sessions[0].starts_at)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
    assert Notification.objects.filter(kind="session.reminder").count() == 0
