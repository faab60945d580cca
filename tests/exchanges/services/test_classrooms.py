"""Classes (create with consent record, validation, join code) and partner requests
(who may ask, accept, decline; the exchange and its room)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    Notification,
    PartnerRequest,
    Program,
    Room,
    RoomMember,
    TeacherApplication,
    Twinning,
)
from exchanges.services.classrooms import (
    ClassroomInput,
    HolidayInput,
    classroom_create,
    classroom_update,
    join_code_rotate,
)
from exchanges.services.participants import LanguageInput, WindowInput
from exchanges.services.partner_requests import (
    partner_request_accept,
    partner_request_create,
    partner_request_decline,
    partner_request_withdraw,
)
from tests.exchanges.classroom_fixtures import (
    classroom,
    partner_pair,
    pupil,
    teacher,
    twin_cities,
)
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
T = dt.time.fromisoformat


def class_input(city, **overrides):
    today = timezone.localdate()
    data = dict(
        name="7B German", school="Coventry Academy", city=city, age_min=11, age_max=12,
        size=24, term_start=today, term_end=today + dt.timedelta(days=80),
        languages=[LanguageInput("en", "native", False), LanguageInput("de", "A2", True)],
        hours=[WindowInput(1, T("13:00"), T("15:15"))],
        holidays=[HolidayInput(today + dt.timedelta(days=20), today + dt.timedelta(days=27),
                               "Half term")],
        consent_confirmed=True,
    )
    data.update(overrides)
    return ClassroomInput(**data)


def test_creating_a_class_records_who_confirmed_the_consent_and_the_countrys_age():
    coventry, _, _ = twin_cities()
    author = teacher()
    created = classroom_create(teacher=author, data=class_input(coventry))
    assert created.consent_confirmed_by == author
    assert created.consent_confirmed_at is not None
    assert (created.consent_country, created.consent_age) == ("GB", 13)
    assert {(lang.code, lang.learning) for lang in created.languages.all()} == {
        ("en", False), ("de", True)
    }
    assert created.hours.count() == 1 and created.holidays.count() == 1
    assert len(created.join_code) == 8
    assert created.join_code_expires_at > timezone.now() + dt.timedelta(days=13)


def test_without_the_consent_confirmation_the_class_is_refused_with_the_countrys_age():
    _, dresden, _ = twin_cities()
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(dresden, consent_confirmed=False))
    assert "Pupils under 16 need their parents' consent" in exc.value.message_dict["consent"][0]


@pytest.mark.parametrize(("country_city", "ages"), [("coventry", (16, 18)),
                                                   ("dresden", (16, 17))])
def test_pupils_at_or_above_the_consent_age_need_no_confirmation(country_city, ages):
    coventry, dresden, _ = twin_cities()
    city = {"coventry": coventry, "dresden": dresden}[country_city]
    created = classroom_create(teacher=teacher(), data=class_input(
        city, age_min=ages[0], age_max=ages[1], consent_confirmed=False))
    assert created.consent_age <= ages[0]
    assert created.consent_confirmed_by is None and created.consent_confirmed_at is None


def test_pupils_one_year_under_the_consent_age_still_need_the_confirmation():
    _, dresden, _ = twin_cities()
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(
            dresden, age_min=15, age_max=16, consent_confirmed=False))
    assert "Pupils under 16" in exc.value.message_dict["consent"][0]


def test_a_new_class_for_a_term_that_has_ended_is_refused():
    coventry, _, _ = twin_cities()
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(
            coventry, term_start=dt.date(2020, 1, 1), term_end=dt.date(2020, 3, 1),
            holidays=[]))
    assert "This term ended on" in exc.value.message_dict["term_end"][0]


def test_a_term_ending_today_in_the_citys_zone_is_still_accepted():
    coventry, _, _ = twin_cities()
    today = timezone.localdate(timezone=ZoneInfo(coventry.tz))
    created = classroom_create(teacher=teacher(), data=class_input(
        coventry, term_start=today - dt.timedelta(days=60), term_end=today, holidays=[]))
    assert created.term_end == today


def test_a_class_whose_term_has_ended_can_still_be_edited_but_not_moved_into_the_past():
    coventry, _, _ = twin_cities()
    author = teacher()
    created = classroom_create(teacher=author, data=class_input(coventry, holidays=[]))
    ended = timezone.localdate() - dt.timedelta(days=10)
    created.term_start, created.term_end = ended - dt.timedelta(days=80), ended
    created.save(update_fields=["term_start", "term_end"])
    updated = classroom_update(classroom=created, by=author, data=class_input(
        coventry, name="7B German (last term)", term_start=created.term_start,
        term_end=ended, holidays=[]))
    assert updated.name == "7B German (last term)" and updated.term_end == ended
    with pytest.raises(ValidationError) as exc:
        classroom_update(classroom=updated, by=author, data=class_input(
            coventry, term_start=created.term_start, term_end=ended - dt.timedelta(days=1),
            holidays=[]))
    assert "This term ended on" in exc.value.message_dict["term_end"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"age_min": 13, "age_max": 11}, "age_max"),
        ({"size": 0}, "size"),
        ({"languages": [LanguageInput("en", "native", False)]}, "languages"),
        ({"hours": [WindowInput(1, T("15:00"), T("14:00"))]}, "hours"),
        ({"holidays": [HolidayInput(dt.date(2000, 1, 1), dt.date(2000, 1, 2))]}, "holidays"),
        ({"term_start": dt.date(9999, 12, 20), "term_end": dt.date(9999, 12, 31),
          "holidays": []}, "term_start"),
        ({"term_start": dt.date(1999, 9, 1), "term_end": dt.date(1999, 12, 20),
          "holidays": []}, "term_start"),
    ],
)
def test_bad_class_input_is_refused_on_its_field(overrides, field):
    coventry, _, _ = twin_cities()
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(coventry, **overrides))
    assert field in exc.value.message_dict


def test_an_applicant_may_draft_a_class_but_a_stranger_may_not():
    coventry, _, _ = twin_cities()
    applicant = teacher(approved=False)
    TeacherApplication.objects.create(user=applicant, school="S", city=coventry,
                                      role_at_school="teacher", verification="s.example")
    assert classroom_create(teacher=applicant, data=class_input(coventry)).pk
    with pytest.raises(PermissionDenied):
        classroom_create(teacher=teacher(approved=False), data=class_input(coventry))


def test_only_the_teacher_edits_the_class():
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    with pytest.raises(PermissionDenied):
        classroom_update(classroom=room, by=teacher(), data=class_input(coventry))
    updated = classroom_update(classroom=room, by=room.teacher,
                               data=class_input(coventry, name="8B"))
    assert updated.name == "8B"


def test_the_city_of_a_class_with_pupils_cannot_change():
    coventry, dresden, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    assert classroom_update(classroom=room, by=room.teacher, data=class_input(dresden)).city == (
        dresden
    )
    pupil(room)
    with pytest.raises(ValidationError) as exc:
        classroom_update(classroom=room, by=room.teacher, data=class_input(coventry))
    assert "city" in exc.value.message_dict


def test_rotating_the_code_replaces_it_and_sets_the_expiry_in_the_citys_zone():
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    old = room.join_code
    day = timezone.localdate() + dt.timedelta(days=3)
    rotated = join_code_rotate(classroom=room, by=room.teacher, expires_on=day)
    assert rotated.join_code != old
    # Open until the end of that day in Coventry.
    assert rotated.join_code_expires_at == dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo("Europe/London")
    )
    with pytest.raises(ValidationError):
        join_code_rotate(classroom=room, by=room.teacher, expires_on=day - dt.timedelta(days=9))
    with pytest.raises(PermissionDenied):
        join_code_rotate(classroom=room, by=teacher())


def test_a_new_code_admits_for_fourteen_days_by_default():
    coventry, _, _ = twin_cities()
    room = classroom(teacher_user=teacher(), city=coventry)
    rotated = join_code_rotate(classroom=room, by=room.teacher)
    left = rotated.join_code_expires_at - timezone.now()
    assert dt.timedelta(days=14) <= left <= dt.timedelta(days=15)


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


def test_a_term_may_end_as_late_as_the_end_of_the_year_ten_years_ahead():
    coventry, _, _ = twin_cities()
    last = dt.date(timezone.localdate().year + 10, 12, 31)
    created = classroom_create(teacher=teacher(), data=class_input(
        coventry, term_start=last - dt.timedelta(days=30), term_end=last, holidays=[]))
    assert created.term_end == last
    with pytest.raises(ValidationError) as exc:
        classroom_update(classroom=created, by=created.teacher, data=class_input(
            coventry, term_start=last - dt.timedelta(days=30),
            term_end=last + dt.timedelta(days=1), holidays=[]))
    assert "term_start" in exc.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "\u200b"}, "name", "Enter a name with visible letters."),
        ({"name": "\u200b\u200b \u3164"}, "name", "Enter a name with visible letters."),
        ({"name": "7B \u202enamreG"}, "name", "invisible character (U+202E)"),
        ({"name": "\u20677B\u2069"}, "name", "invisible character (U+2067)"),
        ({"school": "Coventry\u200b Academy"}, "school", "invisible character (U+200B)"),
    ],
)
def test_a_class_name_that_shows_nothing_or_reorders_itself_is_refused(
    overrides, field, message
):
    coventry, _, _ = twin_cities()
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(coventry, **overrides))
    assert message in exc.value.message_dict[field][0]


def test_a_holiday_name_with_a_direction_override_is_refused_and_an_invisible_one_is_empty():
    coventry, _, _ = twin_cities()
    today = timezone.localdate()
    days = (today + dt.timedelta(days=20), today + dt.timedelta(days=27))
    with pytest.raises(ValidationError) as exc:
        classroom_create(teacher=teacher(), data=class_input(
            coventry, holidays=[HolidayInput(*days, "\u202emret flah")]))
    assert "U+202E" in exc.value.message_dict["holidays"][0]
    created = classroom_create(teacher=teacher(), data=class_input(
        coventry, holidays=[HolidayInput(*days, "\u200b")]))
    assert created.holidays.get().name == ""


@pytest.mark.parametrize(
    ("name", "school"),
    [("7年B組", "東京第一中学校"), ("الصف السابع", "مدرسة القدس"), ("כיתה ז׳", "תיכון הרצליה"),
     ("कक्षा ७", "विद्यालय"), ("Cafe\u0301 7B", "École Molière")],
)
def test_class_and_school_names_in_other_scripts_are_kept(name, school):
    coventry, _, _ = twin_cities()
    created = classroom_create(teacher=teacher(),
                               data=class_input(coventry, name=name, school=school))
    assert (created.name, created.school) == (
        name.replace("e\u0301", "é"), school)


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
