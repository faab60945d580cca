"""A participant pauses new matches from the dashboard and resumes them; their current
matches are not touched."""

import pytest
from django.urls import reverse

from exchanges.models import Match
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND
from tests.factories import MatchFactory, ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_pausing_and_resuming_from_the_dashboard(client):
    match = MatchFactory(status=Match.Status.ACTIVE)
    person = match.participant_a
    person.programs.add(ProgramFactory())
    client.force_login(person.user)
    assert "Pause new matches" in client.get(reverse("dashboard")).content.decode()

    page = client.post(reverse("matching_pause_set"), {"paused": "1"}, follow=True)
    page = page.content.decode()
    person.refresh_from_db()
    assert person.matching_paused
    assert "New matches are paused" in page and "Resume new matches" in page
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE  # it goes on

    client.post(reverse("matching_pause_set"), {"paused": "1"})  # a stale tab: still paused
    person.refresh_from_db()
    assert person.matching_paused
    page = client.post(reverse("matching_pause_set"), {"paused": "0"}, follow=True)
    person.refresh_from_db()
    assert not person.matching_paused
    assert "New matches are on again" in page.content.decode()
    refused = client.post(reverse("matching_pause_set"), {"paused": "maybe"}, follow=True)
    assert "Choose whether to pause or to resume new matches." in refused.content.decode()
    person.refresh_from_db()
    assert not person.matching_paused


def test_a_paused_person_without_matches_is_told_they_are_out_of_the_pool(client):
    person = ParticipantFactory(matching_paused=True)
    person.programs.add(ProgramFactory())
    client.force_login(person.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "You are not in the pool: new matches are paused." in page
    assert "You are in the pool of" not in page


def test_pupils_have_nothing_to_pause(client):
    pupil = ParticipantFactory(user__is_pupil=True)
    client.force_login(pupil.user, backend=PUPIL_BACKEND)
    assert client.post(reverse("matching_pause_set"), {"paused": "1"}).status_code == 404
    pupil.refresh_from_db()
    assert not pupil.matching_paused
