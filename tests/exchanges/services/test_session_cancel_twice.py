"""A session cancelled twice: the one who cancelled it is told it was them, the partner
that it is no longer scheduled; nobody is told twice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchanges.models import Notification, Session
from exchanges.services.sessions import session_cancel, session_move_propose
from tests.exchanges.scheduling_fixtures import NOW, scheduled_match, z

pytestmark = pytest.mark.django_db


def test_a_second_cancel_by_the_same_partner_says_they_cancelled_it():
    match, sessions = scheduled_match()
    session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
    with pytest.raises(ValidationError) as again:
        session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
    assert again.value.messages == ["You already cancelled this session."]
    assert Session.objects.get(pk=sessions[2].pk).cancelled_by == match.participant_a
    assert Notification.objects.filter(kind="session.cancelled").count() == 1


def test_the_partner_of_whoever_cancelled_is_told_it_is_no_longer_scheduled():
    match, sessions = scheduled_match()
    session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
    with pytest.raises(ValidationError) as late:
        session_cancel(session=sessions[2], by=match.participant_b, now=NOW)
    assert late.value.messages == ["This session is no longer scheduled."]
    with pytest.raises(ValidationError, match="no longer scheduled"):
        session_move_propose(session=sessions[2], by=match.participant_b,
                             new_start=z(2027, 3, 17, 19), now=NOW)


def test_a_session_cancelled_by_no_one_says_it_is_no_longer_scheduled():
    # A new series cancels the old one's sessions: neither partner cancelled them.
    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[2].pk).update(status=Session.Status.CANCELLED)
    for person in match.members:
        with pytest.raises(ValidationError, match="This session is no longer scheduled."):
            session_cancel(session=sessions[2], by=person, now=NOW)


def test_the_page_tells_whoever_cancels_twice_it_was_them(client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    match, sessions = scheduled_match()
    client.force_login(match.participant_a.user)
    url = reverse("session_cancel", args=[sessions[0].pk])
    client.post(url)  # the first tab
    page = client.post(url, follow=True).content.decode()  # the second
    assert "You already cancelled this session." in page
    assert "no longer scheduled" not in page


def test_each_partner_s_data_file_says_whether_they_cancelled_it(client):
    import json

    match, sessions = scheduled_match()
    session_cancel(session=sessions[1], by=match.participant_b, now=NOW)
    said = {}
    for person in match.members:
        client.force_login(person.user)
        data = json.loads(client.get(reverse("account_data")).content)
        said[person.pk] = [s["cancelled_by_you"] for s in data["matches"][0]["sessions"][:3]]
    assert said[match.participant_b.pk] == [None, True, None]
    assert said[match.participant_a.pk] == [None, False, None]
