"""Which applications an officer sees, and who counts as an approved teacher."""

import pytest

from exchanges.models import TeacherApplication
from exchanges.selectors.teachers import (
    applications_for_officer,
    officer_city_ids,
    teacher_is_approved,
    teacher_may_draft,
)
from tests.exchanges.classroom_fixtures import officer, teacher, twin_cities
from tests.factories import CityFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def _apply(city, status=TeacherApplication.Status.PENDING):
    return TeacherApplication.objects.create(user=UserFactory(), school="S", city=city,
                                             role_at_school="t", verification="s.example",
                                             status=status)


def test_an_officer_sees_the_cities_of_their_programs_pending_first():
    coventry, dresden, twinning = twin_cities()
    program_officer = officer()
    ProgramFactory(twinnings=[twinning]).officers.add(program_officer)
    lyon = TwinningFactory(city_a=CityFactory(name="Lyon", country="FR", tz="Europe/Paris")).city_a
    decided = _apply(dresden, TeacherApplication.Status.APPROVED)
    waiting = _apply(coventry)
    _apply(lyon)
    assert officer_city_ids(user=program_officer) == {coventry.pk, dresden.pk}
    assert list(applications_for_officer(user=program_officer)) == [waiting, decided]
    admin = UserFactory(is_superuser=True)
    assert officer_city_ids(user=admin) is None
    assert applications_for_officer(user=admin).count() == 3
    assert officer_city_ids(user=UserFactory()) == set()


def test_approval_is_the_teacher_group_and_pupils_never_are_teachers():
    coventry, _, _ = twin_cities()
    assert teacher_is_approved(user=teacher())
    assert not teacher_is_approved(user=teacher(approved=False))
    assert not teacher_is_approved(user=teacher(is_pupil=True))
    applicant = _apply(coventry).user
    assert teacher_may_draft(user=applicant) and not teacher_is_approved(user=applicant)
