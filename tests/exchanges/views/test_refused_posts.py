"""A form page answers a post it refuses with 400 and the form again, its errors shown;
a post with no fields at all is refused the same way, never shown as a fresh form."""

import pytest
from django.urls import reverse

from exchanges.models import Program, TeacherApplication
from tests.exchanges.classroom_fixtures import officer, twin_cities
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."


def test_an_empty_post_to_the_program_form_names_the_required_fields(client):
    client.force_login(officer())
    response = client.post(reverse("program_new"), {})
    assert response.status_code == 400
    assert response.content.decode().count(REQUIRED) >= 2  # name and start at least
    assert not Program.objects.exists()


def test_an_empty_post_to_the_teacher_application_names_the_required_fields(client):
    twin_cities()
    client.force_login(UserFactory())
    response = client.post(reverse("teacher_apply"), {})
    assert response.status_code == 400
    assert REQUIRED in response.content.decode()
    assert not TeacherApplication.objects.exists()


def test_a_join_post_that_is_neither_join_nor_sign_in_says_so(client):
    response = client.post(reverse("join"), {"action": "elsewhere"})
    assert response.status_code == 400
    assert "Choose whether to join a class or to sign in." in response.content.decode()

