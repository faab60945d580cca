"""Reports in safe rooms: a pupil's report reaches both teachers (bell, one e-mail while
the room's reports wait) and never an officer; an adult's reaches the platform's
administrators; the pupil who reported hears when it is handled."""


import pytest

from exchanges.models import (
    Notification,
    Report,
)
from exchanges.pure.links import site_url
from exchanges.selectors.moderation import (
    open_reports_for_teacher,
)
from exchanges.services import chat, moderation
from exchanges.services.moderation import (
    report_resolve,
    room_moderators_ensure,
)
from tests.exchanges.wall_fixtures import (
    make_exchange,
    make_exchange_room,
    make_pair_room,
    send_message,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db



def test_a_pupils_report_notifies_both_teachers_once_and_no_officer():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.b.pupils[0], "rude words")

    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                        reason="rude")
    with pytest.raises(chat.ChatError):  # once per message and person
        chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                            reason="rude")

    notified = Notification.objects.filter(kind="room.report")
    assert sorted(n.user_id for n in notified) == sorted([built.a.teacher.pk,
                                                          built.b.teacher.pk])
    assert all(f"#message-{message.pk}" in n.url for n in notified)


def test_the_teachers_notice_names_the_room_once_and_says_what_to_do():
    built, room = make_exchange_room()
    room.title = "Amelia K. · Lena S."  # a pair's room is titled by names ending in "."
    room.save(update_fields=["title"])
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                        reason="rude")
    notice = Notification.objects.filter(kind="room.report").first()
    assert notice.text == ("Amelia K. reported a message in “Amelia K. · Lena S.”: read it "
                           "there and mark the report as handled.")


@pytest.fixture
def emails_sent_locally(monkeypatch):
    task = moderation.report_waiting_email
    monkeypatch.setattr(task, "delay", lambda *a, **k: task.apply(args=a, kwargs=k))


def _report(room, reporter, message, reason="rude", *, on_commit):
    with on_commit(execute=True):
        return chat.message_report(room=room, reporter=reporter, message_id=message.pk,
                                   reason=reason)


def test_a_pupils_report_in_a_pair_room_emails_both_teachers_a_link_without_names_or_text(
        emails_sent_locally, django_capture_on_commit_callbacks, mailoutbox):
    built, _class_room = make_exchange_room()
    room = make_pair_room(built)
    room_moderators_ensure(exchange=built.exchange)
    author, reporter = built.b.pupils[0], built.a.pupils[0]
    message, _ = send_message(room, author, "rude words")

    _report(room, reporter, message, "so mean", on_commit=django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([built.a.teacher.email,
                                                          built.b.teacher.email])
    secrets = [author.public_name, reporter.public_name, "rude words", "so mean", room.title]
    for mail in mailoutbox:
        assert site_url(f"/rooms/{room.pk}/#room-reports") in mail.body
        for secret in filter(None, secrets):
            assert secret not in mail.subject and secret not in mail.body, secret


def test_one_email_per_room_while_its_reports_wait_and_again_once_they_are_handled(
        emails_sent_locally, django_capture_on_commit_callbacks, mailoutbox):
    built, room = make_exchange_room()
    first, _ = send_message(room, built.b.pupils[0], "rude words")
    second, _ = send_message(room, built.b.pupils[1], "more rude words", client_id="c2")
    on_commit = django_capture_on_commit_callbacks

    _report(room, built.a.pupils[0], first, on_commit=on_commit)
    _report(room, built.a.pupils[1], first, on_commit=on_commit)
    _report(room, built.a.pupils[0], second, on_commit=on_commit)
    assert len(mailoutbox) == 2  # one to each teacher: the bell has the other reports
    assert Notification.objects.filter(kind="room.report").count() == 6

    for report in Report.objects.filter(message__room=room):
        report_resolve(report=report, by=built.a.teacher)
    third, _ = send_message(room, built.b.pupils[0], "rude again", client_id="c3")
    _report(room, built.a.pupils[1], third, on_commit=on_commit)
    assert len(mailoutbox) == 4


def test_a_report_handled_before_the_queue_reaches_it_is_not_emailed(mailoutbox):
    built, room = make_exchange_room()
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    report = chat.message_report(room=room, reporter=built.a.pupils[0],
                                 message_id=message.pk, reason="rude")
    report_resolve(report=report, by=built.b.teacher)
    assert moderation.report_waiting_email_send(report_id=report.pk,
                                                teacher_id=built.a.teacher.pk) == 0
    assert moderation.report_waiting_email_send(report_id=report.pk + 1000,
                                                teacher_id=built.a.teacher.pk) == 0
    assert not mailoutbox


def test_a_report_in_an_adults_room_emails_no_teacher(
        match_room, emails_sent_locally, django_capture_on_commit_callbacks, mailoutbox):
    room, user_a, user_b, _match = match_room
    message, _ = send_message(room, user_a, "hi")
    _report(room, user_b, message, "spam", on_commit=django_capture_on_commit_callbacks)
    assert not mailoutbox


def test_a_report_in_an_adults_room_notifies_no_teacher(match_room):
    room, user_a, user_b, _match = match_room
    message, _ = send_message(room, user_a, "hi")
    chat.message_report(room=room, reporter=user_b, message_id=message.pk, reason="spam")
    assert not Notification.objects.filter(kind="room.report").exists()


def test_a_report_in_an_adults_room_reaches_the_platforms_administrators(match_room):
    room, user_a, user_b, _match = match_room
    admin = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_staff=True, is_active=False)
    UserFactory(is_staff=True)  # staff without the admin's Reports: not theirs
    message, _ = send_message(room, user_a, "buy my course")
    report = chat.message_report(room=room, reporter=user_b, message_id=message.pk,
                                 reason="spam")
    notice = Notification.objects.get(kind="room.report.admin")
    assert notice.user == admin
    assert notice.url == f"/admin/exchanges/report/{report.pk}/change/"
    # Least data in a bell: neither person's name nor the message or the reason.
    for secret in (user_a.public_name, user_b.public_name, "buy my course", "spam"):
        assert secret not in notice.text
    assert notice.text == ("A message was reported in a partners' chat room: read the report "
                           "in the admin.")

def test_a_teacher_lists_the_open_reports_of_the_rooms_they_moderate():
    built, room = make_exchange_room()
    other, other_room = make_exchange_room()
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    report = chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                                 reason="rude")
    elsewhere, _ = send_message(other_room, other.b.pupils[0], "rude too", client_id="o")
    chat.message_report(room=other_room, reporter=other.a.pupils[0],
                        message_id=elsewhere.pk, reason="rude")
    assert open_reports_for_teacher(user=built.a.teacher) == [report]
    assert open_reports_for_teacher(user=built.a.pupils[0]) == []
    report_resolve(report=report, by=built.b.teacher)
    assert open_reports_for_teacher(user=built.a.teacher) == []


def test_a_removed_pupils_name_leaves_the_teachers_report_notices_of_their_pair_room():
    from exchanges.services.pupils import pupil_remove

    built = make_exchange()
    room = make_pair_room(built)  # titled "Amelia K. · Lena S."
    room_moderators_ensure(exchange=built.exchange)
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                        reason="rude")
    assert Notification.objects.filter(kind="room.report").count() == 2
    report_resolve(report=Report.objects.get(), by=built.a.teacher)
    assert Notification.objects.filter(kind="room.report.handled").count() == 1
    # Lena, whose message was reported, is named only in the room's title.
    pupil_remove(pupil=built.b.pupils[0].participant, by=built.b.teacher)
    assert not Notification.objects.filter(kind__startswith="room.report").exists()


def test_the_pupil_who_reported_is_told_once_when_a_teacher_has_handled_it():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    report = chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                                 reason="rude")
    report_resolve(report=report, by=built.b.teacher)
    report_resolve(report=report, by=built.a.teacher)  # already handled: nothing new
    told = Notification.objects.filter(user=built.a.pupils[0])
    assert [n.kind for n in told] == ["room.report.handled"]
    assert told[0].url == f"/rooms/{room.pk}/"
    # Which teacher, and what they did, stays with the teachers.
    assert told[0].text == (f"A teacher has looked at the message you reported in “{room}”. "
                            "Thank you for telling us.")
    assert not Notification.objects.filter(user=built.b.pupils[0]).exists()
