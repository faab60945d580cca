"""The twinning page's second question holds for the action it asked about only: an
action changed under it is asked about again, never recorded under another's "yes"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Twinning
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def _form(**overrides):
    data = {
        "action": "terminate", "effective": timezone.localdate().isoformat(),
        "side": "city_a", "reason": "The council ended it",
        "source": "https://example.org/minutes",
    }
    data.update(overrides)
    return data


def _status(world) -> str:
    world.twinning.refresh_from_db()
    return world.twinning.status


def test_the_termination_question_offers_no_other_action_under_its_yes(client, world):
    client.force_login(world.officer)
    html = client.post(reverse("twinning_detail", args=[world.twinning.pk]),
                       _form()).content.decode()
    assert 'id="terminate-question"' in html
    assert '<select name="action"' not in html
    assert '<input type="hidden" name="action" value="terminate">' in html
    assert '<input type="hidden" name="confirmed" value="terminate">' in html


def test_a_yes_to_terminating_sent_with_suspend_records_nothing_and_asks_again(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    client.post(url, _form())  # the termination question
    switched = client.post(url, _form(action="suspend", confirmed="terminate"))
    assert switched.status_code == 200
    assert _status(world) == Twinning.Status.ACTIVE
    assert not world.twinning.status_changes.exists()
    html = switched.content.decode()
    assert 'id="suspend-question"' in html and 'id="action-changed"' in html
    assert "Yes, suspend the twinning" in html
    assert "Yes, terminate the twinning" not in html
    assert '<input type="hidden" name="confirmed" value="suspend">' in html
    # The suspension, confirmed as such, is what is recorded.
    done = client.post(url, _form(action="suspend", confirmed="suspend"))
    assert done.status_code == 302
    assert _status(world) == Twinning.Status.SUSPENDED
    assert world.twinning.status_changes.get().to_status == Twinning.Status.SUSPENDED


def test_a_yes_to_another_action_does_not_confirm_a_termination(client, world):
    client.force_login(world.officer)
    url = reverse("twinning_detail", args=[world.twinning.pk])
    for confirmed in ("suspend", "1"):
        asked = client.post(url, _form(confirmed=confirmed))
        assert asked.status_code == 200
        assert 'id="terminate-question"' in asked.content.decode()
        assert _status(world) == Twinning.Status.ACTIVE
