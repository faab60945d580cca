"""Safe rooms for minors: teachers read every room of their exchange without writing,
hide messages, mute pupils and close rooms; pupils' reports reach both teachers; pupils'
contact details are refused before they are saved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from exchanges.models import (
    AuditEvent,
    City,
    Match,
    Message,
    Notification,
    Participant,
    Report,
    Room,
    RoomMember,
)
from exchanges.pure.links import site_url
from exchanges.realtime.protocol import message_event
from exchanges.selectors.chat import history_page
from exchanges.selectors.moderation import (
    exchange_rooms,
    open_reports_for_teacher,
    report_counts,
)
from exchanges.services import chat, moderation
from exchanges.services.moderation import (
    member_mute,
    message_hide,
    report_resolve,
    room_moderate_close,
    room_moderators_ensure,
)
from exchanges.services.rooms import room_open
from tests.exchanges.wall_fixtures import make_exchange, make_exchange_room
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pair_room(built):
    """A pupil pair's room (as the pairing feature will open it)."""
    a, b = built.a.pupils[0].participant, built.b.pupils[0].participant
    match = MatchFactory(participant_a=a, participant_b=b, twinning=built.exchange.twinning,
                         status=Match.Status.ACTIVE)
    return room_open(match=match)


def _send(room, user, body, client_id="c1"):
    return chat.message_send(room=room, author=user, body=body, client_id=client_id)


def test_both_teachers_moderate_every_room_of_the_exchange_and_nothing_else():
    built, class_room = make_exchange_room()
    pair_room = _pair_room(built)
    other, other_room = make_exchange_room()

    room_moderators_ensure(exchange=built.exchange)

    assert set(exchange_rooms(exchange=built.exchange)) == {class_room, pair_room}
    for room in (class_room, pair_room):
        roles = dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))
        assert roles[built.a.teacher.pk] == RoomMember.Role.MODERATOR
        assert roles[built.b.teacher.pk] == RoomMember.Role.MODERATOR
    assert not RoomMember.objects.filter(room=other_room, user=built.a.teacher).exists()
    assert room_moderators_ensure(exchange=built.exchange) == 0  # idempotent


def test_a_pupil_groups_room_belongs_to_the_exchange_a_room_with_an_outsider_does_not():
    built, class_room = make_exchange_room()
    trio = Room.objects.create(title="trio")
    mixed = Room.objects.create(title="with an adult")
    for user in (built.a.pupils[0], built.b.pupils[0], built.b.pupils[1]):
        RoomMember.objects.create(room=trio, user=user)
    RoomMember.objects.create(room=mixed, user=built.a.pupils[1])
    RoomMember.objects.create(room=mixed, user=UserFactory())

    room_moderators_ensure(exchange=built.exchange)

    assert set(exchange_rooms(exchange=built.exchange)) == {class_room, trio}
    assert set(RoomMember.objects.filter(room=trio, role=RoomMember.Role.MODERATOR)
               .values_list("user_id", flat=True)) == {built.a.teacher.pk, built.b.teacher.pk}
    assert not RoomMember.objects.filter(room=mixed, role=RoomMember.Role.MODERATOR).exists()


def test_a_moderator_cannot_send_a_message():
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        _send(room, built.a.teacher, "Hello class")
    assert refused.value.code == "read_only"
    assert refused.value.detail.startswith("moderators read only")
    assert not Message.objects.filter(room=room).exists()


def test_a_moderator_cannot_send_a_correction_either():
    built, room = make_exchange_room()
    message, _ = _send(room, built.a.pupils[0], "I has a cat")
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=built.b.teacher, message_id=message.pk,
                             corrected="I have a cat")
    assert refused.value.code == "read_only"


@pytest.mark.parametrize(
    "body", ["lena at gmail dot com", "+44 7700 900123", "www.example.org", "insta: lena.k"]
)
def test_a_pupils_contact_detail_is_refused_before_it_is_saved(body):
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        _send(room, built.a.pupils[0], body)
    assert refused.value.code == "contact_detail"
    assert "Contact details cannot be shared" in refused.value.detail
    assert not Message.objects.filter(room=room).exists()


def test_an_adults_room_is_unchanged_by_the_contact_detail_rule(match_room):
    room, user_a, _user_b, _match = match_room
    message, created = _send(room, user_a, "write to me at anna@example.org")
    assert created and message.body == "write to me at anna@example.org"


def test_a_muted_pupil_is_refused_until_the_mute_ends():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    member_mute(room=room, user_id=pupil.pk, by=built.a.teacher, minutes=15)
    with pytest.raises(chat.ChatError) as refused:
        _send(room, pupil, "hello?")
    assert refused.value.code == "muted"
    _send(room, built.b.pupils[0], "I can still write", client_id="other")

    RoomMember.objects.filter(room=room, user=pupil).update(
        muted_until=timezone.now() - dt.timedelta(seconds=1)
    )
    _message, created = _send(room, pupil, "hello again", client_id="c2")
    assert created
    audit = AuditEvent.objects.get(verb="member.mute")
    assert audit.actor == built.a.teacher and audit.data["user"] == pupil.pk


def _muted_text(room, pupil, *, until, language):
    RoomMember.objects.filter(room=room, user=pupil).update(muted_until=until)
    with pytest.raises(chat.ChatError) as refused:
        _send(room, pupil, "hello?", client_id=f"c-{language}")
    with translation.override(language):
        return refused.value.text()


def test_a_muted_pupil_reads_the_mute_end_in_their_own_zone_and_language():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    Participant.objects.filter(user=pupil).update(tz="Asia/Tokyo")
    now = timezone.now()
    # 20 minutes from now, seen from Tokyo (UTC+9, no summer time).
    until = now + dt.timedelta(minutes=20)
    tokyo = until.astimezone(ZoneInfo("Asia/Tokyo"))
    text = _muted_text(room, pupil, until=until, language="en")
    assert tokyo.strftime("%H:%M") in text and "UTC" not in text
    assert until.astimezone(dt.UTC).strftime("%H:%M") not in text

    # Ending on another day there: the date is written as the language writes dates.
    later = until + dt.timedelta(days=1)
    later_tokyo = later.astimezone(ZoneInfo("Asia/Tokyo"))
    text = _muted_text(room, pupil, until=later, language="ja")
    assert f"{later_tokyo.month}月{later_tokyo.day}日" in text
    assert later_tokyo.strftime("%H:%M") in text


def test_a_muted_person_without_a_zone_reads_the_end_in_utc_and_says_so():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    Participant.objects.filter(user=pupil).update(tz="")
    City.objects.filter(pk=pupil.participant.city_id).update(tz="")
    until = timezone.now() + dt.timedelta(minutes=20)
    text = _muted_text(room, pupil, until=until, language="en")
    assert f"{until.astimezone(dt.UTC):%H:%M} UTC" in text


def test_only_a_moderator_mutes_and_only_a_pupil_is_muted():
    built, room = make_exchange_room()
    with pytest.raises(PermissionDenied):
        member_mute(room=room, user_id=built.b.pupils[0].pk, by=built.a.pupils[0], minutes=5)
    with pytest.raises(ValidationError):
        member_mute(room=room, user_id=built.b.teacher.pk, by=built.a.teacher, minutes=5)
    with pytest.raises(ValidationError):
        member_mute(room=room, user_id=built.a.pupils[0].pk, by=built.a.teacher,
                    minutes=60 * 24 * 8)


def test_hiding_a_message_keeps_its_place_with_a_placeholder_and_is_audited():
    built, room = make_exchange_room()
    message, _ = _send(room, built.a.pupils[0], "something unkind")

    message_hide(message=message, by=built.b.teacher)
    message_hide(message=message, by=built.a.teacher)  # idempotent

    page, _ = history_page(room=room)
    event = message_event(page[0])
    assert event["hidden"] is True and event["body"] == "" and event["id"] == message.pk
    assert "unkind" not in str(event)
    audits = AuditEvent.objects.filter(verb="message.hide")
    assert audits.count() == 1 and audits[0].actor == built.b.teacher
    assert audits[0].target == f"message:{message.pk}"


def test_a_hidden_message_cannot_be_corrected():
    built, room = make_exchange_room()
    message, _ = _send(room, built.a.pupils[0], "something unkind")
    message_hide(message=message, by=built.a.teacher)
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=built.b.pupils[0], message_id=message.pk,
                             corrected="something kind")
    assert refused.value.code == "hidden"


def test_a_pupil_cannot_hide_a_message():
    built, room = make_exchange_room()
    message, _ = _send(room, built.a.pupils[0], "hello")
    with pytest.raises(PermissionDenied):
        message_hide(message=message, by=built.b.pupils[0])
    assert Message.objects.get(pk=message.pk).hidden_at is None


def test_a_teacher_closes_a_room_and_the_closing_is_audited():
    built, room = make_exchange_room()
    room_moderate_close(room=room, by=built.a.teacher, reason="End of term")
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED and room.closed_reason == "End of term"
    assert AuditEvent.objects.filter(verb="room.close", actor=built.a.teacher).exists()
    with pytest.raises(PermissionDenied):
        room_moderate_close(room=room, by=built.a.pupils[0], reason="")


def test_a_pupils_report_notifies_both_teachers_once_and_no_officer():
    built, room = make_exchange_room()
    message, _ = _send(room, built.b.pupils[0], "rude words")

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
    message, _ = _send(room, built.b.pupils[0], "rude words")
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
    room = _pair_room(built)
    room_moderators_ensure(exchange=built.exchange)
    author, reporter = built.b.pupils[0], built.a.pupils[0]
    message, _ = _send(room, author, "rude words")

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
    first, _ = _send(room, built.b.pupils[0], "rude words")
    second, _ = _send(room, built.b.pupils[1], "more rude words", client_id="c2")
    on_commit = django_capture_on_commit_callbacks

    _report(room, built.a.pupils[0], first, on_commit=on_commit)
    _report(room, built.a.pupils[1], first, on_commit=on_commit)
    _report(room, built.a.pupils[0], second, on_commit=on_commit)
    assert len(mailoutbox) == 2  # one to each teacher: the bell has the other reports
    assert Notification.objects.filter(kind="room.report").count() == 6

    for report in Report.objects.filter(message__room=room):
        report_resolve(report=report, by=built.a.teacher)
    third, _ = _send(room, built.b.pupils[0], "rude again", client_id="c3")
    _report(room, built.a.pupils[1], third, on_commit=on_commit)
    assert len(mailoutbox) == 4


def test_a_report_handled_before_the_queue_reaches_it_is_not_emailed(mailoutbox):
    built, room = make_exchange_room()
    message, _ = _send(room, built.b.pupils[0], "rude words")
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
    message, _ = _send(room, user_a, "hi")
    _report(room, user_b, message, "spam", on_commit=django_capture_on_commit_callbacks)
    assert not mailoutbox


def test_a_report_in_an_adults_room_notifies_no_teacher(match_room):
    room, user_a, user_b, _match = match_room
    message, _ = _send(room, user_a, "hi")
    chat.message_report(room=room, reporter=user_b, message_id=message.pk, reason="spam")
    assert not Notification.objects.filter(kind="room.report").exists()


def test_a_report_in_an_adults_room_reaches_the_platforms_administrators(match_room):
    room, user_a, user_b, _match = match_room
    admin = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_staff=True, is_active=False)
    UserFactory(is_staff=True)  # staff without the admin's Reports: not theirs
    message, _ = _send(room, user_a, "buy my course")
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


def test_officers_see_report_counts_only():
    built, room = make_exchange_room()
    message, _ = _send(room, built.b.pupils[0], "rude words")
    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                        reason="rude")
    other = make_exchange()
    assert report_counts(exchanges=[built.exchange]) == {"open": 1, "resolved": 0}
    assert report_counts(exchanges=[other.exchange]) == {"open": 0, "resolved": 0}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_one_statement_insert_also_refuses_moderators_and_muted():
    # message_send's fast path checks membership in its INSERT; the refusal must hold
    # there too, and say why.
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        _send(room, built.b.teacher, "Hello")
    assert refused.value.code == "read_only"
    member_mute(room=room, user_id=built.a.pupils[1].pk, by=built.a.teacher, minutes=5)
    with pytest.raises(chat.ChatError) as refused:
        _send(room, built.a.pupils[1], "Hello")
    assert refused.value.code == "muted"
    _message, created = _send(room, built.a.pupils[0], "Hello")
    assert created
    assert Message.objects.filter(room=room).count() == 1


def test_a_teacher_lists_the_open_reports_of_the_rooms_they_moderate():
    built, room = make_exchange_room()
    other, other_room = make_exchange_room()
    message, _ = _send(room, built.b.pupils[0], "rude words")
    report = chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                                 reason="rude")
    elsewhere, _ = _send(other_room, other.b.pupils[0], "rude too", client_id="o")
    chat.message_report(room=other_room, reporter=other.a.pupils[0],
                        message_id=elsewhere.pk, reason="rude")
    assert open_reports_for_teacher(user=built.a.teacher) == [report]
    assert open_reports_for_teacher(user=built.a.pupils[0]) == []
    report_resolve(report=report, by=built.b.teacher)
    assert open_reports_for_teacher(user=built.a.teacher) == []


def test_a_close_reason_loses_direction_overrides_and_an_invisible_one_is_no_reason():
    built, room = make_exchange_room()
    room_moderate_close(room=room, by=built.a.teacher, reason="\u200b\u200b ")
    room.refresh_from_db()
    assert room.closed_reason == "closed by a teacher"
    other_built, other = make_exchange_room()
    room_moderate_close(room=other, by=other_built.b.teacher, reason="نهاية \u202eالفصل\u202c")
    other.refresh_from_db()
    assert other.closed_reason == "نهاية الفصل"


def test_a_removed_pupils_name_leaves_the_teachers_report_notices_of_their_pair_room():
    from exchanges.services.pupils import pupil_remove

    built = make_exchange()
    room = _pair_room(built)  # titled "Amelia K. · Lena S."
    room_moderators_ensure(exchange=built.exchange)
    message, _ = _send(room, built.b.pupils[0], "rude words")
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
    message, _ = _send(room, built.b.pupils[0], "rude words")
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
