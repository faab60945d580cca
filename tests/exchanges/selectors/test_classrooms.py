"""Partner candidates (active twinnings, approved teachers, never one's own classes),
suggestion states, the teacher's home, and what an officer counts."""

import pytest

from exchanges.models import Classroom, PartnerRequest
from exchanges.selectors.class_homes import teacher_home
from exchanges.selectors.classrooms import (
    classroom_by_code,
    classroom_counts_for_officer,
    classroom_for_teacher,
    partner_candidates,
    partner_suggestions,
)
from tests.exchanges.classroom_fixtures import (
    classroom,
    officer,
    partner_pair,
    pupil,
    teacher,
)
from tests.factories import CityFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def test_candidates_come_from_active_twinnings_and_approved_teachers_only():
    a, b, _ = partner_pair()
    unapproved = classroom(teacher_user=teacher(approved=False), city=b.city, name="draft")
    own_other = classroom(teacher_user=a.teacher, city=b.city, name="mine too")
    suspended = CityFactory(name="Caen", country="FR", tz="Europe/Paris")
    TwinningFactory(city_a=a.city, city_b=suspended, status="suspended")
    in_suspended = classroom(teacher_user=teacher(), city=suspended, name="5e")
    same_city = classroom(teacher_user=teacher(), city=a.city, name="next door")
    found = {c.pk for c in partner_candidates(classroom=a)}
    assert found == {b.pk}
    assert not found & {unapproved.pk, own_other.pk, in_suspended.pk, same_city.pk}


def test_the_finder_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    a, b, _ = partner_pair()
    for n in range(4):
        classroom(teacher_user=teacher(), city=b.city, speaks="de", learns="en", name=f"8{n}",
                  hours=[(1, "15:00", "17:00")])
    room = classroom_for_teacher(classroom_id=a.pk, user=a.teacher)
    with django_assert_max_num_queries(8):
        rows = partner_suggestions(classroom=room)
    assert len(rows) == 5


def test_suggestions_carry_the_state_of_an_existing_request():
    a, b, _ = partner_pair()
    PartnerRequest.objects.create(from_classroom=a, to_classroom=b)
    ((suggestion, other, state),) = partner_suggestions(classroom=a)
    assert (other, state) == (b, "requested") and suggestion.is_live
    ((_, other, state),) = partner_suggestions(classroom=b)
    assert (other, state) == (a, "asked you")


def test_a_class_is_only_its_teachers_and_codes_are_read_loosely():
    a, _, _ = partner_pair()
    assert classroom_for_teacher(classroom_id=a.pk, user=a.teacher) == a
    assert classroom_for_teacher(classroom_id=a.pk, user=teacher()) is None
    spaced = f"{a.join_code[:4].lower()}-{a.join_code[4:]}"
    assert classroom_by_code(code=spaced) == a
    assert classroom_by_code(code="") is None


def test_the_home_lists_received_and_sent_requests(django_assert_max_num_queries):
    a, b, _ = partner_pair()
    PartnerRequest.objects.create(from_classroom=a, to_classroom=b)
    with django_assert_max_num_queries(12):
        home = teacher_home(user=b.teacher)
    assert [r.from_classroom for r in home["requests_received"]] == [a]
    assert teacher_home(user=a.teacher)["requests_sent"][0].to_classroom == b
    assert home["upcoming_sessions"] == [] and home["open_reports"] == []


def test_officers_count_classes_and_pupils_of_their_cities_only():
    a, b, twinning = partner_pair()
    pupil(a, "Amelia K.")
    pupil(b, "Jonas M.")
    program_officer = officer()
    ProgramFactory(twinnings=[twinning]).officers.add(program_officer)
    far = TwinningFactory(city_a=CityFactory(name="Lyon", country="FR", tz="Europe/Paris"))
    classroom(teacher_user=teacher(), city=far.city_a)
    assert classroom_counts_for_officer(user=program_officer) == {
        "classes": 2, "pupils": 2, "exchanges": 0,
    }
    assert Classroom.objects.count() == 3
