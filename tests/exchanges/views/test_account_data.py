"""A person downloads what the platform holds about them: their own profile, matches,
sessions, messages and notifications, and nothing of anyone else beyond what partners
already see of each other."""

import datetime as dt
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


def test_the_file_holds_scores_explanations_and_proposals_but_not_the_partners_waiting(
        client):
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    match.score = 0.73
    match.explanation = {
        "mode": "tandem",
        "parts": {"interests": {"value": 0.5, "weight": 0.35, "contribution": 0.175}},
        "shared_interests": ["jazz"],
        "overlap_hours_per_week": 5.0,
        "waiting_days": {str(nora.pk): 3, str(bruno.pk): 987},
        "languages": [],
    }
    match.save(update_fields=["score", "explanation"])
    moved = sessions[0]
    moved.move_to = moved.starts_at + dt.timedelta(days=1)
    moved.move_proposed_by = bruno
    moved.save(update_fields=["move_to", "move_proposed_by"])
    data = _download(client, nora.user)
    exported = data["matches"][0]
    assert exported["score"] == 0.73
    assert "You both enjoy jazz." in exported["explanation"]
    assert exported["score_parts"]["interests"]["contribution"] == 0.175
    assert exported["shared_hours_per_week"] == 5.0
    assert exported["your_waiting_days"] == 3
    assert [(p["by_you"], p["status"]) for p in exported["slot_proposals"]] == [
        (True, "confirmed")]
    assert exported["slot_proposals"][0]["first_start"]
    move = exported["sessions"][0]["move_proposed"]
    assert move == {"to": moved.move_to.isoformat(), "by_you": False}
    assert all(s["move_proposed"] is None for s in exported["sessions"][1:])
    assert 987 not in _values(data)  # the partner's waiting time is theirs


def _values(node) -> list:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _values(value)]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


def test_each_message_says_the_language_it_was_written_in(client):
    match, _sessions = scheduled_match()
    nora = match.participant_a
    Message.objects.create(room=match.room, author=nora.user, body="Hallo Bruno",
                           client_id="n1", lang="de")
    Message.objects.create(room=match.room, author=nora.user, body="Before languages",
                           client_id="n2")
    data = _download(client, nora.user)
    assert [(m["body"], m["lang"]) for m in data["messages"]] == [
        ("Hallo Bruno", "de"), ("Before languages", "")]
