"""E-mails and notices are written in the recipient's language (their account's), not the
language of whoever or whatever (a worker, an officer's page) caused them."""

import datetime as dt

import pytest
from django.utils import translation

from exchanges.services import chat, moderation, reminders, twinning_lifecycle
from exchanges.services.reminders import reminders_send_due
from tests.exchanges.scheduling_fixtures import beat_materializes, scheduled_match
from tests.exchanges.wall_fixtures import make_exchange_room
from tests.factories import TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_session_reminders_are_written_in_each_recipients_language(monkeypatch, mailoutbox):
    match, sessions = scheduled_match()
    for participant, language in ((match.participant_a, "ja"), (match.participant_b, "de")):
        participant.user.language = language
        participant.user.save(update_fields=["language"])
    beat_materializes(sessions)
    written_in = {}
    text = reminders._text

    def spy(reminder, partner_name, now):
        written_in[reminder.participant.user.email] = translation.get_language()
        return text(reminder, partner_name, now)

    monkeypatch.setattr(reminders, "_text", spy)
    with translation.override("fr"):  # the worker's language does not leak into the mail
        reminders_send_due(now=sessions[0].starts_at - dt.timedelta(minutes=15))
    assert written_in == {match.participant_a.user.email: "ja",
                          match.participant_b.user.email: "de"}
    # One each: the day-before reminder, due as well, gives way to the 15-minute one.
    assert len(mailoutbox) == 2


def test_a_twinning_change_email_is_written_in_the_recipients_language(monkeypatch):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    recipient = UserFactory(language="de")
    twinning = TwinningFactory()
    twinning_lifecycle.twinning_suspend(
        twinning=twinning, by=administrator, reason="Test", effective=dt.date(2026, 12, 1),
    )
    change = twinning.status_changes.latest("pk")
    written_in = []
    text = twinning_lifecycle._twinning_change_email_text

    def spy(change):
        written_in.append(translation.get_language())
        return text(change)

    monkeypatch.setattr(twinning_lifecycle, "_twinning_change_email_text", spy)
    with translation.override("ja"):
        assert twinning_lifecycle.twinning_change_email_send(
            change_id=change.pk, user_id=recipient.pk
        ) == 1
    assert written_in == ["de"]



def test_a_reports_email_is_written_in_each_teachers_language(monkeypatch, mailoutbox):
    built, room = make_exchange_room()
    for teacher, language in ((built.a.teacher, "fr"), (built.b.teacher, "de")):
        teacher.language = language
        teacher.save(update_fields=["language"])
    message, _ = chat.message_send(room=room, author=built.b.pupils[0], body="rude words",
                                   client_id="c1")
    report = chat.message_report(room=room, reporter=built.a.pupils[0],
                                 message_id=message.pk, reason="")
    written_in = {}
    text = moderation._report_email_text

    def spy(room_id):
        written_in[room_id, translation.get_language()] = True
        return text(room_id)

    monkeypatch.setattr(moderation, "_report_email_text", spy)
    with translation.override("ja"):  # the worker's language does not leak into the mail
        for teacher in (built.a.teacher, built.b.teacher):
            assert moderation.report_waiting_email_send(report_id=report.pk,
                                                        teacher_id=teacher.pk) == 1
    assert set(written_in) == {(room.pk, "fr"), (room.pk, "de")}
    assert len(mailoutbox) == 2
