"""Removing a twinning from a program in the admin asks the officers' question first
(templates/exchanges/programs/form.html): what still runs across it goes on, and nothing
is saved until the superuser confirms exactly these twinnings."""

import pytest
from django.urls import reverse

from exchanges.models import AuditEvent, ClassroomExchange, Match, Room
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.factories import TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _form(program, twinnings, **overrides) -> dict:
    data = {
        "name": program.name, "slug": program.slug, "kind": program.kind,
        "description": program.description, "twinnings": [t.pk for t in twinnings],
        "officers": [o.pk for o in program.officers.all()],
        "start_date": program.start_date.isoformat(), "weeks": str(program.weeks),
        "session_minutes": str(program.session_minutes),
        "completion_sessions": str(program.completion_sessions), "is_open": "on",
    }
    data.update(overrides)
    return data


def test_removing_a_twinning_with_matches_going_asks_first_and_saves_nothing(client, root):
    world = make_lifecycle_world()  # an active match and a class exchange on its twinning
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    asked = client.post(url, _form(world.program, [other]))
    assert asked.status_code == 200
    html = asked.content.decode()
    assert world.twinning.city_a.name in html and "1 active match" in html
    assert "1 class exchange still going" in html
    assert "rooms stay open" in html  # the consequences, as the officers' page says them
    assert f'name="removal_confirmed" value="{world.twinning.pk}"' in html
    assert set(world.program.twinnings.all()) == {world.twinning, other}
    assert not AuditEvent.objects.filter(verb="program.updated").exists()


def test_the_confirmed_removal_saves_and_leaves_what_runs_going(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    saved = client.post(url, _form(world.program, [other],
                                   removal_confirmed=str(world.twinning.pk)))
    assert saved.status_code == 302
    assert list(world.program.twinnings.all()) == [other]
    event = AuditEvent.objects.get(verb="program.updated")
    assert event.data["twinnings_removed"] == [world.twinning.pk]
    world.active.refresh_from_db()
    world.room.refresh_from_db()
    world.exchange.refresh_from_db()
    assert world.active.status == Match.Status.ACTIVE and world.room.status == Room.Status.OPEN
    assert world.exchange.status == ClassroomExchange.Status.ACTIVE


def test_a_yes_to_removing_another_twinning_is_asked_again(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    asked = client.post(url, _form(world.program, [other], removal_confirmed=str(other.pk)))
    assert asked.status_code == 200
    assert f'name="removal_confirmed" value="{world.twinning.pk}"' in asked.content.decode()
    assert set(world.program.twinnings.all()) == {world.twinning, other}


def test_removing_a_twinning_with_nothing_going_saves_without_asking(client, root):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    url = reverse("admin:exchanges_program_change", args=[world.program.pk])
    saved = client.post(url, _form(world.program, [world.twinning]))
    assert saved.status_code == 302
    assert list(world.program.twinnings.all()) == [world.twinning]
