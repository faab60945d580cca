"""Partner requests between classes: who may ask, accept, decline or withdraw; the
exchange and its room that accepting opens; the text teachers type."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import (
    ClassroomExchange,
    Notification,
    PartnerRequest,
    Program,
    Room,
    RoomMember,
    Twinning,
)
from exchanges.services.partner_requests import (
    partner_request_accept,
    partner_request_create,
    partner_request_decline,
    partner_request_withdraw,
)
from tests.exchanges.classroom_fixtures import classroom, partner_pair, pupil, teacher
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_request_notifies_the_other_teacher_with_the_finders_explanation():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher,
                                     message="Hello from Coventry!")
    assert request.status == PartnerRequest.Status.PENDING
    assert "shared school time a week" in request.explanation
    assert Notification.objects.filter(user=b.teacher, kind="classroom.request").exists()
    with pytest.raises(ValidationError, match="asked this class already"):
        partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    with pytest.raises(ValidationError, match="answer their request"):
        partner_request_create(from_classroom=b, to_classroom=a, by=b.teacher)


def test_an_unapproved_teacher_cannot_contact_other_classes():
    a, b, _ = partner_pair()
    a.teacher.groups.clear()
    with pytest.raises(PermissionDenied, match="approved"):
        partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)


def test_requests_need_an_active_twinning_and_close_ages():
    a, b, twinning = partner_pair()
    older = classroom(teacher_user=teacher(), city=b.city, ages=(15, 16), speaks="de",
                      learns="en")
    with pytest.raises(ValidationError, match="more than 2 years"):
        partner_request_create(from_classroom=a, to_classroom=older, by=a.teacher)
    Twinning.objects.filter(pk=twinning.pk).update(status=Twinning.Status.SUSPENDED)
    with pytest.raises(ValidationError, match="no active twinning"):
        partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)


def test_accepting_creates_the_exchange_in_the_twinning_and_program_and_opens_the_room():
    a, b, twinning = partner_pair()
    program = ProgramFactory(kind=Program.Kind.CLASSROOM, twinnings=[twinning])
    ProgramFactory(twinnings=[twinning])  # a tandem program is not the exchange's
    pupil_a, pupil_b = pupil(a, "Amelia K."), pupil(b, "Jonas M.")
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    with pytest.raises(PermissionDenied):
        partner_request_accept(request=request, by=a.teacher)
    exchange = partner_request_accept(request=request, by=b.teacher, reply="Gladly")
    assert exchange.status == ClassroomExchange.Status.ACTIVE
    assert (exchange.twinning, exchange.program) == (twinning, program)
    request.refresh_from_db()
    assert request.status == PartnerRequest.Status.ACCEPTED and request.exchange == exchange
    exchange.refresh_from_db()  # active as it is created, not a moment before
    assert exchange.created_at == exchange.activated_at == request.decided_at
    room = Room.objects.get(exchange=exchange)
    roles = dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))
    assert roles == {
        a.teacher_id: RoomMember.Role.MODERATOR, b.teacher_id: RoomMember.Role.MODERATOR,
        pupil_a.user_id: RoomMember.Role.MEMBER, pupil_b.user_id: RoomMember.Role.MEMBER,
    }
    assert Notification.objects.filter(user=a.teacher, kind="classroom.accepted").exists()
    with pytest.raises(ValidationError, match="already accepted"):
        partner_request_accept(request=request, by=b.teacher)
    with pytest.raises(ValidationError, match="partners already"):
        partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)


def test_declining_tells_the_asking_teacher_why():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    with pytest.raises(PermissionDenied):
        partner_request_decline(request=request, by=teacher())
    partner_request_decline(request=request, by=b.teacher, reply="Our term ends soon.")
    request.refresh_from_db()
    assert request.status == PartnerRequest.Status.DECLINED
    note = Notification.objects.get(user=a.teacher, kind="classroom.declined")
    assert "Our term ends soon." in note.text
    assert not ClassroomExchange.objects.exists()


def test_an_accept_reply_reaches_the_asking_teacher():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    partner_request_accept(request=request, by=b.teacher, reply="Gladly, from Dresden!")
    note = Notification.objects.get(user=a.teacher, kind="classroom.accepted")
    assert "Gladly, from Dresden!" in note.text


def test_a_long_decline_reply_is_kept_whole_and_the_notification_says_it_is_cut():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    reply = "Thank you. " * 90  # 990 characters
    partner_request_decline(request=request, by=b.teacher, reply=reply)
    request.refresh_from_db()
    assert request.reply == reply.strip()
    note = Notification.objects.get(user=a.teacher, kind="classroom.declined")
    assert len(note.text) == 300 and note.text.endswith("…")


@pytest.mark.parametrize("answer", [partner_request_accept, partner_request_decline])
def test_an_over_long_reply_is_refused_and_the_request_stays_open(answer):
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    with pytest.raises(ValidationError) as exc:
        answer(request=request, by=b.teacher, reply="x" * 1001)
    assert "1000 characters" in exc.value.message_dict["reply"][0]
    request.refresh_from_db()
    assert request.is_pending and not ClassroomExchange.objects.exists()


def test_an_over_long_request_message_is_refused_and_nothing_is_sent():
    a, b, _ = partner_pair()
    with pytest.raises(ValidationError) as exc:
        partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher,
                               message="x" * 1001)
    assert "1000 characters" in exc.value.message_dict["message"][0]
    assert not PartnerRequest.objects.exists()
    assert not Notification.objects.filter(user=b.teacher).exists()


def test_a_request_cannot_be_accepted_once_the_twinning_is_suspended():
    a, b, twinning = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    Twinning.objects.filter(pk=twinning.pk).update(status=Twinning.Status.SUSPENDED)
    with pytest.raises(ValidationError, match="no longer active"):
        partner_request_accept(request=request, by=b.teacher)
    assert not ClassroomExchange.objects.exists()


def test_only_the_asking_teacher_withdraws_and_then_it_cannot_be_accepted():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    with pytest.raises(PermissionDenied):
        partner_request_withdraw(request=request, by=b.teacher)
    partner_request_withdraw(request=request, by=a.teacher)
    with pytest.raises(ValidationError, match="already withdrawn"):
        partner_request_accept(request=request, by=b.teacher)


def test_a_partner_request_and_its_reply_lose_direction_overrides_and_invisible_text():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher,
                                     message="Hello from \u202eyrtnevoC\u202c!")
    assert request.message == "Hello from yrtnevoC!"
    partner_request_decline(request=request, by=b.teacher, reply="\u200b\u200b ")
    request.refresh_from_db()
    assert request.reply == ""
    note = Notification.objects.get(user=a.teacher, kind="classroom.declined")
    assert note.text.endswith("declined your request.")


@pytest.mark.parametrize("message", ["مرحبا من القدس!", "שלום מחיפה", "नमस्ते!", "こんにちは！"])
def test_a_partner_request_in_another_script_is_kept(message):
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher,
                                     message=message)
    assert request.message == message


def test_a_request_is_not_accepted_once_the_ages_drifted_apart_or_the_asker_lost_approval():
    a, b, _ = partner_pair()
    request = partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher)
    a.age_min, a.age_max = 16, 17  # edited after asking: the band is now 4 years off
    a.save(update_fields=["age_min", "age_max"])
    with pytest.raises(ValidationError, match="more than 2 years apart"):
        partner_request_accept(request=request, by=b.teacher)
    a.age_min, a.age_max = 11, 12
    a.save(update_fields=["age_min", "age_max"])
    a.teacher.groups.clear()  # approval withdrawn
    with pytest.raises(ValidationError, match="no longer approved"):
        partner_request_accept(request=request, by=b.teacher)
    assert not ClassroomExchange.objects.exists()
    assert PartnerRequest.objects.get(pk=request.pk).status == PartnerRequest.Status.PENDING
