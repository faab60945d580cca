"""The admin's tabular inlines name each box: a column's heading names no field, so a
screen reader would read each of them out nameless (axe's "label" and "select-name")."""

import re

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _tag(html: str, element_id: str) -> str:
    return re.search(rf'<(?:input|select)[^>]*\bid="{element_id}"[^>]*>', html).group(0)


def test_each_box_of_a_participants_languages_and_windows_is_named_as_its_column(client):
    participant = ParticipantFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("admin:exchanges_participant_change",
                              args=[participant.pk])).content.decode()
    names = {element_id: re.search(r'aria-label="([^"]*)"', _tag(html, element_id))
             for element_id in ("id_languages-0-code", "id_languages-0-level",
                                "id_languages-0-learning", "id_languages-0-DELETE",
                                "id_availability-0-weekday", "id_availability-0-start")}
    assert {key: found and found.group(1) for key, found in names.items()} == {
        "id_languages-0-code": "Language", "id_languages-0-level": "Level",
        "id_languages-0-learning": "Learning", "id_languages-0-DELETE": "Delete",
        "id_availability-0-weekday": "Weekday", "id_availability-0-start": "Start",
    }
