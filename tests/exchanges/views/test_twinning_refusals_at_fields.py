"""A refusal from the lifecycle service shows where the officer can act on it: beside
its field (the effective date), or on the form when it is no one field's, for every
action and with what was typed kept; the message above the page only says nothing changed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.forms import twinnings as forms
from exchanges.models import Twinning
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.exchanges.views.test_twinnings import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()



def _field_error(html: str, field: str) -> str:
    return html.split(f'id="id_{field}_error"', 1)[1].split("</div>", 1)[0]


def _top_messages(html: str) -> str:
    return html.split('id="messages"', 1)[1].split("</ul>", 1)[0] if 'id="messages"' in html else ""


@pytest.mark.parametrize("action", ["suspend", "reactivate", "terminate-confirmed"])
@pytest.mark.parametrize(("since", "effective", "refusal"), [
    (None, "2999-01-01", "cannot be in the future"),
    ("today", "yesterday", "cannot be before"),
    (None, "1899-12-31", "no twinning&#x27;s status change is recorded earlier"),
])
def test_every_action_puts_the_services_date_refusal_beside_the_date_and_keeps_the_form(
    client, world, action, since, effective, refusal
):
    today = timezone.localdate()
    dates = {"today": today, "yesterday": today - dt.timedelta(days=1)}
    world.twinning.since = dates.get(since)
    world.twinning.save(update_fields=["since"])
    if action == "reactivate":
        # Suspended with no recorded change, so only the start bounds the date.
        world.twinning.status = Twinning.Status.SUSPENDED
        world.twinning.save(update_fields=["status"])
    status_before = world.twinning.status
    data = _form(
        action=action.split("-")[0], effective=dates.get(effective, effective),
        reason="Council vote of 22 March", source="https://example.org/minutes-7",
        side="city_b",
    )
    if action == "terminate-confirmed":
        data["confirmed"] = "terminate"  # a "yes" whose date the service then refuses
    if isinstance(data["effective"], dt.date):
        data["effective"] = data["effective"].isoformat()
    client.force_login(world.officer)
    response = client.post(reverse("twinning_detail", args=[world.twinning.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert refusal in _field_error(html, "effective")
    assert refusal not in _top_messages(html)
    # What was typed stays.
    assert "Council vote of 22 March</textarea>" in html
    assert 'value="https://example.org/minutes-7"' in html
    assert f'value="{data["effective"]}"' in html.split('name="effective"', 1)[1].split(">", 1)[0]
    world.twinning.refresh_from_db()
    assert world.twinning.status == status_before
    assert not world.twinning.status_changes.exists()


def test_a_refusal_of_no_one_field_shows_on_the_form(client, world, monkeypatch):
    # As if the page's form were built before another officer suspended the twinning:
    # the form offers "suspend", the service then refuses it as a whole.
    monkeypatch.setattr(forms, "actions_for", lambda status: [
        (key, label) for key, (label, _allowed) in forms.ACTIONS.items()])
    client.force_login(world.officer)
    response = client.post(reverse("twinning_detail", args=[world.twinning.pk]),
                           _form(action="reactivate"))
    assert response.status_code == 400
    form = response.content.decode().split('<form method="post" novalidate>', 1)[1]
    assert "This twinning is active; it cannot be reactivated." in form.split("</form>", 1)[0]
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
