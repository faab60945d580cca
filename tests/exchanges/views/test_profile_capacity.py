"""Lowering "how many partners at once" below the partners one has: saved, and the page
says what follows (the partners stay; no new one is proposed until there is room)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Match, Participant
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_partners(client, newcomer, twinning):
    """An onboarded person allowing three partners at once, with ``partners`` active."""
    def build(partners: int, capacity: int = 3) -> Participant:
        data = onboarding_data(twinning.city_a, capacity=capacity)
        # Followed, so that the page shows (and uses up) the save's own message.
        assert client.post(reverse("onboarding"), data, follow=True).status_code == 200
        person = Participant.objects.get(user=newcomer)
        for _ in range(partners):
            MatchFactory(twinning=twinning, participant_a=person, status=Match.Status.ACTIVE,
                         activated_at=timezone.now())
        return person
    return build


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_lowering_below_ones_partners_saves_and_says_they_stay(client, twinning,
                                                                with_partners):
    person = with_partners(2)
    response = client.post(reverse("profile"), onboarding_data(twinning.city_a, capacity=1),
                           follow=True)
    person.refresh_from_db()
    assert person.capacity == 1
    assert Match.objects.filter(status=Match.Status.ACTIVE).count() == 2
    assert ("You have 2 partners, more than the one you now allow at once: they all stay, "
            "and no new partner is proposed to you until all your partnerships have ended."
            ) in _messages(response)


def test_a_limit_above_one_names_the_number_to_get_below(client, twinning, with_partners):
    with_partners(3)
    response = client.post(reverse("profile"), onboarding_data(twinning.city_a, capacity=2),
                           follow=True)
    assert ("You have 3 partners, more than the 2 you now allow at once: they all stay, "
            "and no new partner is proposed to you until you have fewer than 2."
            ) in _messages(response)


@pytest.mark.parametrize(("partners", "capacity"), [(1, 1), (2, 2), (0, 1)])
def test_a_limit_the_partners_fit_in_says_nothing_more(client, twinning, with_partners,
                                                       partners, capacity):
    with_partners(partners)
    response = client.post(reverse("profile"),
                           onboarding_data(twinning.city_a, capacity=capacity), follow=True)
    assert _messages(response) == ["Your profile is saved."]


def test_saving_other_fields_does_not_repeat_the_note(client, twinning, with_partners):
    person = with_partners(2, capacity=3)
    client.post(reverse("profile"), onboarding_data(twinning.city_a, capacity=1), follow=True)
    # Only the bio changes: the limit was lowered before, and the note said so then.
    response = client.post(reverse("profile"),
                           onboarding_data(twinning.city_a, capacity=1, bio="New"), follow=True)
    person.refresh_from_db()
    assert person.bio == "New"
    assert _messages(response) == ["Your profile is saved."]
