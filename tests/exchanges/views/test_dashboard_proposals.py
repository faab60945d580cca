"""The proposal card on a participant's dashboard: what it says of the partner's answer."""

import pytest
from django.urls import reverse

from exchanges.services.matches import match_accept
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db



def test_the_proposal_card_says_when_the_partner_has_accepted_already(client):
    match = MatchFactory(participant_a__user__display_name="Alice",
                         participant_b__user__display_name="Bruno")
    client.force_login(match.participant_a.user)
    waiting = client.get(reverse("dashboard")).content.decode()
    assert "Bruno has accepted" not in waiting
    match_accept(match=match, by=match.participant_b)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Bruno has accepted: accept too to open your room." in html
    assert reverse("match_accept", args=[match.pk]) in html
