"""The proposal card on a participant's dashboard: what it says of the partner's answer."""

import re

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


def test_each_cards_buttons_say_whose_match_they_answer(client):
    # Two proposals give two "Accept" buttons: a screen reader listing the buttons tells
    # them apart by the partner's name.
    first = MatchFactory(participant_a__capacity=2, participant_b__user__display_name="Bruno")
    MatchFactory(participant_a=first.participant_a, twinning=first.twinning,
                 participant_b__city=first.participant_b.city,
                 participant_b__user__display_name="Clara")
    client.force_login(first.participant_a.user)
    html = client.get(reverse("dashboard")).content.decode()
    described = re.findall(r'<button[^>]*aria-describedby="([^"]+)"[^>]*>(\w+)</button>', html)
    names = {}
    for ident in {ident for ident, _ in described}:
        heading = re.search(rf'id="{ident}"[^>]*>([^<]+)', html).group(1).strip()
        names[ident] = heading
    assert sorted((label, names[ident]) for ident, label in described) == [
        ("Accept", "Bruno"), ("Accept", "Clara"), ("Decline", "Bruno"), ("Decline", "Clara")]


def test_the_card_shows_the_partners_bio_to_the_partner_only(client):
    match = MatchFactory(participant_a__user__display_name="Alice",
                         participant_b__user__display_name="Bruno",
                         participant_b__bio="Jazz & hiking.\nLearning French <slowly>.")
    client.force_login(match.participant_a.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Bruno, in their own words:" in html
    assert "Jazz &amp; hiking.<br>Learning French &lt;slowly&gt;." in html
    # The bio is the partner's: not on its writer's own card, nor anyone else's.
    client.force_login(match.participant_b.user)
    assert "Jazz &amp; hiking." not in client.get(reverse("dashboard")).content.decode()
    other = MatchFactory(participant_a__user__display_name="Chloe")
    client.force_login(other.participant_a.user)
    assert "Jazz &amp; hiking." not in client.get(reverse("dashboard")).content.decode()
