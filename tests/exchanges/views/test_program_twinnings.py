"""The program form's twinnings: named with their countries, and removing one that still
has matches or class exchanges of the program going is asked about before it is saved."""

import pytest
from django.urls import reverse

from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import CityFactory, TwinningFactory

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
