"""A person downloads what the platform holds about them: their own profile, matches,
sessions, messages and notifications, and nothing of anyone else beyond what partners
already see of each other."""

import json

import pytest
from django.urls import reverse

from exchanges.models import Message, Notification
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("account_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="jumelage-data-')
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_file_holds_the_persons_own_data(client):
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    Message.objects.create(room=match.room, author=nora.user, body="Hello Bruno", client_id="n1")
    Message.objects.create(room=match.room, author=bruno.user, body="Bruno's secret",
                           client_id="b1")
    Notification.objects.create(user=nora.user, kind="test", text="Your session moved")
    data = _download(client, nora.user)
    assert data["account"]["email"] == nora.user.email
    assert data["profile"]["birth_year"] == nora.birth_year
    assert [m["partner"] for m in data["matches"]] == ["Bruno"]
    assert len(data["matches"][0]["sessions"]) == len(sessions)
    assert [(m["body"], m["with"]) for m in data["messages"]] == [("Hello Bruno", "Bruno")]
    assert [n["text"] for n in data["notifications"]][-1] == "Your session moved"
    text = json.dumps(data)
    assert "Bruno's secret" not in text  # what the partner wrote is theirs
    assert bruno.user.email not in text
    assert nora.calendar_token not in text  # a secret stays on the profile page


def test_a_person_without_a_profile_gets_their_account_only(client):
    user = ParticipantFactory().user
    user.participant.delete()
    data = _download(client, user)
    assert data["profile"] is None and data["matches"] == []
    assert data["account"]["email"] == user.email


def test_pupils_are_refused(client):
    pupil = ParticipantFactory(user__is_pupil=True).user
    client.force_login(pupil, backend=PUPIL_BACKEND)
    assert client.get(reverse("account_data")).status_code == 403
