"""The synthetic population: the same seed gives the same people, but never the same
calendar feed addresses, which would let anyone who knows the demo read its feeds."""

import pytest

from exchanges.demo.population import demo_participants_seed
from exchanges.models import Participant, User
from tests.exchanges.matching_fixtures import coventry_dresden

pytestmark = pytest.mark.django_db


def _people():
    rows = Participant.objects.order_by("user__email").values_list(
        "user__email", "user__display_name", "city__name", "birth_year", "calendar_token"
    )
    return [row[:4] for row in rows], [row[4] for row in rows]


def test_a_seed_gives_the_same_people_with_unguessable_feed_tokens():
    coventry_dresden()
    demo_participants_seed(count=30, seed=7)
    people, tokens = _people()
    User.objects.filter(participant__in=Participant.objects.all()).delete()
    demo_participants_seed(count=30, seed=7)
    again, tokens_again = _people()

    assert again == people  # still reproducible
    assert not set(tokens) & set(tokens_again)
    assert len(set(tokens)) == 30
    assert not any(token.startswith("seed-") for token in tokens)
    assert all(len(token) >= 32 for token in tokens)
