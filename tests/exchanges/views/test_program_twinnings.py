"""The program form's twinnings: named with their countries, and removing one that still
has matches or class exchanges of the program going is asked about before it is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomExchange, Match, Room
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, make_officer
from tests.factories import CityFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db


def test_the_twinning_checkboxes_name_each_city_with_its_country(client):
    lyon = CityFactory(name="Lyon", country="FR", tz="Europe/Paris")
    birmingham = CityFactory(name="Birmingham", country="GB")
    alabama = CityFactory(name="Birmingham", country="US", tz="America/Chicago")
    TwinningFactory(city_a=lyon, city_b=birmingham)
    TwinningFactory(city_a=lyon, city_b=alabama)
    client.force_login(make_officer())
    html = client.get(reverse("program_new")).content.decode()
    assert "Lyon (France) – Birmingham (United Kingdom)" in html
    assert "Lyon (France) – Birmingham (United States)" in html
    assert "Lyon – Birmingham" not in html


def _edit(program, twinnings, **overrides):
    data = {
        "name": program.name, "kind": program.kind, "description": program.description,
        "twinnings": [t.pk for t in twinnings],
        "start_date": program.start_date.isoformat(), "weeks": str(program.weeks),
        "session_minutes": str(program.session_minutes),
        "completion_sessions": str(program.completion_sessions), "is_open": "on",
    }
    data.update(overrides)
    return data


def test_removing_a_twinning_with_matches_and_exchanges_going_asks_first(client):
    world = make_lifecycle_world()  # an active match and a class exchange on its twinning
    other = TwinningFactory()
    world.program.twinnings.add(other)
    client.force_login(world.officer)
    url = reverse("program_edit", args=[world.program.slug])
    asked = client.post(url, _edit(world.program, [other]))
    assert asked.status_code == 200
    html = asked.content.decode()
    question = html.split('id="removal-question"', 1)[1].split("</div>", 1)[0]
    assert world.twinning.city_a.name in question and "1 active match," in question
    assert "1 class exchange still going" in question
    assert "rooms stay open" in question  # what happens to them: nothing ends them
    token = f'name="removal_confirmed" value="{world.twinning.pk}"'
    assert token in html
    assert set(world.program.twinnings.all()) == {world.twinning, other}  # nothing saved

    saved = client.post(url, _edit(world.program, [other],
                                   removal_confirmed=str(world.twinning.pk)))
    assert saved.status_code == 302
    assert list(world.program.twinnings.all()) == [other]
    # As the question said: they go on.
    world.active.refresh_from_db()
    world.room.refresh_from_db()
    world.exchange.refresh_from_db()
    assert world.active.status == Match.Status.ACTIVE and world.room.status == Room.Status.OPEN
    assert world.exchange.status == ClassroomExchange.Status.ACTIVE


def test_a_yes_to_removing_other_twinnings_does_not_remove_this_one(client):
    world = make_lifecycle_world()
    other = TwinningFactory()
    world.program.twinnings.add(other)
    client.force_login(world.officer)
    url = reverse("program_edit", args=[world.program.slug])
    asked = client.post(url, _edit(world.program, [other], removal_confirmed=str(other.pk)))
    assert asked.status_code == 200 and 'id="removal-question"' in asked.content.decode()
    assert set(world.program.twinnings.all()) == {world.twinning, other}


def test_removing_a_twinning_with_nothing_going_saves_without_asking(client):
    twinning, other = TwinningFactory(), TwinningFactory()
    program = ProgramFactory(twinnings=[twinning, other], start_date=timezone.localdate())
    officer = make_officer(program)
    client.force_login(officer)
    response = client.post(reverse("program_edit", args=[program.slug]),
                           _edit(program, [other]))
    assert response.status_code == 302
    assert list(program.twinnings.all()) == [other]
