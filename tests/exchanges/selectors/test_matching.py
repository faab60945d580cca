"""Pupils are never eligible for a program's matching run, even if enrolled."""

import pytest

from exchanges.selectors.matching import matching_instance, participants_with_free_capacity
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_enrolled_pupil_is_left_out_of_the_run_and_an_adult_is_not():
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    adult = ParticipantFactory(city=twinning.city_a)
    pupil = ParticipantFactory(city=twinning.city_b, user=UserFactory(is_pupil=True),
                               birth_year=2014)
    for participant in (adult, pupil):
        participant.programs.add(program)
    free = participants_with_free_capacity(program=program)
    assert adult.pk in free and pupil.pk not in free
    ids = {person["id"] for person in matching_instance(program=program, free=free)["participants"]}
    assert ids == {str(adult.pk)}
