"""A person whose city's twinnings are all suspended is told so on the dashboard, not that
no program covers their city; a city with no twinning open to programs keeps that word."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Twinning
from tests.exchanges.scheduling_fixtures import active_match
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

NO_PROGRAM = "No program covers your city yet"


def _dashboard(client, participant) -> str:
    client.force_login(participant.user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_enrolled_person_whose_only_twinning_is_suspended_is_told_so(client):
    twinning = TwinningFactory(status=Twinning.Status.SUSPENDED, city_b__name="Dresden")
    person = ParticipantFactory(city=twinning.city_a)
    person.programs.add(ProgramFactory(twinnings=[twinning]))
    page = _dashboard(client, person)
    assert NO_PROGRAM not in page
    assert ("Your city's twinning with Dresden is suspended for now: no new partners "
            "are proposed until it is active again.") in page


def test_a_person_not_enrolled_in_a_city_of_two_suspended_twinnings_is_told_both(client):
    first = TwinningFactory(status=Twinning.Status.SUSPENDED, city_b__name="Dresden")
    TwinningFactory(city_a=first.city_a, status=Twinning.Status.SUSPENDED,
                    city_b__name="Caen", city_b__country="FR")
    page = _dashboard(client, ParticipantFactory(city=first.city_a))
    assert NO_PROGRAM not in page
    assert "Your city's twinnings with Caen, Dresden are suspended for now" in page


def test_a_city_with_an_active_twinning_besides_a_suspended_one_keeps_the_old_word(client):
    suspended = TwinningFactory(status=Twinning.Status.SUSPENDED)
    TwinningFactory(city_a=suspended.city_a, status=Twinning.Status.ACTIVE)
    page = _dashboard(client, ParticipantFactory(city=suspended.city_a))
    assert NO_PROGRAM in page
    assert "suspended for now" not in page


def test_a_city_with_no_twinning_at_all_keeps_the_old_word(client):
    page = _dashboard(client, ParticipantFactory())
    assert NO_PROGRAM in page
    assert "suspended for now" not in page


def _matches_card(client, participant) -> str:
    return re.search(r'id="matches-card">(.*?)</section>', _dashboard(client, participant),
                     re.S).group(1)


def test_an_active_match_across_a_suspended_twinning_says_so_on_its_card(client):
    # The card's "Active" alone would contradict the closed room and the refused slots.
    match = active_match()
    twinning = match.twinning
    twinning.status = Twinning.Status.SUSPENDED
    twinning.status_changed = timezone.localdate()
    twinning.save(update_fields=["status", "status_changed"])
    card = _matches_card(client, match.participant_a)
    assert (f"The twinning {twinning} is suspended since {twinning.status_changed_display}: "
            "no session can be scheduled across it until it is active again.") in card


def test_an_active_match_across_an_active_twinning_has_no_such_word(client):
    match = active_match()
    assert "is suspended since" not in _matches_card(client, match.participant_b)
