"""The admin names a class's code as every page does: the class code."""

import pytest
from django.urls import reverse

from exchanges.models import Classroom
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_calls_the_code_the_class_code(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    classroom = Classroom.objects.create(teacher=UserFactory(), city=CityFactory(),
                                         school="Lycée A", name="5a")
    listing = client.get(reverse("admin:exchanges_classroom_changelist")).content.decode()
    change = client.get(reverse("admin:exchanges_classroom_change",
                                args=[classroom.pk])).content.decode()
    assert "Class code" in listing
    assert "Class code:" in change and "Class code expires at:" in change
    for html in (listing, change):
        assert "Join code" not in html and "join code" not in html
