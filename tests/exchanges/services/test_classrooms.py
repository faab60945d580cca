"""Classes: create with the consent record, validation, names, join code (partner
requests between classes: test_partner_requests.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import ClassroomExchange, TeacherApplication
from exchanges.services.classrooms import (
    ClassroomInput,
    HolidayInput,
    classroom_create,
    classroom_update,
    join_code_rotate,
)
from exchanges.services.participants import LanguageInput, WindowInput
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import classroom, pupil, teacher, twin_cities

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
    # The code admits pupils through the 14th day in the class's city: it ends at the
    # midnight after it there, as a rotated code does.
    zone = ZoneInfo(coventry.tz)
    last_day = timezone.localdate(timezone=zone) + dt.timedelta(days=14)
    assert created.join_code_expires_at == dt.datetime.combine(
        last_day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


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


def _partner_class_input(exchange, **ages):
    b = exchange.classroom_b
    return class_input(
        b.city, name=b.name, school=b.school, holidays=[],
        languages=[LanguageInput("de", "native", False), LanguageInput("en", "A2", True)],
        hours=[WindowInput(1, T("15:00"), T("17:00")), WindowInput(3, T("15:00"), T("17:00"))],
        **ages)


def test_a_class_in_an_exchange_cannot_take_an_age_band_too_far_from_its_partners():
    """Young pupils met a class of their age; an edit must not bring them older pupils
    (adults at 18 and 19) in the exchange's rooms, as a request between such classes is
    refused."""
    exchange, _pupils_a, _pupils_b = active_exchange(1, 1)
    b = exchange.classroom_b
    with pytest.raises(ValidationError) as refused:
        classroom_update(classroom=b, by=b.teacher,
                         data=_partner_class_input(exchange, age_min=17, age_max=19))
    assert "age_max" in refused.value.message_dict
    assert "7B" in refused.value.message_dict["age_max"][0]
    b.refresh_from_db()
    assert (b.age_min, b.age_max) == (11, 12)


def test_a_class_in_an_exchange_may_move_its_age_band_within_two_years_of_its_partners():
    exchange, _pupils_a, _pupils_b = active_exchange(1, 1)
    b = exchange.classroom_b
    classroom_update(classroom=b, by=b.teacher,
                     data=_partner_class_input(exchange, age_min=13, age_max=14))
    b.refresh_from_db()
    assert (b.age_min, b.age_max) == (13, 14)


def test_an_ended_exchange_leaves_the_age_band_free():
    exchange, _pupils_a, _pupils_b = active_exchange(1, 1)
    exchange.status = ClassroomExchange.Status.ENDED
    exchange.ended_at = timezone.now()
    exchange.save(update_fields=["status", "ended_at"])
    b = exchange.classroom_b
    classroom_update(classroom=b, by=b.teacher,
                     data=_partner_class_input(exchange, age_min=17, age_max=19))
    b.refresh_from_db()
    assert (b.age_min, b.age_max) == (17, 19)
